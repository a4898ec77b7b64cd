package unionpay_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/sign"
	"github.com/goacp/unionpay/unionpay"
)

// TestQueryOfAnotherOriginal: QueryRequest.OrigQueryID binds the answer about a refund to the
// payment it refunded. A refund sent under a reused orderId is answered 12 (pending); its query
// then finds the earlier refund under that orderId and txnTime, of the same type and amount but
// of another payment. With TxnType and Amount alone it read Succeeded, and the merchant booked
// as refunded a shopper who never was. With OrigQueryID it reads NotFound with the earlier one in
// Other, and QueryUntilFinal ends pending, naming its origQryId; an answer without origQryId is
// not compared, and a malformed OrigQueryID is refused before anything is sent.
func TestQueryOfAnotherOriginal(t *testing.T) {
	t.Parallel()
	const mine, other = "782401051030000000011", "782401051030000000012"
	refund := func(orig string) func(sign.Fields) reply {
		return func(r sign.Fields) reply {
			extra := sign.Fields{"txnType": "04", "txnAmt": "300", "origRespCode": "00", "origRespMsg": "成功[0000000]",
				"queryId": "782401051030000000099"}
			if orig != "" {
				extra["origQryId"] = orig
			}
			return reply{fields: answerTo(r, "00", extra)}
		}
	}
	for _, tt := range []struct {
		name     string
		answered string // the answer's origQryId ("" = none)
		asked    string // QueryRequest.OrigQueryID
		want     unionpay.State
	}{
		{"the payment asked about", mine, mine, unionpay.Succeeded},
		{"the payment asked about, sent with spaces", mine, " " + mine + " ", unionpay.Succeeded},
		{"another payment", other, mine, unionpay.NotFound},
		{"an answer without origQryId", "", mine, unionpay.Succeeded},
		{"not asked", other, "", unionpay.Succeeded},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := newTestClient(t, newGateway(t, refund(tt.answered)), func(cfg *unionpay.Config) {
				cfg.Sleep = func(ctx context.Context, _ time.Duration) error { return ctx.Err() }
			})
			q := &unionpay.QueryRequest{OrderID: "REFUND20240105001", TxnTime: testNow, TxnType: "04", Amount: 300,
				OrigQueryID: tt.asked}
			tx, err := c.Query(context.Background(), q)
			require.NoError(t, err)
			assert.Equal(t, tt.want, tx.State)
			tx, err = c.QueryUntilFinal(context.Background(), q, unionpay.BackBackoff())
			if tt.want == unionpay.Succeeded {
				require.NoError(t, err)
				return
			}
			require.NotNil(t, tx.Other)
			assert.Equal(t, other, tx.Other.OrigQueryID)
			require.ErrorIs(t, err, unionpay.ErrPending)
			assert.Contains(t, err.Error(), "of origQryId "+other)
		})
	}
	for _, tt := range []struct {
		name, asked string
		refused     bool
	}{
		{"malformed", "7824&txnAmt=1", true},
		{"blank", "   ", true},
		{"over 64 characters", strings.Repeat("7", 65), true},
		{"64 characters", strings.Repeat("7", 64), false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			g := newGateway(t, refund(mine))
			_, err := newTestClient(t, g).Query(context.Background(), &unionpay.QueryRequest{OrderID: "REFUND20240105001",
				TxnTime: testNow, OrigQueryID: tt.asked})
			if !tt.refused {
				require.NoError(t, err)
				return
			}
			var re *unionpay.RequestError
			require.ErrorAs(t, err, &re)
			assert.Equal(t, "OrigQueryID", re.Field)
			assert.Zero(t, g.count(), "nothing sent")
		})
	}
}
