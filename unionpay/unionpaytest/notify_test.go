package unionpaytest_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/notify"
	"github.com/goacp/unionpay/sign"
	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

// scale compresses UnionPay's 0, 1, 2, 4, 5 minute schedule to 0, 100, 200, 400, 500 ms.
const scale = 1.0 / 600

func TestNotifyRetrySchedule(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		answers  []int
		attempts int
	}{
		{"answered at once", nil, 1},
		{"two failures then 200", []int{500, 500}, 3},
		{"302 counts as received", []int{503, 302}, 2},
		{"never answered 200", []int{500, 500, 500, 500, 500, 500}, 5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			m := newMerchant(t, unionpaytest.WithTimeScale(scale))
			in := newInbox(t, m.verifier, tt.answers...)
			m.appConsume("RETRY0001", "100", in.URL())
			got := in.wait(t, tt.attempts, 10*time.Second)
			time.Sleep(800 * time.Millisecond) // nothing more may arrive (and the last attempt is recorded)
			require.Equal(t, tt.attempts, in.count())
			for _, n := range got[1:] {
				assert.Equal(t, got[0], n, "every attempt carries the same signed message")
			}
			in.mu.Lock()
			defer in.mu.Unlock()
			wantGaps := []time.Duration{0, 100, 200, 400, 500}
			for i := 1; i < len(in.at); i++ {
				gap := in.at[i].Sub(in.at[i-1])
				assert.GreaterOrEqual(t, gap, wantGaps[i]*time.Millisecond*9/10, "gap before attempt %d", i+1)
				assert.Less(t, gap, wantGaps[i]*time.Millisecond+1500*time.Millisecond, "gap before attempt %d", i+1)
			}
			assert.Zero(t, in.bad, "every notification verifies")
			ds := m.srv.Deliveries()
			require.Len(t, ds, tt.attempts)
			assert.Equal(t, tt.attempts, ds[len(ds)-1].Attempt)
		})
	}
}

func TestCloseStopsDeliveries(t *testing.T) {
	t.Parallel()
	m := newMerchant(t) // real minutes: the second attempt would come a minute later
	in := newInbox(t, m.verifier, 500, 500, 500)
	m.appConsume("CLOSE0001", "100", in.URL())
	in.wait(t, 1, 5*time.Second)
	start := time.Now()
	m.srv.Close()
	assert.Less(t, time.Since(start), 2*time.Second, "Close does not wait for the schedule")
	time.Sleep(100 * time.Millisecond)
	assert.Equal(t, 1, in.count())
}

func TestExplicitNotify(t *testing.T) {
	t.Parallel()
	m := newMerchant(t)
	in := newInbox(t, m.verifier, 200, 500)
	m.appConsume("EXPLICIT1", "100", in.URL())
	in.wait(t, 1, 5*time.Second)
	require.Error(t, m.srv.Notify(context.Background(), "EXPLICIT1"), "answered 500")
	require.NoError(t, m.srv.Notify(context.Background(), "EXPLICIT1"))
	got := in.wait(t, 3, 5*time.Second)
	assert.Equal(t, "00", got[2]["respCode"])
	require.Error(t, m.srv.Notify(context.Background(), "NOSUCHORDER"))

	// A backUrl nobody listens on: the transport's error, wrapped and named
	// (it came back bare).
	m.appConsume("EXPLICIT2", "100", "http://127.0.0.1:1/notify")
	err := m.srv.Notify(context.Background(), "EXPLICIT2")
	require.ErrorContains(t, err, "unionpaytest: notification to http://127.0.0.1:1/notify: ")
	var ue *url.Error
	require.ErrorAs(t, err, &ue)
}

