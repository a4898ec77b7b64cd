package main

import (
	"archive/zip"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"testing"
	"testing/iotest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/reconcile"
)

// ordersDay is the settle date of the files the -orders tests write.
var ordersDay = time.Date(2026, 11, 25, 0, 0, 0, 0, reconcile.Beijing())

const (
	shopMerID       = "777290058110048" // testRecords' merchant
	otherMerID      = "777290058110049" // another store of the same group
	ordersHeaderRow = "orderId,txnTime,amount,txnType,state\n"
	consumeRow      = "SHOP0001,20261125100000,10000,01,succeeded\n" // testRecords' consume
	refundRow       = "SHOP0002,20261125110000,4000,04,succeeded\n"  // and refund
	// ordersOK are the orders of testRecords.
	ordersOK = ordersHeaderRow + consumeRow + refundRow
)

// dayFile describes a settlement zip to write for a test.
type dayFile struct {
	records  []reconcile.Record      // the ZM member's; nil: testRecords
	badLine  bool                    // a malformed line after the records
	zme      []reconcile.ErrorRecord // a ZME member when not empty
	rdFirst  bool                    // the RD report counts only the first record: it disagrees
	noRD     bool                    // no RD report
	bareName string                  // write the ZM member alone, under this name
}

// write writes the zip (or the bare member) into dir and returns its path.
func (d dayFile) write(t *testing.T, dir string) string {
	t.Helper()
	recs := d.records
	if recs == nil {
		recs = testRecords(ordersDay)
	}
	var zm bytes.Buffer
	w := reconcile.NewZMWriter(&zm)
	var tally reconcile.Tally
	for i := range recs {
		require.NoError(t, w.Write(&recs[i]))
		if i == 0 || !d.rdFirst {
			tally.Add(&recs[i])
		}
	}
	require.NoError(t, w.Flush())
	if d.badLine {
		zm.WriteString(strings.SplitAfter(zm.String(), "\r\n")[0][:100] + "\r\n")
	}
	if d.bareName != "" {
		return writeTestFile(t, dir, d.bareName, zm.Bytes())
	}
	members := []struct {
		kind reconcile.Kind
		data []byte
	}{{reconcile.KindZM, zm.Bytes()}}
	if len(d.zme) > 0 {
		var zme bytes.Buffer
		ew := reconcile.NewZMEWriter(&zme)
		for i := range d.zme {
			require.NoError(t, ew.Write(&d.zme[i]))
		}
		require.NoError(t, ew.Flush())
		members = append(members, struct {
			kind reconcile.Kind
			data []byte
		}{reconcile.KindZME, zme.Bytes()})
	}
	if !d.noRD {
		var rd bytes.Buffer
		require.NoError(t, reconcile.WriteRD(&rd, tally.Summary(shopMerID, "测试商户", "88022900", ordersDay, ordersDay)))
		members = append(members, struct {
			kind reconcile.Kind
			data []byte
		}{reconcile.KindRD, rd.Bytes()})
	}
	var buf bytes.Buffer
	aw := reconcile.NewArchiveWriter(&buf, ordersDay)
	for _, m := range members {
		mw, err := aw.Create(reconcile.MemberName(m.kind, shopMerID, ordersDay))
		require.NoError(t, err)
		_, err = mw.Write(m.data)
		require.NoError(t, err)
	}
	require.NoError(t, aw.Close())
	return writeTestFile(t, dir, reconcile.ArchiveName(shopMerID, ordersDay), buf.Bytes())
}

// chargeback is an error transaction (ZME) of merchant merID.
func chargeback(merID string) reconcile.ErrorRecord {
	return reconcile.ErrorRecord{TxnCode: "E74", AcqInsCode: "88022900", SendInsCode: "00049993",
		TraceNo: "100003", TxnTime: ordersDay.Add(9 * time.Hour), AccNo: "621626*********0018", TxnAmt: 500,
		MerCatCode: "4899", TermType: "07", PayCardType: "01", MerchantFee: 3, SettleAmt: -497, MerID: merID}
}

// groupRecords are testRecords, plus a consume of another store of the group with an orderId
// equal to one of the shop's.
func groupRecords() []reconcile.Record {
	recs := testRecords(ordersDay)
	other := recs[0]
	other.MerID, other.TraceNo, other.QueryID, other.TxnAmt, other.SettleAmt = otherMerID, "100009", "261125100000000000009", 777, 777
	other.MerchantFee, other.NetSettleAmt = 0, 777
	return append(recs, other)
}

