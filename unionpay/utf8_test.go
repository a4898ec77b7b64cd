package unionpay_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/sign"
	"github.com/goacp/unionpay/unionpay"
)

// TestBackRefusesInvalidUTF8: a back request holding invalid UTF-8 (which UnionPay would decode
// as U+FFFD, failing the signature, so that a refund would end pending for a misleading reason)
// is refused with a *RequestError naming the Go field, in UTF-8 and GBK, before anything is sent.
func TestBackRefusesInvalidUTF8(t *testing.T) {
	t.Parallel()
	const bad = "a\xffb"
	type op = func(context.Context, *unionpay.Client) error
	refund := func(edit func(*unionpay.FollowUpRequest)) op {
		return func(ctx context.Context, c *unionpay.Client) error {
			r := followUp()
			edit(r)
			_, err := c.Refund(ctx, r)
			return err
		}
	}
	tests := []struct {
		name  string
		do    op
		field string
	}{
		{"refund ReqReserved", refund(func(r *unionpay.FollowUpRequest) { r.ReqReserved = bad }), "ReqReserved"},
		{"refund OrigQueryID", refund(func(r *unionpay.FollowUpRequest) { r.OrigQueryID = bad }), "OrigQueryID"},
		{"refund Extra", refund(func(r *unionpay.FollowUpRequest) { r.Extra = sign.Fields{"termId": bad} }), `Extra["termId"]`},
		{"payout TxnSubType", func(ctx context.Context, c *unionpay.Client) error {
			r := cardReq()
			r.TxnSubType = bad
			_, err := c.Payout(ctx, r)
			return err
		}, "TxnSubType"},
		{"collection ReqReserved", func(ctx context.Context, c *unionpay.Client) error {
			r := cardReq()
			r.ReqReserved = bad
			_, err := c.Collect(ctx, r)
			return err
		}, "ReqReserved"},
		{"real-name auth BizType", func(ctx context.Context, c *unionpay.Client) error {
			r := accountReq()
			r.BizType = bad
			_, err := c.RealNameAuth(ctx, r)
			return err
		}, "BizType"},
		{"query QueryID", func(ctx context.Context, c *unionpay.Client) error {
			_, err := c.Query(ctx, &unionpay.QueryRequest{QueryID: bad})
			return err
		}, "QueryID"},
		{"query Extra reqReserved", func(ctx context.Context, c *unionpay.Client) error {
			_, err := c.Query(ctx, &unionpay.QueryRequest{QueryID: "782401051030000000011", Extra: sign.Fields{"reqReserved": bad}})
			return err
		}, `Extra["reqReserved"]`},
		{"app consume OrderDesc", func(ctx context.Context, c *unionpay.Client) error {
			r := consumeReq()
			r.OrderDesc = bad
			_, err := c.AppConsume(ctx, r)
			return err
		}, "OrderDesc"},
		{"app consume RiskRateInfo", func(ctx context.Context, c *unionpay.Client) error {
			r := consumeReq()
			r.RiskRateInfo = sign.Fields{"commodityName": bad}
			_, err := c.AppConsume(ctx, r)
			return err
		}, "RiskRateInfo"},
		{"batch query Extra", func(ctx context.Context, c *unionpay.Client) error {
			_, err := c.QueryBatch(ctx, &unionpay.BatchQueryRequest{Type: unionpay.BatchPayout, BatchNo: "0001",
				TxnTime: testNow, Extra: sign.Fields{"reserved": bad}})
			return err
		}, `Extra["reserved"]`},
	}
	for _, enc := range []string{"UTF-8", "GBK"} {
		for _, tt := range tests {
			t.Run(enc+" "+tt.name, func(t *testing.T) {
				t.Parallel()
				g := newGateway(t, accept(nil))
				c := newTestClient(t, g, func(cfg *unionpay.Config) { cfg.Encoding = enc })
				err := tt.do(context.Background(), c)
				var re *unionpay.RequestError
				require.ErrorAs(t, err, &re)
				assert.Equal(t, tt.field, re.Field)
				assert.Equal(t, "not valid UTF-8", re.Reason)
				assert.NotErrorIs(t, err, unionpay.ErrPending, "nothing was sent")
				assert.Zero(t, g.count())
			})
		}
	}
}

// TestConfigRefusesInvalidUTF8: a sub-merchant's ID, name and abbreviation, sent with every
// request, are checked once, by NewClient.
func TestConfigRefusesInvalidUTF8(t *testing.T) {
	t.Parallel()
	ok := unionpay.SubMerchant{ID: "S1", Name: "店", Abbr: "店"}
	tests := []struct {
		name  string
		edit  func(*unionpay.SubMerchant)
		field string
	}{
		{"ID", func(s *unionpay.SubMerchant) { s.ID = "S\xff" }, "Config.SubMerchant.ID"},
		{"Name", func(s *unionpay.SubMerchant) { s.Name = "店\xff" }, "Config.SubMerchant.Name"},
		{"Abbr", func(s *unionpay.SubMerchant) { s.Abbr = "\xfe" }, "Config.SubMerchant.Abbr"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			cfg := testConfig(t, "http://127.0.0.1:1")
			sub := ok
			tt.edit(&sub)
			cfg.AccessType, cfg.SubMerchant = unionpay.AccessPlatform, sub
			_, err := unionpay.NewClient(cfg)
			var ce *unionpay.ConfigError
			require.ErrorAs(t, err, &ce)
			assert.Equal(t, tt.field, ce.Field)
		})
	}
}
