package reconcile

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/goacp/unionpay/internal/javagbk"
	"github.com/goacp/unionpay/internal/tz"
)

// Summary is the RD member (中国银联全渠道商户交易汇总表), UnionPay's daily
// summary report: a header and two tables of totals, by transaction type and
// by card kind. Amounts are fen, each column split into debit (借) and credit
// (贷) as the report prints them.
type Summary struct {
	MerID      string    // 商户代码
	Currency   string    // 清算币种, e.g. 人民币
	AcqInsCode string    // 收单机构
	SettleDate time.Time // 清算日期, Beijing midnight
	MerName    string    // 商户名称
	Generated  time.Time // 生成日期, Beijing midnight

	ByTxnType  []SummaryRow // the 交易类型 table, without its 总计 row
	Total      SummaryRow   // its 总计 row
	ByCardKind []SummaryRow // the 卡性质 table (借记卡, 贷记卡, 准贷记卡, 其他卡)
	CardTotal  SummaryRow   // its 总计 row
}

// SummaryRow is one row of a summary table.
type SummaryRow struct {
	Label     string // e.g. 自助消费, 借记卡, 总计
	Count     int64  // 交易笔数
	TxnDebit  int64  // 交易金额 借
	TxnCredit int64  // 交易金额 贷
	FeeDebit  int64  // 费用 借
	FeeCredit int64  // 费用 贷
	NetDebit  int64  // 资金清算差额 借
	NetCredit int64  // 资金清算差额 贷
}

const (
	rdTitle      = "中国银联全渠道商户交易汇总表"
	rdTotal      = "总计"
	rdTxnTable   = "交易类型"
	rdCardTable  = "卡性质"
	rdMaxSize    = 4 << 20
	rdHeaderCol  = 64 // byte column of the second key on a header line
	rdLabelWidth = 20
	rdCountWidth = 8
	rdAmtWidth   = 16
)

// rdKeys are the header keys, in the order they are printed.
var rdKeys = [...]string{"商户代码", "清算币种", "收单机构", "清算日期", "商户名称", "生成日期"}

// ParseRD parses an RD summary report (GBK, CRLF). Unknown header keys and the
// title are ignored; a table row that is not a label followed by a count and
// six amounts with two decimals is an error wrapping [ErrMalformed], as is a
// report without a 交易类型 总计 row, or one giving a header key (商户代码, say)
// twice. Reports over 4 MiB are refused, and a nil
// r is an error matching [ErrNilArgument].
func ParseRD(r io.Reader) (*Summary, error) {
	if r == nil {
		return nil, nilArgument("r", "ParseRD")
	}
	raw, err := io.ReadAll(io.LimitReader(r, rdMaxSize+1))
	if err != nil {
		return nil, readErr("reading summary report", err)
	}
	if len(raw) > rdMaxSize {
		return nil, fmt.Errorf("%w: summary report over %d bytes", ErrTooLarge, rdMaxSize)
	}
	text, err := javagbk.NewDecoder().String(string(raw))
	if err != nil {
		return nil, fmt.Errorf("%w: summary report: %w", ErrMalformed, err)
	}
	s := &Summary{}
	var seen [len(rdKeys)]bool // header keys read so far: each may come once
	var table *[]SummaryRow
	var total *SummaryRow
	haveTotal := false
	sc := bufio.NewScanner(strings.NewReader(text))
	sc.Buffer(nil, rdMaxSize*2)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimRight(sc.Text(), "\r")
		tokens := strings.Fields(line)
		switch {
		case len(tokens) == 0 || strings.Trim(line, "_ ") == "" || strings.Contains(line, rdTitle):
			continue
		case tokens[0] == rdTxnTable:
			table, total = &s.ByTxnType, &s.Total
		case tokens[0] == rdCardTable:
			table, total = &s.ByCardKind, &s.CardTotal
		case strings.Contains(line, ":"):
			if err := s.header(line, n, &seen); err != nil {
				return nil, err
			}
		case table == nil || (tokens[0] == "借" && len(tokens) <= 6):
			continue // column captions
		default:
			row, err := parseRow(tokens, n)
			if err != nil {
				return nil, err
			}
			if row.Label == rdTotal {
				*total = row
				haveTotal = haveTotal || total == &s.Total
				continue
			}
			*table = append(*table, row)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%w: summary report: %w", ErrMalformed, err)
	}
	if !haveTotal {
		return nil, fmt.Errorf("%w: summary report has no %s row in its %s table", ErrMalformed, rdTotal, rdTxnTable)
	}
	return s, nil
}

