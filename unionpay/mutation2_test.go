package unionpay_test

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	xhtml "golang.org/x/net/html"

	"github.com/goacp/unionpay/sign"
	"github.com/goacp/unionpay/unionpay"
)

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

// TestFormStringHidesCustomerInfo: a Form printed in any way shows neither
// customerInfo (base64 of the cardholder's name, ID number, phone...) nor a
// clear card number.
func TestFormStringHidesCustomerInfo(t *testing.T) {
	t.Parallel()
	const info = "e2NlcnRpZlRwPTAxJmNlcnRpZklkPTM0MTEyNjE5NzcwOTIxODM2Nn0="
	f := unionpay.Form{Action: "https://gw.example/pay", Fields: sign.Fields{
		"customerInfo": info, "accNo": "6216261000000000018", "orderId": "20240105120000",
	}}
	for _, format := range []string{"%v", "%+v", "%#v", "%s"} {
		t.Run(format, func(t *testing.T) {
			t.Parallel()
			for _, s := range []string{fmt.Sprintf(format, f), fmt.Sprintf(format, &f)} {
				require.NotContains(t, s, info)
				require.NotContains(t, s, info[:16])
				require.NotContains(t, s, "6216261000000000018")
				require.True(t, strings.Contains(s, "20240105120000"), s)
			}
		})
	}
}
