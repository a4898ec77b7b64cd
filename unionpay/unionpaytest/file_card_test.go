package unionpaytest_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/unionpay"
)

// TestRecordCardOfChain: every settlement record of a front payment's chain shows the card the
// shopper paid with, the refund or cancel of a pre-auth completion included, which acts on a
// back transaction that names no card itself (it showed TestCard instead of the card the
// pre-authorisation held).
func TestRecordCardOfChain(t *testing.T) {
	t.Parallel()
	const card, masked = "6225881234567895", "622588******7895"
	followUp := func(id, orig string, amount int64) *unionpay.FollowUpRequest {
		return &unionpay.FollowUpRequest{OrderID: id, OrigQueryID: orig, Amount: amount,
			BackURL: "https://hotel.example/notify"}
	}
	type step func(ctx context.Context, c *unionpay.Client, orig string) (*unionpay.Result, error)
	for _, tc := range []struct {
		name    string
		preAuth bool
		steps   []step // each on the queryId of the one before, the first on the front payment
	}{
		{"completion", true, []step{
			func(ctx context.Context, c *unionpay.Client, orig string) (*unionpay.Result, error) {
				return c.CompletePreAuth(ctx, followUp("CARDCOMP0001", orig, 9000))
			}}},
		{"refund of a completion", true, []step{
			func(ctx context.Context, c *unionpay.Client, orig string) (*unionpay.Result, error) {
				return c.CompletePreAuth(ctx, followUp("CARDCOMP0002", orig, 9000))
			},
			func(ctx context.Context, c *unionpay.Client, orig string) (*unionpay.Result, error) {
				return c.Refund(ctx, followUp("CARDREFD0002", orig, 1000))
			}}},
		{"cancel of a completion", true, []step{
			func(ctx context.Context, c *unionpay.Client, orig string) (*unionpay.Result, error) {
				return c.CompletePreAuth(ctx, followUp("CARDCOMP0003", orig, 9000))
			},
			func(ctx context.Context, c *unionpay.Client, orig string) (*unionpay.Result, error) {
				return c.CancelPreAuthCompletion(ctx, followUp("CARDCCAN0003", orig, 9000))
			}}},
		{"refund of a consume", false, []step{
			func(ctx context.Context, c *unionpay.Client, orig string) (*unionpay.Result, error) {
				return c.Refund(ctx, followUp("CARDREFD0004", orig, 1000))
			}}},
		{"cancel of a consume", false, []step{
			func(ctx context.Context, c *unionpay.Client, orig string) (*unionpay.Result, error) {
				return c.CancelConsume(ctx, followUp("CARDCANC0005", orig, 10000))
			}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv, c, clk := clientGateway(t)
			ctx := context.Background()
			req := &unionpay.ConsumeRequest{OrderID: "CARDPAY00001", Amount: 10000,
				FrontURL: "https://hotel.example/return", BackURL: "https://hotel.example/notify"}
			front := c.FrontConsume
			if tc.preAuth {
				front = c.FrontPreAuth
			}
			form, err := front(req)
			require.NoError(t, err)
			_, err = srv.Pay(ctx, form.Fields, card)
			require.NoError(t, err)
			paid, err := c.Query(ctx, form.QueryRequest())
			require.NoError(t, err)
			orig := paid.QueryID
			for _, s := range tc.steps {
				res, err := s(ctx, c, orig)
				require.NoError(t, err)
				orig = res.QueryID
			}
			records := srv.Records(clk.Now())
			require.NotEmpty(t, records)
			for _, r := range records {
				assert.Equal(t, masked, r.AccNo, "record of %s (txnType %s)", r.OrderID, r.TxnType)
			}
		})
	}
}
