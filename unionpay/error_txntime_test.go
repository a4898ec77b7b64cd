package unionpay_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/sign"
	"github.com/goacp/unionpay/unionpay"
)

// TestErrorCarriesTxnTime: a rejection carries the txnTime sent, as a pending outcome does, so
// that what identifies the transaction (orderId and txnTime) is in the error; a query by queryId
// alone, whose txnTime is not the caller's, carries none.
func TestErrorCarriesTxnTime(t *testing.T) {
	t.Parallel()
	refuse := func(req sign.Fields) reply {
		return reply{fields: answerTo(req, "14", sign.Fields{"respMsg": "无效卡号"})}
	}
	c := newTestClient(t, newGateway(t, refuse))
	sent := testNow.Add(-time.Minute)
	for _, tt := range []struct {
		name string
		do   func() error
		want time.Time
	}{
		{"refund", func() error {
			_, err := c.Refund(context.Background(), &unionpay.FollowUpRequest{OrderID: "REFUNDTXNTIME1", TxnTime: sent,
				OrigQueryID: "782401051322060674028", Amount: 100, BackURL: "https://shop.example/n"})
			return err
		}, sent},
		{"query", func() error {
			_, err := c.Query(context.Background(), &unionpay.QueryRequest{OrderID: "QUERYTXNTIME1", TxnTime: sent})
			return err
		}, sent},
		{"query by queryId alone", func() error {
			_, err := c.Query(context.Background(), &unionpay.QueryRequest{QueryID: "782401051030000000011"})
			return err
		}, time.Time{}},
	} {
		err := tt.do()
		var rejected *unionpay.Error
		require.True(t, errors.As(err, &rejected), "%s: %v", tt.name, err)
		assert.True(t, rejected.TxnTime.Equal(tt.want), "%s: TxnTime %s, want %s", tt.name, rejected.TxnTime, tt.want)
		if !tt.want.IsZero() {
			assert.Equal(t, "Asia/Shanghai", rejected.TxnTime.Location().String(), tt.name)
		}
	}
}

// TestFailedAfterSendingNamesTxnTime: a call that moves no money (a query, an open) failing after
// its request left (an HTTP status, an unreadable or unverified answer) names the txnTime sent in
// its text, as its not-sent, pending and rejected errors do: an alert holding only
// "query X: HTTP status 502" could not be acted on, as a query needs orderId and txnTime. A query
// by queryId alone, whose txnTime is made up, names none, and its *VerifyError carries none.
func TestFailedAfterSendingNamesTxnTime(t *testing.T) {
	t.Parallel()
	sent := testNow.Add(-time.Minute)
	note := " (txnTime " + sent.Format("20060102150405") + "): "
	query := func(r *unionpay.QueryRequest) func(*unionpay.Client) error {
		return func(c *unionpay.Client) error {
			_, err := c.Query(context.Background(), r)
			return err
		}
	}
	byOrder := query(&unionpay.QueryRequest{OrderID: "QUERYTXNTIME2", TxnTime: sent})
	byQueryID := query(&unionpay.QueryRequest{QueryID: "782401051030000000011"})
	open := func(c *unionpay.Client) error {
		_, err := c.OpenCard(context.Background(), &unionpay.AccountRequest{OrderID: "OPENTXNTIME2", TxnTime: sent,
			AccNo: "6216261000000000018", Customer: &unionpay.Customer{Phone: "13552535506"}})
		return err
	}
	for _, tt := range []struct {
		name   string
		answer func(sign.Fields) reply
		do     func(*unionpay.Client) error
		want   string // in the error's text
		noTime bool   // the text and a *VerifyError name no txnTime
	}{
		{"query, HTTP 502", func(sign.Fields) reply { return reply{status: 502} }, byOrder,
			"unionpay: query QUERYTXNTIME2" + note + "HTTP status 502", false},
		{"query, unreadable answer", func(sign.Fields) reply { return reply{raw: "<html>bad gateway</html>"} }, byOrder,
			"unionpay: query QUERYTXNTIME2" + note + "answer is not a UnionPay message", false},
		{"query, unverified", func(r sign.Fields) reply { return reply{fields: answerTo(r, "00", nil), tamper: true} }, byOrder,
			"unionpay: query QUERYTXNTIME2" + note + "response failed verification: ", false},
		{"open, HTTP 502", func(sign.Fields) reply { return reply{status: 502} }, open,
			"unionpay: open OPENTXNTIME2" + note + "HTTP status 502", false},
		{"query by queryId alone, HTTP 502", func(sign.Fields) reply { return reply{status: 502} }, byQueryID,
			"unionpay: query: HTTP status 502", true},
		{"query by queryId alone, unverified", func(r sign.Fields) reply {
			return reply{fields: answerTo(r, "00", nil), tamper: true}
		}, byQueryID, "unionpay: query: response failed verification: ", true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := newTestClient(t, newGateway(t, tt.answer))
			err := tt.do(c)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
			var ve *unionpay.VerifyError
			if errors.As(err, &ve) {
				assert.Equal(t, tt.noTime, ve.TxnTime.IsZero(), "VerifyError.TxnTime %s", ve.TxnTime)
			}
			if tt.noTime {
				assert.NotContains(t, err.Error(), "txnTime")
			}
		})
	}
}