// jsonReport is reconcile.WriteJSON's object.
type jsonReport struct {
	Results []struct {
		Class   string `json:"class"`
		Line    int    `json:"line"`
		OrderID string `json:"order_id"`
		Detail  string `json:"detail"`
	} `json:"results"`
	Totals []struct {
		Class string `json:"class"`
		Count int64  `json:"count"`
		Net   int64  `json:"net_fen"`
	} `json:"totals"`
	ErrorCount int `json:"error_count"`
	Errors     []struct {
		Message string `json:"message"`
	} `json:"errors"`
}

// classesOf returns the classes of a JSON report's results, in order.
func classesOf(t *testing.T, stdout string) []string {
	t.Helper()
	var rep jsonReport
	require.NoError(t, json.Unmarshal([]byte(stdout), &rep), stdout)
	var classes []string
	for _, r := range rep.Results {
		classes = append(classes, r.Class)
	}
	return classes
}

// TestReconcileOrders: -orders matches the file against the orders, writes every result and the
// totals, and says by its exit status (0 reconciled, 4 discrepancies, 1 an error, 2 usage)
// whether a cron job must alert; an error's line names what is wrong (a malformed order: its
// line and column).
func TestReconcileOrders(t *testing.T) {
	cases := []struct {
		name    string
		file    dayFile
		orders  string
		args    []string // before -orders
		code    int
		classes []string // of the JSON report's results; nil: not checked
		stderr  []string // on the one line of stderr
	}{
		{name: "reconciled", orders: ordersOK, code: exitOK, classes: []string{"matched", "matched"}},
		{name: "columns in any order, others ignored, byte-order mark",
			orders: "\ufeffstate,note,amount,orderId,txnType,txnTime\n" +
				"succeeded,x,10000,SHOP0001,01,20261125100000\nsucceeded,\"a, b\",4000,SHOP0002,04,20261125110000\n",
			code: exitOK, classes: []string{"matched", "matched"}},
		{name: "CRLF line ends", orders: strings.ReplaceAll(ordersOK, "\n", "\r\n"), code: exitOK,
			classes: []string{"matched", "matched"}},
		{name: "a failed order absent from the file", orders: ordersOK + "SHOP0003,20261125120000,500,01,failed\n",
			code: exitOK, classes: []string{"matched", "matched"}},
		{name: "bare ZM member", file: dayFile{bareName: "INN26112588ZM_" + shopMerID}, orders: ordersOK, code: exitOK,
			classes: []string{"matched", "matched"}},
		{name: "unknown to merchant", orders: ordersHeaderRow + consumeRow, code: exitDiscrepancies,
			classes: []string{"matched", "unknown_to_merchant"}, stderr: []string{"not reconciled: 1 unknown_to_merchant"}},
		{name: "missing at UnionPay", orders: ordersOK + "SHOP0003,20261125120000,500,01,pending\n", code: exitDiscrepancies,
			classes: []string{"matched", "matched", "missing_at_unionpay"}, stderr: []string{"1 missing_at_unionpay"}},
		{name: "amount mismatch", orders: ordersHeaderRow + "SHOP0001,20261125100000,10001,01,succeeded\n" + refundRow,
			code: exitDiscrepancies, classes: []string{"amount_mismatch", "matched"}, stderr: []string{"1 amount_mismatch"}},
		{name: "state mismatch", orders: ordersHeaderRow + consumeRow + "SHOP0002,20261125110000,4000,04,pending\n",
			code: exitDiscrepancies, classes: []string{"matched", "state_mismatch"}, stderr: []string{"1 state_mismatch"}},
		{name: "txnType mismatch", orders: ordersHeaderRow + consumeRow + "SHOP0002,20261125110000,4000,31,succeeded\n",
			code: exitDiscrepancies, classes: []string{"matched", "state_mismatch"}, stderr: []string{"1 state_mismatch"}},
		{name: "duplicate in the file", file: dayFile{records: append(testRecords(ordersDay), testRecords(ordersDay)[0])},
			orders: ordersOK, code: exitDiscrepancies, classes: []string{"matched", "matched", "duplicate"},
			stderr: []string{"1 duplicate"}},
		{name: "error transaction to review", file: dayFile{zme: []reconcile.ErrorRecord{chargeback(shopMerID)}},
			orders: ordersOK, code: exitDiscrepancies, classes: []string{"matched", "matched"},
			stderr: []string{"1 error transactions (ZME) to review, settleAmt -497 fen", "unionpay reconcile 777290058110048_20261125.zip lists them"}},
		{name: "another store's error transaction", file: dayFile{records: groupRecords(), noRD: true,
			zme: []reconcile.ErrorRecord{chargeback(otherMerID)}}, args: []string{"-merid", shopMerID},
			orders: ordersOK, code: exitOK, classes: []string{"matched", "matched"}},
		{name: "group: its store's records", file: dayFile{records: groupRecords(), noRD: true},
			args: []string{"-merid", shopMerID}, orders: ordersOK, code: exitOK, classes: []string{"matched", "matched"}},
		{name: "group: the other store's", file: dayFile{records: groupRecords(), noRD: true},
			args: []string{"-merid", otherMerID}, orders: ordersHeaderRow + "SHOP0001,20261125100000,777,01,succeeded\n",
			code: exitOK, classes: []string{"matched"}},
		{name: "group without -merid", file: dayFile{records: groupRecords(), noRD: true}, orders: ordersOK,
			code: exitUsage, stderr: []string{"more than one merId (777290058110048, 777290058110049, ...): give -merid"}},
		{name: "group's error transactions without -merid", file: dayFile{zme: []reconcile.ErrorRecord{chargeback(otherMerID)}},
			orders: ordersOK, code: exitUsage, stderr: []string{"give -merid"}},
		{name: "RD disagrees", file: dayFile{rdFirst: true}, orders: ordersOK, code: exitFailed,
			classes: []string{"matched", "matched"}, stderr: []string{"disagree with the RD summary report"}},
		{name: "malformed line in the file", file: dayFile{badLine: true, noRD: true}, orders: ordersOK, code: exitFailed,
			classes: []string{"matched", "matched"}, stderr: []string{"1 malformed lines or orders", "line 3"}},
		{name: "amount in yuan", orders: ordersHeaderRow + consumeRow + "SHOP0002,20261125110000,40.00,04,succeeded\n",
			code: exitFailed, classes: []string{"matched", "unknown_to_merchant"},
			stderr: []string{`orders.csv line 3, column 3 (amount): "40.00": want a whole number of fen`}},
		{name: "negative amount", orders: ordersHeaderRow + consumeRow + "SHOP0002,20261125110000,-4000,04,succeeded\n",
			code: exitFailed, stderr: []string{"line 3, column 3 (amount)"}},
		{name: "zero amount", orders: ordersHeaderRow + consumeRow + "SHOP0002,20261125110000,0,04,succeeded\n",
			code: exitFailed, stderr: []string{"line 3, column 3 (amount): zero"}},
		{name: "amount past int64", orders: ordersHeaderRow + consumeRow + "SHOP0002,20261125110000,9999999999999999999,04,succeeded\n",
			code: exitFailed, stderr: []string{"line 3, column 3 (amount)"}},
		{name: "txnType lost its zero", orders: ordersHeaderRow + consumeRow + "SHOP0002,20261125110000,4000,4,succeeded\n",
			code: exitFailed, stderr: []string{`line 3, column 4 (txnType): "4": want two digits, 04`}},
		{name: "txnType empty", orders: ordersHeaderRow + consumeRow + "SHOP0002,20261125110000,4000,,succeeded\n",
			code: exitFailed, stderr: []string{`line 3, column 4 (txnType): ""`}},
		{name: "txnType not digits", orders: ordersHeaderRow + consumeRow + "SHOP0002,20261125110000,4000,0:,succeeded\n",
			code: exitFailed, stderr: []string{`line 3, column 4 (txnType): "0:": want UnionPay's two digits`}},
		{name: "txnType a letter", orders: ordersHeaderRow + consumeRow + "SHOP0002,20261125110000,4000,a,succeeded\n",
			code: exitFailed, stderr: []string{`line 3, column 4 (txnType): "a": want UnionPay's two digits`}},
		{name: "amount empty", orders: ordersHeaderRow + consumeRow + "SHOP0002,20261125110000,,04,succeeded\n",
			code: exitFailed, stderr: []string{`line 3, column 3 (amount): "": want a whole number of fen`}},
		{name: "txnTime with a fraction", orders: ordersHeaderRow + consumeRow + "SHOP0002,20261125110000.5,4000,04,succeeded\n",
			code: exitFailed, stderr: []string{`line 3, column 2 (txnTime): "20261125110000.5": want YYYYMMDDhhmmss`}},
		{name: "bad state", orders: ordersHeaderRow + consumeRow + "SHOP0002,20261125110000,4000,04,paid\n",
			code: exitFailed, stderr: []string{`line 3, column 5 (state): "paid": want succeeded, pending or failed`}},
		{name: "bad txnTime", orders: ordersHeaderRow + consumeRow + "SHOP0002,2026-11-25 11:00,4000,04,succeeded\n",
			code: exitFailed, stderr: []string{"line 3, column 2 (txnTime)", "want YYYYMMDDhhmmss"}},
		{name: "empty orderId", orders: ordersHeaderRow + consumeRow + ",20261125110000,4000,04,succeeded\n",
			code: exitFailed, stderr: []string{"line 3, column 1 (orderId): empty"}},
		{name: "a field short", orders: ordersHeaderRow + consumeRow + "SHOP0002,20261125110000,4000,04\n",
			code: exitFailed, stderr: []string{"orders.csv line 3: 4 fields, the header has 5"}},
		{name: "bare quote", orders: ordersHeaderRow + consumeRow + "SHOP\"0002,20261125110000,4000,04,succeeded\n",
			code: exitFailed, stderr: []string{"orders.csv line 3: byte 5: bare"}},
		{name: "duplicate order names its line", orders: ordersOK + consumeRow, code: exitFailed,
			classes: []string{"matched", "matched"},
			stderr:  []string{"order 3 (SHOP0001): orders.csv line 4, column 1 (orderId): duplicate orderId"}},
		{name: "orderId too long names its line",
			orders: ordersOK + "SHOP0003" + strings.Repeat("9", 30) + ",20261125120000,500,01,succeeded\n", code: exitFailed,
			stderr: []string{"orders.csv line 4, column 1 (orderId): orderId longer than the settlement file's 32 bytes"}},
		{name: "multi-line cell keeps the lines right",
			orders: "orderId,txnTime,amount,txnType,state,note\n" + "SHOP0001,20261125100000,10000,01,succeeded,\"two\nlines\"\n" +
				"SHOP0002,20261125110000,4000,04,done,\n",
			code: exitFailed, stderr: []string{"orders.csv line 4, column 5 (state)"}},

		{name: "a row past 64 KiB ends the report", orders: ordersHeaderRow + consumeRow + strings.Repeat("x", 70000) + "\n" + refundRow,
			code: exitFailed, stderr: []string{"orders.csv line 3: a row longer than 65536 bytes: the rest of the file is not read"}},

		{name: "no state column", orders: "orderId,txnTime,amount,txnType\nSHOP0001,20261125100000,10000,01\n",
			code: exitFailed, stderr: []string{"orders file orders.csv: header: no column state"}},
		{name: "column twice", orders: "orderId,txnTime,amount,txnType,state,amount\n",
			code: exitFailed, stderr: []string{"column amount appears twice"}},
		{name: "empty orders file", orders: "", code: exitFailed,
			stderr: []string{"header: empty: want a header row orderId,txnTime,amount,txnType,state"}},
		{name: "-summary", orders: ordersOK, args: []string{"-summary"}, code: exitUsage,
			stderr: []string{"-summary and -orders exclude each other"}},
		{name: "bad -merid", orders: ordersOK, args: []string{"-merid", "7772900581100481"}, code: exitUsage,
			stderr: []string{"-merid: want a merId"}},
		{name: "bare ZME member", file: dayFile{bareName: "INN26112588ZME_" + shopMerID}, orders: ordersOK,
			code: exitUsage, stderr: []string{"no ZM member"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			zipPath := c.file.write(t, dir)
			orders := writeTestFile(t, dir, "orders.csv", []byte(c.orders))
			args := append(append([]string{"reconcile"}, c.args...), "-orders", orders, zipPath)
			r := runCLI(t, "", args...)
			require.Equal(t, c.code, r.code, "stdout %q stderr %q", r.stdout, r.stderr)
			if c.code == exitOK {
				assert.Zero(t, errorLines(r.stderr), r.stderr)
			} else {
				assert.Equal(t, 1, errorLines(r.stderr), "one line on stderr: %q", r.stderr)
			}
			for _, want := range c.stderr {
				assert.Contains(t, r.stderr, want)
			}
			if c.code == exitUsage {
				assert.Empty(t, r.stdout)
			}
			if c.classes != nil {
				assert.Equal(t, c.classes, classesOf(t, r.stdout))
			}
		})
	}
}