func TestNotificationFaults(t *testing.T) {
	t.Parallel()
	t.Run("duplicate", func(t *testing.T) {
		t.Parallel()
		m := newMerchant(t, unionpaytest.WithTimeScale(scale))
		in := newInbox(t, m.verifier)
		qid := m.appConsume("DUPNOTE01", "100", in.URL())
		in.wait(t, 1, 5*time.Second)
		m.srv.FailOrder("DUPNOTE02", unionpaytest.FaultDuplicateNotify)
		require.Equal(t, "00", m.back("04", "DUPNOTE02", qid, "50", in.URL())["respCode"])
		got := in.wait(t, 3, 5*time.Second)
		assert.Equal(t, got[1], got[2])
	})
	t.Run("late", func(t *testing.T) {
		t.Parallel()
		m := newMerchant(t, unionpaytest.WithTimeScale(scale))
		in := newInbox(t, m.verifier)
		m.srv.FailOrder("LATENOTE1", unionpaytest.FaultLateNotify)
		start := time.Now()
		m.appConsume("LATENOTE1", "100", in.URL())
		in.wait(t, 1, 5*time.Second)
		assert.GreaterOrEqual(t, time.Since(start), 1100*time.Millisecond, "after the whole 1.2 s schedule")
	})
	t.Run("before the answer", func(t *testing.T) {
		t.Parallel()
		m := newMerchant(t)
		in := newInbox(t, m.verifier)
		qid := m.appConsume("FIRSTNOTE", "100", in.URL())
		in.wait(t, 1, 5*time.Second)
		m.srv.FailOrder("FIRSTNOT2", unionpaytest.FaultNotifyFirst)
		resp := m.back("04", "FIRSTNOT2", qid, "50", in.URL())
		require.Equal(t, "00", resp["respCode"])
		assert.Equal(t, 2, in.count(), "the refund's notification arrived before its synchronous answer")
	})
	t.Run("before the answer, then on schedule", func(t *testing.T) {
		t.Parallel()
		m := newMerchant(t, unionpaytest.WithTimeScale(scale))
		in := newInbox(t, m.verifier)
		qid := m.appConsume("FIRSTSCHD", "100", in.URL())
		in.wait(t, 1, 5*time.Second)
		refused := newInbox(t, m.verifier, 500, 500, 500, 500, 500, 500)
		m.srv.FailOrder("FIRSTSCH2", unionpaytest.FaultNotifyFirst)
		require.Equal(t, "00", m.back("04", "FIRSTSCH2", qid, "50", refused.URL())["respCode"])
		refused.wait(t, 5, 10*time.Second)
		time.Sleep(800 * time.Millisecond) // nothing more may arrive
		require.Equal(t, 5, refused.count(), "the synchronous send is the schedule's first: five in all")
		refused.mu.Lock()
		defer refused.mu.Unlock()
		for i, want := range []time.Duration{100, 200, 400, 500} { // the rest of 0, 1, 2, 4, 5 minutes, scaled
			gap := refused.at[i+1].Sub(refused.at[i])
			assert.GreaterOrEqual(t, gap, want*time.Millisecond*9/10, "gap before attempt %d", i+2)
			assert.Less(t, gap, want*time.Millisecond+1500*time.Millisecond, "gap before attempt %d", i+2)
		}
	})
}

func TestScript(t *testing.T) {
	t.Parallel()
	m := newMerchant(t, unionpaytest.WithTimeScale(scale))
	in := newInbox(t, m.verifier)
	qid := m.appConsume("SCRIPTED1", "2000", in.URL())
	in.wait(t, 1, 5*time.Second)
	txnTime := m.clock.Now().Format("20060102150405")

	m.srv.Script("SCRIPTED2", unionpaytest.Pending, unionpaytest.IssuerBusy, unionpaytest.Succeed)
	assert.Equal(t, "05", m.back("04", "SCRIPTED2", qid, "600", in.URL())["respCode"])
	assert.Equal(t, "33", m.back("04", "SCRIPTED3", qid, "1401", in.URL())["respCode"], "a pending refund reserves its amount")
	assert.Equal(t, "83", m.query("SCRIPTED2", txnTime)["origRespCode"], "83: the issuer still processing")
	assert.Equal(t, 1, in.count(), "no notification while pending (83 is not final)")
	assert.Equal(t, "00", m.query("SCRIPTED2", txnTime)["origRespCode"])
	got := in.wait(t, 2, 5*time.Second)
	assert.Equal(t, "SCRIPTED2", got[1]["orderId"])
	assert.Equal(t, "00", m.query("SCRIPTED2", txnTime)["origRespCode"], "the last step stays")

	m.srv.Script("SCRIPTED4", unionpaytest.Succeed, unionpaytest.Failed)
	assert.Equal(t, "00", m.back("04", "SCRIPTED4", qid, "400", in.URL())["respCode"], "accepted")
	code, err := m.srv.Advance("SCRIPTED4")
	require.NoError(t, err)
	assert.Equal(t, "01", code)
	got = in.wait(t, 3, 5*time.Second)
	assert.Equal(t, "01", got[2]["respCode"], "back transactions notify failures too")
	assert.Equal(t, "00", m.back("04", "SCRIPTED5", qid, "400", in.URL())["respCode"], "the failed refund released its amount")

	m.srv.Script("SCRIPTED6", unionpaytest.NoBalance)
	assert.Equal(t, "64", m.back("04", "SCRIPTED6", qid, "1", in.URL())["respCode"], "scripted synchronous rejection")
}

