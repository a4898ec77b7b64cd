package unionpay_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	xhtml "golang.org/x/net/html"
	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/goacp/unionpay/sign"
	"github.com/goacp/unionpay/unionpay"
)

func consumeReq() *unionpay.ConsumeRequest {
	return &unionpay.ConsumeRequest{
		OrderID: testOrder, Amount: 1000, FrontURL: "https://merchant.example/return", BackURL: testNotify,
		PayTimeout:   testNow.Add(15 * time.Minute),
		ReqReserved:  `<script>alert("x")</script>'`,
		RiskRateInfo: sign.Fields{"commodityName": "测试商品"},
		Reserved:     sign.Fields{"cardNumberLock": "1"},
		OrderDesc:    "a \"quoted\" <desc> & more",
	}
}

func TestFrontForms(t *testing.T) {
	t.Parallel()
	g := newGateway(t, accept(nil))
	c := newTestClient(t, g)
	tests := []struct {
		name                      string
		build                     func(*unionpay.ConsumeRequest) (*unionpay.Form, error)
		channel                   unionpay.Channel
		installments              bool
		txnType, txnSubType, chTy string
	}{
		{"PC consume", c.FrontConsume, "", false, "01", "01", "07"},
		{"WAP consume", c.FrontConsume, unionpay.ChannelMobile, false, "01", "01", "08"},
		{"PC installments", c.FrontConsume, unionpay.ChannelPC, true, "01", "03", "07"},
		{"PC pre-auth", c.FrontPreAuth, "", false, "02", "01", "07"},
		{"WAP pre-auth", c.FrontPreAuth, unionpay.ChannelMobile, false, "02", "01", "08"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := consumeReq()
			r.Channel, r.Installments = tt.channel, tt.installments
			form, err := tt.build(r)
			require.NoError(t, err)
			f := form.Fields
			assert.Equal(t, g.srv.URL+"/gateway/api/frontTransReq.do", form.Action)
			assert.Equal(t, tt.txnType, f["txnType"])
			assert.Equal(t, tt.txnSubType, f["txnSubType"])
			assert.Equal(t, "000201", f["bizType"])
			assert.Equal(t, tt.chTy, f["channelType"])
			assert.Equal(t, "1000", f["txnAmt"])
			assert.Equal(t, "156", f["currencyCode"])
			assert.Equal(t, "20240105103000", f["txnTime"])
			assert.Equal(t, "20240105104500", f["payTimeout"])
			assert.Equal(t, "{commodityName=测试商品}", f["riskRateInfo"])
			assert.Equal(t, "{cardNumberLock=1}", f["reserved"])
			assert.Equal(t, testOrder, form.OrderID)
			assert.Equal(t, "20240105103000", form.TxnTime.Format("20060102150405"))
			_, err = g.verifier.Verify(f)
			require.NoError(t, err, "the form's fields are signed")
		})
	}
}

var inputRE = regexp.MustCompile(`<input type="hidden" name="([^"]*)" value="([^"]*)">`)

func TestFormHTMLEscapesAndRoundTrips(t *testing.T) {
	t.Parallel()
	g := newGateway(t, accept(nil))
	c := newTestClient(t, g)
	form, err := c.FrontConsume(consumeReq())
	require.NoError(t, err)
	page := string(form.HTML())
	assert.NotContains(t, page, "<script>alert")
	assert.Contains(t, page, `&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;&#39;`)
	assert.Contains(t, page, `&lt;desc&gt; &amp; more`)
	assert.Contains(t, page, `action="`+form.Action+`"`)
	assert.Contains(t, page, `charset=UTF-8`)
	assert.Contains(t, page, `document.getElementById("pay_form").submit()`)
	// What the browser submits (entities decoded) is exactly what was signed.
	got := sign.Fields{}
	for _, m := range inputRE.FindAllStringSubmatch(page, -1) {
		got[html.UnescapeString(m[1])] = html.UnescapeString(m[2])
	}
	assert.Equal(t, form.Fields, got)
	_, err = g.verifier.Verify(got)
	require.NoError(t, err)
}

