package unionpay_test

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/sign"
	"github.com/goacp/unionpay/unionpay"
	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

// End-to-end tests against the fake gateway of package unionpaytest: its own PKI (signMethod 01,
// 5.1.0, signPubKeyCert chained to its root and middle), strict request checks and order state.

// inbox receives the gateway's backUrl notifications.
type inbox struct {
	srv *httptest.Server
	mu  sync.Mutex
	got []sign.Fields
}

func newInbox(t *testing.T) *inbox {
	t.Helper()
	in := &inbox{}
	in.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		f, err := sign.ParseForm(string(body))
		if err == nil {
			in.mu.Lock()
			in.got = append(in.got, f)
			in.mu.Unlock()
		}
		_, _ = io.WriteString(w, "ok")
	}))
	t.Cleanup(in.srv.Close)
	return in
}

func (in *inbox) URL() string { return in.srv.URL + "/notify" }

// wait returns the first notification for orderID, or fails after a few seconds.
func (in *inbox) wait(t *testing.T, orderID string) sign.Fields {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		in.mu.Lock()
		for _, f := range in.got {
			if f["orderId"] == orderID {
				in.mu.Unlock()
				return f
			}
		}
		in.mu.Unlock()
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("no notification for %s", orderID)
	return nil
}

// e2e is one gateway, a client configured for it, and a notification inbox.
type e2e struct {
	srv   *unionpaytest.Server
	c     *unionpay.Client
	inbox *inbox
	seq   atomic.Int64
}

func newE2E(t *testing.T, opts ...unionpaytest.Option) *e2e {
	t.Helper()
	srv := unionpaytest.NewServer(append([]unionpaytest.Option{withSharedKeys(t), unionpaytest.WithReporter(t),
		unionpaytest.WithTimeScale(1.0 / 600), unionpaytest.WithClock(unionpaytest.BusinessDayClock())}, opts...)...)
	t.Cleanup(srv.Close)
	c, err := unionpay.NewClient(gatewayConfig(t, srv))
	require.NoError(t, err)
	return &e2e{srv: srv, c: c, inbox: newInbox(t)}
}

// gatewayConfig is the Config the gateway hands out.
func gatewayConfig(t *testing.T, srv *unionpaytest.Server) unionpay.Config {
	t.Helper()
	return srv.Config()
}

// order returns a fresh orderId.
func (e *e2e) order(prefix string) string {
	return fmt.Sprintf("%s%08d", prefix, e.seq.Add(1))
}

func (e *e2e) consumeReq(orderID string, amount int64) *unionpay.ConsumeRequest {
	return &unionpay.ConsumeRequest{OrderID: orderID, Amount: amount, FrontURL: "https://merchant.example/return",
		BackURL: e.inbox.URL(), RiskRateInfo: sign.Fields{"commodityName": "测试商品"}, ReqReserved: `<b>"x"</b>`}
}

// tokenOpenReq is a front open of the token product (requestor 62000000001) of TestCard under a
// fresh orderId starting with prefix, notified to the inbox.
func (e *e2e) tokenOpenReq(prefix string) *unionpay.FrontOpenRequest {
	return &unionpay.FrontOpenRequest{OrderID: e.order(prefix), BizType: unionpay.BizTypeToken,
		TokenRequestorID: "62000000001", FrontURL: "https://merchant.example/return", BackURL: e.inbox.URL(),
		AccNo: unionpaytest.TestCard}
}

func (e *e2e) followUp(orderID, origQueryID string, amount int64) *unionpay.FollowUpRequest {
	return &unionpay.FollowUpRequest{OrderID: orderID, OrigQueryID: origQueryID, Amount: amount, BackURL: e.inbox.URL()}
}

// paid runs a front form through the cashier and returns the succeeded transaction.
func (e *e2e) paid(t *testing.T, form *unionpay.Form) *unionpay.Transaction {
	t.Helper()
	ctx := context.Background()
	// What the browser would submit: the fields as rendered in the page, entities decoded.
	submitted := sign.Fields{}
	for _, m := range inputRE.FindAllStringSubmatch(string(form.HTML()), -1) {
		submitted[html.UnescapeString(m[1])] = html.UnescapeString(m[2])
	}
	require.Len(t, submitted, len(form.Fields))
	front, err := e.srv.Pay(ctx, submitted, "")
	require.NoError(t, err)
	assert.Equal(t, "00", front["respCode"])
	tx, err := e.c.Query(ctx, &unionpay.QueryRequest{OrderID: form.OrderID, TxnTime: form.TxnTime})
	require.NoError(t, err)
	require.Equal(t, unionpay.Succeeded, tx.State)
	return tx
}

