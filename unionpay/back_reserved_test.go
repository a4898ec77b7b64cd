package unionpay_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/sign"
	"github.com/goacp/unionpay/unionpay"
	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

// braced is what one back-end request sets of the typed reserved fields, for every request type.
type braced struct {
	reserved, risk sign.Fields
	accType        string // AccountRequest only (CardRequest modelled it already)
	reqReserved    string // AccountRequest only (the others modelled it already)
	extra          sign.Fields
}

// bracedOp is one back-end operation of each request type, sending what b sets.
type bracedOp struct {
	name    string
	account bool // an AccountRequest: AccType and ReqReserved are new there
	do      func(context.Context, *unionpay.Client, braced) (*unionpay.Result, error)
}

func bracedOps() []bracedOp {
	type do = func(context.Context, *unionpay.Client, braced) (*unionpay.Result, error)
	fu := func(m func(*unionpay.Client, context.Context, *unionpay.FollowUpRequest) (*unionpay.Result, error)) do {
		return func(ctx context.Context, c *unionpay.Client, b braced) (*unionpay.Result, error) {
			r := followUp()
			r.Reserved, r.RiskRateInfo, r.Extra = b.reserved, b.risk, b.extra
			return m(c, ctx, r)
		}
	}
	cd := func(m func(*unionpay.Client, context.Context, *unionpay.CardRequest) (*unionpay.Result, error)) do {
		return func(ctx context.Context, c *unionpay.Client, b braced) (*unionpay.Result, error) {
			r := cardReq()
			r.Reserved, r.RiskRateInfo, r.Extra = b.reserved, b.risk, b.extra
			return m(c, ctx, r)
		}
	}
	ac := func(m func(*unionpay.Client, context.Context, *unionpay.AccountRequest) (*unionpay.Result, error)) do {
		return func(ctx context.Context, c *unionpay.Client, b braced) (*unionpay.Result, error) {
			r := accountReq()
			r.Reserved, r.RiskRateInfo, r.Extra = b.reserved, b.risk, b.extra
			r.AccType, r.ReqReserved = b.accType, b.reqReserved
			return m(c, ctx, r)
		}
	}
	return []bracedOp{
		{"consume cancel", false, fu((*unionpay.Client).CancelConsume)},
		{"refund", false, fu((*unionpay.Client).Refund)},
		{"pre-auth completion", false, fu((*unionpay.Client).CompletePreAuth)},
		{"pre-auth cancel", false, fu((*unionpay.Client).CancelPreAuth)},
		{"completion cancel", false, fu((*unionpay.Client).CancelPreAuthCompletion)},
		{"back consume", false, cd((*unionpay.Client).BackConsume)},
		{"collection", false, cd((*unionpay.Client).Collect)},
		{"payout", false, cd((*unionpay.Client).Payout)},
		{"real-name auth", true, ac((*unionpay.Client).RealNameAuth)},
		{"sms", true, ac((*unionpay.Client).SendSMS)},
		{"open", true, ac(openCardResult)},
	}
}

// lastBody is the POST body of the gateway's last request, as the client encoded it.
func (g *gateway) lastBody() string {
	g.mu.Lock()
	defer g.mu.Unlock()
	require.NotEmpty(g.t, g.bodies, "gateway received no request")
	return g.bodies[len(g.bodies)-1]
}

