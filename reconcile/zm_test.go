package reconcile

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/encoding/simplifiedchinese"
)

// zmWidths is UnionPay's 42-field width table, written out independently of
// zmLayout so that a slip in either shows up.
var zmWidths = []int{3, 11, 11, 6, 10, 19, 12, 4, 2, 21, 2, 32, 2, 6, 10, 13, 13, 4, 15, 2, 2, 6, 2, 4, 32,
	1, 21, 15, 1, 15, 32, 13, 13, 8, 32, 13, 13, 12, 2, 1, 32, 98}

func gbk(t testing.TB, s string) string {
	t.Helper()
	out, err := simplifiedchinese.GBK.NewEncoder().String(s)
	require.NoError(t, err)
	return out
}

// assemble pads each value (raw bytes) to its width and joins with spaces.
func assemble(t testing.TB, widths []int, values []string) string {
	t.Helper()
	require.Len(t, values, len(widths))
	parts := make([]string, len(values))
	for i, v := range values {
		require.LessOrEqual(t, len(v), widths[i], "value %d too wide", i)
		parts[i] = v + strings.Repeat(" ", widths[i]-len(v))
	}
	return strings.Join(parts, " ")
}

func beijingTime(y int, m time.Month, d, hh, mm, ss int) time.Time {
	return time.Date(y, m, d, hh, mm, ss, 0, Beijing())
}

// refundValues is a refund line in a December file carrying January times,
// with GBK Chinese in the sub-merchant name and the merchant reserved field
// and every kind of sign.
func refundValues(t testing.TB) []string {
	return []string{
		"S30", "48021000", "00049992", "123456", "0102030405", "621626******0018", "000000012345",
		"5812", "08", "202601020304051234567", "01", "R20260102000001", "02", "654321", "1230235959",
		"C000000000074", "D000000012271", "0001", "898000000000001", "04", "00", "000201", "01", "AB12",
		"BILL-0001", "1", "202512301234567890123", "777290058110097", "L", "777290058110098",
		gbk(t, "测试商户简称"), "D000000001000", "D000000011271", "T0000001", gbk(t, "{备注=中文保留}"),
		"D000000000100", " 000000000000", "C00000000050", "06", "7", "O20251230000009", "",
	}
}

var refundRecord = Record{
	Line: 1, TxnCode: "S30", AcqInsCode: "48021000", SendInsCode: "00049992", TraceNo: "123456",
	TxnTime: beijingTime(2026, 1, 2, 3, 4, 5), AccNo: "621626******0018", TxnAmt: 12345,
	MerCatCode: "5812", TermType: "08", QueryID: "202601020304051234567", LegacyPayType: "01",
	OrderID: "R20260102000001", PayCardType: "02", OrigTraceNo: "654321",
	OrigTxnTime: beijingTime(2025, 12, 30, 23, 59, 59), MerchantFee: 74, SettleAmt: -12271,
	PayType: "0001", GroupMerID: "898000000000001", TxnType: "04", TxnSubType: "00", BizType: "000201",
	AccType: "01", BillType: "AB12", BillNo: "BILL-0001", InteractMode: "1",
	OrigQueryID: "202512301234567890123", MerID: "777290058110097", SplitMode: "L",
	SubMerID: "777290058110098", SubMerAbbr: "测试商户简称", SubMerSplitAmt: -1000, NetSettleAmt: -11271,
	TermID: "T0000001", MerReserved: "{备注=中文保留}", DiscountAmt: -100, InvoiceAmt: 0,
	InstallmentFee: 50, InstallmentCount: "06", TxnMedium: "7", OrigOrderID: "O20251230000009",
}

var december = time.Date(2025, 12, 31, 0, 0, 0, 0, time.UTC)

func parseOne(t testing.TB, line string, settle time.Time) (Record, error) {
	t.Helper()
	var recs []Record
	var errs []error
	for r, err := range ZM(strings.NewReader(line+"\r\n"), settle) {
		recs, errs = append(recs, r), append(errs, err)
	}
	require.Len(t, recs, 1)
	return recs[0], errs[0]
}

func TestZMGoldenEveryField(t *testing.T) {
	line := assemble(t, zmWidths, refundValues(t))
	require.Len(t, line, 607)
	rec, err := parseOne(t, line, december)
	require.NoError(t, err)
	assert.Equal(t, refundRecord, rec)

	var out bytes.Buffer
	w := NewZMWriter(&out)
	require.NoError(t, w.Write(&rec))
	require.NoError(t, w.Flush())
	assert.Equal(t, line+"\r\n", out.String())
}