func TestFormGBKPage(t *testing.T) {
	t.Parallel()
	g := newGateway(t, accept(nil))
	c := newTestClient(t, g, func(cfg *unionpay.Config) { cfg.Encoding = "GBK" })
	form, err := c.FrontConsume(consumeReq())
	require.NoError(t, err)
	page, err := simplifiedchinese.GBK.NewDecoder().Bytes(form.HTML())
	require.NoError(t, err)
	assert.Contains(t, string(page), "测试商品")
	assert.Contains(t, string(page), `charset=GBK`)
	assert.NotContains(t, string(form.HTML()), "测试商品", "the page bytes are GBK")
}

func TestFormServeHTTP(t *testing.T) {
	t.Parallel()
	g := newGateway(t, accept(nil))
	c := newTestClient(t, g)
	form, err := c.FrontPreAuth(consumeReq())
	require.NoError(t, err)
	rec := httptest.NewRecorder()
	form.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/pay", nil))
	res := rec.Result()
	body, err := io.ReadAll(res.Body)
	require.NoError(t, err)
	assert.Equal(t, http.StatusOK, res.StatusCode)
	assert.Equal(t, "text/html; charset=UTF-8", res.Header.Get("Content-Type"))
	assert.Equal(t, "no-store", res.Header.Get("Cache-Control"))
	assert.Equal(t, string(form.HTML()), string(body))
	assert.Equal(t, "default-src 'none'; script-src "+unionpay.FormScriptHash+"; base-uri 'none'",
		res.Header.Get("Content-Security-Policy"))
}

// TestFormScriptHash checks FormScriptHash against the script of the page, in both charsets, as a
// browser computes it: SHA-256 of the bytes between <script> and </script>, in standard base64.
func TestFormScriptHash(t *testing.T) {
	t.Parallel()
	g := newGateway(t, accept(nil))
	for _, enc := range []string{"UTF-8", "GBK"} {
		t.Run(enc, func(t *testing.T) {
			c := newTestClient(t, g, func(cfg *unionpay.Config) { cfg.Encoding = enc })
			form, err := c.FrontConsume(consumeReq())
			require.NoError(t, err)
			page := string(form.HTML())
			require.Equal(t, 1, strings.Count(page, "<script>"), "one script")
			_, rest, _ := strings.Cut(page, "<script>")
			script, _, ok := strings.Cut(rest, "</script>")
			require.True(t, ok)
			sum := sha256.Sum256([]byte(script))
			assert.Equal(t, "'sha256-"+base64.StdEncoding.EncodeToString(sum[:])+"'", unionpay.FormScriptHash)
		})
	}
}

