package reconcile_test

// The reference parser of reference_test.go: fields sliced at their offsets
// and parsed from scratch, line by line.

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"fmt"
	"os"
	"reflect"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/goacp/unionpay/reconcile"
)

// refKind is how the reference reads a field.
type refKind int

const (
	refText     refKind = iota // GBK text, trailing spaces removed
	refAmount                  // n12: 12 digits, fen; blank is 0
	refSigned12                // X+n12: C, D or space, then 12 digits; blank is 0
	refSigned11                // X+n11: C, D or space, then 11 digits; blank is 0
	refTime                    // n10 MMDDhhmmss, year nearest the settle date; blank is zero
	refOrigTime                // n10 MMDDhhmmss, latest year not after the transaction time
	refOrigDate                // n4 MMDD, latest year not after the day after the transaction
)

// refField is one fixed-width field. num is the field's number in UnionPay's
// table, which is also its index in Record / ErrorRecord (index 0 is Line).
type refField struct {
	num      int
	name     string // the wire name a *LineError gives
	start    int
	width    int
	kind     refKind
	required bool // choice: blank is an error (txnTime and txnAmt)
	rest     bool // the field runs to the end of the line, however long
}

func (f refField) end() int { return f.start + f.width }

// refLayout lays fields out as the spec does: each followed by one space.
func refLayout(names []string, widths []int, kinds map[int]refKind) []refField {
	fs := make([]refField, len(widths))
	off := 0
	for i, w := range widths {
		fs[i] = refField{num: i + 1, name: names[i], start: off, width: w, kind: kinds[i+1], required: i+1 == 5 || i+1 == 7}
		off += w + 1
	}
	return fs
}

// ZM (RECONCILE.md §4.2, §4.3 v3): fields 1-41 are the same in every layout;
// 42-45 exist only in the newest one, then 保留使用 (reserved).
var (
	refZMWidths = []int{3, 11, 11, 6, 10, 19, 12, 4, 2, 21, 2, 32, 2, 6, 10, 13, 13, 4, 15, 2, 2, 6, 2, 4, 32, 1, 21, 15, 1, 15,
		32, 13, 13, 8, 32, 13, 13, 12, 2, 1, 32, 13, 2, 1, 12, 67}
	refZMKinds = map[int]refKind{5: refTime, 7: refAmount, 15: refOrigTime, 16: refSigned12, 17: refSigned12,
		32: refSigned12, 33: refSigned12, 36: refSigned12, 37: refSigned12, 38: refSigned11, 42: refSigned12}
	// The spec gives wire names for some fields only ("English / SDK key");
	// the others follow the package's own names for them.
	refZMNames = []string{"txnCode", "acqInsCode", "sendInsCode", "traceNo", "txnTime", "accNo", "txnAmt",
		"merCatCode", "termType", "queryId", "legacyPayType", "orderId", "payCardType", "origTraceNo", "origTxnTime",
		"merchantFee", "settleAmt", "payType", "groupMerId", "txnType", "txnSubType", "bizType", "accType",
		"billType", "billNo", "interactMode", "origQryId", "merId", "splitMode", "subMerId", "subMerAbbr",
		"subMerSplitAmt", "netSettleAmt", "termId", "merReserved", "discountAmt", "invoiceAmt", "instalmentFee",
		"instalmentCount", "txnMedium", "origOrderId", "clearingAmt", "posEntryMode", "mobilePayFlag",
		"retrievalRefNo", "reserved"}
	refZM = refLayout(refZMNames, refZMWidths, refZMKinds)

	// ZME (§5): 22 fields, 339 bytes.
	refZMEWidths = []int{3, 11, 11, 6, 10, 19, 12, 4, 2, 2, 6, 10, 4, 12, 13, 13, 15, 15, 1, 12, 2, 135}
	refZMEKinds  = map[int]refKind{5: refTime, 7: refAmount, 12: refOrigTime, 13: refOrigDate, 14: refAmount,
		15: refSigned12, 16: refSigned12, 20: refSigned11}
	refZMENames = []string{"txnCode", "acqInsCode", "sendInsCode", "traceNo", "txnTime", "accNo", "txnAmt",
		"merCatCode", "termType", "payCardType", "origTraceNo", "origTxnTime", "origSettleDate", "origTxnAmt",
		"merchantFee", "settleAmt", "groupMerId", "merId", "splitFlag", "instalmentFee", "instalmentCount",
		"reserved"}
	refZME = refLayout(refZMENames, refZMEWidths, refZMEKinds)

	// The fields a ZM line is read as, without and with fields 42-45:
	// 保留使用 runs to the end of the line in both.
	refZMv2 = append(slices.Clone(refZM[:41]), refField{num: 46, name: "reserved", start: refZMOldRes, rest: true})
	refZMv3 = append(slices.Clone(refZM[:45]), refField{num: 46, name: "reserved", start: refZM[45].start, rest: true})
)