// Every back-end request type sends Reserved and RiskRateInfo in UnionPay's braced form, keys
// sorted and blank pairs left out, signed (the gateway verifies every request) and URL-encoded in
// the body; an AccountRequest sends AccType and ReqReserved too.
func TestBackReservedWire(t *testing.T) {
	t.Parallel()
	b := braced{
		reserved: sign.Fields{"comDebitCardAccName": "某某公司", "businessLicenseRegNo": "91310000", "blank": " "},
		risk:     sign.Fields{"commodityName": "课程"}, accType: " 04 ", reqReserved: " cart=42 ",
	}
	const (
		wantReserved = "{businessLicenseRegNo=91310000&comDebitCardAccName=某某公司}"
		wantRisk     = "{commodityName=课程}"
		// The same, as the body carries them: Java's URLEncoder, in UTF-8.
		bodyReserved = "reserved=%7BbusinessLicenseRegNo%3D91310000%26comDebitCardAccName%3D%E6%9F%90%E6%9F%90%E5%85%AC%E5%8F%B8%7D"
		bodyRisk     = "riskRateInfo=%7BcommodityName%3D%E8%AF%BE%E7%A8%8B%7D"
	)
	for _, op := range bracedOps() {
		t.Run(op.name, func(t *testing.T) {
			t.Parallel()
			g := newGateway(t, accept(nil))
			c := newTestClient(t, g)
			_, err := op.do(context.Background(), c, b)
			require.NoError(t, err)
			req, body := g.last(), g.lastBody()
			assert.Equal(t, wantReserved, req["reserved"])
			assert.Equal(t, wantRisk, req["riskRateInfo"])
			assert.Contains(t, "&"+body+"&", "&"+bodyReserved+"&")
			assert.Contains(t, "&"+body+"&", "&"+bodyRisk+"&")
			if op.account {
				assert.Equal(t, "04", req["accType"])
				assert.Equal(t, "cart=42", req["reqReserved"])
				assert.Contains(t, "&"+body+"&", "&accType=04&")
				assert.Contains(t, "&"+body+"&", "&reqReserved=cart%3D42&")
			}
		})
	}
}

// A key or value the braced form cannot carry (& = { } [ ], a control character, a blank key),
// an AccType that is not two digits and a ReqReserved UnionPay cannot echo are refused before
// anything is sent, naming the field.
func TestBackReservedRefused(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		b        braced
		account  bool // an AccountRequest-only case
		wantFld  string
		inReason string
	}{
		{"ampersand in a key", braced{reserved: sign.Fields{"x&y": "1"}}, false, "Reserved", "& = { } [ ]"},
		{"equals in a key", braced{reserved: sign.Fields{"x=y": "1"}}, false, "Reserved", "& = { } [ ]"},
		{"brace in a value", braced{risk: sign.Fields{"commodityName": "a}b"}}, false, "RiskRateInfo", "& = { } [ ]"},
		{"bracket in a value", braced{risk: sign.Fields{"commodityName": "[x"}}, false, "RiskRateInfo", "& = { } [ ]"},
		{"blank key", braced{reserved: sign.Fields{" ": "1"}}, false, "Reserved", "blank"},
		{"line break in a value", braced{reserved: sign.Fields{"k": "a\nb"}}, false, "Reserved", "control"},
		{"invalid UTF-8", braced{risk: sign.Fields{"commodityName": "\xff"}}, false, "RiskRateInfo", "UTF-8"},
		{"accType not two digits", braced{accType: "1"}, true, "AccType", "two digits"},
		{"accType letters", braced{accType: "ab"}, true, "AccType", "two digits"},
		{"reqReserved with &", braced{reqReserved: "a=1&b=2"}, true, "ReqReserved", "& { } [ ]"},
		{"reqReserved too long", braced{reqReserved: strings.Repeat("x", 1025)}, true, "ReqReserved", "1024"},
	}
	for _, op := range bracedOps() {
		t.Run(op.name, func(t *testing.T) {
			t.Parallel()
			g := newGateway(t, accept(nil))
			c := newTestClient(t, g)
			for _, tt := range tests {
				if tt.account && !op.account {
					continue
				}
				_, err := op.do(context.Background(), c, tt.b)
				var re *unionpay.RequestError
				require.ErrorAs(t, err, &re, tt.name)
				assert.Equal(t, tt.wantFld, re.Field, tt.name)
				assert.Contains(t, re.Reason, tt.inReason, tt.name)
			}
			assert.Zero(t, g.count(), "nothing sent")
		})
	}
}

