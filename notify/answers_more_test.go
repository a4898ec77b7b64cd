package notify_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/notify"
	"github.com/goacp/unionpay/unionpay"
	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

// TestConsumeSMSAnswerIsNotAPayment: the consume SMS (77/02) shares orderId, txnTime and
// txnAmt with the back consume it is for (the SDK requires it: AccountRequest.Amount). Its
// signed answer, posted to backUrl, verifies, has the consume's Key, merId and amount, and
// Status reads it Succeeded before any consume was even sent. A handler that follows the
// package doc's checklist (merId, TxnAmt, Key; TxnType is not in it) marks the order paid.
func TestConsumeSMSAnswerIsNotAPayment(t *testing.T) {
	t.Parallel()
	gw := unionpaytest.NewServer(unionpaytest.WithClock(unionpaytest.BusinessDayClock()))
	t.Cleanup(gw.Close)
	v, err := gw.NotifyVerifier()
	require.NoError(t, err)
	c, err := unionpay.NewClient(gw.Config())
	require.NoError(t, err)
	at := gw.Now()
	res, err := c.SendSMS(context.Background(), &unionpay.AccountRequest{OrderID: "REVIEWSMS0001", TxnTime: at,
		AccNo: unionpaytest.TestCard, Customer: &unionpay.Customer{Phone: "13552535506"}, TxnSubType: "02", Amount: 8800})
	require.NoError(t, err)
	n, err := notify.Parse(v, []byte(encodeAnswer(t, res.Raw)))
	require.NoError(t, err, "UnionPay signed it")
	require.Equal(t, notify.KeyOf("REVIEWSMS0001", at), n.Key(), "the consume's key")
	require.Equal(t, int64(8800), n.TxnAmt, "the consume's amount")
	require.Equal(t, gw.MerchantID(), n.MerchantID)
	assert.NotEqual(t, notify.Succeeded, n.Status(), "an SMS sent is no payment (txnType %s)", n.TxnType)
}

// TestPreAuthCancelAcceptedIsNotDone: CancelPreAuth's synchronous answer (txnType 32,
// respCode 00 = accepted, with queryId, without settleDate, as UnionPay's back answers are) is
// read Succeeded, though the cancel may still fail (scripted here: accepted, then 01). The
// settleDate rule skips 02 and 32 because they do not settle, so nothing tells this "accepted"
// from a done cancel.
func TestPreAuthCancelAcceptedIsNotDone(t *testing.T) {
	t.Parallel()
	gw := unionpaytest.NewServer(unionpaytest.WithClock(unionpaytest.BusinessDayClock()))
	t.Cleanup(gw.Close)
	v, err := gw.NotifyVerifier()
	require.NoError(t, err)
	c, err := unionpay.NewClient(gw.Config())
	require.NoError(t, err)
	ctx := context.Background()
	form, err := c.FrontPreAuth(&unionpay.ConsumeRequest{OrderID: "REVIEWHOLD01", Amount: 50000,
		FrontURL: "https://hotel.example/return", BackURL: "https://hotel.example/notify"})
	require.NoError(t, err)
	_, err = gw.Pay(ctx, form.Fields, "")
	require.NoError(t, err)
	hold, err := c.Query(ctx, &unionpay.QueryRequest{OrderID: form.OrderID, TxnTime: form.TxnTime})
	require.NoError(t, err)
	gw.Script("REVIEWUNDO01", unionpaytest.Succeed, unionpaytest.Failed)
	res, err := c.CancelPreAuth(ctx, &unionpay.FollowUpRequest{OrderID: "REVIEWUNDO01", OrigQueryID: hold.QueryID,
		Amount: 50000, BackURL: "https://hotel.example/notify"})
	require.NoError(t, err)
	n, err := notify.Parse(v, []byte(encodeAnswer(t, res.Raw)))
	require.NoError(t, err)
	t.Logf("answer: txnType %s respCode %s queryId %q settleDate %q", n.TxnType, n.RespCode, n.QueryID, n.SettleDate)
	tx, err := c.Query(ctx, &unionpay.QueryRequest{OrderID: res.OrderID, TxnTime: res.TxnTime})
	require.NoError(t, err)
	require.Equal(t, "01", tx.OrigRespCode, "the cancel failed in the end")
	assert.NotEqual(t, notify.Succeeded, n.Status(), "an accepted cancel is not a done one")
}
