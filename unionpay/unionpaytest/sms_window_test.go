package unionpaytest_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/unionpay"
	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

// TestSMSConsumeMinutesLater: the consume SMS (77/02) and the back consume it is for share
// orderId and txnTime (AccountRequest.Amount's doc, UnionPay's samples, the fake gateway), so the
// consume carries a txnTime as old as the cardholder took to type the code: six minutes is within
// TxnTimeWindow and the gateway's freshness (13 and 15 minutes), and the consume goes through. (A
// five-minute window refused it before sending, and the only way round was a new SMS; found by a
// review.)
func TestSMSConsumeMinutesLater(t *testing.T) {
	t.Parallel()
	_, c, c0 := clientGateway(t)
	ctx := context.Background()
	at := c0.Now()
	_, err := c.SendSMS(ctx, &unionpay.AccountRequest{OrderID: "SMSLATE00001", TxnTime: at, AccNo: unionpaytest.TestCard,
		Customer: &unionpay.Customer{Phone: "13552535506"}, TxnSubType: "02", Amount: 8800})
	require.NoError(t, err)

	c0.Advance(6 * time.Minute) // the cardholder reads the SMS and types the code

	_, err = c.BackConsume(ctx, &unionpay.CardRequest{OrderID: "SMSLATE00001", TxnTime: at, Amount: 8800,
		AccNo: unionpaytest.TestCard, BackURL: "https://shop.example/notify",
		Customer: &unionpay.Customer{Phone: "13552535506", SMSCode: "111111"}})
	require.NoError(t, err)
}