func TestE2EFrontConsumeThenCancelAndRefund(t *testing.T) {
	t.Parallel()
	e := newE2E(t)
	ctx := context.Background()
	for _, ch := range []unionpay.Channel{unionpay.ChannelPC, unionpay.ChannelMobile} {
		r := e.consumeReq(e.order("PAY"), 1000)
		r.Channel = ch
		form, err := e.c.FrontConsume(r)
		require.NoError(t, err)
		tx := e.paid(t, form)
		assert.Equal(t, int64(1000), tx.Amount)
		assert.Equal(t, "01", tx.TxnType)
		n := e.inbox.wait(t, form.OrderID)
		assert.Equal(t, "00", n["respCode"])
		v, err := e.srv.NotifyVerifier()
		require.NoError(t, err)
		_, err = v.Verify(n)
		require.NoError(t, err, "the backUrl notification verifies")

		if ch == unionpay.ChannelPC {
			res, err := e.c.CancelConsume(ctx, e.followUp(e.order("CXL"), tx.QueryID, 1000))
			require.NoError(t, err)
			assert.Equal(t, "00", res.RespCode)
			continue
		}
		// Partial and repeated refunds, then one too many.
		for _, amount := range []int64{300, 700} {
			_, err := e.c.Refund(ctx, e.followUp(e.order("REF"), tx.QueryID, amount))
			require.NoError(t, err)
		}
		_, err = e.c.Refund(ctx, e.followUp(e.order("REF"), tx.QueryID, 1))
		var ue *unionpay.Error
		require.ErrorAs(t, err, &ue, "refunds beyond the original amount are rejected")
	}
}

func TestE2EPreAuth(t *testing.T) {
	t.Parallel()
	e := newE2E(t)
	ctx := context.Background()
	form, err := e.c.FrontPreAuth(e.consumeReq(e.order("AUTH"), 1000))
	require.NoError(t, err)
	auth := e.paid(t, form)
	assert.Equal(t, "02", auth.TxnType)

	comp, err := e.c.CompletePreAuth(ctx, e.followUp(e.order("COMP"), auth.QueryID, 1150))
	require.NoError(t, err, "completion up to 115%%")
	ctx2, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	done, err := e.c.Query(ctx2, &unionpay.QueryRequest{OrderID: comp.OrderID, TxnTime: comp.TxnTime})
	require.NoError(t, err)
	assert.Equal(t, unionpay.Succeeded, done.State)
	_, err = e.c.CancelPreAuthCompletion(ctx, e.followUp(e.order("CCXL"), comp.QueryID, 1150))
	require.NoError(t, err)

	form2, err := e.c.FrontPreAuth(e.consumeReq(e.order("AUTH"), 500))
	require.NoError(t, err)
	auth2 := e.paid(t, form2)
	_, err = e.c.CancelPreAuth(ctx, e.followUp(e.order("ACXL"), auth2.QueryID, 500))
	require.NoError(t, err)
	_, err = e.c.CompletePreAuth(ctx, e.followUp(e.order("COMP"), auth2.QueryID, 600))
	var ue *unionpay.Error
	require.ErrorAs(t, err, &ue, "completion of a cancelled or over-limit pre-auth is rejected")
}

func TestE2EAppConsume(t *testing.T) {
	t.Parallel()
	e := newE2E(t)
	ctx := context.Background()
	r := e.consumeReq(e.order("APP"), 2000)
	r.FrontURL = ""
	res, err := e.c.AppConsume(ctx, r)
	require.NoError(t, err)
	require.NotEmpty(t, res.TN)
	tx, err := e.c.Query(ctx, &unionpay.QueryRequest{OrderID: res.OrderID, TxnTime: res.TxnTime})
	require.NoError(t, err)
	assert.NotEqual(t, unionpay.Succeeded, tx.State, "not paid yet")
	code, err := e.srv.Complete(res.OrderID, "")
	require.NoError(t, err)
	assert.Equal(t, "00", code)
	tx, err = e.c.Query(ctx, &unionpay.QueryRequest{OrderID: res.OrderID, TxnTime: res.TxnTime})
	require.NoError(t, err)
	assert.Equal(t, unionpay.Succeeded, tx.State)
}

