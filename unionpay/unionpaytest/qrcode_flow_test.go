package unionpaytest_test

import (
	"context"
	"errors"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/notify"
	"github.com/goacp/unionpay/reconcile"
	"github.com/goacp/unionpay/sign"
	"github.com/goacp/unionpay/unionpay"
	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

// qrNotifications is a merchant's backUrl: notify.Handler, and the notifications it accepted.
type qrNotifications struct {
	url  string
	got  chan *notify.Notification
	seen map[string]*notify.Notification // by orderId, the first of each, as wait took them
}

func newQRNotifications(t *testing.T, srv *unionpaytest.Server) *qrNotifications {
	t.Helper()
	v, err := srv.NotifyVerifier()
	require.NoError(t, err)
	q := &qrNotifications{got: make(chan *notify.Notification, 16), seen: map[string]*notify.Notification{}}
	hs := httptest.NewServer(&notify.Handler{Verifier: v, OnNotify: func(_ context.Context, n *notify.Notification) error {
		q.got <- n
		return nil
	}})
	t.Cleanup(hs.Close)
	q.url = hs.URL + "/notify"
	return q
}

// wait returns the first accepted notification of orderID, keeping the others' for later.
func (q *qrNotifications) wait(t *testing.T, orderID string) *notify.Notification {
	t.Helper()
	deadline := time.After(20 * time.Second)
	for {
		if n := q.seen[orderID]; n != nil {
			return n
		}
		select {
		case n := <-q.got:
			if q.seen[n.OrderID] == nil {
				q.seen[n.OrderID] = n
			}
		case <-deadline:
			t.Fatalf("no notification for %s", orderID)
			return nil
		}
	}
}

// TestQRCodeFlowNotifiedQueriedReconciled runs both QR-code payments as a merchant in production
// would: 主扫 (ApplyQRCode, the payer pays the code) and 被扫 (QRConsume, accepted only), each
// learnt from notify.Handler with what the merchant books (orderId, txnTime, amount, queryId,
// settleDate, txnSubType, bizType 000000, the payer's card for the code), confirmed by Query,
// then a refund of the consume by code under BizTypeQRCode; the day's settlement file, read by
// package reconcile, matches the three orders.
func TestQRCodeFlowNotifiedQueriedReconciled(t *testing.T) {
	t.Parallel()
	srv, c, c0 := clientGateway(t, unionpaytest.WithReporter(t))
	ctx := context.Background()
	in := newQRNotifications(t, srv)
	day := unionpay.SettleDay(c0.Now())
	var orders []reconcile.Order
	book := func(n *notify.Notification) {
		orders = append(orders, reconcile.Order{OrderID: n.OrderID, TxnTime: n.TxnTime, Amount: n.TxnAmt,
			TxnType: n.TxnType, State: reconcile.StateSucceeded})
	}

	applyTime := c0.Now()
	applied, err := c.ApplyQRCode(ctx, &unionpay.QRCodeRequest{OrderID: "QRFLOWAP1", TxnTime: applyTime, Amount: 1234,
		BackURL: in.url})
	require.NoError(t, err)
	tx, err := c.Query(ctx, &unionpay.QueryRequest{OrderID: "QRFLOWAP1", TxnTime: applyTime})
	require.NoError(t, err)
	assert.Equal(t, unionpay.NotFound, tx.State, "unpaid code")
	code, err := srv.PayQRCode(applied.QRCode, "")
	require.NoError(t, err)
	require.Equal(t, "00", code)

	consumeTime := c0.Now()
	consumed, err := c.QRConsume(ctx, &unionpay.QRConsumeRequest{OrderID: "QRFLOWCO1", TxnTime: consumeTime, Amount: 500,
		QRNo: "6225880012345678901", TermID: "T0000001", BackURL: in.url})
	require.NoError(t, err, "accepted, not yet known paid")

	for _, tt := range []struct {
		orderID string
		txnTime time.Time
		amount  int64
		subType string
		card    bool // the notification names the payer's card (encrypted)
	}{
		{"QRFLOWAP1", applyTime, 1234, unionpay.QRSubTypeApply, true},
		{"QRFLOWCO1", consumeTime, 500, unionpay.QRSubTypeConsume, false},
	} {
		n := in.wait(t, tt.orderID)
		assert.Equal(t, notify.Succeeded, n.Status(), tt.orderID)
		assert.Equal(t, "01", n.TxnType, tt.orderID)
		assert.Equal(t, tt.subType, n.TxnSubType, tt.orderID)
		assert.Equal(t, unionpay.BizTypeQRCode, n.BizType, tt.orderID)
		assert.True(t, tt.txnTime.Equal(n.TxnTime), tt.orderID)
		assert.Equal(t, tt.amount, n.TxnAmt, tt.orderID)
		assert.NotEmpty(t, n.QueryID, tt.orderID)
		if tt.orderID == consumed.OrderID {
			assert.Equal(t, consumed.QueryID, n.QueryID)
		}
		assert.Equal(t, day.Format("0102"), n.SettleDate, tt.orderID)
		assert.Equal(t, tt.card, n.AccNo != "", tt.orderID)
		book(n)

		tx, err := c.Query(ctx, &unionpay.QueryRequest{OrderID: tt.orderID, TxnTime: tt.txnTime, TxnType: "01",
			Amount: tt.amount})
		require.NoError(t, err, tt.orderID)
		assert.Equal(t, unionpay.Succeeded, tx.State, tt.orderID)
		assert.Equal(t, n.QueryID, tx.QueryID, tt.orderID)
		assert.Equal(t, tt.subType, tx.TxnSubType, tt.orderID)
		assert.Equal(t, n.SettleDate, tx.SettleDate, tt.orderID)
	}
	origQueryID := consumed.QueryID // the accepted consume's, which its notification and query gave too
	require.NotEmpty(t, origQueryID)

	refundTime := c0.Now()
	_, err = c.Refund(ctx, &unionpay.FollowUpRequest{OrderID: "QRFLOWRF1", TxnTime: refundTime, OrigQueryID: origQueryID,
		Amount: 200, BackURL: in.url, BizType: unionpay.BizTypeQRCode})
	require.NoError(t, err)
	n := in.wait(t, "QRFLOWRF1")
	assert.Equal(t, notify.Succeeded, n.Status())
	assert.Equal(t, "04", n.TxnType)
	assert.Equal(t, origQueryID, n.OrigQueryID)
	book(n)

	f, err := c.DownloadFile(ctx, &unionpay.FileRequest{SettleDate: day})
	require.NoError(t, err)
	archive, err := reconcile.Open(f.Content)
	require.NoError(t, err)
	matched := map[string]reconcile.Class{}
	for r, err := range reconcile.Match(archive.Records(day, c.MerchantID()), reconcile.Orders(orders)) {
		require.NoError(t, err)
		matched[r.Order.OrderID+r.Record.OrderID] = r.Class
	}
	assert.Equal(t, map[string]reconcile.Class{"QRFLOWAP1QRFLOWAP1": reconcile.Matched,
		"QRFLOWCO1QRFLOWCO1": reconcile.Matched, "QRFLOWRF1QRFLOWRF1": reconcile.Matched}, matched)
}

// TestQRCodeUnknownOutcomes: an answer lost after the gateway acted (a dropped connection) or
// one that does not verify leaves both QR calls pending (ErrPending; ErrUnverified too for the
// latter), never a plain failure: the application created an order that a resend under the
// same orderId finds (12, pending), the consume by code moved money that a query then finds.
func TestQRCodeUnknownOutcomes(t *testing.T) {
	t.Parallel()
	for _, fault := range []unionpaytest.Fault{unionpaytest.FaultDrop, unionpaytest.FaultWrongKey} {
		t.Run(fault.String(), func(t *testing.T) {
			t.Parallel()
			srv, c, c0 := clientGateway(t, unionpaytest.WithReporter(t))
			ctx := context.Background()

			apply := &unionpay.QRCodeRequest{OrderID: "QRLOSTAP1", TxnTime: c0.Now(), Amount: 100,
				BackURL: "https://shop.example/notify"}
			srv.FailOrder(apply.OrderID, fault)
			_, err := c.ApplyQRCode(ctx, apply)
			require.ErrorIs(t, err, unionpay.ErrPending)
			assert.Equal(t, fault == unionpaytest.FaultWrongKey, errors.Is(err, unionpay.ErrUnverified), "%v", err)
			_, err = c.ApplyQRCode(ctx, apply) // a resend: the order exists
			var pe *unionpay.PendingError
			require.ErrorAs(t, err, &pe)
			assert.Equal(t, "12", pe.RespCode)

			consume := &unionpay.QRConsumeRequest{OrderID: "QRLOSTCO1", TxnTime: c0.Now(), Amount: 100,
				QRNo: "6225880012345678901", TermID: "T0000001", BackURL: "https://shop.example/notify"}
			srv.FailOrder(consume.OrderID, fault)
			_, err = c.QRConsume(ctx, consume)
			require.ErrorAs(t, err, &pe)
			assert.Equal(t, consume.OrderID, pe.OrderID)
			assert.True(t, consume.TxnTime.Equal(pe.TxnTime))
			assert.Equal(t, fault == unionpaytest.FaultWrongKey, errors.Is(err, unionpay.ErrUnverified), "%v", err)
			tx, err := c.Query(ctx, &unionpay.QueryRequest{OrderID: pe.OrderID, TxnTime: pe.TxnTime})
			require.NoError(t, err)
			assert.Equal(t, unionpay.Succeeded, tx.State, "the gateway acted")
		})
	}
}

// TestQRCodeApplySchedule: the payer of an applied code pays when they choose, and may pay
// again after a declined attempt, as at a front cashier. BackBackoff ends on that decline as a
// final failure, and the payer then pays: so ApplyQRCode's doc points to FrontBackoff with the
// payTimeout sent in Extra, which keeps a decline pending until the payTimeout (and then sees
// the payment), and ends an abandoned code final only after it (the code no longer pays).
func TestQRCodeApplySchedule(t *testing.T) {
	t.Parallel()
	srv, _, c0 := clientGateway(t, unionpaytest.WithReporter(t))
	ctx := context.Background()
	cfg := srv.Config()
	var onSleep func()
	cfg.Sleep = func(ctx context.Context, d time.Duration) error {
		c0.Advance(d)
		if onSleep != nil {
			onSleep()
		}
		return ctx.Err()
	}
	c, err := unionpay.NewClient(cfg)
	require.NoError(t, err)
	const payWindow = 10 * time.Minute
	apply := func(orderID string) (*unionpay.QRCodeResult, unionpay.Backoff) {
		t.Helper()
		txnTime := c0.Now()
		payTimeout := txnTime.Add(payWindow)
		res, err := c.ApplyQRCode(ctx, &unionpay.QRCodeRequest{OrderID: orderID, TxnTime: txnTime, Amount: 100,
			BackURL: "https://shop.example/notify", Extra: sign.Fields{"payTimeout": payTimeout.Format("20060102150405")}})
		require.NoError(t, err)
		b := unionpay.FrontBackoff()
		b.PayTimeout = payTimeout
		return res, b
	}
	query := func(res *unionpay.QRCodeResult) *unionpay.QueryRequest {
		return &unionpay.QueryRequest{OrderID: res.OrderID, TxnTime: res.TxnTime, TxnType: "01", Amount: 100}
	}

	// BackBackoff: the decline reads final, and the payer then pays the code.
	res, _ := apply("QRSCHED01")
	code, err := srv.PayQRCode(res.QRCode, unionpaytest.DeclinedCard)
	require.NoError(t, err)
	require.Equal(t, unionpaytest.CodeDeclined, code)
	tx, err := c.QueryUntilFinal(ctx, query(res), unionpay.BackBackoff())
	require.NoError(t, err, "BackBackoff ends on the decline")
	assert.Equal(t, unionpay.Failed, tx.State)
	code, err = srv.PayQRCode(res.QRCode, "")
	require.NoError(t, err)
	assert.Equal(t, "00", code, "paid after BackBackoff called it failed")

	// FrontBackoff with the payTimeout: the decline stays pending, and the payment is seen.
	res, b := apply("QRSCHED02")
	code, err = srv.PayQRCode(res.QRCode, unionpaytest.DeclinedCard)
	require.NoError(t, err)
	require.Equal(t, unionpaytest.CodeDeclined, code)
	onSleep = func() {
		if c0.Now().Sub(res.TxnTime) >= 10*time.Minute-time.Second {
			_, _ = srv.PayQRCode(res.QRCode, "")
		}
	}
	tx, err = c.QueryUntilFinal(ctx, query(res), b)
	onSleep = nil
	require.NoError(t, err)
	assert.Equal(t, unionpay.Succeeded, tx.State)

	// An abandoned code: final only after its payTimeout, when it no longer pays.
	res, b = apply("QRSCHED03")
	tx, err = c.QueryUntilFinal(ctx, query(res), b)
	require.NoError(t, err)
	assert.Equal(t, unionpay.NotFound, tx.State)
	assert.True(t, c0.Now().After(b.PayTimeout.Add(unionpay.PayTimeoutSkew)))
	code, err = srv.PayQRCode(res.QRCode, "")
	require.Error(t, err, "past its payTimeout")
	assert.Equal(t, unionpaytest.CodeExpired, code)
}
