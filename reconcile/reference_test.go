package reconcile_test

// reference_test.go and the reference_*_test.go files hold an independent,
// deliberately simple reference parser for ZM and ZME lines, written from the
// format description (RECONCILE.md §4 and §5) and the package documentation
// only, and a differential test that runs the package's optimised readers (ZM,
// ZME, which parse only the fields that changed from the line before) and the
// reference over many generated and mutated files, read whole, in random
// chunks and a byte at a time, and compares every record and every error.
//
// The reference reads each line on its own: it slices every field at its
// fixed byte offset, checks every separator, and parses each field from
// scratch. It shares no code with the package; it uses only its exported API
// and OpenJDK 17's GBK table (internal/javagbk/testdata), the charset
// UnionPay's servers write the files in.
//
// Where RECONCILE.md and the package documentation leave a choice open, the
// reference follows the package and says so ("choice:"): how invalid GBK
// decodes, which error a line with several faults gets, how long a line with
// fields 42-45 must be, how a 608-byte line without them reads, how "nearest
// the settle date" is measured. Where the text is clear it follows the text:
// so it found that ZME dropped the byte a 204-byte line ends in (the separator
// before the reserved field) without a word, since fixed.
//
// TestReferenceZM and TestReferenceZME compare 90,000 lines (about a second);
// go test ./reconcile -run TestReference -ref.scale 50 compares 4.5 million.

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"iter"
	"math/rand/v2"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/goacp/unionpay/reconcile"
)

// TestReferenceZM compares ZM with the reference over generated files.
func TestReferenceZM(t *testing.T) {
	t.Parallel()
	n := 60_000
	if testing.Short() {
		n = 6_000
	}
	refRun(t, true, 1, n**refScale)
}

// refScale multiplies the lines the differential tests compare, for long
// runs: go test ./reconcile -run TestReference -ref.scale 10
var refScale = flag.Int("ref.scale", 1, "multiply the lines TestReferenceZM and TestReferenceZME compare")

// TestReferenceZME compares ZME with the reference over generated files.
func TestReferenceZME(t *testing.T) {
	t.Parallel()
	n := 30_000
	if testing.Short() {
		n = 3_000
	}
	refRun(t, false, 2, n**refScale)
}

// refSample returns the ZM member of UnionPay's sample settlement zip.
func refSample(t testing.TB) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/802310048993424_20150905.zip")
	if err != nil {
		t.Fatal(err)
	}
	a, err := reconcile.Open(b)
	if err != nil {
		t.Fatal(err)
	}
	rc, err := a.First(reconcile.KindZM).Open()
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	data, err := io.ReadAll(rc)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// refEdit returns a copy of line l with s written at offset off.
func refEdit(l []byte, off int, s string) []byte {
	l = slices.Clone(l)
	if need := off + len(s); need > len(l) {
		l = append(l, bytes.Repeat([]byte{' '}, need-len(l))...)
	}
	copy(l[off:], s)
	return l
}