// Extra["reserved"] and Extra["riskRateInfo"] (and, on an AccountRequest, Extra["accType"] and
// Extra["reqReserved"]), which callers had to use before the fields were modelled, are still sent
// while the typed field sends nothing; given with a typed field that sends something, they are
// refused as a collision naming Extra's key, and nothing is sent.
func TestBackReservedExtraCompat(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		b       braced
		account bool
		key     string // the wire field to check
		want    string // what it carries; "" with wantFld
		wantFld string // the field a *RequestError names
		reason  string // in its Reason; "" = "collides"
	}{
		{"Extra reserved alone", braced{extra: sign.Fields{"reserved": "{legacy=1}"}}, false, "reserved", "{legacy=1}", "", ""},
		{"Extra riskRateInfo alone", braced{extra: sign.Fields{"riskRateInfo": "{commodityName=旧}"}}, false, "riskRateInfo", "{commodityName=旧}", "", ""},
		{"Extra reserved, Reserved empty", braced{reserved: sign.Fields{}, extra: sign.Fields{"reserved": "{legacy=1}"}}, false, "reserved", "{legacy=1}", "", ""},
		{"Extra reserved, Reserved only blank pairs", braced{reserved: sign.Fields{"cardNumberLock": " "}, extra: sign.Fields{"reserved": "{legacy=1}"}}, false, "reserved", "{legacy=1}", "", ""},
		{"typed reserved alone", braced{reserved: sign.Fields{"b": "2", "a": "1"}}, false, "reserved", "{a=1&b=2}", "", ""},
		{"both reserved", braced{reserved: sign.Fields{"a": "1"}, extra: sign.Fields{"reserved": "{a=1}"}}, false, "", "", `Extra["reserved"]`, ""},
		{"both reserved, Extra blank", braced{reserved: sign.Fields{"a": "1"}, extra: sign.Fields{"reserved": " "}}, false, "", "", `Extra["reserved"]`, ""},
		{"both riskRateInfo", braced{risk: sign.Fields{"commodityName": "新"}, extra: sign.Fields{"riskRateInfo": "{commodityName=旧}"}}, false, "", "", `Extra["riskRateInfo"]`, ""},
		{"Extra accType alone", braced{extra: sign.Fields{"accType": "01"}}, true, "accType", "01", "", ""},
		{"Extra accType, AccType blank", braced{accType: " ", extra: sign.Fields{"accType": "01"}}, true, "accType", "01", "", ""},
		{"both accType", braced{accType: "01", extra: sign.Fields{"accType": "01"}}, true, "", "", `Extra["accType"]`, ""},
		{"Extra reqReserved alone", braced{extra: sign.Fields{"reqReserved": "cart=42"}}, true, "reqReserved", "cart=42", "", ""},
		{"Extra reqReserved still checked", braced{extra: sign.Fields{"reqReserved": "a&b"}}, true, "", "", `Extra["reqReserved"]`, "& { } [ ]"},
		{"both reqReserved", braced{reqReserved: "x", extra: sign.Fields{"reqReserved": "y"}}, true, "", "", `Extra["reqReserved"]`, ""},
	}
	for _, op := range bracedOps() {
		t.Run(op.name, func(t *testing.T) {
			t.Parallel()
			g := newGateway(t, accept(nil))
			c := newTestClient(t, g)
			for _, tt := range tests {
				if tt.account && !op.account {
					continue
				}
				before := g.count()
				_, err := op.do(context.Background(), c, tt.b)
				if tt.wantFld != "" {
					var re *unionpay.RequestError
					require.ErrorAs(t, err, &re, tt.name)
					assert.Equal(t, tt.wantFld, re.Field, tt.name)
					reason := tt.reason
					if reason == "" {
						reason = "collides with a modelled field"
					}
					assert.Contains(t, re.Reason, reason, tt.name)
					assert.Equal(t, before, g.count(), "%s: nothing sent", tt.name)
					continue
				}
				require.NoError(t, err, tt.name)
				assert.Equal(t, tt.want, g.last()[tt.key], tt.name)
			}
		})
	}
}