const (
	refZMOld     = 607 // 42 fields (v1/v2), SAMPLE
	refZMNew     = 608 // 46 fields (v3)
	refZMMin     = 508 // end of field 41, the last field every layout has
	refZMOldRes  = 509 // start of 保留使用 in the 607-byte layout, and of field 42 in the newer one
	refZMNewEnd  = 540 // end of field 45
	refZMEMax    = 339
	refZMEMin    = 203 // end of field 21
	refLineField = "line"
)

// refErr is what the reference finds wrong with a line.
type refErr struct {
	line   int
	field  string
	offset int
	why    string
}

func (e *refErr) Error() string {
	return fmt.Sprintf("line %d, field %s (offset %d): %s", e.line, e.field, e.offset, e.why)
}

// refItem is one element the reference expects a reader to yield.
type refItem[R any] struct {
	rec R
	err *refErr
}

// refLines splits a file into lines: at LF, one CR before it dropped; a last
// line without LF counts.
func refLines(data []byte) [][]byte {
	var out [][]byte
	for len(data) > 0 {
		i := bytes.IndexByte(data, '\n')
		var l []byte
		if i < 0 {
			l, data = data, nil
		} else {
			l, data = data[:i], data[i+1:]
		}
		out = append(out, bytes.TrimSuffix(l, []byte("\r")))
	}
	return out
}

// refParse reads a whole file with parse, one line at a time, skipping blank
// (empty) lines but counting them.
func refParse[R any](data []byte, parse func(l []byte, n int) (R, *refErr)) []refItem[R] {
	items := make([]refItem[R], 0, bytes.Count(data, []byte("\n"))+1)
	for i, l := range refLines(data) {
		if len(l) == 0 {
			continue
		}
		rec, err := parse(l, i+1)
		items = append(items, refItem[R]{rec, err})
	}
	return items
}

// refBeijing is the zone of every time in the files.
var refBeijing = reconcile.Beijing()

// refParseZM reads one ZM line.
func refParseZM(settle time.Time) func(l []byte, n int) (reconcile.Record, *refErr) {
	return func(l []byte, n int) (reconcile.Record, *refErr) {
		lineErr := func(why string) (reconcile.Record, *refErr) {
			return reconcile.Record{}, &refErr{n, refLineField, 0, why}
		}
		if len(l) > refZMNew {
			return lineErr("longer than 608 bytes")
		}
		if len(l) < refZMMin {
			return lineErr("shorter than fields 1-41")
		}
		// §4.3: fields 42-45 are read when they are there and not blank;
		// choice: then the line must hold them whole.
		fields := refZMv2
		if len(l) > refZMOldRes && !refBlank(l[refZMOldRes:min(len(l), refZMNewEnd)]) {
			if len(l) < refZMNewEnd {
				return lineErr("too short for fields 42-45")
			}
			fields = refZMv3
		}
		var rec reconcile.Record
		if err := refFill(reflect.ValueOf(&rec).Elem(), fields, l, n, settle); err != nil {
			return reconcile.Record{}, err
		}
		if len(fields) == len(refZMv2) && len(l) == refZMNew && l[refZMNew-1] != ' ' {
			// choice: 608 bytes without fields 42-45 are the 607-byte
			// layout and one byte of padding, checked after the fields.
			return lineErr("608 bytes in the 607-byte layout")
		}
		rec.Line = n
		return rec, nil
	}
}