// header reads the key:value pairs of a header line. A key given twice, on
// this line or an earlier one (seen), is malformed: a value runs to the next
// key, so the second copy would read as part of a value, or overwrite the
// first, and the report would say two things.
func (s *Summary) header(line string, n int, seen *[len(rdKeys)]bool) error {
	type hit struct{ key, at int }
	var hits []hit
	for k, key := range rdKeys {
		i := strings.Index(line, key+":")
		if i < 0 {
			continue
		}
		if seen[k] || strings.Contains(line[i+len(key)+1:], key+":") {
			return fmt.Errorf("%w: summary report line %d: %s given twice", ErrMalformed, n, key)
		}
		seen[k] = true
		hits = append(hits, hit{k, i})
	}
	for _, h := range hits {
		end := len(line)
		for _, o := range hits {
			if o.at > h.at && o.at < end {
				end = o.at
			}
		}
		v := strings.TrimSpace(line[h.at+len(rdKeys[h.key])+1 : end])
		if err := s.set(rdKeys[h.key], v, n); err != nil {
			return err
		}
	}
	return nil
}

func (s *Summary) set(key, v string, n int) error {
	switch key {
	case "商户代码":
		s.MerID = v
	case "清算币种":
		s.Currency = v
	case "收单机构":
		s.AcqInsCode = v
	case "商户名称":
		s.MerName = v
	case "清算日期", "生成日期":
		if v == "" {
			return nil
		}
		t, err := time.ParseInLocation(yyyymmdd, v, tz.Beijing())
		if err != nil {
			return fmt.Errorf("%w: summary report line %d: %s is not yyyyMMdd", ErrMalformed, n, key)
		}
		if key == "清算日期" {
			s.SettleDate = t
		} else {
			s.Generated = t
		}
	}
	return nil
}

// parseRow reads "label count d c d c d c".
func parseRow(tokens []string, n int) (SummaryRow, error) {
	if len(tokens) < 8 {
		return SummaryRow{}, fmt.Errorf("%w: summary report line %d: want a label, a count and six amounts", ErrMalformed, n)
	}
	k := len(tokens) - 7
	row := SummaryRow{Label: strings.Join(tokens[:k], " ")}
	count, err := strconv.ParseInt(tokens[k], 10, 64)
	if err != nil || count < 0 {
		return SummaryRow{}, fmt.Errorf("%w: summary report line %d: bad count", ErrMalformed, n)
	}
	row.Count = count
	dst := [...]*int64{&row.TxnDebit, &row.TxnCredit, &row.FeeDebit, &row.FeeCredit, &row.NetDebit, &row.NetCredit}
	for i, p := range dst {
		v, ok := parseYuan(tokens[k+1+i])
		if !ok {
			return SummaryRow{}, fmt.Errorf("%w: summary report line %d: amount %d is not yuan with two decimals", ErrMalformed, n, i+1)
		}
		*p = v
	}
	return row, nil
}

// parseYuan reads "13227.00" (optionally negative) as fen.
func parseYuan(s string) (int64, bool) {
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	dot := strings.IndexByte(s, '.')
	if dot < 1 || len(s)-dot != 3 {
		return 0, false
	}
	yuan, ok1 := digits([]byte(s[:dot]))
	fen, ok2 := digits([]byte(s[dot+1:]))
	if !ok1 || !ok2 || yuan > 1<<50 {
		return 0, false
	}
	v := yuan*100 + fen
	if neg {
		v = -v
	}
	return v, true
}

func formatYuan(fen int64) string {
	sign := ""
	if fen < 0 {
		sign, fen = "-", -fen
	}
	return fmt.Sprintf("%s%d.%02d", sign, fen/100, fen%100)
}
