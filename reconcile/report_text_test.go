package reconcile

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"iter"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestCSVTextEscapes: the characters a terminal acts on or that break a row's line (C0 controls,
// DEL, C1 controls, line and paragraph separators, bidirectional overrides and isolates) and
// bytes that are not UTF-8 are written as Go escapes; other text, Chinese and the full-width
// space included, is kept; the formula rule applies to the escaped text.
func TestCSVTextEscapes(t *testing.T) {
	t.Parallel()
	cases := []struct{ name, in, want string }{
		{"ESC sequence", "SHOP\x1b]0;owned\x07", `SHOP\x1b]0;owned\a`},
		{"NUL", "SHOP\x000001", `SHOP\x000001`},
		{"CR LF inside", "SHOP0001\r\ntotal,matched", `SHOP0001\r\ntotal,matched`},
		{"tab inside", "SHOP\t0001", `SHOP\t0001`},
		{"DEL", "SHOP\x7f", `SHOP\x7f`},
		{"C1 CSI", "SHOP\u009b31m", `SHOP\u009b31m`},
		{"right-to-left override", "SHOP\u202e1000", `SHOP\u202e1000`},
		{"first-strong isolate", "SHOP\u2068X\u2069", `SHOP\u2068X\u2069`},
		{"line separator", "SHOP\u2028X", `SHOP\u2028X`},
		{"a byte not UTF-8", "SHOP\xb5\xa5", `SHOP\xb5\xa5`},
		{"ESC then =: no formula once escaped", "\x1b=1+1", `\x1b=1+1`},
		{"= then ESC", "=1+1\x1b", `'=1+1\x1b`},
		{"Chinese kept", "单号0001", "单号0001"},
		{"full-width space kept", "单号\u30000001", "单号\u30000001"},
		{"U+FFFD itself kept", "SHOP\uFFFD", "SHOP\uFFFD"},
		{"a backslash kept", `SHOP\x1b`, `SHOP\x1b`},
		{"plain", "SHOP20261125000001", "SHOP20261125000001"},
		{"unit separator, the last C0 control", "SHOP\x1f1", `SHOP\x1f1`},
		{"the last C1 control", "SHOP\u009f1", `SHOP\u009f1`},
		{"no-break space kept", "SHOP\u00a01", "SHOP\u00a01"},
		{"paragraph separator", "SHOP\u2029X", `SHOP\u2029X`},
		{"left-to-right embedding, the first override", "SHOP\u202aX", `SHOP\u202aX`},
		{"narrow no-break space kept", "SHOP\u202fX", "SHOP\u202fX"},
		{"left-to-right isolate, the first isolate", "SHOP\u2066X", `SHOP\u2066X`},
		{"invisible plus kept", "SHOP\u2064X", "SHOP\u2064X"},
		{"word joiner kept", "SHOP\u2060X", "SHOP\u2060X"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			assert.Equal(t, c.want, CSVText(c.in))
			assert.Equal(t, strings.TrimPrefix(c.want, "'"), reportText(c.in), "the JSON report's text: no apostrophe")
		})
	}
}

// TestCSVTextPlainAllocs: text with nothing to escape costs no allocation (every real orderId).
func TestCSVTextPlainAllocs(t *testing.T) {
	for _, s := range []string{"SHOP20261125000001", "单号0001", ""} {
		if n := testing.AllocsPerRun(100, func() { _ = CSVText(s); _ = reportText(s) }); n != 0 {
			t.Errorf("CSVText(%q): %v allocations, want 0", s, n)
		}
	}
}

