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