// TestReferenceCases pins the reference to RECONCILE.md and the package
// documentation on hand-made lines (each case says what the reference must
// make of its line), then checks that ZM or ZME agrees.
func TestReferenceCases(t *testing.T) {
	sample := refLines(refSample(t))
	zm := sample[0] // S56 ... 0906112203 ... 000000476800 ... D000000002861 C000000473939
	sep2015 := time.Date(2015, 9, 5, 0, 0, 0, 0, refBeijing)
	dec31 := time.Date(2025, 12, 31, 0, 0, 0, 0, refBeijing)
	jan1 := time.Date(2026, 1, 1, 0, 0, 0, 0, refBeijing)
	at := func(y int, m time.Month, d, hh, mm, ss int) time.Time {
		return time.Date(y, m, d, hh, mm, ss, 0, refBeijing)
	}
	gbk := func(s string) string {
		b, err := simplifiedchinese.GBK.NewEncoder().String(s)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	zme := refEdit(bytes.Repeat([]byte{' '}, refZMEMax), 0, "E74")
	zme = refEdit(zme, 35, "1231100000")
	zme = refEdit(zme, 66, "000000000100")
	zme = refEdit(zme, 126, "D000000000005 C000000000095")
	zme = refEdit(zme, 170, "777290058110097")

	type want struct {
		field  string // "" when the line is good
		offset int
		check  func(r any) bool // for a good line
	}
	rec := func(f func(r reconcile.Record) bool) want {
		return want{check: func(r any) bool { return f(r.(reconcile.Record)) }}
	}
	erec := func(f func(r reconcile.ErrorRecord) bool) want {
		return want{check: func(r any) bool { return f(r.(reconcile.ErrorRecord)) }}
	}
	for _, tc := range []struct {
		name   string
		zme    bool
		settle time.Time
		line   []byte
		want   want
	}{
		// §4.1/§4.2 on the sample's first line.
		{"sample", false, sep2015, zm, rec(func(r reconcile.Record) bool {
			return r.TxnCode == "S56" && r.AcqInsCode == "88022900" && r.SendInsCode == "00049993" &&
				r.TxnTime.Equal(at(2015, 9, 6, 11, 22, 3)) && r.AccNo == "622609******0048" && r.TxnAmt == 476800 &&
				r.MerchantFee == -2861 && r.SettleAmt == 473939 && r.NetSettleAmt == 473939 && r.SubMerSplitAmt == 0 &&
				r.OrderID == "10078087" && r.MerID == "802310048993424" && r.TermID == "01080209" &&
				r.TxnMedium == "7" && r.OrigTxnTime.IsZero() && r.Reserved == ""
		})},
		// The year of MMDDhhmmss times (doc: nearest the settle date).
		{"December file, January time", false, dec31, refEdit(zm, 35, "0101000500"), rec(func(r reconcile.Record) bool {
			return r.TxnTime.Equal(at(2026, 1, 1, 0, 5, 0))
		})},
		{"January file, December time", false, jan1, refEdit(zm, 35, "1231235959"), rec(func(r reconcile.Record) bool {
			return r.TxnTime.Equal(at(2025, 12, 31, 23, 59, 59))
		})},
		{"leap day nearest a non-leap settle date", false, dec31, refEdit(zm, 35, "0229120000"), rec(func(r reconcile.Record) bool {
			return r.TxnTime.Equal(at(2024, 2, 29, 12, 0, 0))
		})},
		{"leap day with no leap year near", false, jan1, refEdit(zm, 35, "0229120000"), want{field: "txnTime", offset: 35}},
		// Original times: latest year not after the transaction.
		{"original a second later: the year before", false, sep2015, refEdit(zm, 155, "0906112204"), rec(func(r reconcile.Record) bool {
			return r.OrigTxnTime.Equal(at(2014, 9, 6, 11, 22, 4))
		})},
		{"original at the same second", false, sep2015, refEdit(zm, 155, "0906112203"), rec(func(r reconcile.Record) bool {
			return r.OrigTxnTime.Equal(at(2015, 9, 6, 11, 22, 3))
		})},
		{"original on the last leap day", false, sep2015, refEdit(zm, 155, "0229000000"), rec(func(r reconcile.Record) bool {
			return r.OrigTxnTime.Equal(at(2012, 2, 29, 0, 0, 0))
		})},
		{"month 13", false, sep2015, refEdit(zm, 35, "1306112203"), want{field: "txnTime", offset: 35}},
		{"second 60", false, sep2015, refEdit(zm, 155, "0906112260"), want{field: "origTxnTime", offset: 155}},
		// Amounts (§4.1): C credit, D debit, space only with zero, blank zero.
		{"space sign and zero", false, sep2015, refEdit(zm, 166, " 000000000000"), rec(func(r reconcile.Record) bool {
			return r.MerchantFee == 0
		})},
		{"blank signed amount", false, sep2015, refEdit(zm, 180, "             "), rec(func(r reconcile.Record) bool {
			return r.SettleAmt == 0
		})},
		{"space sign on a non-zero amount", false, sep2015, refEdit(zm, 166, " 000000002861"), want{field: "merchantFee", offset: 166}},
		{"lower-case sign", false, sep2015, refEdit(zm, 180, "c"), want{field: "settleAmt", offset: 180}},
		{"sign without digits", false, sep2015, refEdit(zm, 374, "C            "), want{field: "netSettleAmt", offset: 374}},
		{"space in the digits", false, sep2015, refEdit(zm, 66, "0000 0476800"), want{field: "txnAmt", offset: 66}},
		{"X+n11", false, sep2015, refEdit(zm, 458, "D00000000123"), rec(func(r reconcile.Record) bool {
			return r.InstallmentFee == -123
		})},
		{"first bad field in field order", false, sep2015, refEdit(refEdit(zm, 180, "X"), 66, "x"), want{field: "txnAmt", offset: 66}},
		// Text (§4.1): GBK bytes, fixed byte widths, trailing padding dropped.
		{"Chinese sub-merchant name", false, sep2015, refEdit(zm, 327, gbk("测试商户·一")), rec(func(r reconcile.Record) bool {
			return r.SubMerAbbr == "测试商户·一" && r.SubMerSplitAmt == 0 && r.NetSettleAmt == 473939
		})},
		{"Chinese filling the reserved field", false, sep2015, refEdit(zm, 397, gbk(strings.Repeat("中", 16))), rec(func(r reconcile.Record) bool {
			return r.MerReserved == strings.Repeat("中", 16) && r.DiscountAmt == 0
		})},
		{"leading spaces kept", false, sep2015, refEdit(zm, 112, fmt.Sprintf("%-32s", "  A1")), rec(func(r reconcile.Record) bool {
			return r.OrderID == "  A1"
		})},
		{"character cut by the field's end", false, sep2015, refEdit(zm, 327, strings.Repeat("a", 31)+"\xb0"), rec(func(r reconcile.Record) bool {
			return r.SubMerAbbr == strings.Repeat("a", 31)+"\uFFFD" && r.SubMerSplitAmt == 0
		})},
		// Separators (§4.1: one space after every field).
		{"bad separator", false, sep2015, refEdit(zm, 3, "x"), want{field: "acqInsCode", offset: 4}},
		{"bad separator after a bad field", false, sep2015, refEdit(refEdit(zm, 66, "x"), 78, "x"), want{field: "merCatCode", offset: 79}},
		// Lengths and layouts (§4.3).
		{"fields 1-41 only", false, sep2015, zm[:refZMMin], rec(func(r reconcile.Record) bool { return r.TxnMedium == "7" })},
		{"shorter than fields 1-41", false, sep2015, zm[:refZMMin-1], want{field: "line"}},
		{"608 bytes", false, sep2015, append(slices.Clone(zm), ' '), rec(func(r reconcile.Record) bool { return r.Reserved == "" })},
		{"609 bytes", false, sep2015, append(slices.Clone(zm), ' ', ' '), want{field: "line"}},
		{"newer layout", false, sep2015, refEdit(zm, 509, "D000000001000 05 1 123456789012 xyz"), rec(func(r reconcile.Record) bool {
			return r.ClearingAmt == -1000 && r.POSEntryMode == "05" && r.MobilePayFlag == "1" &&
				r.RetrievalRefNo == "123456789012" && r.Reserved == "xyz"
		})},
		{"newer layout, 540 bytes", false, sep2015, refEdit(zm, 509, "C000000001000 05 1 123456789012")[:refZMNewEnd], rec(func(r reconcile.Record) bool {
			return r.ClearingAmt == 1000 && r.RetrievalRefNo == "123456789012"
		})},
		{"newer layout cut short", false, sep2015, refEdit(zm, 509, "C000000001000 05 1 123456789012")[:530], want{field: "line"}},
		{"older layout, reserved text", false, sep2015, refEdit(zm, 545, "abc"), rec(func(r reconcile.Record) bool {
			return r.Reserved == strings.Repeat(" ", 545-refZMOldRes)+"abc" && r.ClearingAmt == 0
		})},
		// ZME (§5).
		{"ZME", true, dec31, zme, erec(func(r reconcile.ErrorRecord) bool {
			return r.TxnCode == "E74" && r.TxnTime.Equal(at(2025, 12, 31, 10, 0, 0)) && r.TxnAmt == 100 &&
				r.MerchantFee == -5 && r.SettleAmt == 95 && r.MerID == "777290058110097" && r.OrigSettleDate.IsZero()
		})},
		{"ZME original settle date", true, dec31, refEdit(refEdit(zme, 97, "0531100000"), 108, "0601"), erec(func(r reconcile.ErrorRecord) bool {
			return r.OrigTxnTime.Equal(at(2025, 5, 31, 10, 0, 0)) && r.OrigSettleDate.Equal(at(2025, 6, 1, 0, 0, 0))
		})},
		{"ZME fields 1-21 only", true, dec31, zme[:refZMEMin], erec(func(r reconcile.ErrorRecord) bool { return r.Reserved == "" })},
		{"ZME 340 bytes", true, dec31, append(slices.Clone(zme), ' '), want{field: "line"}},
		{"ZME bad origTxnAmt", true, dec31, refEdit(zme, 113, "00000000010x"), want{field: "origTxnAmt", offset: 113}},
		// A stray byte where the separator before the (empty) reserved
		// field would be: §4.1 wants a space there.
		{"ZME 204 bytes, last one not a space", true, dec31, refEdit(zme[:refZMEMin], refZMEMin, "x"), want{field: "reserved", offset: refZMEMin + 1}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			data := append(slices.Clone(tc.line), "\r\n"...)
			var rec any
			var err *refErr
			if tc.zme {
				items := refParse(data, refParseZME(tc.settle))
				rec, err = items[0].rec, items[0].err
			} else {
				items := refParse(data, refParseZM(tc.settle))
				rec, err = items[0].rec, items[0].err
			}
			switch {
			case tc.want.field != "" && (err == nil || err.field != tc.want.field || err.offset != tc.want.offset):
				t.Errorf("reference: got %v, want an error in field %s at offset %d", err, tc.want.field, tc.want.offset)
			case tc.want.field == "" && err != nil:
				t.Errorf("reference: %v", err)
			case tc.want.field == "" && !tc.want.check(rec):
				t.Errorf("reference: wrong record %+v", rec)
			}
			for _, d := range refCheck(!tc.zme, data, tc.settle, nil, nil) {
				t.Errorf("package disagrees: %s: %s", d.sig, d.detail)
			}
		})
	}
}

