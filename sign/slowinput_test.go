//go:build !race

package sign

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/goacp/unionpay/internal/javagbk"
	"github.com/goacp/unionpay/internal/scaling"
)

// repeatPairs returns n pairs made by pair, joined with '&'.
func repeatPairs(n int, pair func(i int) string) []byte {
	var b bytes.Buffer
	for i := range n {
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString(pair(i))
	}
	return b.Bytes()
}

// TestSlowInputsForms: the form and raw decoders cost time and memory in proportion to their
// input, up to the 64 KiB notify.Handler reads, for the worst shapes found in the slow-input
// review: many tiny fields (in order, reversed, emptied), repeated keys, escapes, separators,
// regions, keys the ambiguity rule must look into, GBK. Sixteen times the input costs at most
// scaling.MaxGrowth times as much per byte; a quadratic path costs sixteen times as much.
func TestSlowInputsForms(t *testing.T) {
	if testing.Short() {
		t.Skip("times decoders: not with -short")
	}
	gbk, err := javagbk.NewEncoder().String("中文")
	if err != nil {
		t.Fatal(err)
	}
	pairs := func(pair func(i, n int) string) func(int) []byte {
		return func(n int) []byte { return repeatPairs(n, func(i int) string { return pair(i, n) }) }
	}
	value := func(unit string) func(int) []byte {
		return func(n int) []byte { return []byte("a=" + strings.Repeat(unit, n)) }
	}
	vc := NewValueCache("signPubKeyCert")
	form := func(b []byte) { _, _ = ParseForm(string(b)) }
	cached := func(b []byte) { _, _, _ = vc.ParseFormCanonical(bytes.Clone(b), nil) }
	raw := func(b []byte) {
		if f, err := ParseRaw(string(b)); err == nil {
			_ = Unambiguous(f)
			_, _ = Canonical(f)
		}
	}
	rows := []scaling.Row{
		scaling.NewRow("ParseForm", form, "tiny fields in order", pairs(func(i, _ int) string { return fmt.Sprintf("k%06d=1", i) }), 256),
		scaling.NewRow("ParseFormCanonical", cached, "tiny fields reversed", pairs(func(i, n int) string { return fmt.Sprintf("k%06d=1", n-i) }), 256),
		scaling.NewRow("ParseFormCanonical", cached, "empty values", pairs(func(i, n int) string { return fmt.Sprintf("k%06d=", n-i) }), 256),
		scaling.NewRow("ParseFormCanonical", cached, "one key repeated", pairs(func(int, int) string { return "orderId=1" }), 256),
		scaling.NewRow("ParseFormCanonical", cached, "a key repeated at the end", pairs(func(i, n int) string { return fmt.Sprintf("k%d=1", i%(n-1)) }), 256),
		scaling.NewRow("ParseFormCanonical", cached, "escaped '&' in keys", pairs(func(i, _ int) string { return fmt.Sprintf("k%d%%26=1", i) }), 256),
		scaling.NewRow("ParseForm", form, "non-printable keys", pairs(func(i, _ int) string { return fmt.Sprintf("k%d%%01=1", i) }), 256),
		scaling.NewRow("ParseFormCanonical", cached, "regions in values", pairs(func(i, _ int) string { return fmt.Sprintf("k%d=%%7Ba%%26b%%7D", i) }), 256),
		scaling.NewRow("ParseFormCanonical", cached, "GBK values", pairs(func(i, _ int) string {
			if i == 0 {
				return "encoding=GBK"
			}
			return fmt.Sprintf("k%d=%s", i, gbk)
		}), 256),
		scaling.NewRow("ParseFormCanonical", cached, "'%XX' escapes", value("%41"), 1<<10),
		scaling.NewRow("ParseFormCanonical", cached, "separators '&'", value("&"), 4<<10),
		scaling.NewRow("ParseFormCanonical", cached, "separators '='", value("="), 4<<10),
		scaling.NewRow("ParseFormCanonical", cached, "'{' and '&' in one region", value("{&"), 2<<10),
		scaling.NewRow("ParseFormCanonical", cached, "GBK lead bytes, escaped", func(n int) []byte { return []byte("encoding=GBK&a=" + strings.Repeat("%81%7B", n)) }, 512),
		scaling.NewRow("ParseRaw", raw, "tiny fields reversed", pairs(func(i, n int) string { return fmt.Sprintf("k%06d=1", n-i) }), 256),
		scaling.NewRow("ParseRaw", raw, "regions in values", pairs(func(i, _ int) string { return fmt.Sprintf("k%d={a&b}", i) }), 256),
		scaling.NewRow("ParseRaw", raw, "separators '='", value("="), 4<<10),
		scaling.NewRow("ParseRaw", raw, "an open '[' each", value("["), 4<<10),
		scaling.NewRow("DecodeBody", func(b []byte) { _, _ = DecodeBody(b, CharsetGBK) }, "GBK and a lone lead byte",
			func(n int) []byte { return bytes.Repeat([]byte(gbk+"\x81"), n) }, 1<<10),
	}
	scaling.CheckRows(t, rows)
}
