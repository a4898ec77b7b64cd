package unionpay_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/sign"
	"github.com/goacp/unionpay/unionpay"
)

// TestGBKRefusesUnrepresentable: with Config.Encoding GBK, a value GBK cannot encode (an emoji)
// is a *RequestError naming its Go field, before anything is sent, as invalid UTF-8 is; a
// customer's field too (it was a bare charset error naming no field). In UTF-8 the same requests
// go out, and Chinese text goes out in GBK.
func TestGBKRefusesUnrepresentable(t *testing.T) {
	t.Parallel()
	const emoji = "张😀"
	type op = func(context.Context, *unionpay.Client) error
	payout := func(edit func(*unionpay.CardRequest)) op {
		return func(ctx context.Context, c *unionpay.Client) error {
			r := cardReq()
			edit(r)
			_, err := c.Payout(ctx, r)
			return err
		}
	}
	tests := []struct {
		name  string
		do    op
		field string
	}{
		{"refund ReqReserved", func(ctx context.Context, c *unionpay.Client) error {
			r := followUp()
			r.ReqReserved = emoji
			_, err := c.Refund(ctx, r)
			return err
		}, "ReqReserved"},
		{"refund Extra", func(ctx context.Context, c *unionpay.Client) error {
			r := followUp()
			r.Extra = sign.Fields{"termId": emoji}
			_, err := c.Refund(ctx, r)
			return err
		}, `Extra["termId"]`},
		{"front consume OrderDesc", func(_ context.Context, c *unionpay.Client) error {
			r := consumeReq()
			r.OrderDesc = emoji
			_, err := c.FrontConsume(r)
			return err
		}, "OrderDesc"},
		{"front pre-auth Extra", func(_ context.Context, c *unionpay.Client) error {
			r := consumeReq()
			r.Extra = sign.Fields{"termId": emoji}
			_, err := c.FrontPreAuth(r)
			return err
		}, `Extra["termId"]`},
		{"app consume OrderDesc", func(ctx context.Context, c *unionpay.Client) error {
			r := consumeReq()
			r.OrderDesc = emoji
			_, err := c.AppConsume(ctx, r)
			return err
		}, "OrderDesc"},
		{"payout Customer.Name", payout(func(r *unionpay.CardRequest) { r.Customer = &unionpay.Customer{Name: emoji} }), "Customer.Name"},
		{"payout Customer.Phone", payout(func(r *unionpay.CardRequest) {
			r.Customer = &unionpay.Customer{Name: "张三", Phone: "135 😀"}
		}), "Customer.Phone"},
	}
	for _, tt := range tests {
		t.Run("GBK "+tt.name, func(t *testing.T) {
			t.Parallel()
			g := newGateway(t, accept(nil))
			c := newTestClient(t, g, func(cfg *unionpay.Config) { cfg.Encoding = "GBK" })
			err := tt.do(context.Background(), c)
			var re *unionpay.RequestError
			require.ErrorAs(t, err, &re)
			assert.Equal(t, tt.field, re.Field)
			assert.Contains(t, re.Reason, "GBK")
			assert.NotContains(t, err.Error(), emoji, "the value is not quoted")
			assert.Zero(t, g.count())
		})
		t.Run("UTF-8 "+tt.name, func(t *testing.T) {
			t.Parallel()
			g := newGateway(t, accept(nil))
			c := newTestClient(t, g)
			err := tt.do(context.Background(), c) // an app consume's answer here has no tn: not a request error
			var re *unionpay.RequestError
			require.False(t, errors.As(err, &re), "%v", err)
			if !strings.HasPrefix(tt.name, "front") { // a front form is posted by the browser
				assert.Equal(t, 1, g.count(), "sent")
			}
		})
	}
	t.Run("GBK Chinese", func(t *testing.T) {
		t.Parallel()
		g := newGateway(t, accept(nil))
		c := newTestClient(t, g, func(cfg *unionpay.Config) { cfg.Encoding = "GBK" })
		require.NoError(t, payout(func(r *unionpay.CardRequest) { r.Customer = &unionpay.Customer{Name: "张三"} })(context.Background(), c))
		assert.Equal(t, 1, g.count())
	})
}

// TestConfigRefusesNotGBK: with Encoding GBK, a sub-merchant field GBK cannot encode (sent with
// every request) is refused by NewClient, naming it; in UTF-8 it is accepted.
func TestConfigRefusesNotGBK(t *testing.T) {
	t.Parallel()
	for _, enc := range []string{"GBK", "UTF-8"} {
		cfg := testConfig(t, "http://127.0.0.1:1")
		cfg.Encoding = enc
		cfg.AccessType, cfg.SubMerchant = unionpay.AccessPlatform, unionpay.SubMerchant{ID: "S1", Name: "店😀", Abbr: "店"}
		_, err := unionpay.NewClient(cfg)
		if enc == "UTF-8" {
			require.NoError(t, err)
			continue
		}
		var ce *unionpay.ConfigError
		require.ErrorAs(t, err, &ce)
		assert.Equal(t, "Config.SubMerchant.Name", ce.Field)
	}
}