// refErrAfter reads r, then fails with err instead of io.EOF.
type refErrAfter struct {
	r   io.Reader
	err error
}

func (e *refErrAfter) Read(p []byte) (int, error) {
	n, err := e.r.Read(p)
	if err == io.EOF {
		err = e.err
	}
	return n, err
}

// TestReferenceReadError: the records of a file that a reader error cuts
// short come first, as the reference reads them, and the error last.
func TestReferenceReadError(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	boom := errors.New("boom")
	for i := range 20 {
		zm := i%2 == 0
		layout := refZM
		if !zm {
			layout = refZME
		}
		data, settle := refFile(r, layout, zm, 1+r.IntN(30))
		if !bytes.HasSuffix(data, []byte("\n")) {
			data = append(data, '\n')
		}
		var got []error
		var lines []int
		if zm {
			for rec, err := range reconcile.ZM(&refErrAfter{bytes.NewReader(data), boom}, settle) {
				got, lines = append(got, err), append(lines, refLineOf(refGot[reconcile.Record]{rec, err}))
			}
			want := refParse(data, refParseZM(settle))
			refCheckCut(t, got, lines, len(want), func(k int) int { return want[k].err.lineOr(int64(want[k].rec.Line)) }, boom)
		} else {
			for rec, err := range reconcile.ZME(&refErrAfter{bytes.NewReader(data), boom}, settle) {
				got, lines = append(got, err), append(lines, refLineOf(refGot[reconcile.ErrorRecord]{rec, err}))
			}
			want := refParse(data, refParseZME(settle))
			refCheckCut(t, got, lines, len(want), func(k int) int { return want[k].err.lineOr(int64(want[k].rec.Line)) }, boom)
		}
	}
}