// TestReconcileOrdersReport: the report is reconcile's, every result with its keys, and its
// per-class totals last (JSON "totals", CSV "total" rows); a malformed order is in it, named by
// line and column.
func TestReconcileOrdersReport(t *testing.T) {
	dir := t.TempDir()
	zipPath := dayFile{}.write(t, dir)
	orders := writeTestFile(t, dir, "orders.csv", []byte(ordersHeaderRow+consumeRow+"SHOP0002,20261125110000,4000,04,paid\n"+
		"SHOP0003,20261125120000,500,01,succeeded\n"))

	r := runCLI(t, "", "reconcile", "-orders", orders, zipPath)
	require.Equal(t, exitFailed, r.code, r.stderr)
	var rep jsonReport
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &rep))
	require.Len(t, rep.Results, 3)
	assert.Equal(t, "SHOP0001", rep.Results[0].OrderID)
	assert.Equal(t, 1, rep.Results[0].Line)
	assert.Equal(t, "unknown_to_merchant", rep.Results[1].Class, "the malformed order is left out")
	assert.Equal(t, "missing_at_unionpay", rep.Results[2].Class)
	assert.Equal(t, 1, rep.ErrorCount)
	assert.Contains(t, rep.Errors[0].Message, `orders.csv line 3, column 5 (state): "paid"`)
	want := map[string][2]int64{"matched": {1, 9940}, "unknown_to_merchant": {1, -3976}, "missing_at_unionpay": {1, 0}}
	require.Len(t, rep.Totals, len(reconcile.Classes()))
	for _, tot := range rep.Totals {
		assert.Equal(t, want[tot.Class], [2]int64{tot.Count, tot.Net}, tot.Class)
	}
	assert.True(t, strings.HasSuffix(r.stdout, "}\n"))

	r = runCLI(t, "", "reconcile", "-format", "csv", "-orders", orders, zipPath)
	require.Equal(t, exitFailed, r.code, r.stderr)
	rows, err := csv.NewReader(strings.NewReader(r.stdout)).ReadAll()
	require.NoError(t, err)
	require.Len(t, rows, 1+1+3+len(reconcile.Classes()), r.stdout) // header, error, results, totals
	assert.Equal(t, []string{"row", "class", "count", "line", "order_id", "query_id", "orig_query_id", "txn_type", "txn_time",
		"amount_fen", "fee_fen", "net_fen", "order_amount_fen", "order_state", "detail", "sub_mer_id",
		"settle_date", "mer_id"}, rows[0])
	assert.Equal(t, "error", rows[1][0])
	assert.Equal(t, []string{"result", "matched", "1", "1", "SHOP0001", "261125100000000000001", "", "01",
		"2026-11-25T10:00:00+08:00", "10000", "-60", "9940", "10000", "succeeded", "", "", "20261125", shopMerID}, rows[2])
	last := rows[len(rows)-len(reconcile.Classes()):]
	for i, c := range reconcile.Classes() {
		assert.Equal(t, []string{"total", c.String()}, last[i][:2])
	}
	assert.Equal(t, "-3976", last[1][11], "unknown_to_merchant's net")
}