func (e *e2e) card(orderID string, amount int64) *unionpay.CardRequest {
	return &unionpay.CardRequest{OrderID: orderID, Amount: amount, BackURL: e.inbox.URL(), AccNo: unionpaytest.TestCard,
		Customer: &unionpay.Customer{IDType: "01", IDNumber: "341126197709218366", Name: "互联网",
			Phone: "13552535506", SMSCode: "123456", PIN: "111111"}}
}

func TestE2ECardTransactions(t *testing.T) {
	t.Parallel()
	e := newE2E(t)
	ctx := context.Background()
	for _, op := range []struct {
		name string
		do   func(context.Context, *unionpay.CardRequest) (*unionpay.Result, error)
	}{
		{"back consume", e.c.BackConsume}, {"collection", e.c.Collect}, {"payout", e.c.Payout},
	} {
		t.Run(op.name, func(t *testing.T) {
			res, err := op.do(ctx, e.card(e.order("CARD"), 1234))
			require.NoError(t, err)
			require.NotEmpty(t, res.QueryID)
			tx, err := e.c.QueryUntilFinal(ctx, &unionpay.QueryRequest{OrderID: res.OrderID, TxnTime: res.TxnTime},
				unionpay.Backoff{Delays: []time.Duration{0, 0, 0}})
			require.NoError(t, err)
			assert.Equal(t, unionpay.Succeeded, tx.State)
			assert.Equal(t, int64(1234), tx.Amount)
		})
	}
	for _, op := range []struct {
		name string
		do   func(context.Context, *unionpay.AccountRequest) (*unionpay.Result, error)
	}{
		{"real-name auth", e.c.RealNameAuth}, {"sms", e.c.SendSMS}, {"open", func(ctx context.Context, r *unionpay.AccountRequest) (*unionpay.Result, error) {
			return openCardResult(e.c, ctx, r)
		}},
	} {
		t.Run(op.name, func(t *testing.T) {
			res, err := op.do(ctx, &unionpay.AccountRequest{OrderID: e.order("ACCT"), AccNo: unionpaytest.TestCard,
				Customer: &unionpay.Customer{IDType: "01", IDNumber: "341126197709218366", Name: "互联网", Phone: "13552535506"}})
			require.NoError(t, err)
			assert.Equal(t, "00", res.RespCode)
		})
	}
}

// TestE2EPlainCardData runs card transactions of a merchant without the permission to encrypt
// sensitive data against the fake gateway, with and without a PIN.
func TestE2EPlainCardData(t *testing.T) {
	t.Parallel()
	e := newE2E(t)
	ctx := context.Background()
	c := e.client(t, func(cfg *unionpay.Config) { cfg.PlainCardData = true })
	for _, pin := range []string{"111111", ""} {
		r := e.card(e.order("PLAIN"), 500)
		r.Customer.PIN = pin
		res, err := c.Collect(ctx, r)
		require.NoError(t, err, "PIN %q", pin)
		tx, err := c.Query(ctx, &unionpay.QueryRequest{OrderID: res.OrderID, TxnTime: res.TxnTime})
		require.NoError(t, err)
		assert.Equal(t, unionpay.Succeeded, tx.State)
	}
}

func TestE2EQueryNotFoundAndUntilFinal(t *testing.T) {
	t.Parallel()
	e := newE2E(t)
	ctx := context.Background()
	tx, err := e.c.Query(ctx, &unionpay.QueryRequest{OrderID: "NEVERSENT0001", TxnTime: e.srv.Now()})
	require.NoError(t, err)
	assert.Equal(t, unionpay.NotFound, tx.State)

	// Accepted, then pending for two queries, then succeeded.
	id := e.order("SLOW")
	e.srv.Script(id, unionpaytest.Succeed, unionpaytest.Pending, unionpaytest.Pending, unionpaytest.Succeed)
	res, err := e.c.Payout(ctx, e.card(id, 100))
	require.NoError(t, err)
	var sl sleeps
	c := e.client(t, func(cfg *unionpay.Config) { cfg.Sleep = sl.sleep })
	tx, err = c.QueryUntilFinal(ctx, &unionpay.QueryRequest{OrderID: id, TxnTime: res.TxnTime}, unionpay.BackBackoff())
	require.NoError(t, err)
	assert.Equal(t, unionpay.Succeeded, tx.State)
	assert.Equal(t, []time.Duration{time.Second, 2 * time.Second, 4 * time.Second}, sl.d)

	// Pending for longer than the schedule.
	id = e.order("STUCK")
	e.srv.Script(id, unionpaytest.Pending)
	_, err = e.c.Payout(ctx, e.card(id, 100))
	var pe *unionpay.PendingError
	require.ErrorAs(t, err, &pe)
	tx, err = c.QueryUntilFinal(ctx, &unionpay.QueryRequest{OrderID: pe.OrderID, TxnTime: pe.TxnTime}, unionpay.BackBackoff())
	require.ErrorIs(t, err, unionpay.ErrPending)
	require.NotNil(t, tx)
	assert.Equal(t, unionpay.Pending, tx.State)
	assert.Equal(t, id, tx.OrderID)
}