// A consume's Extra["reserved"] still collides with ConsumeRequest.Reserved, which has always
// been modelled there: the compatibility rule is for the request types that lacked the field.
func TestConsumeExtraReservedStillCollides(t *testing.T) {
	t.Parallel()
	g := newGateway(t, accept(nil))
	c := newTestClient(t, g)
	_, err := c.FrontConsume(&unionpay.ConsumeRequest{OrderID: testOrder, Amount: 100, FrontURL: testNotify,
		BackURL: testNotify, Extra: sign.Fields{"reserved": "{cardNumberLock=1}"}})
	var re *unionpay.RequestError
	require.ErrorAs(t, err, &re)
	assert.Equal(t, `Extra["reserved"]`, re.Field)
}

// The new fields show in the requests' JSON and log values with their keys and every value as
// "***": reserved can hold a payee's account name, riskRateInfo the shopper's personal data (see
// redact_pii_test.go for every request type and rendering). AccType and ReqReserved show as they
// are.
func TestBackReservedLogged(t *testing.T) {
	t.Parallel()
	res := sign.Fields{"comDebitCardAccName": "某某公司"}
	risk := sign.Fields{"commodityName": "课程"}
	card := cardReq()
	card.Reserved, card.RiskRateInfo = res, risk
	acct := accountReq()
	acct.Reserved, acct.RiskRateInfo, acct.AccType, acct.ReqReserved = res, risk, "01", "cart42"
	for name, v := range map[string]any{"CardRequest": card, "AccountRequest": acct} {
		var buf bytes.Buffer
		slog.New(slog.NewJSONHandler(&buf, nil)).Info("req", "r", v)
		b, err := json.Marshal(v)
		require.NoError(t, err)
		for out, s := range map[string]string{"slog": buf.String(), "json": string(b)} {
			assert.Contains(t, s, `"Reserved":{"comDebitCardAccName":"***"}`, "%s %s", name, out)
			assert.Contains(t, s, `"RiskRateInfo":{"commodityName":"***"}`, "%s %s", name, out)
			assert.NotContains(t, s, "某某公司", "%s %s", name, out)
			assert.NotContains(t, s, "课程", "%s %s", name, out)
			assert.NotContains(t, s, "6216261000000000018", "%s %s", name, out)
		}
		if name == "AccountRequest" {
			assert.Contains(t, buf.String(), `"AccType":"01"`)
			assert.Contains(t, buf.String(), `"ReqReserved":"cart42"`)
			assert.Contains(t, acct.String(), "AccType:01")
		}
	}
}

// recorder passes requests through, keeping their bodies.
type recorder struct {
	mu     sync.Mutex
	next   http.RoundTripper
	bodies []string
}

func (r *recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	body, err := io.ReadAll(req.Body)
	if err != nil {
		return nil, err
	}
	r.mu.Lock()
	r.bodies = append(r.bodies, string(body))
	r.mu.Unlock()
	req = req.Clone(req.Context())
	req.Body = io.NopCloser(bytes.NewReader(body))
	return r.next.RoundTrip(req)
}

