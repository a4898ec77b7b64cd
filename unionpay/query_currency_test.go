package unionpay_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/sign"
	"github.com/goacp/unionpay/unionpay"
)

// TestQueryOfAnotherCurrency: QueryRequest.Currency binds the answer to the currency the
// transaction was sent in. A query under a reused orderId and txnTime finds a payment of the same
// digits in yen (currencyCode 392): with TxnType and Amount alone it read Succeeded, and a CNY
// order was shipped on 1000 yen. With Currency it reads NotFound with the yen payment in Other,
// and QueryUntilFinal ends pending, naming its currency, as for another amount. An answer without
// currencyCode is not compared, nor is a Currency left "" or blank (a QueryRequest built before
// it reads as it did); Result.QueryRequest fills it with what the call sent ("156" for a Currency
// left ""), and a malformed Currency is refused before anything is sent.
func TestQueryOfAnotherCurrency(t *testing.T) {
	t.Parallel()
	// gateway accepts a back consume, and answers its query: a success of 1000 in answered
	// ("" = no currencyCode).
	gateway := func(answered string) func(sign.Fields) reply {
		return func(r sign.Fields) reply {
			if r["txnType"] != "00" {
				return reply{fields: answerTo(r, "00", sign.Fields{"tn": "TN1"})} // tn: for an app consume
			}
			extra := sign.Fields{"txnType": "01", "txnAmt": "1000", "origRespCode": "00", "origRespMsg": "成功[0000000]",
				"queryId": "782401051030000000099"}
			if answered != "" {
				extra["currencyCode"] = answered
			}
			return reply{fields: answerTo(r, "00", extra)}
		}
	}
	for _, tt := range []struct {
		name     string
		answered string // the answer's currencyCode ("" = none)
		asked    string // QueryRequest.Currency; "result", "app", "form": the QueryRequest of a back, app or front consume
		want     unionpay.State
	}{
		{"the currency asked about", "156", "156", unionpay.Succeeded},
		{"yen for yuan", "392", "156", unionpay.NotFound},
		{"yuan for yen", "156", "392", unionpay.NotFound},
		{"an answer without currencyCode", "", "156", unionpay.Succeeded},
		{"not asked", "392", "", unionpay.Succeeded},
		{"blank: not asked", "392", "   ", unionpay.Succeeded},
		{"Result.QueryRequest, yen for yuan", "392", "result", unionpay.NotFound},
		{"Result.QueryRequest, yuan", "156", "result", unionpay.Succeeded},
		{"AppResult.QueryRequest, yen for yuan", "392", "app", unionpay.NotFound},
		{"AppResult.QueryRequest, yuan", "156", "app", unionpay.Succeeded},
		{"Form.QueryRequest, yen for yuan", "392", "form", unionpay.NotFound},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := newTestClient(t, newGateway(t, gateway(tt.answered)), func(cfg *unionpay.Config) {
				cfg.Sleep = func(ctx context.Context, _ time.Duration) error { return ctx.Err() }
			})
			q := &unionpay.QueryRequest{OrderID: testOrder, TxnTime: testNow, TxnType: "01", Amount: 1000, Currency: tt.asked}
			consume := &unionpay.ConsumeRequest{OrderID: testOrder, Amount: 1000, FrontURL: testNotify, BackURL: testNotify}
			switch tt.asked {
			case "result":
				res, err := c.BackConsume(context.Background(), cardReq())
				require.NoError(t, err)
				q = res.QueryRequest()
			case "app":
				app, err := c.AppConsume(context.Background(), consume)
				require.NoError(t, err)
				assert.Equal(t, "156", app.Currency, "the currency the request sent")
				q = app.QueryRequest()
			case "form":
				form, err := c.FrontConsume(consume)
				require.NoError(t, err)
				q = form.QueryRequest()
			}
			if q.Currency != tt.asked {
				require.Equal(t, "156", q.Currency, "the currency the request sent")
			}
			tx, err := c.Query(context.Background(), q)
			require.NoError(t, err)
			assert.Equal(t, tt.want, tx.State)
			tx, err = c.QueryUntilFinal(context.Background(), q, unionpay.BackBackoff())
			if tt.want == unionpay.Succeeded {
				require.NoError(t, err)
				assert.Equal(t, unionpay.Succeeded, tx.State)
				return
			}
			assert.Equal(t, unionpay.NotFound, tx.State)
			assert.Empty(t, tx.Currency)
			require.NotNil(t, tx.Other)
			assert.Equal(t, tt.answered, tx.Other.Currency)
			assert.Equal(t, unionpay.Succeeded, tx.Other.State)
			require.ErrorIs(t, err, unionpay.ErrPending)
			assert.Contains(t, err.Error(), "name another transaction")
			if tt.answered != "156" {
				assert.Contains(t, err.Error(), "1000 in currency "+tt.answered)
			}
		})
	}
	for _, tt := range []struct {
		name, asked string
		refused     bool
	}{
		{"two digits", "15", true},
		{"four digits", "1560", true},
		{"letters", "CNY", true},
		{"padded", " 156", true},
		{"three digits", "840", false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			g := newGateway(t, gateway("156"))
			_, err := newTestClient(t, g).Query(context.Background(), &unionpay.QueryRequest{OrderID: testOrder,
				TxnTime: testNow, Currency: tt.asked})
			if !tt.refused {
				require.NoError(t, err)
				return
			}
			var re *unionpay.RequestError
			require.ErrorAs(t, err, &re)
			assert.Equal(t, "Currency", re.Field)
			assert.Zero(t, g.count(), "nothing sent")
		})
	}
}