func TestFrontValidation(t *testing.T) {
	t.Parallel()
	g := newGateway(t, accept(nil))
	c := newTestClient(t, g)
	tests := []struct {
		name  string
		edit  func(*unionpay.ConsumeRequest)
		field string
	}{
		{"no frontUrl", func(r *unionpay.ConsumeRequest) { r.FrontURL = "" }, "FrontURL"},
		{"relative frontUrl", func(r *unionpay.ConsumeRequest) { r.FrontURL = "/return" }, "FrontURL"},
		{"no backUrl", func(r *unionpay.ConsumeRequest) { r.BackURL = "" }, "BackURL"},
		{"bad risk info", func(r *unionpay.ConsumeRequest) { r.RiskRateInfo = sign.Fields{"commodityName": "a&b"} }, "RiskRateInfo"},
		{"bad reserved", func(r *unionpay.ConsumeRequest) { r.Reserved = sign.Fields{"x": "}"} }, "Reserved"},
		{"extra collides", func(r *unionpay.ConsumeRequest) { r.Extra = sign.Fields{"payTimeout": "1"} }, `Extra["payTimeout"]`},
		{"zero amount", func(r *unionpay.ConsumeRequest) { r.Amount = 0 }, "Amount"},
		{"payTimeout in the past", func(r *unionpay.ConsumeRequest) { r.PayTimeout = testNow.Add(-time.Minute) }, "PayTimeout"},
		// sent to the second: half a second after txnTime would be sent equal to it
		{"payTimeout within txnTime's second", func(r *unionpay.ConsumeRequest) { r.PayTimeout = testNow.Add(500 * time.Millisecond) }, "PayTimeout"},
		{"reqReserved with &", func(r *unionpay.ConsumeRequest) { r.ReqReserved = "a=1&b=2" }, "ReqReserved"},
		{"reqReserved with braces", func(r *unionpay.ConsumeRequest) { r.ReqReserved = "{x}" }, "ReqReserved"},
		// What the browser would not post unchanged (found in the third session's review).
		{"line feed in orderDesc", func(r *unionpay.ConsumeRequest) { r.OrderDesc = "line1\nline2" }, "OrderDesc"},
		{"carriage return in orderDesc", func(r *unionpay.ConsumeRequest) { r.OrderDesc = "line1\rline2" }, "OrderDesc"},
		{"NUL in orderDesc", func(r *unionpay.ConsumeRequest) { r.OrderDesc = "a\x00b" }, "OrderDesc"},
		{"invalid UTF-8 in orderDesc", func(r *unionpay.ConsumeRequest) { r.OrderDesc = "bad\xff" }, "OrderDesc"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := consumeReq()
			tt.edit(r)
			_, err := c.FrontConsume(r)
			var re *unionpay.RequestError
			require.ErrorAs(t, err, &re)
			assert.Equal(t, tt.field, re.Field)
		})
	}
	r := consumeReq()
	r.Installments = true
	_, err := c.FrontPreAuth(r)
	var re *unionpay.RequestError
	require.ErrorAs(t, err, &re)
	assert.Equal(t, "Installments", re.Field)
}

func TestFrontAccNoIsEncrypted(t *testing.T) {
	t.Parallel()
	g := newGateway(t, accept(nil))
	c := newTestClient(t, g)
	r := consumeReq()
	r.AccNo = "6216261000000000018"
	form, err := c.FrontConsume(r)
	require.NoError(t, err)
	assert.NotEqual(t, r.AccNo, form.Fields["accNo"])
	assert.Equal(t, "69683525138", form.Fields["encryptCertId"])
	assert.False(t, strings.Contains(string(form.HTML()), r.AccNo))
}

func TestAppConsume(t *testing.T) {
	t.Parallel()
	g := newGateway(t, accept(sign.Fields{"tn": "782401051030000000012"}))
	c := newTestClient(t, g)
	r := consumeReq()
	r.FrontURL = ""
	res, err := c.AppConsume(context.Background(), r)
	require.NoError(t, err)
	assert.Equal(t, "782401051030000000012", res.TN)
	assert.Equal(t, "/gateway/api/appTransReq.do", g.paths[0])
	assert.Equal(t, "08", g.last()["channelType"])
	assert.Equal(t, "01", g.last()["txnType"])

	noTN := newGateway(t, accept(nil))
	_, err = newTestClient(t, noTN).AppConsume(context.Background(), r)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "no tn")
}

// TestFormHTMLKeepsCRLF parses the page as a browser does: a literal CR LF
// inside an attribute would reach the gateway as LF and break the signature,
// so line breaks must travel as character references.
func TestFormHTMLKeepsCRLF(t *testing.T) {
	t.Parallel()
	form := &unionpay.Form{Action: "https://gateway.example/front", Fields: sign.Fields{
		"orderDesc": "line one\r\nline two", "reqReserved": "a\rb\nc", "orderId": "A0001",
	}}
	page := form.HTML()
	assert.NotContains(t, string(page), "\r")
	assert.NotContains(t, string(page), "\n")
	got := sign.Fields{}
	z := xhtml.NewTokenizer(bytes.NewReader(page))
	for tt := z.Next(); tt != xhtml.ErrorToken; tt = z.Next() {
		tok := z.Token()
		if tok.Type != xhtml.StartTagToken && tok.Type != xhtml.SelfClosingTagToken || tok.Data != "input" {
			continue
		}
		var name, value string
		for _, a := range tok.Attr {
			switch a.Key {
			case "name":
				name = a.Val
			case "value":
				value = a.Val
			}
		}
		if name != "" {
			got[name] = value
		}
	}
	assert.Equal(t, form.Fields, got)
}