func TestZMSampleLine(t *testing.T) {
	line := "S56 88022900    00049993    190624 0906112203 622609******0048    000000476800 4899 07 " +
		"201509061122031906248 01 10078087                         01                   D000000002861 " +
		"C000000473939 0001                 01    000201                                              " +
		"                    802310048993424   000000000000000                                   000000000000 " +
		"C000000473939 01080209                                   000000000000  000000000000  00000000000    7" +
		strings.Repeat(" ", 132)
	require.Len(t, line, 607)
	rec, err := parseOne(t, line, time.Date(2015, 9, 5, 0, 0, 0, 0, time.UTC))
	require.NoError(t, err)
	assert.Equal(t, Record{
		Line: 1, TxnCode: "S56", AcqInsCode: "88022900", SendInsCode: "00049993", TraceNo: "190624",
		TxnTime: beijingTime(2015, 9, 6, 11, 22, 3), AccNo: "622609******0048", TxnAmt: 476800,
		MerCatCode: "4899", TermType: "07", QueryID: "201509061122031906248", LegacyPayType: "01",
		OrderID: "10078087", PayCardType: "01", MerchantFee: -2861, SettleAmt: 473939, PayType: "0001",
		TxnType: "01", BizType: "000201", MerID: "802310048993424", SubMerID: "000000000000000",
		NetSettleAmt: 473939, TermID: "01080209", TxnMedium: "7",
	}, rec)
}

func TestZMV3Fields(t *testing.T) {
	widths := append(append([]int{}, zmWidths[:41]...), 13, 2, 1, 12, 67)
	values := append(refundValues(t)[:41], "D000000012345", "05", "1", "123456789012", gbk(t, "保留"))
	line := assemble(t, widths, values)
	require.Len(t, line, 608)
	rec, err := parseOne(t, line, december)
	require.NoError(t, err)
	want := refundRecord
	want.ClearingAmt, want.POSEntryMode, want.MobilePayFlag, want.RetrievalRefNo = -12345, "05", "1", "123456789012"
	want.Reserved = "保留"
	assert.Equal(t, want, rec)

	var out bytes.Buffer
	w := NewZMWriter(&out)
	require.NoError(t, w.Write(&rec))
	require.NoError(t, w.Flush())
	assert.Equal(t, line+"\r\n", out.String())
}

func TestZMSigns(t *testing.T) {
	signed := map[int]func(*Record) int64{
		15: func(r *Record) int64 { return r.MerchantFee },
		16: func(r *Record) int64 { return r.SettleAmt },
		31: func(r *Record) int64 { return r.SubMerSplitAmt },
		32: func(r *Record) int64 { return r.NetSettleAmt },
		35: func(r *Record) int64 { return r.DiscountAmt },
		36: func(r *Record) int64 { return r.InvoiceAmt },
		37: func(r *Record) int64 { return r.InstallmentFee },
	}
	names := map[int]string{15: "merchantFee", 16: "settleAmt", 31: "subMerSplitAmt", 32: "netSettleAmt",
		35: "discountAmt", 36: "invoiceAmt", 37: "instalmentFee"}
	for idx, get := range signed {
		digits := strings.Repeat("0", zmWidths[idx]-4) + "123"
		zeros := strings.Repeat("0", zmWidths[idx]-1)
		cases := []struct {
			name, value string
			want        int64
			err         bool
		}{
			{"C", "C" + digits, 123, false},
			{"D", "D" + digits, -123, false},
			{"space zero", " " + zeros, 0, false},
			{"blank", "", 0, false},
			{"C zero", "C" + zeros, 0, false},
			{"space non-zero", " " + digits, 0, true},
			{"bad sign", "X" + digits, 0, true},
			{"letter in digits", "C" + digits[:len(digits)-1] + "A", 0, true},
		}
		for _, c := range cases {
			t.Run(names[idx]+"/"+c.name, func(t *testing.T) {
				values := refundValues(t)
				values[idx] = c.value
				rec, err := parseOne(t, assemble(t, zmWidths, values), december)
				if c.err {
					var le *LineError
					require.ErrorAs(t, err, &le)
					assert.Equal(t, names[idx], le.Field)
					assert.Equal(t, 1, le.Line)
					assert.ErrorIs(t, err, ErrMalformed)
					return
				}
				require.NoError(t, err)
				assert.Equal(t, c.want, get(&rec))
			})
		}
	}
}

