package unionpaytest_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/unionpay"
	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

// The consume SMS (77/02) and the back consume it is for share orderId, txnTime and amount, as
// UnionPay's samples send them: the consume takes the orderId over, a query by orderId finds the
// consume, and the code can be asked for again on the same orderId. Another transaction on an
// SMS's orderId, or a consume with another txnTime, is still a duplicate (12).
func TestConsumeSMSSharesItsOrderID(t *testing.T) {
	t.Parallel()
	_, c, c0 := clientGateway(t)
	var err error
	ctx := context.Background()
	at := c0.Now()
	customer := &unionpay.Customer{Phone: "13552535506"}
	sms := func(orderID string) error {
		_, err := c.SendSMS(ctx, &unionpay.AccountRequest{OrderID: orderID, TxnTime: at, AccNo: unionpaytest.TestCard,
			Customer: customer, TxnSubType: "02", Amount: 8800})
		return err
	}
	consume := func(orderID string, txnTime time.Time) error {
		_, err := c.BackConsume(ctx, &unionpay.CardRequest{OrderID: orderID, TxnTime: txnTime, Amount: 8800,
			AccNo: unionpaytest.TestCard, BackURL: "https://shop.example/notify",
			Customer: &unionpay.Customer{Phone: "13552535506", SMSCode: "111111"}})
		return err
	}

	require.NoError(t, sms("SMSCONSUME0001"))
	require.NoError(t, sms("SMSCONSUME0001"), "the code asked for again")
	require.NoError(t, consume("SMSCONSUME0001", at))
	tx, err := c.Query(ctx, &unionpay.QueryRequest{OrderID: "SMSCONSUME0001", TxnTime: at})
	require.NoError(t, err)
	assert.Equal(t, "01", tx.TxnType, "the consume, not the SMS")
	assert.Equal(t, int64(8800), tx.Amount)
	require.Error(t, sms("SMSCONSUME0001"), "the consume holds the orderId now")

	require.NoError(t, sms("SMSCONSUME0002"))
	err = consume("SMSCONSUME0002", at.Add(time.Second))
	var pe *unionpay.PendingError
	require.ErrorAs(t, err, &pe, "another txnTime: a duplicate orderId")
	assert.Equal(t, "12", pe.RespCode)

	_, err = c.RealNameAuth(ctx, &unionpay.AccountRequest{OrderID: "SMSCONSUME0003", TxnTime: at,
		AccNo: unionpaytest.TestCard, Customer: &unionpay.Customer{IDType: "01", IDNumber: "341126197709218366", Name: "互联网"}})
	require.NoError(t, err)
	require.ErrorAs(t, consume("SMSCONSUME0003", at), &pe, "a real-name check holds its orderId")
	assert.Equal(t, "12", pe.RespCode)
}

// The consume SMS (77/02) must carry the consume's amount and currency: without them it is
// incomplete (13); the card-opening SMS (77/00) needs neither.
func TestConsumeSMSRequiresAmount(t *testing.T) {
	t.Parallel()
	m := newMerchant(t)
	resp := m.call(unionpaytest.EndpointBack, m.fields("77", "02", "000301", "orderId", "SMSNOAMT0001", "channelType", "07"))
	assert.Equal(t, "13", resp["respCode"], resp["respMsg"])
	resp = m.call(unionpaytest.EndpointBack, m.fields("77", "02", "000301", "orderId", "SMSNOAMT0002", "channelType", "07",
		"txnAmt", "8800", "currencyCode", "156"))
	assert.Equal(t, "00", resp["respCode"], resp["respMsg"])
	resp = m.call(unionpaytest.EndpointBack, m.fields("77", "00", "000301", "orderId", "SMSNOAMT0003", "channelType", "07"))
	assert.Equal(t, "00", resp["respCode"], resp["respMsg"])
}

