package unionpaytest_test

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/internal/readmerecipe"
	"github.com/goacp/unionpay/reconcile"
	"github.com/goacp/unionpay/unionpay"
	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

// TestReadmeReconcile runs the README's Reconcile (readmerecipe.Reconcile, the README's text byte
// for byte) against the fake gateway, its report written to the io.Writer given: the records it
// matches are added up as they are matched and checked against the file's RD summary report,
// those of every class (a duplicate, a record unknown to the merchant) included, or the check
// would find the file wrong.
func TestReadmeReconcile(t *testing.T) {
	t.Parallel()
	requireRecipeInReadme(t, "reconcile.go", "\n// Reconcile writes to w", "\n\treturn n, nil\n}\n",
		"readmerecipe.Reconcile is no longer the README's, byte for byte")

	for _, tt := range []struct {
		name  string
		alter func(t *testing.T, srv *unionpaytest.Server, day time.Time, orders []reconcile.Order) []reconcile.Order
		want  int64
	}{
		{"every order matched", nil, 0},
		{"an order missing at UnionPay", func(_ *testing.T, _ *unionpaytest.Server, day time.Time, orders []reconcile.Order) []reconcile.Order {
			return append(orders, reconcile.Order{OrderID: "READMEREC09", TxnTime: day.Add(11 * time.Hour), Amount: 500,
				TxnType: "01", State: reconcile.StateSucceeded})
		}, 1},
		{"a record unknown to the merchant and a duplicate", func(t *testing.T, srv *unionpaytest.Server, day time.Time, orders []reconcile.Order) []reconcile.Order {
			recs := srv.Records(day)
			require.NotEmpty(t, recs)
			unknown := recs[0]
			unknown.OrderID, unknown.QueryID = "READMEREC99", "999999999999999999999"
			require.NoError(t, srv.AddRecord(day, unknown))
			require.NoError(t, srv.AddRecord(day, recs[0]))
			return orders
		}, 2},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv, c, c0 := clientGateway(t, unionpaytest.WithReporter(t))
			ctx := context.Background()
			day := unionpay.SettleDay(c0.Now())
			var orders []reconcile.Order
			for i, id := range []string{"READMEREC01", "READMEREC02"} {
				txnTime := c0.Now()
				pay, err := c.BackConsume(ctx, &unionpay.CardRequest{OrderID: id, Amount: int64(1000 * (i + 1)),
					TxnTime: txnTime, AccNo: unionpaytest.TestCard, BackURL: "https://shop.example/notify",
					Customer: &unionpay.Customer{Phone: "13552535506", SMSCode: "111111"}})
				require.NoError(t, err)
				orders = append(orders, reconcile.Order{OrderID: id, TxnTime: txnTime, Amount: int64(1000 * (i + 1)),
					TxnType: "01", State: reconcile.StateSucceeded})
				if i == 1 {
					refundTime := c0.Now()
					_, err = c.Refund(ctx, &unionpay.FollowUpRequest{OrderID: "READMEREF01", OrigQueryID: pay.QueryID,
						Amount: 500, TxnTime: refundTime, BackURL: "https://shop.example/notify"})
					require.NoError(t, err)
					orders = append(orders, reconcile.Order{OrderID: "READMEREF01", TxnTime: refundTime, Amount: 500,
						TxnType: "04", State: reconcile.StateSucceeded})
				}
				c0.Advance(time.Minute)
			}
			if tt.alter != nil {
				orders = tt.alter(t, srv, day, orders)
			}
			var out bytes.Buffer
			n, err := readmerecipe.Reconcile(ctx, c, day, reconcile.Orders(orders), &out)
			require.NoError(t, err, "the records add up to the RD report")
			assert.Equal(t, tt.want, n, out.String())
			assert.Contains(t, out.String(), "\ntotal,", "the whole report, totals included, goes to w")
		})
	}
}

// requireRecipeInReadme requires the text of internal/readmerecipe's file from start to end
// (both included) to stand in the README byte for byte, or fails t with msg.
func requireRecipeInReadme(t *testing.T, file, start, end, msg string) {
	t.Helper()
	readme, err := os.ReadFile("../../README.md")
	require.NoError(t, err)
	recipe, err := os.ReadFile("../../internal/readmerecipe/" + file)
	require.NoError(t, err)
	_, block, ok := strings.Cut(string(recipe), start)
	require.True(t, ok)
	block, _, ok = strings.Cut(block, end)
	require.True(t, ok)
	require.True(t, strings.Contains(string(readme), start+block+end), msg)
}
