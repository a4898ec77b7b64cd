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
	c0 := newClock()
	srv := unionpaytest.NewServer(keys(t), unionpaytest.WithClock(c0.Now))
	t.Cleanup(srv.Close)
	c, err := unionpay.NewClient(srv.Config())
	require.NoError(t, err)
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