// A Script for the consume survives its SMS, set before the SMS or after it: the SMS leaves the
// orderId's Script to the consume. Only the consume the SMS was for (01, same txnTime and amount)
// takes the orderId over.
func TestConsumeSMSScriptAndTakeOver(t *testing.T) {
	t.Parallel()
	rec := &recorder{}
	srv, c, c0 := clientGateway(t, unionpaytest.WithReporter(rec))
	var err error
	ctx := context.Background()
	at := c0.Now()
	sms := func(orderID string) {
		_, err := c.SendSMS(ctx, &unionpay.AccountRequest{OrderID: orderID, TxnTime: at, AccNo: unionpaytest.TestCard,
			Customer: &unionpay.Customer{Phone: "13552535506"}, TxnSubType: "02", Amount: 8800})
		require.NoError(t, err)
	}
	card := func(orderID string, amount int64) *unionpay.CardRequest {
		return &unionpay.CardRequest{OrderID: orderID, TxnTime: at, Amount: amount, AccNo: unionpaytest.TestCard,
			BackURL: "https://shop.example/notify", Customer: &unionpay.Customer{Phone: "13552535506", SMSCode: "111111", Name: "张三"}}
	}
	var pe *unionpay.PendingError

	srv.Script("SMSSCRIPT0001", unionpaytest.Pending, unionpaytest.Succeed) // before the SMS
	sms("SMSSCRIPT0001")
	_, err = c.BackConsume(ctx, card("SMSSCRIPT0001", 8800))
	require.ErrorAs(t, err, &pe)
	assert.Equal(t, "05", pe.RespCode, "the consume follows its Script")

	sms("SMSSCRIPT0002")
	srv.Script("SMSSCRIPT0002", unionpaytest.NoBalance) // after the SMS, before the consume
	_, err = c.BackConsume(ctx, card("SMSSCRIPT0002", 8800))
	var rejected *unionpay.Error
	require.ErrorAs(t, err, &rejected)
	assert.Equal(t, "64", rejected.RespCode)
	assert.Zero(t, rec.count(), "a Script after the SMS is no late Script")

	for _, tt := range []struct {
		name string
		do   func(orderID string) error
	}{
		{"another amount", func(id string) error { _, err := c.BackConsume(ctx, card(id, 8801)); return err }},
		{"a payout", func(id string) error { _, err := c.Payout(ctx, card(id, 8800)); return err }},
		{"a collection", func(id string) error { _, err := c.Collect(ctx, card(id, 8800)); return err }},
	} {
		id := "SMSTAKE" + map[string]string{"another amount": "01", "a payout": "02", "a collection": "03"}[tt.name]
		sms(id)
		require.ErrorAs(t, tt.do(id), &pe, tt.name)
		assert.Equal(t, "12", pe.RespCode, "%s on an SMS's orderId is a duplicate", tt.name)
	}
}

// For a transaction other than a payout, a failure is final whatever steps follow it.
func TestScriptFailureFinalBesidesPayouts(t *testing.T) {
	t.Parallel()
	srv, c, _ := clientGateway(t)
	var err error
	srv.Script("COLLECTFAIL001", unionpaytest.Failed, unionpaytest.Succeed)
	_, err = c.Collect(context.Background(), &unionpay.CardRequest{OrderID: "COLLECTFAIL001", Amount: 100,
		AccNo: unionpaytest.TestCard, BackURL: "https://shop.example/notify",
		Customer: &unionpay.Customer{IDType: "01", IDNumber: "341126197709218366", Name: "张三"}})
	var rejected *unionpay.Error
	require.ErrorAs(t, err, &rejected)
	x, ok := srv.Transaction("COLLECTFAIL001")
	require.True(t, ok)
	assert.True(t, x.Final)
	assert.Equal(t, "01", x.RespCode)
	_, err = srv.Advance("COLLECTFAIL001")
	require.NoError(t, err)
	x, _ = srv.Transaction("COLLECTFAIL001")
	assert.Equal(t, "01", x.RespCode, "the Succeed after it is ignored")
}
