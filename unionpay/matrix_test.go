package unionpay_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/unionpay"
	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

// matrixOp is one transaction of the client, run against unionpaytest.
type matrixOp struct {
	name  string
	moves bool
	// ep is the endpoint whose faults reach it when it carries no orderId ("" when it does).
	ep unionpaytest.Endpoint
	// script is false when the gateway cannot be scripted to reject it.
	script bool
	// setup prepares what the operation needs (an original transaction) and returns the call.
	setup func(t *testing.T, e *e2e) func(ctx context.Context, id string) error
}

func (e *e2e) paidOrder(t *testing.T, preAuth bool, amount int64) *unionpay.Transaction {
	t.Helper()
	build := e.c.FrontConsume
	if preAuth {
		build = e.c.FrontPreAuth
	}
	form, err := build(e.consumeReq(e.order("ORIG"), amount))
	require.NoError(t, err)
	return e.paid(t, form)
}

// followUpOp acts on an original transaction; a cancel or completion (full) needs a fresh
// original, for its full amount, every time.
func followUpOp(name string, preAuth, completed, full bool,
	do func(*unionpay.Client) func(context.Context, *unionpay.FollowUpRequest) (*unionpay.Result, error)) matrixOp {
	return matrixOp{name: name, moves: true, script: true, setup: func(t *testing.T, e *e2e) func(context.Context, string) error {
		original := func() (string, int64) {
			orig := e.paidOrder(t, preAuth, 1000).QueryID
			if completed {
				res, err := e.c.CompletePreAuth(context.Background(), e.followUp(e.order("COMP"), orig, 1000))
				require.NoError(t, err)
				orig = res.QueryID
			}
			return orig, 1000
		}
		orig, amount := original()
		return func(ctx context.Context, id string) error {
			if full {
				orig, amount = original()
			} else {
				amount = 10
			}
			_, err := do(e.c)(ctx, e.followUp(id, orig, amount))
			return err
		}
	}}
}

func cardOp(name string, do func(*unionpay.Client) func(context.Context, *unionpay.CardRequest) (*unionpay.Result, error)) matrixOp {
	return matrixOp{name: name, moves: true, script: true, setup: func(t *testing.T, e *e2e) func(context.Context, string) error {
		return func(ctx context.Context, id string) error { _, err := do(e.c)(ctx, e.card(id, 10)); return err }
	}}
}

func accountOp(name string, do func(*unionpay.Client) func(context.Context, *unionpay.AccountRequest) (*unionpay.Result, error)) matrixOp {
	return matrixOp{name: name, script: true, setup: func(t *testing.T, e *e2e) func(context.Context, string) error {
		return func(ctx context.Context, id string) error {
			_, err := do(e.c)(ctx, &unionpay.AccountRequest{OrderID: id, AccNo: unionpaytest.TestCard,
				Customer: &unionpay.Customer{IDType: "01", IDNumber: "341126197709218366", Name: "互联网"}})
			return err
		}
	}}
}