// TestReqReservedLengthInCharset: reqReserved's 1024 bytes are counted in the message charset, as
// sent: 512 Chinese characters fit in GBK, 341 in UTF-8 (GBK was held to 341); one more is a
// *RequestError naming the field and the charset, for back and front requests alike.
func TestReqReservedLengthInCharset(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		encoding string
		fits     int // Chinese characters
	}{{"GBK", 512}, {"UTF-8", 341}} {
		for _, n := range []int{tt.fits, tt.fits + 1} {
			text := strings.Repeat("中", n)
			for name, do := range map[string]func(*unionpay.Client) error{
				"refund": func(c *unionpay.Client) error {
					r := followUp()
					r.ReqReserved = text
					_, err := c.Refund(context.Background(), r)
					return err
				},
				"front consume": func(c *unionpay.Client) error {
					r := consumeReq()
					r.ReqReserved = text
					_, err := c.FrontConsume(r)
					return err
				},
			} {
				g := newGateway(t, accept(nil))
				c := newTestClient(t, g, func(cfg *unionpay.Config) { cfg.Encoding = tt.encoding })
				err := do(c)
				var re *unionpay.RequestError
				if n == tt.fits {
					require.False(t, errors.As(err, &re), "%s %s, %d characters: %v", tt.encoding, name, n, err)
					continue
				}
				require.ErrorAs(t, err, &re, "%s %s, %d characters", tt.encoding, name, n)
				assert.Equal(t, "ReqReserved", re.Field)
				assert.Contains(t, re.Reason, tt.encoding)
			}
		}
	}
}

// TestSubMerchantEchoed: a sub-merchant field UnionPay echoes in its answers and notifications
// (& { } [ ] would break every one of them) or a blank one (it would not be sent) is refused by
// NewClient.
func TestSubMerchantEchoed(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		sub   unionpay.SubMerchant
		field string
	}{
		{unionpay.SubMerchant{ID: "S1", Name: "A&B商贸有限公司", Abbr: "AB"}, "Config.SubMerchant.Name"},
		{unionpay.SubMerchant{ID: "S1", Name: "店", Abbr: "龙井{茶"}, "Config.SubMerchant.Abbr"},
		{unionpay.SubMerchant{ID: "S[1]", Name: "店", Abbr: "店"}, "Config.SubMerchant.ID"},
		{unionpay.SubMerchant{ID: "S1", Name: "\u3000", Abbr: "店"}, "Config.SubMerchant.Name"},
	} {
		cfg := testConfig(t, "http://127.0.0.1:1")
		cfg.AccessType, cfg.SubMerchant = unionpay.AccessPlatform, tt.sub
		_, err := unionpay.NewClient(cfg)
		var ce *unionpay.ConfigError
		require.ErrorAs(t, err, &ce, "%+v", tt.sub)
		assert.Equal(t, tt.field, ce.Field)
	}
}

// TestGBKJavaCharacters: in GBK, the euro sign and a character of GBK's user-defined areas go
// out as Java's GBK writes them (A2 E3, AA A1), which UnionPay reads, in a back request. A front
// form takes the user-defined character, which browsers post as Java writes it, and refuses the
// euro sign (and U+E5E5), naming the field, since the shopper's browser would post it as 0x80 and
// UnionPay would refuse the signature. In UTF-8 both are fine.
func TestGBKJavaCharacters(t *testing.T) {
	t.Parallel()
	for _, v := range []string{"欧元€5", "\ue000名"} { // U+E5E5 is refused as the euro sign is: TestBrowserGBK
		t.Run(v, func(t *testing.T) {
			t.Parallel()
			g := newGateway(t, accept(nil))
			c := newTestClient(t, g, func(cfg *unionpay.Config) { cfg.Encoding = "GBK" })
			r := followUp()
			r.ReqReserved = v
			_, err := c.Refund(context.Background(), r)
			require.NoError(t, err)
			require.Equal(t, 1, g.count())
			assert.Equal(t, v, g.last()["reqReserved"], "read back from the body as sent")
			g.mu.Lock()
			body := g.bodies[len(g.bodies)-1]
			g.mu.Unlock()
			assert.Contains(t, body, map[string]string{"欧元€5": "%A2%E3", "\ue000名": "%AA%A1"}[v])

			req := consumeReq()
			req.OrderDesc = v
			_, err = c.FrontConsume(req)
			if !strings.Contains(v, "€") {
				require.NoError(t, err)
			} else {
				var re *unionpay.RequestError
				require.ErrorAs(t, err, &re)
				assert.Equal(t, "OrderDesc", re.Field)
				assert.Contains(t, re.Reason, "browser")
			}

			utf8Client := newTestClient(t, g)
			_, err = utf8Client.FrontConsume(req)
			require.NoError(t, err)
		})
	}
}

// TestBrowserGBK: a GBK front form refuses exactly the two characters the Encoding Standard's GBK
// encoder (browsers') writes otherwise than Java's GBK: the euro sign (0x80, not A2 E3) and
// U+E5E5 (an HTML reference, not A3 A0); other user-defined characters, U+2641 and Chinese pass.
func TestBrowserGBK(t *testing.T) {
	t.Parallel()
	g := newGateway(t, accept(nil))
	c := newTestClient(t, g, func(cfg *unionpay.Config) { cfg.Encoding = "GBK" })
	for v, ok := range map[string]bool{"€": false, "\ue5e5": false, "\ue5e4\ue5e6": true, "\u2641": true, "中文": true, "\ue000\ue765": true} {
		req := consumeReq()
		req.OrderDesc = v
		_, err := c.FrontConsume(req)
		if ok {
			require.NoError(t, err, "%q", v)
			continue
		}
		var re *unionpay.RequestError
		require.ErrorAs(t, err, &re, "%q", v)
		assert.Equal(t, "OrderDesc", re.Field)
	}
}