// TestReconcileOrdersUnsafeText: orderIds from either side reach the report as text a
// spreadsheet does not run (a leading apostrophe) and a terminal does not act on (control
// characters escaped), and a card number is never in it. An order whose orderId holds a
// control character is refused (reconcile.ErrOrderIDChar), the report's error naming it escaped.
func TestReconcileOrdersUnsafeText(t *testing.T) {
	recs := testRecords(ordersDay)
	recs[0].OrderID = "=HYPERLINK(1)"
	recs[0].AccNo = "6216261234560018" // a file that ever carried the number in full
	recs[1].OrderID = "SHOP\x1b[2J02"
	dir := t.TempDir()
	zipPath := dayFile{records: recs}.write(t, dir)
	orders := writeTestFile(t, dir, "orders.csv", []byte(ordersHeaderRow+"@SUM(1),20261125100000,500,01,succeeded\n"+
		"\"ESC\x1b]0;x\x07\",20261125100000,500,01,succeeded\n"))
	for _, format := range []string{"csv", "json"} {
		r := runCLI(t, "", "reconcile", "-format", format, "-orders", orders, zipPath)
		require.Equal(t, exitFailed, r.code, r.stderr)
		assert.Contains(t, r.stderr, `order 2 (ESC\x1b]0;x\a): orders.csv line 3, column 1 (orderId)`, format)
		assert.NotContains(t, r.stdout, "\x1b", format)
		assert.NotContains(t, r.stdout, "\x07", format)
		assert.NotContains(t, r.stdout, "1234560018", format)
		assert.NotContains(t, r.stderr, "\x1b", format)
		if format == "csv" {
			assert.Contains(t, r.stdout, ",'=HYPERLINK(1),")
			assert.Contains(t, r.stdout, `SHOP\x1b[2J02`)
			assert.Contains(t, r.stdout, ",'@SUM(1),")
			assert.Contains(t, r.stdout, `ESC\x1b]0;x\a`)
		}
	}

	// A malformed order's orderId is cut and escaped in its error: package reconcile's masked
	// form, at most 64 bytes escapes included.
	orders = writeTestFile(t, dir, "bad.csv", []byte(ordersHeaderRow+strings.Repeat("\x1b", 100)+",x,1,01,succeeded\n"))
	r := runCLI(t, "", "reconcile", "-orders", orders, zipPath)
	require.Equal(t, exitFailed, r.code)
	assert.NotContains(t, r.stdout+r.stderr, "\x1b")
	assert.Contains(t, r.stderr, "order 1 ("+strings.Repeat(`\x1b`, 15)+"...): bad.csv line 2, column 1 (orderId)")
}