// client returns another client for the same gateway, with edits.
func (e *e2e) client(t *testing.T, edit ...func(*unionpay.Config)) *unionpay.Client {
	t.Helper()
	cfg := gatewayConfig(t, e.srv)
	for _, ed := range edit {
		ed(&cfg)
	}
	c, err := unionpay.NewClient(cfg)
	require.NoError(t, err)
	return c
}

func TestE2EEncryptionCertificateRotation(t *testing.T) {
	t.Parallel()
	e := newE2E(t)
	ctx := context.Background()
	updated, err := e.c.UpdateEncryptionCertificate(ctx)
	require.NoError(t, err)
	assert.False(t, updated, "the configured certificate is current")

	require.NoError(t, e.srv.RotateEncryptionCert())
	before := e.c.Encrypter().CertID()
	updated, err = e.c.UpdateEncryptionCertificate(ctx)
	require.NoError(t, err)
	assert.True(t, updated)
	assert.NotEqual(t, before, e.c.Encrypter().CertID())
	assert.Equal(t, unionpaytestCertID(e.srv), e.c.Encrypter().CertID())
	_, err = e.c.Collect(ctx, e.card(e.order("ROT"), 100))
	require.NoError(t, err, "the gateway decrypts with the new certificate")
}

func unionpaytestCertID(srv *unionpaytest.Server) string {
	return srv.EncryptionCertificate().SerialNumber.String()
}

func TestE2EFileDownloadAndBatch(t *testing.T) {
	t.Parallel()
	e := newE2E(t)
	ctx := context.Background()
	form, err := e.c.FrontConsume(e.consumeReq(e.order("PAY"), 1000))
	require.NoError(t, err)
	e.paid(t, form)

	f, err := e.c.DownloadFile(ctx, &unionpay.FileRequest{SettleDate: e.srv.Now()})
	require.NoError(t, err)
	assert.NotEmpty(t, f.Name)
	zr, err := zip.NewReader(bytes.NewReader(f.Content), int64(len(f.Content)))
	require.NoError(t, err, "the settlement file is a zip")
	assert.NotEmpty(t, zr.File)

	b, err := e.c.SubmitBatch(ctx, &unionpay.BatchRequest{Type: unionpay.BatchPayout, BatchNo: "0001",
		Records: []unionpay.BatchRecord{
			{OrderID: e.order("BAT"), Amount: 100, AccType: "01", AccNo: unionpaytest.TestCard, CustomerName: "互联网"},
			{OrderID: e.order("BAT"), Amount: 200, AccType: "01", AccNo: unionpaytest.TestCard, CustomerName: "全渠道"},
		}})
	require.NoError(t, err)
	assert.Equal(t, 2, b.TotalQty)
	st, err := e.c.QueryBatch(ctx, &unionpay.BatchQueryRequest{Type: unionpay.BatchPayout, BatchNo: "0001", TxnTime: b.TxnTime})
	if err == nil {
		assert.NotEmpty(t, st.File)
	} else {
		require.ErrorIs(t, err, unionpay.ErrPending)
	}
}

