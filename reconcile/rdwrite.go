package reconcile

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/goacp/unionpay/internal/javagbk"
	"github.com/goacp/unionpay/internal/tz"
)

// The fixed lines of the report, as in UnionPay's sample (UTF-8 here, GBK on disk).
const (
	rdTitleLine = "                                                                         " +
		rdTitle + "            "
	rdColumns = "交易笔数               交易金额                         费用" +
		"                              资金清算差额"
	rdSides = "                                         借              贷              借" +
		"              贷               借                  贷"
)

// WriteRD writes s as an RD summary report in UnionPay's layout (GBK, CRLF,
// the column widths of the official sample), byte for byte what the sample
// holds when s is the sample's summary. The 总计 rows are written from Total
// and CardTotal as they are; use [Tally.Summary] to build a consistent report.
// A header value (MerID, Currency, AcqInsCode, MerName) holding a line break
// or a header key followed by ':' is refused, as is a row label that a reader
// could not get back (blank, holding ':', 总计, a table's caption). A nil w or s is an error matching [ErrNilArgument].
func WriteRD(w io.Writer, s *Summary) error {
	switch {
	case w == nil:
		return nilArgument("w", "WriteRD")
	case s == nil:
		return nilArgument("s", "WriteRD")
	}
	if err := checkHeaderValues(s); err != nil {
		return err
	}
	if err := checkRowLabels(s); err != nil {
		return err
	}
	var b strings.Builder
	line := func(parts ...string) {
		for _, p := range parts {
			b.WriteString(p)
		}
		b.WriteString("\r\n")
	}
	line(rdTitleLine)
	line()
	line(pairLine("商户代码", s.MerID, "清算币种", s.Currency))
	line(pairLine("收单机构", s.AcqInsCode, "清算日期", settleDateString(s.SettleDate)))
	line(pairLine("商户名称", s.MerName, "生成日期", dateString(s.Generated)))
	line()
	line()
	table := func(caption string, rows []SummaryRow, total SummaryRow) {
		line(padGBK(caption, rdLabelWidth) + rdColumns)
		line(rdSides)
		line(strings.Repeat("_", 136))
		for _, r := range rows {
			line(formatRow(r))
		}
		line(strings.Repeat("_", 136))
		total.Label = rdTotal
		line(formatRow(total))
	}
	table(rdTxnTable, s.ByTxnType, s.Total)
	line()
	table(rdCardTable, s.ByCardKind, s.CardTotal)
	out, err := javagbk.NewEncoder().String(b.String())
	if err != nil {
		return fmt.Errorf("reconcile: summary report not representable in GBK: %w", err)
	}
	if _, err := io.WriteString(w, out); err != nil {
		return fmt.Errorf("reconcile: writing summary report: %w", err)
	}
	return nil
}

// checkHeaderValues refuses header values that a reader could not get back:
// a line break would end the header line, and a header key followed by ':'
// would read as a key (ParseRD refuses a key given twice).
func checkHeaderValues(s *Summary) error {
	for _, h := range [...]struct{ field, v string }{
		{"MerID", s.MerID}, {"Currency", s.Currency}, {"AcqInsCode", s.AcqInsCode}, {"MerName", s.MerName},
	} {
		if strings.ContainsAny(h.v, "\r\n") {
			return fmt.Errorf("reconcile: WriteRD: Summary.%s holds a line break", h.field)
		}
		for _, key := range rdKeys {
			if strings.Contains(h.v, key+":") {
				return fmt.Errorf("reconcile: WriteRD: Summary.%s holds %q, which a reader would take for a header key", h.field, key+":")
			}
		}
	}
	return nil
}

// checkRowLabels refuses row labels that a reader could not get back: a blank
// one, one with a ':' (the line would read as a header) or not in single-spaced
// words (a reader splits the row at white space), 总计 (it would read as the
// table's total), and one starting with a table's caption or holding the title.
func checkRowLabels(s *Summary) error {
	for _, t := range [...]struct {
		field string
		rows  []SummaryRow
	}{{"ByTxnType", s.ByTxnType}, {"ByCardKind", s.ByCardKind}} {
		for i, r := range t.rows {
			words := strings.Fields(r.Label)
			var reason string
			switch {
			case len(words) == 0:
				reason = "is blank"
			case strings.Join(words, " ") != r.Label:
				reason = "is not words separated by single spaces"
			case strings.Contains(r.Label, ":"):
				reason = "holds ':'"
			case r.Label == rdTotal:
				reason = "is " + rdTotal + ", the total row's"
			case words[0] == rdTxnTable || words[0] == rdCardTable || strings.Contains(r.Label, rdTitle):
				reason = "starts with a table's caption or holds the title"
			default:
				continue
			}
			return fmt.Errorf("reconcile: WriteRD: Summary.%s[%d].Label %s: a reader could not get the row back", t.field, i, reason)
		}
	}
	return nil
}

// gbkLen is the width of s in GBK bytes: 2 per non-ASCII character.
func gbkLen(s string) int {
	n := 0
	for _, r := range s {
		if r < 0x80 {
			n++
		} else {
			n += 2
		}
	}
	return n
}

// padGBK right-pads s with spaces to width GBK bytes, with at least one space.
func padGBK(s string, width int) string {
	return s + strings.Repeat(" ", max(width-gbkLen(s), 1))
}

// settleDateString writes a settle date as MemberName reads it: a midnight is its own
// date, another time its Beijing date.
func settleDateString(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return settleDay(t).Format(yyyymmdd)
}

func dateString(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(tz.Beijing()).Format(yyyymmdd)
}

func pairLine(k1, v1, k2, v2 string) string {
	return padGBK(k1+":"+v1, rdHeaderCol) + k2 + ":" + v2
}

func formatRow(r SummaryRow) string {
	var b bytes.Buffer
	b.WriteString(padGBK(r.Label, rdLabelWidth))
	fmt.Fprintf(&b, "%*d", rdCountWidth, r.Count)
	for _, v := range [...]int64{r.TxnDebit, r.TxnCredit, r.FeeDebit, r.FeeCredit, r.NetDebit, r.NetCredit} {
		fmt.Fprintf(&b, "%*s", rdAmtWidth, formatYuan(v))
	}
	return b.String()
}
