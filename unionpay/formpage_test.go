package unionpay_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	xhtml "golang.org/x/net/html"
	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/goacp/unionpay/sign"
	"github.com/goacp/unionpay/unionpay"
)

// TestFormPageWithoutScript parses Form.HTML's page as a browser whose scripting is on does (so
// <noscript> content is not shown): when its one script does not run (blocked by a policy that
// lacks FormScriptHash), the shopper still sees text and a submit button, which has no name (it
// posts no field), so the form posts exactly the signed fields. The page declares its language
// and a mobile viewport, in UTF-8 and GBK, with hostile values (quotes, markup, U+2028). (The
// page's only button was inside <noscript>: a blocked script left a blank page.)
func TestFormPageWithoutScript(t *testing.T) {
	t.Parallel()
	g := newGateway(t, accept(nil))
	tests := []struct {
		name, encoding string
		channel        unionpay.Channel
		orderDesc      string
	}{
		{"PC, UTF-8", "UTF-8", unionpay.ChannelPC, "a \"quoted\" <desc> & more"},
		{"WAP, UTF-8", "", unionpay.ChannelMobile, "</form><script>alert(1)</script>"},
		{"PC, GBK", "GBK", unionpay.ChannelPC, "测试 'x' & <y>"},
		{"line and paragraph separators", "UTF-8", unionpay.ChannelMobile, "a\u2028b\u2029c\td"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := newTestClient(t, g, func(cfg *unionpay.Config) { cfg.Encoding = tt.encoding })
			r := consumeReq()
			r.Channel, r.OrderDesc = tt.channel, tt.orderDesc
			form, err := c.FrontConsume(r)
			require.NoError(t, err)
			page := form.HTML()
			if tt.encoding == "GBK" {
				page, err = simplifiedchinese.GBK.NewDecoder().Bytes(page)
				require.NoError(t, err)
			}
			doc, err := xhtml.ParseWithOptions(bytes.NewReader(page), xhtml.ParseOptionEnableScripting(true))
			require.NoError(t, err)

			var (
				lang, viewport, text string
				scripts              []string
				submits              []*xhtml.Node
				posted               = sign.Fields{}
			)
			var walk func(n *xhtml.Node, inNoscript bool)
			walk = func(n *xhtml.Node, inNoscript bool) {
				if n.Type == xhtml.TextNode && !inNoscript {
					if p := n.Parent; p != nil && p.Data != "script" && p.Data != "title" {
						text += n.Data
					}
				}
				if n.Type == xhtml.ElementNode {
					switch n.Data {
					case "html":
						lang = attr(n, "lang")
					case "meta":
						if attr(n, "name") == "viewport" {
							viewport = attr(n, "content")
						}
					case "script":
						scripts = append(scripts, n.FirstChild.Data)
					case "noscript":
						inNoscript = true
					case "button", "input":
						typ := strings.ToLower(attr(n, "type"))
						if !inNoscript && (typ == "submit" || n.Data == "button" && typ == "") {
							submits = append(submits, n)
						}
						if n.Data == "input" && typ == "hidden" {
							posted[attr(n, "name")] = attr(n, "value")
						}
					}
				}
				for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
					walk(ch, inNoscript)
				}
			}
			walk(doc, false)

			assert.Equal(t, "zh-CN", lang)
			assert.Contains(t, viewport, "width=device-width")
			require.Len(t, scripts, 1)
			sum := sha256.Sum256([]byte(scripts[0]))
			assert.Equal(t, "'sha256-"+base64.StdEncoding.EncodeToString(sum[:])+"'", unionpay.FormScriptHash)
			require.Len(t, submits, 1, "a submit button shown when the script does not run")
			assert.False(t, hasAttr(submits[0], "name"), "the button posts no field")
			assert.Contains(t, text, "Going to UnionPay")
			assert.Contains(t, text, "Continue")
			assert.Equal(t, form.Fields, posted, "the form posts the signed fields, unescaped")
		})
	}
}

func attr(n *xhtml.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func hasAttr(n *xhtml.Node, key string) bool {
	for _, a := range n.Attr {
		if a.Key == key {
			return true
		}
	}
	return false
}
