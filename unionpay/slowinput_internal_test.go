//go:build !race

package unionpay

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/goacp/unionpay/internal/scaling"
	"github.com/goacp/unionpay/internal/tokenpay"
)

// TestSlowInputsAnswers: what the client reads from UnionPay's answers and from the files it is
// given (fileContent, the error page of a proxy, tokenPayData, acp_sdk.properties) costs time and
// memory in proportion to its input, for the worst shapes found in the slow-input review: line
// breaks in base64, a file of zeros, unclosed tags and entities, GBK lead bytes alone, continued
// lines, escapes, lines of backslashes. Sixteen times the input costs at most scaling.MaxGrowth
// times as much per byte; a quadratic path costs sixteen times as much. (The answer itself is
// sign.DecodeBody and sign.ParseRaw: sign's TestSlowInputsForms.)
func TestSlowInputsAnswers(t *testing.T) {
	if testing.Short() {
		t.Skip("times decoders: not with -short")
	}
	repeat := func(unit string) func(int) []byte {
		return func(n int) []byte { return []byte(strings.Repeat(unit, n)) }
	}
	fileContent := func(b []byte) { _, _ = DecodeFileContent(string(b), 64<<20) }
	page := func(b []byte) { _ = pageText(b) }
	props := func(b []byte) { _, _ = parseProperties(decodeProperties(b)) }
	zeros := EncodeFileContent(make([]byte, 1<<10))
	rows := []scaling.Row{
		scaling.NewRow("DecodeFileContent", fileContent, "line breaks in base64", func(n int) []byte {
			return []byte(zeros[:4] + strings.Repeat("\r\n", n) + zeros[4:])
		}, 4<<10),
		scaling.NewRow("DecodeFileContent", fileContent, "line breaks after base64 of as many bytes", func(n int) []byte {
			b := make([]byte, n) // random: as long in base64, so many chunks, each before all the line breaks
			_, _ = rand.NewChaCha8([32]byte{3}).Read(b)
			return []byte(EncodeFileContent(b) + strings.Repeat("\n", n))
		}, 64<<10),
		scaling.NewRow("DecodeFileContent", fileContent, "a file of zeros (by its output)", func(n int) []byte {
			return []byte(EncodeFileContent(bytes.Repeat([]byte{0}, n)) + strings.Repeat("\n", n/1000))
		}, 64<<10),
		scaling.NewRow("pageText", page, "tags never closed", repeat("<a<b"), 1<<10),
		scaling.NewRow("pageText", page, "titles never closed", repeat("<title>"), 1<<10),
		scaling.NewRow("pageText", page, "comments never closed", repeat("<!--"), 1<<10),
		scaling.NewRow("pageText", page, "entities", repeat("&amp;&#"), 1<<10),
		scaling.NewRow("pageText", page, "GBK lead bytes alone", repeat("\x81"), 4<<10),
		scaling.NewRow("pageText", page, "card-like digit runs", repeat("6216 - 2610 \u200b"), 512),
		scaling.NewRow("tokenpay.Parse", func(b []byte) { _, _ = tokenpay.Parse(string(b)) }, "regions", func(n int) []byte {
			var b strings.Builder
			b.WriteString("{")
			for i := range n {
				fmt.Fprintf(&b, "k%d={&[&]&}&", i)
			}
			b.WriteString("z=1}")
			return []byte(b.String())
		}, 256),
		scaling.NewRow("parseProperties", props, "continued lines", repeat("a\\\n"), 4<<10),
		scaling.NewRow("parseProperties", props, "lines", repeat("a=b\n"), 1<<10),
		scaling.NewRow("parseProperties", props, "\\u escapes", func(n int) []byte { return []byte("a=" + strings.Repeat("\\u4e2d", n)) }, 1<<10),
		scaling.NewRow("parseProperties", props, "lines of backslashes", repeat(strings.Repeat("\\", 63)+"\n"), 64),
		scaling.NewRow("parseProperties", props, "ISO-8859-1 bytes", repeat("\xff"), 4<<10),
	}
	scaling.CheckRows(t, rows)
}