// TestScriptDefect: A6 (success with defect) is a success in the ledger as in the SDK: a refund
// answered A6 counts against the original and is notified, and a consume answered A6 is notified
// and can be refunded.
func TestScriptDefect(t *testing.T) {
	t.Parallel()
	m := newMerchant(t, unionpaytest.WithTimeScale(scale))
	in := newInbox(t, m.verifier)
	m.srv.Script("DEFECT01", unionpaytest.Outcome(unionpaytest.CodeDefect))
	resp := m.call(unionpaytest.EndpointApp, m.fields("01", "01", "000201", "orderId", "DEFECT01", "txnAmt", "1000",
		"currencyCode", "156", "channelType", "08", "backUrl", in.URL()))
	require.Equal(t, "00", resp["respCode"], resp["respMsg"])
	code, err := m.srv.Complete("DEFECT01", "")
	require.NoError(t, err)
	require.Equal(t, "A6", code)
	q := m.query("DEFECT01", m.clock.Now().Format("20060102150405"))
	require.Equal(t, "A6", q["origRespCode"])
	qid := q["queryId"]
	got := in.wait(t, 1, 5*time.Second)
	assert.Equal(t, "A6", got[0]["respCode"], "a consume answered A6 is notified")

	m.srv.Script("DEFECT02", unionpaytest.Outcome(unionpaytest.CodeDefect))
	assert.Equal(t, "A6", m.back("04", "DEFECT02", qid, "1000", in.URL())["respCode"])
	got = in.wait(t, 2, 5*time.Second)
	assert.Equal(t, "DEFECT02", got[1]["orderId"])
	assert.Equal(t, "33", m.back("04", "DEFECT03", qid, "1", in.URL())["respCode"],
		"the A6 refund used the whole amount")
}

func TestSignForHandlers(t *testing.T) {
	t.Parallel()
	m := newMerchant(t)
	f := sign.Fields{"orderId": "HANDLER01", "respCode": "00", "txnAmt": "100", "txnType": "01"}
	signed, err := m.srv.Sign(f)
	require.NoError(t, err)
	assert.NotContains(t, f, "signature", "input not modified")
	_, err = m.verifier.Verify(signed)
	require.NoError(t, err)

	v, err := m.srv.SignNotification(f)
	require.NoError(t, err)
	parsed, err := sign.ParseForm(v.Encode())
	require.NoError(t, err)
	_, err = m.verifier.Verify(parsed)
	require.NoError(t, err)
	parsed["txnAmt"] = "1"
	_, err = m.verifier.Verify(parsed)
	require.ErrorIs(t, err, sign.ErrSignature)
	_ = http.StatusOK

	// A field with an empty value is left out of the notification, as UnionPay sends none and
	// notify drops them before verifying: signed with it, the notification would not verify.
	withEmpty := f.Clone()
	withEmpty["reqReserved"] = ""
	withEmpty["txnTime"], withEmpty["queryId"], withEmpty["merId"] = "20261125100000", "261125100000000000001", unionpaytest.DefaultMerchantID
	v, err = m.srv.SignNotification(withEmpty)
	require.NoError(t, err)
	assert.NotContains(t, v, "reqReserved")
	n, err := notify.Parse(m.verifier, []byte(v.Encode()))
	require.NoError(t, err, "notify.Parse accepts what SignNotification signs")
	assert.Equal(t, "HANDLER01", n.OrderID)

	// A GBK notification: the values are GBK bytes, so that Encode gives the GBK body, which
	// notify.Parse, VerifyValues and Handler take (the UTF-8 body it gave was refused as invalid
	// GBK, found by a GBK merchant's trial).
	gbk := withEmpty.Clone()
	gbk["encoding"], gbk["reqReserved"] = "GBK", "客户备注：请周末送货"
	v, err = m.srv.SignNotification(gbk)
	require.NoError(t, err)
	n, err = notify.Parse(m.verifier, []byte(v.Encode()))
	require.NoError(t, err, "the GBK body parses and verifies")
	assert.Equal(t, "客户备注：请周末送货", n.ReqReserved)
	n, err = notify.VerifyValues(m.verifier, v)
	require.NoError(t, err)
	assert.Equal(t, "客户备注：请周末送货", n.ReqReserved)
	rec := httptest.NewRecorder()
	h := &notify.Handler{Verifier: m.verifier, OnNotify: func(context.Context, *notify.Notification) error { return nil }}
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/notify", strings.NewReader(v.Encode())))
	assert.Equal(t, http.StatusOK, rec.Code)
	gbk["reqReserved"] = "😀"
	_, err = m.srv.SignNotification(gbk)
	require.Error(t, err, "not representable in GBK (refused by Sign, before the encoding)")
}