// refParseZME reads one ZME line.
func refParseZME(settle time.Time) func(l []byte, n int) (reconcile.ErrorRecord, *refErr) {
	return func(l []byte, n int) (reconcile.ErrorRecord, *refErr) {
		if len(l) > refZMEMax {
			return reconcile.ErrorRecord{}, &refErr{n, refLineField, 0, "longer than 339 bytes"}
		}
		if len(l) < refZMEMin {
			return reconcile.ErrorRecord{}, &refErr{n, refLineField, 0, "shorter than fields 1-21"}
		}
		var rec reconcile.ErrorRecord
		if err := refFill(reflect.ValueOf(&rec).Elem(), refZME, l, n, settle); err != nil {
			return reconcile.ErrorRecord{}, err
		}
		rec.Line = n
		return rec, nil
	}
}

// refFill parses fields of line l into the struct v: field number k goes to
// v's field k. Bytes past the end of the line read as spaces (the last field
// may be cut short). Choice: every separator is checked first, a bad one
// naming the field after it; then the fields, in order; the first fault is
// the error.
func refFill(v reflect.Value, fields []refField, l []byte, n int, settle time.Time) *refErr {
	for _, f := range fields[1:] {
		if f.start-1 < len(l) && l[f.start-1] != ' ' {
			return &refErr{n, f.name, f.start, "separator before the field is not a space"}
		}
	}
	y, m, d := settle.Date()
	ctx := refCtx{settle: time.Date(y, m, d, 0, 0, 0, 0, refBeijing)}
	for _, f := range fields {
		end := f.end()
		if f.rest {
			end = max(f.start, len(l))
		}
		b := refSlice(l, f.start, end)
		if f.required && refBlank(b) {
			return &refErr{n, f.name, f.start, "required field is blank"}
		}
		val, why := refValue(f.kind, b, &ctx)
		if why != "" {
			return &refErr{n, f.name, f.start, why}
		}
		v.Field(f.num).Set(reflect.ValueOf(val))
	}
	return nil
}

// refSlice returns l[from:to], padded with spaces past the end of l.
func refSlice(l []byte, from, to int) []byte {
	if to <= len(l) {
		return l[from:to]
	}
	b := bytes.Repeat([]byte{' '}, to-from)
	if from < len(l) {
		copy(b, l[from:min(to, len(l))])
	}
	return b
}

func refBlank(b []byte) bool { return len(bytes.Trim(b, " ")) == 0 }

// refCtx carries what a line's fields need besides their bytes.
type refCtx struct {
	settle  time.Time // Beijing midnight of the settle date
	txnTime time.Time // the line's field 5, once read
}

// refValue parses one field's bytes; a non-empty string is why they are bad.
func refValue(k refKind, b []byte, ctx *refCtx) (any, string) {
	switch k {
	case refText:
		return refGBK(bytes.TrimRight(b, " ")), ""
	case refAmount:
		if refBlank(b) {
			return int64(0), ""
		}
		v, ok := refDigits(b)
		if !ok {
			return nil, "not digits"
		}
		return v, ""
	case refSigned12, refSigned11:
		if refBlank(b) {
			return int64(0), ""
		}
		v, ok := refDigits(b[1:])
		if !ok {
			return nil, "not digits"
		}
		switch b[0] {
		case 'C':
			return v, ""
		case 'D':
			return -v, ""
		case ' ':
			if v != 0 {
				return nil, "space sign on a non-zero amount"
			}
			return int64(0), ""
		}
		return nil, "bad sign"
	case refTime, refOrigTime, refOrigDate:
		if refBlank(b) {
			return time.Time{}, ""
		}
		if _, ok := refDigits(b); !ok {
			return nil, "not digits"
		}
		num := func(i int) int { return int(b[i]-'0')*10 + int(b[i+1]-'0') }
		mo, day, hh, mm, ss := num(0), num(2), 0, 0, 0
		if k != refOrigDate {
			hh, mm, ss = num(4), num(6), num(8)
		}
		if mo < 1 || mo > 12 || day < 1 || day > 31 || hh > 23 || mm > 59 || ss > 59 {
			return nil, "not a time"
		}
		at := func(y int) (time.Time, bool) {
			t := time.Date(y, time.Month(mo), day, hh, mm, ss, 0, refBeijing)
			return t, t.Day() == day
		}
		var t time.Time
		var ok bool
		switch k {
		case refTime:
			t, ok = refNearest(at, ctx.settle)
			ctx.txnTime = t
		case refOrigTime:
			t, ok = refLatest(at, ctx.txnTime, 8)
		default:
			// choice: the original's settle date is at most the day after
			// the transaction (a transaction late in the day settles on
			// the next).
			// choice: and at most eight years before it, as the original's
			// time (a 29 February).
			y, m, d := ctx.txnTime.Date()
			t, ok = refLatest(at, time.Date(y, m, d+1, 0, 0, 0, 0, refBeijing), 8)
		}
		if !ok {
			return nil, "no such day"
		}
		return t, ""
	}
	panic("unknown kind")
}

