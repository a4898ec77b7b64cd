//go:build !race

package reconcile

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/goacp/unionpay/internal/javagbk"
	"github.com/goacp/unionpay/internal/scaling"
)

// TestSlowInputsSettlement: the settlement parsers (ZM, ZME, RD, the orders CSV file, the zip
// directory) cost time and memory in proportion to their input, for the worst shapes found in the
// slow-input review: many records, one line without its end, the longest lines refused, one line
// of many tokens, GBK lead bytes alone, many rows, many columns, many members. (Blank and
// malformed lines stop the line parsers after MaxMalformedLines: TestMalformedLineFlood.) Sixteen times the input
// costs at most scaling.MaxGrowth times as much per byte; a quadratic path costs sixteen times as
// much.
func TestSlowInputsSettlement(t *testing.T) {
	if testing.Short() {
		t.Skip("times parsers: not with -short")
	}
	gbk := func(s string) []byte {
		b, err := javagbk.NewEncoder().String(s)
		if err != nil {
			t.Fatal(err)
		}
		return []byte(b)
	}
	repeat := func(unit string) func(int) []byte {
		return func(n int) []byte { return []byte(strings.Repeat(unit, n)) }
	}
	zm := func(b []byte) {
		for range ZM(bytes.NewReader(b), settle) {
		}
	}
	zme := func(b []byte) {
		for range ZME(bytes.NewReader(b), settle) {
		}
	}
	rd := func(b []byte) { _, _ = ParseRD(bytes.NewReader(b)) }
	orders := func(b []byte) {
		for range OrdersCSV(bytes.NewReader(b)) {
		}
	}
	const header = "orderId,txnTime,amount,txnType,state\r\n"
	members := func(data func(i int) []byte) func(int) []byte {
		return func(n int) []byte {
			entries := make([]zipEntry, n)
			for i := range entries {
				entries[i] = zipEntry{fmt.Sprintf("INN25123188ZM_%015d", i), data(i)}
			}
			return makeZip(t, entries...)
		}
	}
	records := func(b []byte) {
		a, err := Open(b, WithMaxMembers(4096))
		if err != nil {
			t.Fatal(err)
		}
		for range a.Records(settle, "") {
		}
	}
	var tenLines bytes.Buffer
	writeZM(t, &tenLines, 10)
	rows := []scaling.Row{
		scaling.NewRow("ZM", zm, "records", func(n int) []byte { var b bytes.Buffer; writeZM(t, &b, n); return b.Bytes() }, 200),
		scaling.NewRow("ZM", zm, "one line without its end", repeat("1"), 64<<10),
		scaling.NewRow("ZM", zm, "lines of 2,047 bytes", repeat(strings.Repeat("1", 2047)+"\n"), 32),
		scaling.NewRow("ZME", zme, "one line without its end", repeat("1"), 64<<10),
		scaling.NewRow("RD", rd, "table rows", func(n int) []byte {
			return gbk("交易类型\r\n" + strings.Repeat("a 1 1.00 1.00 1.00 1.00 1.00 1.00\r\n", n) + "总计 1 1.00 1.00 1.00 1.00 1.00 1.00\r\n")
		}, 512),
		scaling.NewRow("RD", rd, "a row of many tokens", func(n int) []byte {
			return gbk("交易类型\r\n" + strings.Repeat("a ", n) + "1 1.00 1.00 1.00 1.00 1.00 1.00\r\n")
		}, 8<<10),
		scaling.NewRow("RD", rd, "a header line of many colons", func(n int) []byte { return gbk(strings.Repeat("商户代码x:", n)) }, 2<<10),
		scaling.NewRow("RD", rd, "GBK lead bytes alone", repeat("\x81"), 16<<10),
		scaling.NewRow("OrdersCSV", orders, "rows", func(n int) []byte {
			var b strings.Builder
			b.WriteString(header)
			for i := range n {
				fmt.Fprintf(&b, "o%d,20251231120000,100,01,succeeded\r\n", i)
			}
			return []byte(b.String())
		}, 256),
		scaling.NewRow("OrdersCSV", orders, "malformed rows", func(n int) []byte { return []byte(header + strings.Repeat("x\r\n", n)) }, 1<<10),
		scaling.NewRow("OrdersCSV", orders, "a header of many columns", repeat("a,"), 2<<10),
		scaling.NewRow("OrdersCSV", orders, "quoted line ends", func(n int) []byte {
			return []byte(header + strings.Repeat("\""+strings.Repeat("\n", 50)+"\",1,1,1,1\r\n", n))
		}, 64),
		scaling.NewRow("Open", func(b []byte) { _, _ = Open(b, WithMaxMembers(4096)) }, "empty members", members(func(int) []byte { return nil }), 64),
		scaling.NewRow("Archive.Records", records, "members of ten records", members(func(int) []byte { return tenLines.Bytes() }), 8),
	}
	scaling.CheckRows(t, rows)
}
