package reconcile

import (
	"bytes"
	"fmt"
	"io"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var settle = time.Date(2025, 12, 31, 0, 0, 0, 0, Beijing())

func randSigned(r *rand.Rand, limit int64) int64 {
	return r.Int64N(2*limit+1) - limit
}

// randomRecord makes a record with every field set to something plausible.
func randomRecord(r *rand.Rand, i int) Record {
	names := []string{"", "测试商户", "A店", "云闪付·便利店", "shop 01"}
	txnTime := settle.Add(time.Duration(r.IntN(48*3600)-24*3600) * time.Second)
	rec := Record{
		TxnCode: "S56", AcqInsCode: "48021000", SendInsCode: "00049992",
		TraceNo: fmt.Sprintf("%06d", i%1000000), TxnTime: txnTime, AccNo: "621626******0018",
		TxnAmt: r.Int64N(1e9), MerCatCode: "5812", TermType: "07", QueryID: fmt.Sprintf("2025123112000%08d", i),
		LegacyPayType: "01", OrderID: fmt.Sprintf("ORD%012d", i), PayCardType: fmt.Sprintf("%02d", 1+r.IntN(4)),
		MerchantFee: randSigned(r, 1e6), SettleAmt: randSigned(r, 1e9), PayType: "0001",
		TxnType: "01", BizType: "000201", MerID: "777290058110097", SubMerAbbr: names[r.IntN(len(names))],
		SubMerSplitAmt: randSigned(r, 1e5), NetSettleAmt: randSigned(r, 1e9), TermID: "T0000001",
		MerReserved: names[r.IntN(len(names))], DiscountAmt: randSigned(r, 1e4), InvoiceAmt: randSigned(r, 1e4),
		InstallmentFee: randSigned(r, 1e4), TxnMedium: "7",
	}
	if i%3 == 0 {
		rec.TxnType, rec.OrigQueryID, rec.OrigOrderID = "04", fmt.Sprintf("2025120112000%08d", i), fmt.Sprintf("ORD%012d", i-1)
		rec.OrigTraceNo, rec.OrigTxnTime = "000001", txnTime.Add(-240*time.Hour)
	}
	if i%7 == 0 {
		rec.ClearingAmt, rec.POSEntryMode, rec.MobilePayFlag, rec.RetrievalRefNo = randSigned(r, 1e9)|1, "05", "1", "123456789012"
	}
	return rec
}

func randomErrorRecord(r *rand.Rand, i int) ErrorRecord {
	t := settle.Add(time.Duration(r.IntN(86400)) * time.Second)
	return ErrorRecord{
		TxnCode: "E74", AcqInsCode: "48021000", SendInsCode: "00049992", TraceNo: fmt.Sprintf("%06d", i),
		TxnTime: t, AccNo: "621626******0018", TxnAmt: r.Int64N(1e9), MerCatCode: "5812", TermType: "07",
		PayCardType: "01", OrigTraceNo: "000123", OrigTxnTime: t.Add(-72 * time.Hour),
		OrigSettleDate: time.Date(2025, 12, 28, 0, 0, 0, 0, Beijing()), OrigTxnAmt: 1 + r.Int64N(1e9),
		MerchantFee: randSigned(r, 1e6), SettleAmt: randSigned(r, 1e9), MerID: "777290058110097",
		SplitFlag: "A", InstallmentFee: randSigned(r, 1e4), InstallmentCount: "12", Reserved: "差错",
	}
}

func TestRoundTripZip(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	s := &Settlement{MerID: "777290058110097", MerName: "测试商户", AcqInsCode: "48021000", SettleDate: settle}
	for i := range 500 {
		s.Records = append(s.Records, randomRecord(r, i))
	}
	for i := range 20 {
		s.ErrorRecords = append(s.ErrorRecords, randomErrorRecord(r, i))
	}
	b, err := s.Zip()
	require.NoError(t, err)

	a, err := Open(b)
	require.NoError(t, err)
	ms := a.Members()
	require.Len(t, ms, 3)
	assert.Equal(t, []string{"INN25123188ZM_777290058110097", "INN25123188ZME_777290058110097",
		"RD201025123101_777290058110097"}, []string{ms[0].Name, ms[1].Name, ms[2].Name})
	assert.Equal(t, []Kind{KindZM, KindZME, KindRD}, []Kind{ms[0].Kind, ms[1].Kind, ms[2].Kind})
	assert.Equal(t, time.Date(2026, 1, 1, 9, 0, 0, 0, Beijing()), ms[0].Modified)

	zm := a.First(KindZM)
	rc, err := zm.Open()
	require.NoError(t, err)
	var got []Record
	var tally Tally
	for rec, err := range ZM(rc, zm.SettleDate) {
		require.NoError(t, err)
		tally.Add(&rec)
		rec.Line = 0
		got = append(got, rec)
	}
	require.NoError(t, rc.Close())
	require.Len(t, got, len(s.Records))
	for i := range got {
		require.Equal(t, s.Records[i], got[i], "record %d", i)
	}

	rc, err = a.First(KindZME).Open()
	require.NoError(t, err)
	var gotErr []ErrorRecord
	for rec, err := range ZME(rc, settle) {
		require.NoError(t, err)
		rec.Line = 0
		gotErr = append(gotErr, rec)
	}
	assert.Equal(t, s.ErrorRecords, gotErr)

	rc, err = a.First(KindRD).Open()
	require.NoError(t, err)
	sum, err := ParseRD(rc)
	require.NoError(t, err)
	assert.NoError(t, sum.Check(&tally))
	assert.Equal(t, "测试商户", sum.MerName)
	assert.Equal(t, settle, sum.SettleDate)
}

func TestCheckReportsMismatch(t *testing.T) {
	a := openSample(t)
	rc, err := a.First(KindRD).Open()
	require.NoError(t, err)
	sum, err := ParseRD(rc)
	require.NoError(t, err)
	assert.Equal(t, SummaryRow{Label: "总计", Count: 8, TxnCredit: 1322700, FeeDebit: 7936, NetCredit: 1314764}, sum.Total)
	assert.Equal(t, "淘在路上", sum.MerName)
	assert.Equal(t, "人民币", sum.Currency)
	assert.Equal(t, "88022900", sum.AcqInsCode)
	assert.Equal(t, time.Date(2015, 9, 6, 0, 0, 0, 0, Beijing()), sum.Generated)
	require.Len(t, sum.ByCardKind, 4)

	zm := a.First(KindZM)
	raw := readMember(t, zm)
	var tally Tally
	n := 0
	for rec, err := range ZM(bytes.NewReader(raw), zm.SettleDate) {
		require.NoError(t, err)
		if n++; n == 3 {
			continue // a record lost on the way
		}
		tally.Add(&rec)
	}
	err = sum.Check(&tally)
	require.ErrorIs(t, err, ErrMismatch)
	var me *MismatchError
	require.ErrorAs(t, err, &me)
	assert.Equal(t, []Diff{
		{Row: "总计", Column: "count", Want: 8, Got: 7},
		{Row: "总计", Column: "txn", Want: 1322700, Got: 1322700 - 9900},
		{Row: "总计", Column: "txn-gross", Want: 1322700, Got: 1322700 - 9900},
		{Row: "总计", Column: "fee", Want: -7936, Got: -7936 + 59},
		{Row: "总计", Column: "net", Want: 1314764, Got: 1314764 - 9841},
	}, me.Diffs)
}

func TestParseRDMalformed(t *testing.T) {
	cases := map[string]string{
		"no total":   "交易类型  交易笔数\r\n自助消费  8  0.00  1.00  0.00  0.00  0.00  1.00\r\n",
		"bad amount": "交易类型  交易笔数\r\n总计  8  0.00  1.0  0.00  0.00  0.00  1.00\r\n",
		"bad count":  "交易类型  交易笔数\r\n总计  x  0.00  1.00  0.00  0.00  0.00  1.00\r\n",
		"bad date":   "清算日期:2015-09-05\r\n",
		// A key given twice would read as part of a value, or overwrite the first: the report
		// would say two things (found by FuzzParseRD's write-and-reparse check).
		"key twice on a line":     "商户代码:z 商户名称:x 商户代码:y\r\n交易类型\r\n总计 1 0.00 0.00 0.00 0.00 0.00 0.00\r\n",
		"date key twice":          "生成日期:20150101 商户名称:a 生成日期:b\r\n交易类型\r\n总计 1 0.00 0.00 0.00 0.00 0.00 0.00\r\n",
		"key again on a new line": "商户代码:z\r\n商户名称:x 商户代码:y\r\n交易类型\r\n总计 1 0.00 0.00 0.00 0.00 0.00 0.00\r\n",
	}
	for name, text := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := ParseRD(bytes.NewReader([]byte(gbk(t, text))))
			assert.ErrorIs(t, err, ErrMalformed)
		})
	}
	_, err := ParseRD(io.LimitReader(zeroReader{}, 5<<20))
	assert.ErrorIs(t, err, ErrTooLarge)
}