// TestOrdersFileLimit: an orders file past its limit is an error, not orders cut short; a read
// error ends the orders too.
func TestOrdersFileLimit(t *testing.T) {
	var b strings.Builder
	b.WriteString(ordersHeaderRow)
	for i := range 300 { // past the CSV reader's buffer: the header is read before the limit
		fmt.Fprintf(&b, "SHOP%04d,20261125100000,100,01,succeeded\n", i)
	}
	body := b.String()
	cases := []struct {
		name  string
		r     io.Reader
		limit int64
		want  string // "" the orders read whole
	}{
		{"within", strings.NewReader(body), int64(len(body)), ""},
		{"past", strings.NewReader(body), int64(len(body)) - 1, "orders.csv exceeds"},
		{"past, one byte at a time", iotest.OneByteReader(strings.NewReader(body)), int64(len(body)) - 1, "orders.csv exceeds"},
		{"read error", io.MultiReader(strings.NewReader(body), iotest.ErrReader(errors.New("disk on fire"))),
			1 << 20, "disk on fire"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			or, err := openOrders("orders.csv", &limitedReader{r: c.r, name: "orders.csv", limit: c.limit})
			require.NoError(t, err)
			var n int
			var last error
			for _, err := range or.orders() {
				if err != nil {
					last = err
					continue
				}
				n++
			}
			if c.want == "" {
				require.NoError(t, last)
				assert.Equal(t, 300, n)
				return
			}
			require.Error(t, last)
			assert.Contains(t, last.Error(), c.want)
			_, isOrder := errors.AsType[*reconcile.OrderError](last)
			assert.False(t, isOrder, "a read error is no malformed order: it ends the report")
		})
	}
}