func TestForgedNotification(t *testing.T) {
	t.Parallel()
	m := newMerchant(t)
	in := newInbox(t, m.verifier)
	m.srv.FailOrder("FORGED001", unionpaytest.FaultForgedNotify)
	m.appConsume("FORGED001", "100", in.URL())
	got := in.wait(t, 2, 5*time.Second)
	assert.Equal(t, "101", got[0]["txnAmt"], "the forged copy comes first")
	assert.Equal(t, "100", got[1]["txnAmt"])
	in.mu.Lock()
	assert.Equal(t, 1, in.bad, "only the forged copy fails verification")
	in.mu.Unlock()
	require.Eventually(t, func() bool { return len(m.srv.Deliveries()) == 2 }, 5*time.Second, 10*time.Millisecond)
	ds := m.srv.Deliveries()
	assert.True(t, ds[0].Forged)
	assert.False(t, ds[1].Forged)
}

func TestSignWithFault(t *testing.T) {
	t.Parallel()
	m := newMerchant(t)
	f := sign.Fields{"orderId": "HANDLER02", "respCode": "00", "txnAmt": "100"}
	for _, fault := range []unionpaytest.Fault{unionpaytest.FaultWrongKey, unionpaytest.FaultExpiredCert, unionpaytest.FaultWrongName} {
		t.Run(fault.String(), func(t *testing.T) {
			signed, err := m.srv.SignWithFault(f, fault)
			require.NoError(t, err)
			_, err = m.verifier.Verify(signed)
			require.Error(t, err)
		})
	}
	signed, err := m.srv.SignWithFault(f, unionpaytest.FaultDrop)
	require.NoError(t, err)
	_, err = m.verifier.Verify(signed)
	require.NoError(t, err, "faults that are not about signing sign normally")
}

func TestFinalStatusSticks(t *testing.T) {
	t.Parallel()
	m := newMerchant(t)
	qid := m.appConsume("STICKY001", "1000", "http://127.0.0.1:1/n")
	m.srv.Script("STICKY002", unionpaytest.Pending, unionpaytest.Succeed, unionpaytest.Failed)
	assert.Equal(t, "05", m.back("04", "STICKY002", qid, "1000", "http://127.0.0.1:1/n")["respCode"])
	txnTime := m.clock.Now().Format("20060102150405")
	assert.Equal(t, "00", m.query("STICKY002", txnTime)["origRespCode"])
	assert.Equal(t, "00", m.query("STICKY002", txnTime)["origRespCode"], "a success is never undone by a later step")
	got, ok := m.srv.Transaction("STICKY001")
	require.True(t, ok)
	assert.Equal(t, int64(1000), got.Refunded)
}

// TestReview14NotifyUnpaidOrder: an app order nobody has paid has no notification to send: Notify
// is an error and sends nothing, though its backUrl answers 200.
func TestReview14NotifyUnpaidOrder(t *testing.T) {
	t.Parallel()
	var hits atomic.Int64
	inbox := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		_, _ = io.Copy(io.Discard, r.Body)
	}))
	defer inbox.Close()
	m := newMerchant(t)
	resp := m.call(unionpaytest.EndpointApp, m.fields("01", "01", "000201", "orderId", "UNPAID0001", "txnAmt", "1000",
		"currencyCode", "156", "channelType", "08", "backUrl", inbox.URL))
	require.Equal(t, "00", resp["respCode"], resp["respMsg"])
	err := m.srv.Notify(context.Background(), "UNPAID0001")
	require.Error(t, err)
	assert.Contains(t, err.Error(), "no transaction")
	assert.Zero(t, hits.Load(), "a notification of an unpaid order was sent")
}