// WriteRD refuses header values and row labels a reader could not get back: a line break ends
// the header line, a header key with its ':' would read as a key, and a row label with ':', a
// caption, 总计 or white space other than single spaces would read as something else.
func TestWriteRDRefusesWhatCannotBeReadBack(t *testing.T) {
	for name, tc := range map[string]struct {
		s    Summary
		want string
	}{
		"key in MerName":    {Summary{MerID: "z", MerName: "x 商户代码:y"}, `Summary.MerName holds "商户代码:"`},
		"date key in MerID": {Summary{MerID: "生成日期:1"}, `Summary.MerID holds "生成日期:"`},
		"line break":        {Summary{AcqInsCode: "a\r\n交易类型"}, "Summary.AcqInsCode holds a line break"},
		"LF in Currency":    {Summary{Currency: "人民币\n"}, "Summary.Currency holds a line break"},
		// Row labels a reader would drop, take for a header or a total, or not split back.
		"label with colon":     {Summary{ByTxnType: []SummaryRow{{Label: "退货:部分"}}}, "Summary.ByTxnType[0].Label holds ':'"},
		"label with key":       {Summary{ByTxnType: []SummaryRow{{Label: "商户名称:x"}}}, "Summary.ByTxnType[0].Label holds ':'"},
		"label with CRLF":      {Summary{ByCardKind: []SummaryRow{{Label: "借记卡"}, {Label: "a\r\nb"}}}, "Summary.ByCardKind[1].Label is not words"},
		"label total":          {Summary{ByTxnType: []SummaryRow{{Label: "总计"}}}, "Summary.ByTxnType[0].Label is 总计"},
		"blank label":          {Summary{ByTxnType: []SummaryRow{{Label: " "}}}, "Summary.ByTxnType[0].Label is blank"},
		"caption label":        {Summary{ByTxnType: []SummaryRow{{Label: "交易类型 x"}}}, "starts with a table's caption"},
		"card caption label":   {Summary{ByCardKind: []SummaryRow{{Label: "卡性质"}}}, "starts with a table's caption"},
		"title in label":       {Summary{ByTxnType: []SummaryRow{{Label: "x" + rdTitle}}}, "holds the title"},
		"double-spaced label":  {Summary{ByTxnType: []SummaryRow{{Label: "a  b"}}}, "is not words separated by single spaces"},
		"label with end space": {Summary{ByTxnType: []SummaryRow{{Label: "退货 "}}}, "is not words separated by single spaces"},
	} {
		t.Run(name, func(t *testing.T) {
			var out bytes.Buffer
			err := WriteRD(&out, &tc.s)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
			assert.Zero(t, out.Len(), "nothing written")
		})
	}
	var out bytes.Buffer
	rows := []SummaryRow{{Label: "自助消费", Count: 1, TxnCredit: 100}, {Label: "other type 2", Count: 2, TxnDebit: 5}}
	require.NoError(t, WriteRD(&out, &Summary{MerID: "777290058110097", MerName: "商户:名称", ByTxnType: rows}),
		"a colon alone in a header value is fine, and so are labels of single-spaced words")
	got, err := ParseRD(&out)
	require.NoError(t, err)
	assert.Equal(t, "商户:名称", got.MerName)
	assert.Equal(t, rows, got.ByTxnType)
}