// TestReconcileOrdersFileErrors: an orders file that cannot be opened, or a bare RD report,
// fails before anything is written.
func TestReconcileOrdersFileErrors(t *testing.T) {
	dir := t.TempDir()
	zipPath := dayFile{}.write(t, dir)
	missing := filepath.Join(dir, "none.csv")
	requireFailure(t, runCLI(t, "", "reconcile", "-orders", missing, zipPath), exitFailed, "-orders: open "+missing+": "+notExist(missing))
	requireFailure(t, runCLI(t, "", "reconcile", "-merid", shopMerID, zipPath), exitUsage, "-merid goes with -orders")
	requireFailure(t, runCLI(t, "", "reconcile", "-orders", "", zipPath), exitUsage, "-orders: empty file name")
	name, rd := memberOf(t, []byte(readTestFile(t, sampleZip)), "RD")
	rdPath := writeTestFile(t, dir, name, rd)
	orders := writeTestFile(t, dir, "orders.csv", []byte(ordersOK))
	requireFailure(t, runCLI(t, "", "reconcile", "-orders", orders, rdPath), exitUsage, "an RD summary report has none")
}

// TestReconcileOrdersHelp: the help defines the orders file, the report and the exit statuses.
func TestReconcileOrdersHelp(t *testing.T) {
	r := runCLI(t, "", "reconcile", "-h")
	require.Equal(t, exitOK, r.code)
	for _, want := range []string{"-orders ORDERS.csv", "orderId,txnTime,amount,txnType,state",
		"YYYYMMDDhhmmss, Beijing time", "in fen", "succeeded, pending", "-merid", "4  not reconciled",
		`"totals":[{"class":C`, "row,class,count,line,order_id"} {
		assert.Contains(t, r.stdout, want)
	}
	r = runCLI(t, "", "-h")
	assert.Contains(t, r.stdout, "4 discrepancies")
}