// TestAppConsumeChecksFrontURL: AppConsume does not need a frontUrl, but one given is checked
// like every other URL (found in the third session's review: javascript:alert(1) was sent).
func TestAppConsumeChecksFrontURL(t *testing.T) {
	t.Parallel()
	g := newGateway(t, accept(sign.Fields{"tn": "1"}))
	c := newTestClient(t, g)
	r := consumeReq()
	r.FrontURL = "javascript:alert(1)"
	_, err := c.AppConsume(context.Background(), r)
	var re *unionpay.RequestError
	require.ErrorAs(t, err, &re)
	assert.Equal(t, "FrontURL", re.Field)
	assert.Equal(t, 0, g.count(), "nothing sent")
}

// Form.PayTimeout and AppResult.PayTimeout are the payTimeout sent, in Beijing time, for
// FrontBackoff; zero when none was sent.
func TestPayTimeoutReported(t *testing.T) {
	t.Parallel()
	g := newGateway(t, func(r sign.Fields) reply { return reply{fields: answerTo(r, "00", sign.Fields{"tn": "TN1"})} })
	c := newTestClient(t, g)
	at := testNow.Add(15*time.Minute + 300*time.Millisecond).UTC() // any zone: reported in Beijing time, to the second
	for _, tt := range []struct {
		name string
		set  time.Time
		want string // payTimeout sent; "" = none
	}{
		{"given", at, "20240105104500"},
		{"none", time.Time{}, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			req := &unionpay.ConsumeRequest{OrderID: testOrder, Amount: 100, FrontURL: testNotify, BackURL: testNotify,
				PayTimeout: tt.set}
			form, err := c.FrontConsume(req)
			require.NoError(t, err)
			app, err := c.AppConsume(context.Background(), req)
			require.NoError(t, err)
			if tt.want == "" {
				assert.True(t, form.PayTimeout.IsZero())
				assert.True(t, app.PayTimeout.IsZero())
				assert.NotContains(t, form.Fields, "payTimeout")
				assert.NotContains(t, g.last(), "payTimeout")
				return
			}
			assert.True(t, form.PayTimeout.Equal(tt.set.Truncate(time.Second)), "what was sent")
			assert.Equal(t, tt.want, form.PayTimeout.Format("20060102150405"), "Beijing time")
			assert.Equal(t, tt.want, form.Fields["payTimeout"])
			assert.True(t, app.PayTimeout.Equal(tt.set.Truncate(time.Second)))
			assert.Equal(t, tt.want, g.last()["payTimeout"])
			assert.Contains(t, form.String(), "PayTimeout:"+tt.want)
		})
	}
}

// IssInsCode is at most 20 letters or digits.
func TestReviewGapIssInsCodeLength(t *testing.T) {
	p := newAVProbe(t, func(c *unionpay.Config) { c.PlainCardData = true })
	_, err := p.c.FrontConsume(&unionpay.ConsumeRequest{OrderID: p.oid(), Amount: 100,
		FrontURL: "https://merchant.example/return", BackURL: avBack, IssInsCode: strings.Repeat("A", 21)})
	if err == nil {
		t.Error("IssInsCode of 21 letters accepted")
	}
}

