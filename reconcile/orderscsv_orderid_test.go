package reconcile

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestOrdersCSVOrderIDCharacters: an orderId holding a control character (C0, CR or LF in a
// quoted cell, DEL, C1), a format character (a bidi override, a zero-width space, a byte-order
// mark), white space or a byte that is not UTF-8 is refused as the row's first bad cell, an
// *OrderError matching ErrOrderIDChar whose *CSVError names line 3, column 1 and the character
// by its code and byte, and whose OrderID has the character escaped and is at most 64 bytes
// (whole when exactly 64, "..." included when cut; a U+FFFD in the file is a character, kept):
// neither the message nor the CSV report written from it carries the character. Letters,
// digits, punctuation and Chinese characters are read as before.
func TestOrdersCSVOrderIDCharacters(t *testing.T) {
	t.Parallel()
	const rest = ",20261125100000,1,01,succeeded"
	cases := []struct {
		name string
		cell string // the orderId cell as the file has it
		id   string // the OrderError's OrderID; "" for an order read
		want string // in the message; "" for an order read
	}{
		{"NUL", "SHOP\x000003", `SHOP\x000003`, "U+0000 at byte 5"},
		{"CR unquoted", "SHOP\r0003", `SHOP\r0003`, "U+000D at byte 5"},
		{"CR quoted", "\"SHOP0003\r\"", `SHOP0003\r`, "U+000D at byte 9"},
		{"LF quoted", "\"\nSHOP0003\"", `\nSHOP0003`, "U+000A at byte 1"},
		{"tab", "SHOP\t0003", `SHOP\t0003`, "U+0009 at byte 5"},
		{"escape sequence", "\x1b[31mSHOP0003", `\x1b[31mSHOP0003`, "U+001B at byte 1"},
		{"DEL", "SHOP0003\x7f", `SHOP0003\x7f`, "U+007F at byte 9"},
		{"C1 NEL", "SHOP\u00850003", `SHOP\u00850003`, "U+0085 at byte 5"},
		{"bidi override", "SHOP\u202e3000", `SHOP\u202e3000`, "U+202E at byte 5"},
		{"zero-width space", "SHOP\u200b0003", `SHOP\u200b0003`, "U+200B at byte 5"},
		{"byte-order mark", "\ufeffSHOP0003", `\ufeffSHOP0003`, "U+FEFF at byte 1"},
		{"trailing space", "SHOP0003 ", "SHOP0003 ", "U+0020 at byte 9"},
		{"full-width space", "SHOP\u30000003", `SHOP\u30000003`, "U+3000 at byte 5"},
		{"GBK bytes", "\xb5\xa5SHOP3", `\xB5\xA5SHOP3`, "the byte 0xB5 (not UTF-8) at byte 1"},
		{"past 32 bytes: the character, not the length", strings.Repeat("9", 40) + "\x00",
			strings.Repeat("9", 40) + `\x00`, "U+0000 at byte 41"},
		{"escaped past 64 bytes: cut", strings.Repeat("\x00", 100), strings.Repeat(`\x00`, 15) + "...", "U+0000 at byte 1"},
		{"escaped to exactly 64 bytes: whole", strings.Repeat("9", 60) + "\x00", strings.Repeat("9", 60) + `\x00`, "U+0000 at byte 61"},
		{"escaped to 65 bytes: cut", strings.Repeat("9", 61) + "\x00", strings.Repeat("9", 61) + "...", "U+0000 at byte 62"},
		{"U+FFFD kept, NUL escaped", "SHOP\uFFFD\x00", "SHOP\uFFFD" + `\x00`, "U+0000 at byte 8"},
		{"letters and digits", "SHOP0003", "", ""},
		{"U+FFFD (valid UTF-8) read", "SHOP\uFFFD0003", "", ""},
		{"punctuation", "SHOP-0003_A", "", ""},
		{"Chinese", "单号0003", "", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := ordersHead + orderRow1 + c.cell + rest + "\n" + orderRow2
			orders, errs, _ := readOrdersCSV(t, in)
			if c.want == "" {
				require.Empty(t, errs)
				require.Len(t, orders, 3)
				assert.Equal(t, c.cell, orders[1].OrderID)
				return
			}
			require.Len(t, errs, 1)
			assert.Len(t, orders, 2, "the rows around it are read")
			err := errs[0]
			require.ErrorIs(t, err, ErrOrderIDChar)
			oe, ok := errors.AsType[*OrderError](err)
			require.True(t, ok, "%T %v", err, err)
			assert.Equal(t, 1, oe.Index)
			assert.Equal(t, c.id, oe.OrderID)
			assert.LessOrEqual(t, len(oe.OrderID), maxShownCell)
			ce, ok := errors.AsType[*CSVError](err)
			require.True(t, ok)
			assert.Equal(t, 3, ce.Line)
			assert.Equal(t, 1, ce.Column)
			assert.Equal(t, "orderId", ce.Name)
			assert.Contains(t, err.Error(), "line 3, column 1 (orderId): orderId with a control, format, space or "+
				"non-UTF-8 character: "+c.want+" (UnionPay's orderId is 8 to 40 letters or digits)")
			assertShown(t, err.Error(), "the message")

			var buf bytes.Buffer
			rep, err := WriteCSV(&buf, Match(recordsOf(), OrdersCSV(strings.NewReader(in))))
			require.NoError(t, err)
			require.Equal(t, 1, rep.ErrorCount)
			assertShown(t, strings.ReplaceAll(buf.String(), "\n", ""), "the report")
		})
	}
}

// assertShown fails unless s is UTF-8 without a control, format or space character other than
// the ASCII space.
func assertShown(t *testing.T, s, what string) {
	t.Helper()
	require.True(t, utf8.ValidString(s), "%s is not UTF-8: %q", what, s)
	for _, r := range s {
		if r != ' ' && (unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || unicode.IsSpace(r)) {
			t.Fatalf("%s carries %U: %q", what, r, s)
		}
	}
}

// TestOrdersCSVBadCellAfterMultilineCell: a bad cell after a cell holding line ends is named on
// the line where it begins (the orderId may no longer hold one: another column does).
func TestOrdersCSVBadCellAfterMultilineCell(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name   string
		in     string
		line   int
		column int
		want   string
	}{
		{"state after a two-line note", "note,orderId,txnTime,amount,txnType,state\n\"a\nb\",SHOP0003,20261125100000,1,01,paid\n",
			3, 6, `line 3, column 6 (state): "paid"`},
		{"orderId after a three-line note", "note,orderId,txnTime,amount,txnType,state\n\"a\n\nb\",SHOP\t3,20261125100000,1,01,paid\n",
			4, 2, "line 4, column 2 (orderId): orderId with"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, errs, _ := readOrdersCSV(t, c.in)
			require.Len(t, errs, 1)
			ce, ok := errors.AsType[*CSVError](errs[0])
			require.True(t, ok)
			assert.Equal(t, c.line, ce.Line)
			assert.Equal(t, c.column, ce.Column)
			assert.Contains(t, errs[0].Error(), c.want)
		})
	}
}