// TestE2EFaults drives a refund (money-moving) and a query (not) through every response fault
// of the gateway, and checks the outcome class, then that a pending outcome can be settled by
// querying with what the PendingError carries.
func TestE2EFaults(t *testing.T) {
	t.Parallel()
	type class int
	const (
		pending class = iota
		rejected
		unverified
		plain
	)
	tests := []struct {
		name       string
		fault      unionpaytest.Fault
		script     unionpaytest.Outcome
		refund     class
		query      class
		tookEffect bool // the refund exists afterwards (the answer alone was lost)
	}{
		{"5xx", unionpaytest.Fault5xx, "", pending, plain, false},
		{"drop", unionpaytest.FaultDrop, "", pending, plain, true},
		{"truncate", unionpaytest.FaultTruncate, "", pending, plain, true},
		{"delay", unionpaytest.FaultDelay, "", pending, plain, true},
		{"wrong key", unionpaytest.FaultWrongKey, "", unverified, unverified, true},
		{"expired cert", unionpaytest.FaultExpiredCert, "", unverified, unverified, true},
		{"wrong name", unionpaytest.FaultWrongName, "", unverified, unverified, true},
		{"pending 05", unionpaytest.FaultNone, unionpaytest.Pending, pending, -1, true},
		{"declined 64", unionpaytest.FaultNone, unionpaytest.NoBalance, rejected, -1, false},
	}
	e := newE2E(t, unionpaytest.WithFaultDelay(5*time.Second))
	c := e.client(t, func(cfg *unionpay.Config) { cfg.HTTPClient.Timeout = time.Second })
	ctx := context.Background()
	form, err := e.c.FrontConsume(e.consumeReq(e.order("PAY"), 100000))
	require.NoError(t, err)
	paid := e.paid(t, form)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			id := e.order("FLT")
			if tt.fault != unionpaytest.FaultNone {
				e.srv.FailOrder(id, tt.fault)
			}
			if tt.script != "" {
				e.srv.Script(id, tt.script)
			}
			_, err := c.Refund(ctx, e.followUp(id, paid.QueryID, 10))
			assertClass(t, err, tt.refund, pending, rejected, unverified)
			if tt.refund == unverified {
				assert.ErrorIs(t, err, unionpay.ErrPending, "an unverified answer to a refund: its outcome is unknown")
			}
			if pe, ok := errors.AsType[*unionpay.PendingError](err); ok {
				assert.Equal(t, id, pe.OrderID)
				tx, err := e.c.Query(ctx, &unionpay.QueryRequest{OrderID: pe.OrderID, TxnTime: pe.TxnTime})
				require.NoError(t, err)
				if tt.tookEffect {
					assert.NotEqual(t, unionpay.NotFound, tx.State, "the refund exists")
				} else {
					assert.Equal(t, unionpay.NotFound, tx.State, "the refund never happened")
				}
			}
			if tt.query < 0 {
				return
			}
			e.srv.FailOrder(form.OrderID, tt.fault)
			_, err = c.Query(ctx, &unionpay.QueryRequest{OrderID: form.OrderID, TxnTime: form.TxnTime})
			assertClass(t, err, tt.query, pending, rejected, unverified)
			if tt.query == unverified {
				assert.NotErrorIs(t, err, unionpay.ErrPending, "a query moves no money")
			}
			if tt.query == plain {
				require.Error(t, err)
				assert.NotErrorIs(t, err, unionpay.ErrPending, "a query moves no money")
				assert.NotErrorIs(t, err, unionpay.ErrUnverified)
			}
		})
	}
}

func assertClass[C comparable](t *testing.T, err error, got, pending, rejected, unverified C) {
	t.Helper()
	switch got {
	case pending:
		require.ErrorIs(t, err, unionpay.ErrPending)
		assert.NotErrorIs(t, err, unionpay.ErrUnverified)
	case rejected:
		var ue *unionpay.Error
		require.ErrorAs(t, err, &ue)
		assert.NotErrorIs(t, err, unionpay.ErrPending)
	case unverified:
		require.ErrorIs(t, err, unionpay.ErrUnverified)
	}
}

