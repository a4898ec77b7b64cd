package unionpaytest_test

import (
	"context"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/notify"
	"github.com/goacp/unionpay/unionpay"
	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

// notifications is a shop's notify.Handler that keeps each verified notification by orderId.
type notifications struct {
	mu  sync.Mutex
	got map[string]*notify.Notification
	url string
}

func newNotifications(t *testing.T, srv *unionpaytest.Server) *notifications {
	t.Helper()
	v, err := srv.NotifyVerifier()
	require.NoError(t, err)
	in := &notifications{got: map[string]*notify.Notification{}}
	shop := httptest.NewServer(&notify.Handler{Verifier: v, OnNotify: func(_ context.Context, n *notify.Notification) error {
		in.mu.Lock()
		defer in.mu.Unlock()
		in.got[n.OrderID] = n
		return nil
	}})
	t.Cleanup(shop.Close)
	in.url = shop.URL + "/notify"
	return in
}

// of waits for the gateway's notifications, then returns orderID's.
func (in *notifications) of(t *testing.T, srv *unionpaytest.Server, orderID string) *notify.Notification {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	require.NoError(t, srv.WaitNotifications(ctx))
	in.mu.Lock()
	defer in.mu.Unlock()
	n := in.got[orderID]
	require.NotNil(t, n, "notified of %s", orderID)
	return n
}

// TestFollowUpOnGateway: on the fake gateway, a payment is made, its notification received, and the
// refund, cancel or completion built from it by Client.FollowUpOn goes through and succeeds, under
// the payment's bizType (a QR payment's 000000, which the gateway refuses a refund without) and
// with the shop's sub-merchant, which the platform's other shop cannot use: FollowUpOn refuses it
// before anything is sent.
func TestFollowUpOnGateway(t *testing.T) {
	t.Parallel()
	shopA := unionpay.SubMerchant{ID: "898111100000001", Name: "甲店有限公司", Abbr: "甲店"}
	shopB := unionpay.SubMerchant{ID: "898111100000002", Name: "乙店有限公司", Abbr: "乙店"}
	tests := []struct {
		name    string
		payment string                // "app", "preauth" or "qr"
		shop    *unionpay.SubMerchant // the paying Client's sub-merchant, nil: a direct merchant
		other   *unionpay.SubMerchant // the follow-up's Client's, when not the payment's
		op      string                // "refund", "cancel" or "complete"
		amount  int64                 // the follow-up's; 0: the whole amount
		sent    int64                 // the txnAmt the follow-up is to send
		biz     string                // the bizType it is to send
		refused string                // the RequestError's Field, "": built and succeeds
	}{
		{name: "app consume, full refund", payment: "app", op: "refund", sent: 1000, biz: "000201"},
		{name: "app consume, partial refund", payment: "app", op: "refund", amount: 300, sent: 300, biz: "000201"},
		{name: "app consume, cancel", payment: "app", op: "cancel", sent: 1000, biz: "000201"},
		{name: "QR payment, refund", payment: "qr", op: "refund", sent: 1000, biz: unionpay.BizTypeQRCode},
		{name: "QR payment, cancel", payment: "qr", op: "cancel", sent: 1000, biz: unionpay.BizTypeQRCode},
		{name: "pre-authorisation, completion at 115%", payment: "preauth", op: "complete", amount: 1150, sent: 1150, biz: "000201"},
		{name: "platform shop, refund", payment: "app", shop: &shopA, op: "refund", amount: 100, sent: 100, biz: "000201"},
		{name: "platform shop, another shop's Client", payment: "app", shop: &shopA, other: &shopB, op: "refund",
			refused: "Notification.SubMerID"},
		{name: "platform shop, the platform's Client without it", payment: "app", shop: &shopA, other: &unionpay.SubMerchant{},
			op: "refund", refused: "Notification.SubMerID"},
		{name: "refund above the payment", payment: "app", op: "refund", amount: 1001, refused: "amount"},
		{name: "completion above 115%", payment: "preauth", op: "complete", amount: 1151, refused: "amount"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv, _, clk := clientGateway(t, unionpaytest.WithReporter(t))
			in := newNotifications(t, srv)
			client := func(s *unionpay.SubMerchant) *unionpay.Client {
				if s == nil {
					return platformShop(t, srv, "", "")
				}
				cfg := srv.Config()
				cfg.AccessType, cfg.SubMerchant = unionpay.AccessPlatform, *s
				if *s == (unionpay.SubMerchant{}) { // the platform as a direct merchant
					cfg.AccessType = unionpay.AccessMerchant
				}
				c, err := unionpay.NewClient(cfg)
				require.NoError(t, err)
				return c
			}
			payer := client(tt.shop)
			ctx := context.Background()
			const orderID = "FUPAY0001"
			switch tt.payment {
			case "app", "preauth":
				pay := payer.AppConsume
				if tt.payment == "preauth" {
					pay = payer.AppPreAuth
				}
				res, err := pay(ctx, &unionpay.ConsumeRequest{OrderID: orderID, Amount: 1000, TxnTime: clk.Now(), BackURL: in.url})
				require.NoError(t, err)
				_, err = srv.Complete(res.OrderID, "")
				require.NoError(t, err)
			case "qr":
				applied, err := payer.ApplyQRCode(ctx, &unionpay.QRCodeRequest{OrderID: orderID, Amount: 1000,
					TxnTime: clk.Now(), BackURL: in.url, PayTimeout: clk.Now().Add(10 * time.Minute)})
				require.NoError(t, err)
				_, err = srv.PayQRCode(applied.QRCode, "")
				require.NoError(t, err)
			}
			paid := in.of(t, srv, orderID)
			require.Equal(t, notify.Succeeded, paid.Status())

			c := payer
			if tt.other != nil {
				c = client(tt.other)
			}
			r, err := c.FollowUpOn(paid, "FUNEXT0001", tt.amount)
			if tt.refused != "" {
				var re *unionpay.RequestError
				require.ErrorAs(t, err, &re)
				assert.Equal(t, tt.refused, re.Field)
				assert.Equal(t, "follow-up", re.Op)
				assert.Nil(t, r)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, &unionpay.FollowUpRequest{OrderID: "FUNEXT0001", OrigQueryID: paid.QueryID, Amount: tt.sent,
				BizType: tt.biz}, r)
			r.TxnTime, r.BackURL = clk.Now(), in.url
			send := map[string]func(context.Context, *unionpay.FollowUpRequest) (*unionpay.Result, error){
				"refund": c.Refund, "cancel": c.CancelConsume, "complete": c.CompletePreAuth}[tt.op]
			_, err = send(ctx, r)
			require.NoError(t, err)
			done := in.of(t, srv, "FUNEXT0001")
			assert.Equal(t, notify.Succeeded, done.Status())
			assert.Equal(t, paid.QueryID, done.OrigQueryID)
			assert.Equal(t, tt.sent, done.TxnAmt)
			assert.Equal(t, paid.SubMerID, done.SubMerID)
		})
	}
}

