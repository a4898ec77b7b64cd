package reconcile

import (
	"bytes"
	"encoding/csv"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestCSVTextFormulaStarts: a cell whose first character after white space (spaces, the
// no-break and full-width spaces) and format characters is = + - @, or their full-width forms
// ＝ ＋ － ＠, gets the leading apostrophe; text that only holds them further on does not. A tab,
// a CR or a line end is escaped (the cell then starts with a backslash, no formula), as
// TestCSVTextEscapes checks for every character escaped.
func TestCSVTextFormulaStarts(t *testing.T) {
	t.Parallel()
	cases := []struct{ name, in, want string }{
		{"=", "=1+1", "'=1+1"},
		{"tab then =", "\t=1+1", `\t=1+1`},
		{"CR then =", "\r=1+1", `\r=1+1`},
		{"a space then =", " =1+1", "' =1+1"},
		{"spaces then =", "   =HYPERLINK(\"http://x\")", "'   =HYPERLINK(\"http://x\")"},
		{"LF then =", "\n=1+1", `\n=1+1`},
		{"space, LF, space then =", " \n =1+1", ` \n =1+1`},
		{"spaces around an escape then =", " \x1b =1+1", ` \x1b =1+1`},
		{"full-width space then =", "\u3000=1+1", "'\u3000=1+1"},
		{"no-break space then =", "\u00a0=1+1", "'\u00a0=1+1"},
		{"a space then +", " +1+1", "' +1+1"},
		{"a space then -", " -1+1", "' -1+1"},
		{"a space then @", " @SUM(1)", "' @SUM(1)"},
		{"full-width =", "＝1+1", "'＝1+1"},
		{"full-width +", "＋1+1", "'＋1+1"},
		{"full-width -", "－1+1", "'－1+1"},
		{"full-width @", "＠SUM(1)", "'＠SUM(1)"},
		{"a space then full-width =", " ＝1+1", "' ＝1+1"},
		{"BOM then =", "\ufeff=1+1", "'\ufeff=1+1"},
		{"zero-width space then =", "\u200b=1+1", "'\u200b=1+1"},
		{"zero-width joiner, space then @", "\u200d @SUM(1)", "'\u200d @SUM(1)"},
		{"tab then a letter", "\tSHOP0001", `\tSHOP0001`},
		{"CR then a letter", "\rSHOP0001", `\rSHOP0001`},
		{"tab only", "\t", `\t`},
		{"empty", "", ""},
		{"spaces only", "   ", "   "},
		{"LF only", "\n", `\n`},
		{"= further on", "SHOP=1", "SHOP=1"},
		{"a space then a letter", " SHOP0001", " SHOP0001"},
		{"full-width = further on", "单号＝1", "单号＝1"},
		{"- further on", "1-2", "1-2"},
		{"already an apostrophe", "'=1", "'=1"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			assert.Equal(t, c.want, CSVText(c.in))
		})
	}
}

// TestWriteCSVFormulaCells: the report's text cells (orderId, queryId, txnType, the detail)
// carrying a formula behind white space or in full-width forms are written with the
// apostrophe, while the amounts, the writer's own integers, stay numbers, negative ones too.
func TestWriteCSVFormulaCells(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, orderID, queryID, wantID, wantQuery string
	}{
		{"spaces before =", "  =HYPERLINK(\"http://evil/\")", "Q1", "'  =HYPERLINK(\"http://evil/\")", "Q1"},
		{"a line end before =", "\n=1+1", "Q1", `\n=1+1`, "Q1"},
		{"full-width =", "＝cmd|' /C calc'!A0", "Q1", "'＝cmd|' /C calc'!A0", "Q1"},
		{"full-width @ in queryId", "SHOP0001", "＠SUM(1)", "SHOP0001", "'＠SUM(1)"},
		{"full-width + and -", "＋1", " －1", "'＋1", "' －1"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			recs := recordsOf(Record{Line: 1, OrderID: c.orderID, QueryID: c.queryID, TxnType: "01", TxnAmt: 100,
				MerchantFee: -5, SettleAmt: -3, TxnTime: time.Date(2026, 11, 25, 10, 0, 0, 0, Beijing())})
			var buf bytes.Buffer
			_, err := WriteCSV(&buf, Match(recs, ordersOf()))
			require.NoError(t, err)
			rows, err := csv.NewReader(&buf).ReadAll()
			require.NoError(t, err)
			require.GreaterOrEqual(t, len(rows), 2)
			row := rows[1]
			col := func(name string) string { return row[slices.Index(csvHeader, name)] }
			assert.Equal(t, c.wantID, col("order_id"))
			assert.Equal(t, c.wantQuery, col("query_id"))
			assert.Equal(t, "100", col("amount_fen"))
			assert.Equal(t, "-5", col("fee_fen"))
			assert.Equal(t, "-3", col("net_fen"))
		})
	}
}