func TestZMYearBoundary(t *testing.T) {
	cases := []struct {
		name   string
		settle time.Time
		txn    string
		orig   string
		want   time.Time
		origT  time.Time
	}{
		{"December file, January time", time.Date(2025, 12, 31, 0, 0, 0, 0, time.UTC), "0101000001", "1231120000",
			beijingTime(2026, 1, 1, 0, 0, 1), beijingTime(2025, 12, 31, 12, 0, 0)},
		{"January file, December time", time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), "1231235959", "",
			beijingTime(2025, 12, 31, 23, 59, 59), time.Time{}},
		{"original a year back", time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC), "0301100000", "0415093000",
			beijingTime(2026, 3, 1, 10, 0, 0), beijingTime(2025, 4, 15, 9, 30, 0)},
		{"leap day", time.Date(2024, 2, 29, 0, 0, 0, 0, time.UTC), "0229120000", "0228120000",
			beijingTime(2024, 2, 29, 12, 0, 0), beijingTime(2024, 2, 28, 12, 0, 0)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			values := refundValues(t)
			values[4], values[14] = c.txn, c.orig
			rec, err := parseOne(t, assemble(t, zmWidths, values), c.settle)
			require.NoError(t, err)
			assert.True(t, c.want.Equal(rec.TxnTime), "txnTime %v", rec.TxnTime)
			assert.True(t, c.origT.Equal(rec.OrigTxnTime), "origTxnTime %v", rec.OrigTxnTime)
		})
	}
}

func TestZMMalformed(t *testing.T) {
	cases := []struct {
		name  string
		edit  func(values []string) string
		field string
	}{
		{"short line", func(v []string) string { return assemble(t, zmWidths, v)[:400] }, "line"},
		{"blank txnAmt", func(v []string) string { v[6] = ""; return assemble(t, zmWidths, v) }, "txnAmt"},
		{"letters in txnAmt", func(v []string) string { v[6] = "00000001234X"; return assemble(t, zmWidths, v) }, "txnAmt"},
		{"month 13", func(v []string) string { v[4] = "1302030405"; return assemble(t, zmWidths, v) }, "txnTime"},
		{"blank txnTime", func(v []string) string { v[4] = ""; return assemble(t, zmWidths, v) }, "txnTime"},
		{"hour 24", func(v []string) string { v[14] = "1230245959"; return assemble(t, zmWidths, v) }, "origTxnTime"},
		{"February 30", func(v []string) string { v[4] = "0230030405"; return assemble(t, zmWidths, v) }, "txnTime"},
		{"char-sliced Chinese lengthens the line", func(v []string) string {
			s := assemble(t, zmWidths, v)
			return s[:327] + "测试商户简称" + s[327+12:] // UTF-8: 18 bytes where GBK has 12
		}, "line"}, // 613 bytes
		{"char-sliced Chinese shifts the line", func(v []string) string {
			s := assemble(t, zmWidths, v)
			return s[:327] + "测试商户简称" + s[327+12:len(s)-6] // the same, the reserved tail cut to 607
		}, "netSettleAmt"}, // the separator check sees the shift first
		{"separator", func(v []string) string {
			s := []byte(assemble(t, zmWidths, v))
			s[292] = '0'
			return string(s)
		}, "merId"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := parseOne(t, c.edit(refundValues(t)), december)
			var le *LineError
			require.ErrorAs(t, err, &le)
			assert.Equal(t, c.field, le.Field)
			assert.Equal(t, 1, le.Line)
			assert.ErrorIs(t, err, ErrMalformed)
			assert.NotContains(t, err.Error(), "621626")
		})
	}
}

func TestZMCollectOrStop(t *testing.T) {
	good := assemble(t, zmWidths, refundValues(t))
	bad := good[:66] + "ABC" + good[69:]
	file := good + "\r\n" + bad + "\r\n\r\n" + good + "\n" + good // blank line, LF, no final newline

	var lines []int
	var errs []error
	for r, err := range ZM(strings.NewReader(file), december) {
		if err != nil {
			errs = append(errs, err)
			continue
		}
		lines = append(lines, r.Line)
	}
	assert.Equal(t, []int{1, 4, 5}, lines)
	require.Len(t, errs, 1)
	assert.EqualError(t, errs[0], "reconcile: line 2, field txnAmt (offset 66): not all digits")

	n := 0
	for _, err := range ZM(strings.NewReader(file), december) {
		n++
		if err != nil {
			break
		}
	}
	assert.Equal(t, 2, n, "break stops the iteration")
}

type failingReader struct{ data *strings.Reader }