type zeroReader struct{}

func (zeroReader) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

// TestDeltaEqualsFullParse checks that parsing a file line after line (which
// re-parses only changed fields) gives what parsing each line alone gives.
func TestDeltaEqualsFullParse(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	var buf bytes.Buffer
	w := NewZMWriter(&buf)
	var want []Record
	for i := range 300 {
		rec := randomRecord(r, i)
		if i%5 == 0 && i > 0 {
			rec = want[i-1] // repeated lines, then small changes
			rec.TxnAmt++
		}
		if i%11 == 0 {
			rec.TxnTime = time.Date(2026, 1, 1, 0, 0, 1, 0, Beijing()) // moves the year of OrigTxnTime
			rec.OrigTxnTime = time.Date(2025, 12, 31, 23, 0, 0, 0, Beijing())
		}
		require.NoError(t, w.Write(&rec))
		want = append(want, rec)
	}
	require.NoError(t, w.Flush())
	lines := bytes.SplitAfter(buf.Bytes(), []byte("\r\n"))
	// A malformed line in the middle must not leak state into the next one.
	bad := append([]byte(nil), lines[150]...)
	copy(bad[66:], "XXXX")
	file := bytes.Join([][]byte{bytes.Join(lines[:150], nil), bad, bytes.Join(lines[150:], nil)}, nil)

	i := 0
	for rec, err := range ZM(bytes.NewReader(file), settle) {
		if i == 150 {
			require.Error(t, err)
			i++
			continue
		}
		require.NoError(t, err)
		k := i
		if i > 150 {
			k = i - 1
		}
		alone, err := newZMParser(settle).parse(bytes.TrimRight(lines[k], "\r\n"), rec.Line)
		require.NoError(t, err)
		require.Equal(t, alone, rec, "line %d", rec.Line)
		exp := want[k]
		exp.Line = rec.Line
		require.Equal(t, exp, rec, "line %d", rec.Line)
		i++
	}
	assert.Equal(t, 301, i)
}