// refNearest returns the time, in the year before, of or after ref's, whose
// day is nearest to ref's day (in whole days; the earlier on a tie).
func refNearest(at func(y int) (time.Time, bool), ref time.Time) (time.Time, bool) {
	days := func(t time.Time) int {
		y, m, d := t.Date()
		return int(time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / 86400)
	}
	var best time.Time
	found := false
	for y := ref.Year() - 1; y <= ref.Year()+1; y++ {
		t, ok := at(y)
		if !ok {
			continue
		}
		if !found || refAbs(days(t)-days(ref)) < refAbs(days(best)-days(ref)) {
			best, found = t, true
		}
	}
	return best, found
}

// refLatest returns the time in the latest year that is not after ref,
// looking back at most back years.
func refLatest(at func(y int) (time.Time, bool), ref time.Time, back int) (time.Time, bool) {
	for y := ref.Year(); y >= ref.Year()-back; y-- {
		if t, ok := at(y); ok && !t.After(ref) {
			return t, true
		}
	}
	return time.Time{}, false
}

func refAbs(d int) int {
	if d < 0 {
		return -d
	}
	return d
}

// refDigits reads ASCII digits only.
func refDigits(b []byte) (int64, bool) {
	var v int64
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		v = v*10 + int64(c-'0')
	}
	return v, true
}

// refGBK decodes GBK, the JDK's (UnionPay's servers write the files in
// Java): ASCII; a lead byte 0x81-0xFE then a trail byte 0x40-0x7E or
// 0x80-0xFE. What is not GBK becomes U+FFFD, as the JDK's decoder makes it
// (measured with OpenJDK 17): a lead byte and 0xFF as one; a lead byte
// without a trail, or with an ASCII one, as one (the ASCII byte read again);
// 0x80 (the euro sign of code page 936, which Java's GBK writes A2 E3) and
// 0xFF alone as one each.
func refGBK(b []byte) string {
	if !slices.ContainsFunc(b, func(c byte) bool { return c >= 0x80 }) {
		return string(b)
	}
	var sb strings.Builder
	for i := 0; i < len(b); i++ {
		c := b[i]
		switch {
		case c < 0x80:
			sb.WriteByte(c)
		case c == 0x80 || c == 0xFF || i+1 == len(b) || b[i+1] < 0x40 || b[i+1] == 0x7F:
			sb.WriteRune(utf8.RuneError)
		case b[i+1] == 0xFF:
			sb.WriteRune(utf8.RuneError)
			i++
		default:
			sb.WriteRune(refGBKPair(c, b[i+1]))
			i++
		}
	}
	return sb.String()
}

// refGBKTable holds the JDK's GBK characters by lead byte (0x81-0xFE) and
// trail byte (0x40-0xFE), U+FFFD where there is none, read from OpenJDK 17's
// table (internal/javagbk/testdata/README.md), not from any Go package.
var refGBKTable = sync.OnceValue(func() *[0x7E][0xBF]rune {
	t := new([0x7E][0xBF]rune)
	for i := range t {
		for j := range t[i] {
			t[i][j] = utf8.RuneError
		}
	}
	f, err := os.Open("../internal/javagbk/testdata/jdk17-gbk.txt.gz")
	if err != nil {
		panic(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		panic(err)
	}
	sc := bufio.NewScanner(zr)
	for sc.Scan() {
		var cp rune
		var b uint16
		if _, err := fmt.Sscanf(sc.Text(), "%x %x", &cp, &b); err != nil {
			panic(err)
		}
		t[b>>8-0x81][b&0xFF-0x40] = cp
	}
	if err := sc.Err(); err != nil {
		panic(err)
	}
	return t
})

// refGBKPair returns the GBK character of a lead and a trail byte, U+FFFD
// if they make none.
func refGBKPair(lead, trail byte) rune {
	if lead < 0x81 || lead == 0xFF || trail < 0x40 || trail == 0x7F || trail == 0xFF {
		return utf8.RuneError
	}
	return refGBKTable()[lead-0x81][trail-0x40]
}