// formInputs parses page as a browser would and returns the form's action
// and hidden inputs, and the number of script elements.
func formInputs(t *testing.T, page []byte) (action string, inputs sign.Fields, scripts int) {
	t.Helper()
	doc, err := xhtml.Parse(bytes.NewReader(page))
	require.NoError(t, err)
	inputs = sign.Fields{}
	var walk func(*xhtml.Node)
	walk = func(n *xhtml.Node) {
		if n.Type == xhtml.ElementNode {
			attrs := map[string]string{}
			for _, a := range n.Attr {
				attrs[a.Key] = a.Val
			}
			switch n.Data {
			case "form":
				action = attrs["action"]
			case "input":
				if attrs["type"] == "hidden" {
					_, dup := inputs[attrs["name"]]
					require.False(t, dup, "input %q twice", attrs["name"])
					inputs[attrs["name"]] = attrs["value"]
				}
			case "script":
				scripts++
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return action, inputs, scripts
}

// TestFormHTMLEscapesNamesAndAction: the action URL and the field names are
// escaped like the values, so that no text of a Form can open an element or
// attribute of its own, and the browser posts exactly Fields to Action.
func TestFormHTMLEscapesNamesAndAction(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		action string
		fields sign.Fields
	}{
		{"plain", "https://gateway.test.95516.com/gateway/api/frontTransReq.do", sign.Fields{"orderId": "20240105120000", "txnAmt": "1"}},
		{"action with quote and tag", `https://gw.example/pay?a=1&b="><script>alert(1)</script>`, sign.Fields{"orderId": "1"}},
		{"action with single quote", `https://gw.example/p'q`, sign.Fields{"orderId": "1"}},
		{"name with quote and tag", "https://gw.example/pay", sign.Fields{`x"><script>alert(1)</script>`: "1", "orderId": "1"}},
		{"name with ampersand entity", "https://gw.example/pay", sign.Fields{"a&amp;b": "1", "a<b>": "2"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := &unionpay.Form{Action: tc.action, Fields: tc.fields}
			action, inputs, scripts := formInputs(t, f.HTML())
			require.Equal(t, tc.action, action)
			require.Equal(t, tc.fields, inputs)
			require.Equal(t, 1, scripts, "only the submitting script")
		})
	}
}

// TestFormHTMLCharset: the page is rendered in the form's charset, "" being
// UTF-8 and the name GBK matched in any case, so that the bytes the browser
// posts are the ones signed.
func TestFormHTMLCharset(t *testing.T) {
	t.Parallel()
	const gbkText = "\xb3\xc9\xb9\xa6" // 成功 in GBK
	for _, tc := range []struct {
		encoding, charset string
		gbk               bool
	}{
		{"", "UTF-8", false},
		{"UTF-8", "UTF-8", false},
		{"GBK", "GBK", true},
		{"gbk", "gbk", true},
		{"Gbk", "Gbk", true},
	} {
		t.Run(tc.encoding, func(t *testing.T) {
			t.Parallel()
			f := &unionpay.Form{Action: "https://gw.example/pay", Encoding: tc.encoding, Fields: sign.Fields{"orderDesc": "成功"}}
			page := string(f.HTML())
			require.Contains(t, page, "charset="+tc.charset+`"`)
			if tc.gbk {
				require.Contains(t, page, gbkText)
				require.NotContains(t, page, "成功")
			} else {
				require.Contains(t, page, "成功")
				require.NotContains(t, page, gbkText)
			}
		})
	}
}

// TestFrontRefusesDELAndNamesSmallestField: DEL counts as a control
// character, and with several bad fields the error names the smallest key,
// whatever the map order.
func TestFrontRefusesDELAndNamesSmallestField(t *testing.T) {
	t.Parallel()
	g := newGateway(t, accept(nil))
	c := newTestClient(t, g)
	many := sign.Fields{}
	for i := range 9 {
		many[fmt.Sprintf("zBad%d", i)] = "a\nb"
	}
	for _, tc := range []struct {
		name  string
		desc  string
		extra sign.Fields
		field string
	}{
		{"DEL in orderDesc", "a\x7fb", nil, "OrderDesc"},
		{"DEL at the end", "ab\x7f", nil, "OrderDesc"},
		{"several bad fields", "line1\nline2", many, "OrderDesc"},
		{"a bad Extra value", "fine", sign.Fields{"zBad": "a\nb"}, `Extra["zBad"]`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			for range 8 { // map order varies from call to call
				r := consumeReq()
				r.OrderDesc = tc.desc
				r.Extra = tc.extra
				_, err := c.FrontConsume(r)
				var re *unionpay.RequestError
				require.ErrorAs(t, err, &re)
				require.Equal(t, tc.field, re.Field)
			}
		})
	}
}