// TestBinaryReconcileOrders: the built binary's exit statuses are what a cron job reads: 0
// reconciled, 4 discrepancies, 1 an error.
func TestBinaryReconcileOrders(t *testing.T) {
	bin := buildBinary(t)
	dir := t.TempDir()
	zipPath := dayFile{}.write(t, dir)
	cases := []struct {
		orders string
		code   int
	}{
		{ordersOK, 0},
		{ordersHeaderRow + consumeRow, 4},
		{ordersHeaderRow + consumeRow + "SHOP0002,20261125110000,4000,4,succeeded\n", 1},
	}
	for _, c := range cases {
		orders := writeTestFile(t, dir, "orders.csv", []byte(c.orders))
		r := exitCode(t, bin, "", "reconcile", "-format", "csv", "-orders", orders, zipPath)
		assert.Equal(t, c.code, r.code, r.stderr)
		assert.Contains(t, r.stdout, "total,matched,")
	}
}

// TestReconcileOrdersCorruptMember: a ZM member whose checksum fails at its end (its records
// read, so the orders would all seem matched or missing) is an error, status 1, never a
// report of discrepancies: the report stops before its totals.
func TestReconcileOrdersCorruptMember(t *testing.T) {
	var zm bytes.Buffer
	w := reconcile.NewZMWriter(&zm)
	recs := testRecords(ordersDay)
	for i := range recs {
		require.NoError(t, w.Write(&recs[i]))
	}
	require.NoError(t, w.Flush())
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	mw, err := zw.CreateHeader(&zip.FileHeader{Name: reconcile.MemberName(reconcile.KindZM, shopMerID, ordersDay), Method: zip.Store})
	require.NoError(t, err)
	_, err = mw.Write(zm.Bytes())
	require.NoError(t, err)
	require.NoError(t, zw.Close())
	corrupt := bytes.Replace(buf.Bytes(), []byte("100002"), []byte("100003"), 1) // the refund's traceNo
	require.NotEqual(t, buf.Bytes(), corrupt)
	dir := t.TempDir()
	zipPath := writeTestFile(t, dir, reconcile.ArchiveName(shopMerID, ordersDay), corrupt)
	orders := writeTestFile(t, dir, "orders.csv", []byte(ordersHeaderRow+consumeRow))
	for _, args := range [][]string{{"-format", "json"}, {"-format", "csv"}, {"-merid", shopMerID}} { // -merid: no first pass
		format := args[1]
		r := runCLI(t, "", append(append([]string{"reconcile"}, args...), "-orders", orders, zipPath)...)
		require.Equal(t, exitFailed, r.code, "stdout %q stderr %q", r.stdout, r.stderr)
		assert.Equal(t, 1, errorLines(r.stderr), r.stderr)
		assert.Contains(t, r.stderr, "checksum")
		assert.NotContains(t, r.stdout, "total,", format)
		assert.NotContains(t, r.stdout, `"totals"`, format)
	}
}

// TestShortID: an orderId quoted in an error is cut after maxShownID bytes, never inside a
// character, and shown whole up to that length.
func TestShortID(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("9", maxShownID)
	for _, tt := range []struct{ name, in, want string }{
		{"short", "SHOP0001", "SHOP0001"},
		{"at the limit", long, long},
		{"one past", long + "1", long + "..."},
		{"a character across the limit", long[:maxShownID-1] + "张", long[:maxShownID-1] + "..."},
	} {
		if got := shortID(tt.in); got != tt.want {
			t.Errorf("%s: shortID(%q) = %q, want %q", tt.name, tt.in, got, tt.want)
		}
	}
}