// TestQueryAnswerEchoesQueryBizType: a query answer names the transaction's txnType but echoes
// the query's bizType, as a capture of UnionPay's test environment does (2024-01-05: a gateway
// consume queried with 000000 answered 000000): the payment's product is in its notification.
func TestQueryAnswerEchoesQueryBizType(t *testing.T) {
	t.Parallel()
	srv, c, clk := clientGateway(t, unionpaytest.WithReporter(t))
	ctx := context.Background()
	res, err := c.AppConsume(ctx, &unionpay.ConsumeRequest{OrderID: "ECHOBIZ01", Amount: 100, TxnTime: clk.Now(),
		BackURL: "http://127.0.0.1:1/n"})
	require.NoError(t, err)
	_, err = srv.Complete(res.OrderID, "")
	require.NoError(t, err)
	for _, tt := range []struct{ sent, answered string }{{"", "000000"}, {"000201", "000201"}, {"000301", "000301"}} {
		q := res.QueryRequest()
		q.BizType = tt.sent
		tx, err := c.Query(ctx, q)
		require.NoError(t, err)
		assert.Equal(t, unionpay.Succeeded, tx.State)
		assert.Equal(t, "01", tx.TxnType)
		assert.Equal(t, tt.answered, tx.Raw["bizType"], "the query's, not the payment's")
	}
}