// The fake gateway takes the typed fields: a corporate payout with its reserved, a refund with
// riskRateInfo and a payout's real-name authentication with AccType and ReqReserved all go
// through, sending the braced forms.
func TestE2EBackReserved(t *testing.T) {
	t.Parallel()
	e := newE2E(t)
	rec := &recorder{}
	c := e.client(t, func(cfg *unionpay.Config) {
		hc := *cfg.HTTPClient
		rec.next = hc.Transport
		if rec.next == nil {
			rec.next = http.DefaultTransport
		}
		hc.Transport = rec
		cfg.HTTPClient = &hc
	})
	ctx := context.Background()

	payout := e.card(e.order("CORP"), 500)
	payout.AccType, payout.Customer = "04", nil
	payout.Reserved = sign.Fields{"comDebitCardAccName": "某某公司", "businessLicenseRegNo": "91310000"}
	_, err := c.Payout(ctx, payout)
	require.NoError(t, err)

	form, err := c.FrontConsume(e.consumeReq(e.order("PAY"), 1000))
	require.NoError(t, err)
	paid := e.paid(t, form)
	refund := e.followUp(e.order("RFD"), paid.QueryID, 100)
	refund.RiskRateInfo = sign.Fields{"commodityName": "退课"}
	_, err = c.Refund(ctx, refund)
	require.NoError(t, err)

	auth := &unionpay.AccountRequest{OrderID: e.order("AUTH"), AccNo: unionpaytest.TestCard, BizType: unionpay.BizTypePayout,
		AccType: "01", ReqReserved: "cart42", Customer: &unionpay.Customer{IDType: "01", IDNumber: "341126197709218366", Name: "互联网"}}
	res, err := c.RealNameAuth(ctx, auth)
	require.NoError(t, err)
	assert.Equal(t, "00", res.RespCode)

	rec.mu.Lock()
	all := strings.Join(rec.bodies, "\n")
	rec.mu.Unlock()
	assert.Contains(t, all, "reserved=%7BbusinessLicenseRegNo%3D91310000%26comDebitCardAccName%3D%E6%9F%90%E6%9F%90%E5%85%AC%E5%8F%B8%7D")
	assert.Contains(t, all, "riskRateInfo=%7BcommodityName%3D%E9%80%80%E8%AF%BE%7D")
	assert.Contains(t, all, "accType=01")
	assert.Contains(t, all, "reqReserved=cart42")
}

// Extra["reserved"] given with a Reserved that sends something is refused in legacyExtra's
// words, naming the typed field to keep ("set only one"), not addExtra's bare collision.
func TestReview15bExtraCollisionNamesTypedField(t *testing.T) {
	t.Parallel()
	for _, op := range bracedOps() {
		g := newGateway(t, accept(nil))
		c := newTestClient(t, g)
		_, err := op.do(context.Background(), c, braced{risk: sign.Fields{"commodityName": "课程"},
			extra: sign.Fields{"riskRateInfo": "{commodityName=课程}"}})
		var re *unionpay.RequestError
		require.ErrorAs(t, err, &re, op.name)
		assert.Equal(t, `Extra["riskRateInfo"]`, re.Field, op.name)
		assert.Contains(t, re.Reason, "RiskRateInfo, which is given (set only one)", op.name)
	}
}

// In GBK, the typed reserved fields go out in GBK and verify at the gateway; a character GBK
// lacks is refused naming the typed field; AccountRequest.ReqReserved's 1024 bytes are counted
// in GBK (512 Chinese characters fit, 513 do not), as the other requests' are.
func TestReview15bBackReservedGBK(t *testing.T) {
	t.Parallel()
	gbk := func(cfg *unionpay.Config) { cfg.Encoding = "GBK" }
	for _, op := range bracedOps() {
		g := newGateway(t, accept(nil))
		c := newTestClient(t, g, gbk)
		_, err := op.do(context.Background(), c, braced{reserved: sign.Fields{"comDebitCardAccName": "某某公司"},
			risk: sign.Fields{"commodityName": "课程"}})
		require.NoError(t, err, op.name)
		assert.Equal(t, "{comDebitCardAccName=某某公司}", g.last()["reserved"], op.name)
		assert.Equal(t, "{commodityName=课程}", g.last()["riskRateInfo"], op.name)

		_, err = op.do(context.Background(), c, braced{risk: sign.Fields{"commodityName": "课😀"}})
		var re *unionpay.RequestError
		require.ErrorAs(t, err, &re, op.name)
		assert.Equal(t, "RiskRateInfo", re.Field, op.name)
		assert.Contains(t, re.Reason, "GBK", op.name)
		if op.account {
			_, err = op.do(context.Background(), c, braced{reqReserved: strings.Repeat("中", 512)})
			require.NoError(t, err, op.name)
			_, err = op.do(context.Background(), c, braced{reqReserved: strings.Repeat("中", 513)})
			require.ErrorAs(t, err, &re, op.name)
			assert.Equal(t, "ReqReserved", re.Field, op.name)
			assert.Contains(t, re.Reason, "GBK", op.name)
		}
	}
}