// refCheckCut checks the items of a reader cut by the error boom: the n
// items of the file, for the lines the reference gives, then boom.
func refCheckCut(t *testing.T, got []error, lines []int, n int, line func(k int) int, boom error) {
	t.Helper()
	if len(got) != n+1 || !errors.Is(got[n], boom) {
		t.Fatalf("got %d items ending in %v, want %d and then the read error", len(got), got[len(got)-1], n)
	}
	for k := range n {
		if lines[k] != line(k) {
			t.Errorf("item %d is for line %d, want %d", k, lines[k], line(k))
		}
	}
}

// FuzzReference compares ZM (or ZME) with the reference on files the
// fuzzer derives from generated ones: a file of a few lines made from seed
// (as the differential tests make them), then edits, three bytes each (the
// high bit of the first says insert rather than overwrite; the rest of the
// first two is the position, the third the byte), then tail appended. Small
// inputs keep the fuzzer's minimisation short. Run it with -parallel 1 on a
// shared machine:
//
//	go test ./reconcile -run '^$' -fuzz FuzzReference -fuzztime 60s -parallel 1
func FuzzReference(f *testing.F) {
	f.Add(uint64(0), []byte{}, []byte{}, false)
	f.Add(uint64(1), []byte{}, []byte{}, true)
	f.Add(uint64(2), []byte{0, 66, 'x'}, []byte{}, false)
	f.Add(uint64(3), []byte{0x80, 100, '\n'}, []byte("\r\n"), false)
	f.Add(uint64(4), []byte{0, 203, 'x'}, []byte{}, true)
	f.Add(uint64(5), []byte{1, 253, 'C', 1, 254, '1'}, refSample(f)[:609], false)
	f.Fuzz(func(t *testing.T, seed uint64, edits, tail []byte, zme bool) {
		layout := refZM
		if zme {
			layout = refZME
		}
		data, settle := refFile(rand.New(rand.NewPCG(seed, 0)), layout, !zme, 1+int(seed%4))
		for ; len(edits) >= 3 && len(data) > 0; edits = edits[3:] {
			pos := int(edits[0]&0x7f)<<8 | int(edits[1])
			if edits[0]&0x80 != 0 {
				data = slices.Insert(data, pos%(len(data)+1), edits[2])
			} else {
				data[pos%len(data)] = edits[2]
			}
		}
		data = append(data, tail...)
		for _, d := range refCheck(!zme, data, settle, nil, nil) {
			t.Errorf("%s, at line %d: %s\ninput: %q", d.sig, d.line, d.detail, data)
		}
	})
}