func (f *failingReader) Read(p []byte) (int, error) {
	n, err := f.data.Read(p)
	if err != nil {
		return n, errors.New("disk on fire")
	}
	return n, nil
}

func TestZMReadErrorAndLongLine(t *testing.T) {
	good := assemble(t, zmWidths, refundValues(t))
	file := strings.Repeat("x", 300000) + "\r\n" + good + "\r\n"
	var got []string
	for r, err := range ZM(&failingReader{strings.NewReader(file)}, december) {
		if err != nil {
			got = append(got, err.Error())
			continue
		}
		got = append(got, r.OrderID)
	}
	assert.Equal(t, []string{
		"reconcile: line 1: line longer than 2048 bytes",
		"R20260102000001",
		"reconcile: reading line 3: disk on fire",
	}, got)

	for _, err := range ZM(strings.NewReader(good), time.Time{}) {
		require.Error(t, err)
	}
}

// errMalformedReader fails every read with an error that wraps ErrMalformed,
// as a corrupt zip member does: the reader must stop, not retry forever.
type errMalformedReader struct{ calls int }

func (r *errMalformedReader) Read([]byte) (int, error) {
	r.calls++
	return 0, fmt.Errorf("%w: member: zip: not a valid zip file", ErrMalformed)
}

func TestZMStopsOnMalformedReadError(t *testing.T) {
	r := &errMalformedReader{}
	n := 0
	for _, err := range ZM(r, december) {
		require.ErrorIs(t, err, ErrMalformed)
		if n++; n > 3 {
			break
		}
	}
	assert.Equal(t, 1, n)
	assert.Equal(t, 1, r.calls)
}

// Tests that kill the mutants that survived the second mutation review of the
// ZM/ZME field parsing, the writers, member names and the JSON report.

func mut2Record() Record {
	return Record{TxnCode: "S22", TxnTime: settle.Add(time.Hour), TxnAmt: 100, OrderID: "ORDER0001", TxnType: "01"}
}

func mut2ZMLines(t *testing.T, recs ...Record) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := NewZMWriter(&buf)
	for i := range recs {
		require.NoError(t, w.Write(&recs[i]))
	}
	require.NoError(t, w.Flush())
	return buf.Bytes()
}

func mut2ReadZM(t *testing.T, b []byte) ([]Record, []error) {
	t.Helper()
	var recs []Record
	var errs []error
	for r, err := range ZM(bytes.NewReader(b), settle) {
		if err != nil {
			errs = append(errs, err)
			continue
		}
		recs = append(recs, r)
	}
	return recs, errs
}

// TestMutation2ZMRoundTrip: records that read back as written, through the
// delta parser (one after another in a file) and alone.
func TestMutation2ZMRoundTrip(t *testing.T) {
	withRef := mut2Record()
	withRef.RetrievalRefNo = "123456789012" // the only v3 field set: 608-byte layout
	debit := mut2Record()
	debit.TxnType, debit.MerchantFee, debit.SettleAmt, debit.NetSettleAmt = "04", 60, -10000, -1000000
	longOrder := mut2Record()
	longOrder.OrderID = strings.Repeat("A", 31) + "B"
	longOrder2 := longOrder
	longOrder2.OrderID = strings.Repeat("A", 31) + "C" // differs from the line before in its last byte only
	longOrig := longOrder2
	longOrig.OrigOrderID, longOrig.SubMerAbbr, longOrig.MerReserved = strings.Repeat("O", 32), "二级商户", strings.Repeat("m", 32)
	cases := []struct {
		name string
		recs []Record
	}{
		{"v3 with only retrievalRefNo", []Record{mut2Record(), withRef}},
		{"debit amounts in whole hundreds of yuan", []Record{mut2Record(), debit}},
		{"32-byte orderIds differing in the last byte", []Record{longOrder, longOrder2, longOrig}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, errs := mut2ReadZM(t, mut2ZMLines(t, c.recs...))
			require.Empty(t, errs)
			require.Len(t, got, len(c.recs))
			for i, want := range c.recs {
				want.Line = i + 1
				require.Equal(t, want, got[i], "record %d in a file", i)
				alone, errs := mut2ReadZM(t, mut2ZMLines(t, c.recs[i]))
				require.Empty(t, errs)
				want.Line = 1
				require.Equal(t, want, alone[0], "record %d alone", i)
			}
		})
	}
}

