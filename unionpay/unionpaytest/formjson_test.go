package unionpaytest_test

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/encoding/htmlindex"

	"github.com/goacp/unionpay/unionpay"
	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

// spaForm is what the README's single-page-app recipe reads of a Form's JSON.
type spaForm struct {
	Action   string
	Fields   map[string]string
	Encoding string
}

// browserBody encodes fields as a browser submits a form in charset (the WHATWG encoder of that
// label; "" is UTF-8): application/x-www-form-urlencoded, each byte other than ASCII letters,
// digits and *-._ as %XX, a space as +.
func browserBody(t *testing.T, fields map[string]string, charset string) string {
	t.Helper()
	if charset == "" {
		charset = "UTF-8"
	}
	enc, err := htmlindex.Get(charset)
	require.NoError(t, err)
	var b strings.Builder
	for name, value := range fields {
		if b.Len() > 0 {
			b.WriteByte('&')
		}
		for i, s := range []string{name, value} {
			if i == 1 {
				b.WriteByte('=')
			}
			raw, err := enc.NewEncoder().String(s)
			require.NoError(t, err)
			for _, c := range []byte(raw) {
				switch {
				case c == ' ':
					b.WriteByte('+')
				case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9', strings.IndexByte("*-._", c) >= 0:
					b.WriteByte(c)
				default:
					b.WriteString("%" + strings.ToUpper(string("0123456789abcdef"[c>>4])+string("0123456789abcdef"[c&15])))
				}
			}
		}
	}
	return b.String()
}

// TestFormJSONPostedAsABrowserDoes follows the README's single-page-app recipe: the Form goes to
// the app as JSON, the app posts Fields to Action in Encoding as a browser submits a form, and the
// fake gateway verifies it and opens its cashier, in UTF-8 and GBK, with hostile values (quotes,
// markup, U+2028, which JSON escapes). Posted in UTF-8, a GBK form is refused: the encoding is
// part of the recipe. Posted again while unpaid, the form reopens the same cashier; once paid,
// it is refused as a duplicate (12), as the README says.
func TestFormJSONPostedAsABrowserDoes(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, encoding, postIn, orderDesc string
		refused                           bool
	}{
		{"UTF-8", "", "", "a \"quoted\" <desc> & more\u2028</script>", false},
		{"GBK", "GBK", "GBK", "测试商品 'x' & <y>", false},
		{"GBK form posted in UTF-8", "GBK", "UTF-8", "测试商品", true},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv, _, c0 := clientGateway(t)
			cfg := srv.Config()
			cfg.Encoding = tt.encoding
			c, err := unionpay.NewClient(cfg)
			require.NoError(t, err)
			orderID := "SPAJSON0000" + string(rune('1'+i))
			now := c0.Now()
			form, err := c.FrontConsume(&unionpay.ConsumeRequest{OrderID: orderID, Amount: 12800, TxnTime: now,
				FrontURL: "https://shop.example.com/unionpay/return/" + orderID, BackURL: "https://shop.example.com/unionpay/notify",
				PayTimeout: now.Add(15 * time.Minute), OrderDesc: tt.orderDesc, ReqReserved: "spa 'app' <x>"})
			require.NoError(t, err)
			js, err := json.Marshal(form)
			require.NoError(t, err)

			var app spaForm
			require.NoError(t, json.Unmarshal(js, &app))
			post := func() string {
				t.Helper()
				resp, err := srv.HTTPClient().Post(app.Action, "application/x-www-form-urlencoded",
					strings.NewReader(browserBody(t, app.Fields, tt.postIn)))
				require.NoError(t, err)
				defer resp.Body.Close()
				page, err := io.ReadAll(resp.Body)
				require.NoError(t, err)
				require.Equal(t, http.StatusOK, resp.StatusCode)
				return string(page)
			}
			page := post()
			if tt.refused {
				assert.NotContains(t, page, `id="pay"`)
				assert.Contains(t, page, `data-respcode="`+unionpaytest.CodeBadSignature+`"`)
				return
			}
			require.Contains(t, page, `id="pay"`, "the cashier: the posted form verified")
			assert.Contains(t, page, `<span id="orderId">`+orderID+`</span>`)
			session := sessionOf(t, page)
			assert.Equal(t, session, sessionOf(t, post()), "posted again while unpaid: the same cashier")

			code, err := srv.Complete(orderID, "")
			require.NoError(t, err)
			require.Equal(t, "00", code)
			assert.Contains(t, post(), `data-respcode="`+unionpaytest.CodeDuplicate+`"`, "posted again once paid: a duplicate")
		})
	}
}

func sessionOf(t *testing.T, page string) string {
	t.Helper()
	_, rest, ok := strings.Cut(page, `name="session" value="`)
	require.True(t, ok, "no cashier session in %s", page)
	session, _, _ := strings.Cut(rest, `"`)
	return session
}