// TestReferenceInterleaved reads several files at once, a record of each in
// turn, with different settle dates, stopping some early: no state may pass
// from one reader to another.
func TestReferenceInterleaved(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	for round := range 20 {
		type reader struct {
			data   []byte
			settle time.Time
			next   func() (reconcile.Record, error, bool)
			stop   func()
			got    []refGot[reconcile.Record]
			limit  int
		}
		rs := make([]*reader, 2+r.IntN(3))
		for i := range rs {
			data, settle := refFile(r, refZM, true, 1+r.IntN(60))
			next, stop := iter.Pull2(reconcile.ZM(bytes.NewReader(data), settle))
			rs[i] = &reader{data: data, settle: settle, next: next, stop: stop, limit: r.IntN(80)}
		}
		for live := len(rs); live > 0; {
			live = 0
			for _, rd := range rs {
				if rd.next == nil {
					continue
				}
				rec, err, ok := rd.next()
				if !ok || len(rd.got) == rd.limit {
					rd.stop()
					rd.next = nil
					continue
				}
				rd.got = append(rd.got, refGot[reconcile.Record]{rec, err})
				live++
			}
		}
		for i, rd := range rs {
			want := refParse(rd.data, refParseZM(rd.settle))
			want = want[:min(len(want), len(rd.got))]
			for _, d := range refCompare(rd.got, want, rd.data, refZM) {
				t.Errorf("round %d, reader %d: %s at line %d: %s", round, i, d.sig, d.line, d.detail)
			}
		}
	}
}