func matrixOps() []matrixOp {
	return []matrixOp{
		followUpOp("consume cancel", false, false, true, func(c *unionpay.Client) func(context.Context, *unionpay.FollowUpRequest) (*unionpay.Result, error) {
			return c.CancelConsume
		}),
		followUpOp("refund", false, false, false, func(c *unionpay.Client) func(context.Context, *unionpay.FollowUpRequest) (*unionpay.Result, error) {
			return c.Refund
		}),
		// One completion per pre-authorisation: each needs a fresh one.
		followUpOp("pre-auth completion", true, false, true, func(c *unionpay.Client) func(context.Context, *unionpay.FollowUpRequest) (*unionpay.Result, error) {
			return c.CompletePreAuth
		}),
		followUpOp("pre-auth cancel", true, false, true, func(c *unionpay.Client) func(context.Context, *unionpay.FollowUpRequest) (*unionpay.Result, error) {
			return c.CancelPreAuth
		}),
		followUpOp("completion cancel", true, true, true, func(c *unionpay.Client) func(context.Context, *unionpay.FollowUpRequest) (*unionpay.Result, error) {
			return c.CancelPreAuthCompletion
		}),
		cardOp("back consume", func(c *unionpay.Client) func(context.Context, *unionpay.CardRequest) (*unionpay.Result, error) {
			return c.BackConsume
		}),
		cardOp("collection", func(c *unionpay.Client) func(context.Context, *unionpay.CardRequest) (*unionpay.Result, error) {
			return c.Collect
		}),
		cardOp("payout", func(c *unionpay.Client) func(context.Context, *unionpay.CardRequest) (*unionpay.Result, error) {
			return c.Payout
		}),
		accountOp("real-name auth", func(c *unionpay.Client) func(context.Context, *unionpay.AccountRequest) (*unionpay.Result, error) {
			return c.RealNameAuth
		}),
		accountOp("sms", func(c *unionpay.Client) func(context.Context, *unionpay.AccountRequest) (*unionpay.Result, error) {
			return c.SendSMS
		}),
		accountOp("open", func(c *unionpay.Client) func(context.Context, *unionpay.AccountRequest) (*unionpay.Result, error) {
			return func(ctx context.Context, r *unionpay.AccountRequest) (*unionpay.Result, error) {
				return openCardResult(c, ctx, r)
			}
		}),
		// An app order moves no money yet, but its answer creates an order the shopper can pay:
		// an unknown outcome is pending, as for a call that moves money.
		{name: "app consume", moves: true, script: false, setup: func(t *testing.T, e *e2e) func(context.Context, string) error {
			return func(ctx context.Context, id string) error {
				r := e.consumeReq(id, 10)
				r.FrontURL = ""
				_, err := e.c.AppConsume(ctx, r)
				return err
			}
		}},
		{name: "query", setup: func(t *testing.T, e *e2e) func(context.Context, string) error {
			paid := e.paidOrder(t, false, 100)
			return func(ctx context.Context, _ string) error {
				_, err := e.c.Query(ctx, &unionpay.QueryRequest{OrderID: paid.OrderID, TxnTime: paid.TxnTime})
				return err
			}
		}, ep: unionpaytest.EndpointQuery},
		{name: "file download", ep: unionpaytest.EndpointFile, setup: func(t *testing.T, e *e2e) func(context.Context, string) error {
			e.paidOrder(t, false, 100)
			return func(ctx context.Context, _ string) error {
				_, err := e.c.DownloadFile(ctx, &unionpay.FileRequest{SettleDate: e.srv.Now()})
				return err
			}
		}},
		{name: "encryption certificate", ep: unionpaytest.EndpointBack, setup: func(t *testing.T, e *e2e) func(context.Context, string) error {
			return func(ctx context.Context, _ string) error { _, err := e.c.UpdateEncryptionCertificate(ctx); return err }
		}},
		{name: "batch", moves: true, ep: unionpaytest.EndpointBatch, setup: func(t *testing.T, e *e2e) func(context.Context, string) error {
			n := 0
			return func(ctx context.Context, _ string) error {
				n++
				_, err := e.c.SubmitBatch(ctx, &unionpay.BatchRequest{Type: unionpay.BatchPayout, BatchNo: fmt.Sprintf("%04d", n),
					Records: []unionpay.BatchRecord{{OrderID: e.order("BAT"), Amount: 100, AccType: "01",
						AccNo: unionpaytest.TestCard, CustomerName: "互联网"}}})
				return err
			}
		}},
	}
}

// TestE2EMatrix runs every transaction against unionpaytest through every outcome class: accepted,
// pending (a dropped connection after the gateway acted, or a scripted 05), rejected (a scripted
// failure code) and verification failure (an answer signed with the wrong key).
func TestE2EMatrix(t *testing.T) {
	t.Parallel()
	for _, op := range matrixOps() {
		t.Run(op.name, func(t *testing.T) {
			t.Parallel()
			e := newE2E(t)
			call := op.setup(t, e)
			ctx := context.Background()
			fault := func(id string, f unionpaytest.Fault) {
				if op.ep != "" {
					e.srv.FailEndpoint(op.ep, f)
				} else {
					e.srv.FailOrder(id, f)
				}
			}

			id := e.order("OK")
			require.NoError(t, call(ctx, id), "accepted")

			id = e.order("DROP")
			fault(id, unionpaytest.FaultDrop)
			err := call(ctx, id)
			require.Error(t, err)
			assert.Equal(t, op.moves, errors.Is(err, unionpay.ErrPending), "dropped answer: pending iff money moves: %v", err)
			assert.NotErrorIs(t, err, unionpay.ErrUnverified)

			id = e.order("WKEY")
			fault(id, unionpaytest.FaultWrongKey)
			err = call(ctx, id)
			require.ErrorIs(t, err, unionpay.ErrUnverified, "wrong key")
			assert.Equal(t, op.moves, errors.Is(err, unionpay.ErrPending), "wrong key: pending iff money moves: %v", err)

			if !op.script {
				return
			}
			id = e.order("P05")
			e.srv.Script(id, unionpaytest.Pending)
			err = call(ctx, id)
			var pe *unionpay.PendingError
			require.ErrorAs(t, err, &pe, "scripted 05")
			assert.Equal(t, "05", pe.RespCode)
			assert.Equal(t, id, pe.OrderID)

			id = e.order("R64")
			e.srv.Script(id, unionpaytest.NoBalance)
			err = call(ctx, id)
			var ue *unionpay.Error
			require.ErrorAs(t, err, &ue, "scripted 64")
			assert.Equal(t, "64", ue.RespCode)
			assert.NotErrorIs(t, err, unionpay.ErrPending)
		})
	}
}