// hostileResults are results carrying control characters in every text field the reports write,
// and a duplicate order whose orderId holds ESC (an *OrderError, so an error row).
func hostileResults() iter.Seq2[Result, error] {
	tm := time.Date(2026, 11, 25, 10, 0, 0, 0, Beijing())
	records := recordsOf(
		Record{Line: 1, OrderID: "SHOP\x1b[2J0001", QueryID: "Q\r\ntotal,matched,9", OrigQueryID: "O\x00", TxnType: "0\x07",
			SubMerID: "898\u202e111", TxnAmt: 100, TxnTime: tm},
	)
	orders := ordersOf(
		Order{OrderID: "SHOP\x1b[2J0001", Amount: 100, TxnType: "01", State: StateSucceeded, TxnTime: tm},
		Order{OrderID: "DUP\x1b]0;x\x07", Amount: 1, State: StateSucceeded, TxnTime: tm},
		Order{OrderID: "DUP\x1b]0;x\x07", Amount: 1, State: StateSucceeded, TxnTime: tm},
	)
	return Match(records, orders)
}

// TestReportsEscapeText: WriteCSV and WriteJSON write the text of UnionPay's file and of the
// orders with its control characters escaped as CSVText escapes them: every CSV row is one line,
// no byte of either report (nor of the JSON decoded, as jq -r shows it) is a control character
// but the line ends, and a value reads the same in both reports.
func TestReportsEscapeText(t *testing.T) {
	t.Parallel()
	var csvOut, jsonOut bytes.Buffer
	_, err := WriteCSV(&csvOut, hostileResults(), IncludeMatched())
	require.NoError(t, err)
	_, err = WriteJSON(&jsonOut, hostileResults(), IncludeMatched())
	require.NoError(t, err)

	rows, err := csv.NewReader(bytes.NewReader(csvOut.Bytes())).ReadAll()
	require.NoError(t, err)
	assert.Equal(t, len(rows), strings.Count(csvOut.String(), "\n"), "one line per row:\n%s", csvOut.String())
	for _, out := range [][]byte{csvOut.Bytes(), jsonOut.Bytes()} {
		assert.Equal(t, -1, bytes.IndexFunc(out, func(r rune) bool { return r < 0x20 && r != '\n' || r == 0x7f || r == 0x202e }),
			"a control character in\n%q", out)
	}
	col := func(row []string, name string) string { return row[slices.Index(csvHeader, name)] }
	var result, missing, dup []string
	for _, row := range rows[1:] {
		switch {
		case row[0] == "result" && row[1] == "state_mismatch":
			result = row
		case row[0] == "result" && row[1] == "missing_at_unionpay":
			missing = row
		case row[0] == "error":
			dup = row
		}
	}
	require.NotNil(t, result, csvOut.String())
	require.NotNil(t, missing, csvOut.String())
	require.NotNil(t, dup, csvOut.String())

	var parsed struct {
		Results []map[string]any `json:"results"`
		Errors  []struct {
			Message string `json:"message"`
		} `json:"errors"`
	}
	require.NoError(t, json.Unmarshal(jsonOut.Bytes(), &parsed))
	require.Len(t, parsed.Results, 2)
	require.Len(t, parsed.Errors, 1)
	res := parsed.Results[0]
	assert.Equal(t, `DUP\x1b]0;x\a`, col(missing, "order_id"), "the order's own orderId")
	assert.Equal(t, `DUP\x1b]0;x\a`, parsed.Results[1]["order_id"])

	for _, c := range []struct{ csvCol, jsonKey, want string }{
		{"order_id", "order_id", `SHOP\x1b[2J0001`},
		{"query_id", "query_id", `Q\r\ntotal,matched,9`},
		{"orig_query_id", "orig_query_id", `O\x00`},
		{"txn_type", "txn_type", `0\a`},
		{"detail", "detail", `txnType 0\a at UnionPay, 01 at the merchant`},
		{"sub_mer_id", "sub_mer_id", `898\u202e111`},
	} {
		assert.Equal(t, c.want, col(result, c.csvCol), c.csvCol)
		assert.Equal(t, c.want, res[c.jsonKey], c.jsonKey)
	}
	wantErr := `reconcile: order 3 (DUP\x1b]0;x\a): duplicate orderId`
	assert.Equal(t, wantErr, col(dup, "detail"))
	assert.Equal(t, wantErr, parsed.Errors[0].Message)
}