// TestMutation2LayoutSwitch: a 608-byte v2 line (its last byte a space) after
// a v3 line, and the other way round, share nothing of the other layout's
// fields: each reads as it does alone.
func TestMutation2LayoutSwitch(t *testing.T) {
	v3 := mut2Record()
	v3.ClearingAmt, v3.POSEntryMode, v3.MobilePayFlag, v3.RetrievalRefNo = 500, "05", "1", "123456789012"
	v3.OrderID = "ORDER0002"
	v3line := mut2ZMLines(t, v3)
	v2line := mut2ZMLines(t, mut2Record())
	v2line = append(v2line[:len(v2line)-2:len(v2line)-2], ' ', '\r', '\n') // 608 bytes
	require.Len(t, v3line, len(v2line))
	cases := []struct {
		name  string
		lines [][]byte
	}{
		{"v3 then v2", [][]byte{v3line, v2line}},
		{"v2 then v3", [][]byte{v2line, v3line}},
		{"v3, v2, v3", [][]byte{v3line, v2line, v3line}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, errs := mut2ReadZM(t, bytes.Join(c.lines, nil))
			require.Empty(t, errs)
			require.Len(t, got, len(c.lines))
			for i, line := range c.lines {
				alone, errs := mut2ReadZM(t, line)
				require.Empty(t, errs)
				alone[0].Line = i + 1
				require.Equal(t, alone[0], got[i], "line %d", i+1)
			}
		})
	}
}

// TestMutation2V3DetectedByAnyField: a 608-byte line is in the newer layout
// when any of fields 42 to 45 is not blank, even with the others blank (as a
// file from UnionPay may have them; the writer zero-fills clearingAmt).
func TestMutation2V3DetectedByAnyField(t *testing.T) {
	v2line := mut2ZMLines(t, mut2Record())
	line := append(v2line[:len(v2line)-2:len(v2line)-2], ' ') // 608 bytes, all blank from 508
	cases := []struct {
		field string
		text  string
		want  func(*Record)
	}{
		{"clearingAmt", "C000000000500", func(r *Record) { r.ClearingAmt = 500 }},
		{"posEntryMode", "05", func(r *Record) { r.POSEntryMode = "05" }},
		{"mobilePayFlag", "1", func(r *Record) { r.MobilePayFlag = "1" }},
		{"retrievalRefNo", "123456789012", func(r *Record) { r.RetrievalRefNo = "123456789012" }},
	}
	for _, c := range cases {
		t.Run(c.field, func(t *testing.T) {
			var f field
			for _, g := range zmLayout[zmClearingAmt:] {
				if g.name == c.field {
					f = g
				}
			}
			require.NotZero(t, f.width)
			b := bytes.Clone(line)
			copy(b[f.off:], c.text)
			got, errs := mut2ReadZM(t, b)
			require.Empty(t, errs)
			require.Len(t, got, 1)
			want := mut2Record()
			want.Line = 1
			c.want(&want)
			require.Equal(t, want, got[0])
		})
	}
}

type mut2ChunkReader struct {
	b []byte
	n int
}

func (r *mut2ChunkReader) Read(p []byte) (int, error) {
	if len(r.b) == 0 {
		return 0, io.EOF
	}
	k := min(len(p), r.n, len(r.b))
	copy(p, r.b[:k])
	r.b = r.b[k:]
	return k, nil
}

// TestMutation2ChunkedReads: however the reader splits the file, the lines
// read are those of a whole read (the guessed line end is checked against
// bytes actually read, never against what a buffer held before).
func TestMutation2ChunkedReads(t *testing.T) {
	recs := make([]Record, 6)
	for i := range recs {
		recs[i] = mut2Record()
		recs[i].OrderID = fmt.Sprintf("ORDER%04d", i)
	}
	body := mut2ZMLines(t, recs...)
	long := append(bytes.Clone(body[:609]), body[:609]...)
	long = append(long[:609+607], 'x', 'y', '\r', '\n') // a 609-byte line after a good one
	cases := []struct {
		name string
		data []byte
	}{
		{"CRLF", body},
		{"last line ends with CR only", body[:len(body)-1]},
		{"last line without CRLF", body[:len(body)-2]},
		{"line one byte too long", append(bytes.Clone(body), long...)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			want, wantErrs := mut2ReadZM(t, c.data)
			for n := 1; n <= 1300; n++ {
				var got []Record
				var errs int
				for r, err := range ZM(&mut2ChunkReader{b: c.data, n: n}, settle) {
					if err != nil {
						errs++
						continue
					}
					got = append(got, r)
				}
				require.Equal(t, want, got, "chunks of %d", n)
				require.Equal(t, len(wantErrs), errs, "chunks of %d", n)
			}
		})
	}
}