// TestE2EMethodsAndCharsets runs a payout and its query with every signing method and version
// the gateway supports, in UTF-8 and GBK: the gateway verifies the request, answers signed in
// kind, and the client verifies that.
func TestE2EMethodsAndCharsets(t *testing.T) {
	t.Parallel()
	key := []byte("88888888")
	tests := []struct {
		name     string
		version  string
		method   string // "" = the merchant's RSA certificate
		encoding string
	}{
		{"5.1.0 RSA", sign.Version510, "", ""},
		{"5.0.0 RSA", sign.Version500, "", ""},
		{"5.1.0 RSA GBK", sign.Version510, "", "GBK"},
		{"secure key 11", sign.Version510, sign.MethodSHA256Key, ""},
		{"secure key 12 GBK", sign.Version510, sign.MethodSM3Key, "GBK"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := newE2E(t, unionpaytest.WithSecureKey(key))
			c := e.client(t, func(cfg *unionpay.Config) {
				cfg.Version, cfg.Encoding = tt.version, tt.encoding
				if tt.method != "" {
					s, err := sign.NewSecureKeySigner(tt.method, key)
					require.NoError(t, err)
					cfg.Signer = s
				}
			})
			ctx := context.Background()
			r := e.card(e.order("M"), 321)
			r.Customer.Name, r.ReqReserved = "张三", "备注"
			res, err := c.Payout(ctx, r)
			require.NoError(t, err)
			assert.Equal(t, tt.version, res.Raw["version"])
			tx, err := c.Query(ctx, &unionpay.QueryRequest{OrderID: res.OrderID, TxnTime: res.TxnTime})
			require.NoError(t, err)
			assert.Equal(t, int64(321), tx.Amount)
			assert.Equal(t, "备注", tx.Raw["reqReserved"])
		})
	}
}

// TestE2EResendAfterLostAnswer: a refund whose answer was lost took effect; sent again under the
// same orderId and txnTime it is answered 12 (duplicate), which must read as pending, not as a
// refusal inviting a new orderId (a second refund). The same holds for a batch sent again.
func TestE2EResendAfterLostAnswer(t *testing.T) {
	t.Parallel()
	e := newE2E(t)
	ctx := context.Background()
	form, err := e.c.FrontConsume(e.consumeReq(e.order("PAY"), 1000))
	require.NoError(t, err)
	tx := e.paid(t, form)

	req := e.followUp(e.order("REF"), tx.QueryID, 1000)
	req.TxnTime = e.srv.Now()
	e.srv.FailOrder(req.OrderID, unionpaytest.FaultDrop) // the refund goes through, its answer is lost
	_, err = e.c.Refund(ctx, req)
	require.ErrorIs(t, err, unionpay.ErrPending)
	_, err = e.c.Refund(ctx, req)
	require.ErrorIs(t, err, unionpay.ErrPending)
	var pe *unionpay.PendingError
	require.ErrorAs(t, err, &pe)
	assert.Equal(t, "12", pe.RespCode)
	q, err := e.c.Query(ctx, &unionpay.QueryRequest{OrderID: req.OrderID, TxnTime: req.TxnTime})
	require.NoError(t, err)
	assert.Equal(t, unionpay.Succeeded, q.State, "the first copy went through")

	recs := []unionpay.BatchRecord{{OrderID: e.order("BAT"), Amount: 100, AccType: "01", AccNo: unionpaytest.TestCard, CustomerName: "x"}}
	batch := &unionpay.BatchRequest{Type: unionpay.BatchPayout, BatchNo: "0003", Records: recs, TxnTime: e.srv.Now()}
	e.srv.FailEndpoint(unionpaytest.EndpointBatch, unionpaytest.FaultDrop)
	_, err = e.c.SubmitBatch(ctx, batch)
	require.ErrorIs(t, err, unionpay.ErrPending)
	_, err = e.c.SubmitBatch(ctx, batch)
	require.ErrorIs(t, err, unionpay.ErrPending)
	require.ErrorAs(t, err, &pe)
	assert.Equal(t, "12", pe.RespCode)
}

// TestE2EQueryByQueryIDLater queries a payment by its queryId alone, later than its txnTime: the
// answer carries the payment's own txnTime.
func TestE2EQueryByQueryIDLater(t *testing.T) {
	t.Parallel()
	var skew atomic.Int64
	e := newE2E(t, unionpaytest.WithClock(func() time.Time { return time.Now().Add(time.Duration(skew.Load())) }))
	form, err := e.c.FrontConsume(e.consumeReq(e.order("PAY"), 1000))
	require.NoError(t, err)
	tx := e.paid(t, form)
	skew.Store(int64(5 * time.Minute))
	c := e.client(t, func(cfg *unionpay.Config) { cfg.Now = e.srv.Now })
	q, err := c.Query(context.Background(), &unionpay.QueryRequest{QueryID: tx.QueryID})
	require.NoError(t, err)
	assert.Equal(t, unionpay.Succeeded, q.State)
	assert.Equal(t, form.OrderID, q.OrderID)
	assert.True(t, q.TxnTime.Equal(form.TxnTime), "the payment's own txnTime")
}
