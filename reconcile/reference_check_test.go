package reconcile_test

// The comparison of the package's readers with the reference, for
// reference_test.go.

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"maps"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/goacp/unionpay/reconcile"
)

// Comparing the package's readers with the reference.

// refGot is one element a reader yielded.
type refGot[R any] struct {
	rec R
	err error
}

// refCollect returns all that seq yields.
func refCollect[R any](seq func(yield func(R, error) bool), hint int) []refGot[R] {
	out := make([]refGot[R], 0, hint)
	for rec, err := range seq {
		out = append(out, refGot[R]{rec, err})
	}
	return out
}

// refDiff is one disagreement between the package and the reference.
type refDiff struct {
	sig    string // the kind of disagreement, to group them
	line   int    // where (1-based), 0 if not about a line
	detail string
}

// refChunks hands out its data in reads of random sizes, so that lines
// straddle the reader's buffer in every way.
type refChunks struct {
	b []byte
	r *rand.Rand
}

func (c *refChunks) Read(p []byte) (int, error) {
	if len(c.b) == 0 {
		return 0, io.EOF
	}
	n := copy(p, c.b[:min(len(c.b), 1+c.r.IntN(700))])
	c.b = c.b[n:]
	return n, nil
}

// refCheck reads data with the package's reader of the layout (ZM when zm,
// else ZME), via a reader made by mk, and with the reference, and returns
// every disagreement. With stats not nil, it counts there what the
// reference found.
func refCheck(zm bool, data []byte, settle time.Time, mk func([]byte) io.Reader, stats map[string]int) []refDiff {
	if mk == nil {
		mk = func(b []byte) io.Reader { return bytes.NewReader(b) }
	}
	if zm {
		want := refParse(data, refParseZM(settle))
		if stats != nil {
			refTallyZM(stats, want, data, settle)
		}
		return refCompare(refCollect(reconcile.ZM(mk(data), settle), len(want)), want, data, refZM)
	}
	want := refParse(data, refParseZME(settle))
	if stats != nil {
		for _, it := range want {
			refNote(stats, it.err)
		}
	}
	return refCompare(refCollect(reconcile.ZME(mk(data), settle), len(want)), want, data, refZME)
}

// refLineOf returns the line number of an item the package yielded, or 0.
func refLineOf[R any](it refGot[R]) int {
	if le, ok := errors.AsType[*reconcile.LineError](it.err); ok {
		return le.Line
	}
	if it.err != nil {
		return 0
	}
	return int(reflect.ValueOf(it.rec).FieldByName("Line").Int())
}

// refCompare compares what a reader yielded for data with what the
// reference expects: the same items for the same lines; for a bad line, a
// *LineError naming the same line, field and offset, and a zero record; for
// a good one, the same record.
func refCompare[R any](got []refGot[R], want []refItem[R], data []byte, layout []refField) []refDiff {
	var diffs []refDiff
	lines := refLines(data)
	for i := 0; i < max(len(got), len(want)); i++ {
		switch {
		case i >= len(want):
			diffs = append(diffs, refDiff{"package yields more items than the reference", refLineOf(got[i]),
				fmt.Sprintf("extra item: %v", got[i].err)})
			return diffs
		case i >= len(got):
			n := want[i].err.lineOr(reflect.ValueOf(want[i].rec).FieldByName("Line").Int())
			diffs = append(diffs, refDiff{"package yields fewer items than the reference", n, "missing item"})
			return diffs
		}
		g, w := got[i], want[i]
		wl := w.err.lineOr(reflect.ValueOf(w.rec).FieldByName("Line").Int())
		if gl := refLineOf(g); gl != wl {
			diffs = append(diffs, refDiff{"item for another line", wl,
				fmt.Sprintf("package item %d is for line %d (err %v), reference's for line %d (err %v)", i, gl, g.err, wl, w.err)})
			return diffs // the rest is shifted
		}
		line := lines[wl-1]
		switch {
		case w.err != nil && g.err == nil:
			diffs = append(diffs, refDiff{fmt.Sprintf("package accepts, reference refuses field %s (%s)", w.err.field, w.err.why),
				wl, fmt.Sprintf("reference: %v", w.err)})
		case w.err == nil && g.err != nil:
			f := "?"
			if le, ok := errors.AsType[*reconcile.LineError](g.err); ok {
				f = le.Field
			}
			diffs = append(diffs, refDiff{fmt.Sprintf("package refuses field %s, reference accepts", f), wl, g.err.Error()})
		case w.err != nil:
			diffs = append(diffs, refCheckError(g.err, w.err, line, layout)...)
			if !reflect.ValueOf(g.rec).IsZero() {
				diffs = append(diffs, refDiff{"record with an error is not zero", wl, fmt.Sprintf("%+v", g.rec)})
			}
		default:
			diffs = append(diffs, refCompareRecords(g.rec, w.rec, wl)...)
		}
	}
	return diffs
}

// lineOr returns the line of e, or n if e is nil (the line of the record).
func (e *refErr) lineOr(n int64) int {
	if e != nil {
		return e.line
	}
	return int(n)
}

// refCheckError compares an error the package yielded with the reference's.
func refCheckError(got error, want *refErr, line []byte, layout []refField) []refDiff {
	var le *reconcile.LineError
	if !errors.As(got, &le) || !errors.Is(got, reconcile.ErrMalformed) {
		return []refDiff{{"error is not a *LineError matching ErrMalformed", want.line, fmt.Sprintf("%T %v", got, got)}}
	}
	var diffs []refDiff
	if le.Field != want.field || le.Offset != want.offset {
		diffs = append(diffs, refDiff{fmt.Sprintf("error names another field: package %s, reference %s (%s)", le.Field, want.field, want.why),
			want.line, fmt.Sprintf("package: %v; reference: %v", got, want)})
	}
	// The message must not quote the offending field, nor the card number.
	for _, f := range layout {
		if f.start != le.Offset && f.name != "accNo" {
			continue
		}
		b := bytes.TrimSpace(refSlice(line, f.start, f.end()))
		if len(b) >= 6 && strings.Contains(got.Error(), string(b)) {
			diffs = append(diffs, refDiff{"error message quotes a field", want.line, got.Error()})
		}
	}
	return diffs
}

// refCompareRecords compares two records field by field; times must be the
// same instant, both zero or both in Beijing time.
func refCompareRecords[R any](got, want R, line int) []refDiff {
	var diffs []refDiff
	g, w := reflect.ValueOf(got), reflect.ValueOf(want)
	for i := range g.NumField() {
		name := g.Type().Field(i).Name
		gf, wf := g.Field(i).Interface(), w.Field(i).Interface()
		same := reflect.DeepEqual(gf, wf)
		if gt, ok := gf.(time.Time); ok {
			wt := wf.(time.Time)
			same = gt.Equal(wt) && gt.IsZero() == wt.IsZero() &&
				(gt.IsZero() || gt.Location().String() == refBeijing.String())
		}
		if !same {
			diffs = append(diffs, refDiff{"field " + name + " differs", line,
				fmt.Sprintf("%s: package %#v, reference %#v", name, refFmt(gf), refFmt(wf))})
		}
	}
	return diffs
}

// refFmt shows times readably in messages.
func refFmt(v any) any {
	if t, ok := v.(time.Time); ok {
		if t.IsZero() {
			return "zero time"
		}
		return t.Format(time.RFC3339 + " MST")
	}
	return v
}

// refFound is the first example of one kind of disagreement.
type refFound struct {
	count  int
	diff   refDiff
	repro  []byte // the smallest input found that shows it
	settle time.Time
}

// refMinimise looks for a smaller input that still shows a disagreement of
// kind sig at line n of data: the line alone, or with the line before it.
func refMinimise(zm bool, data []byte, settle time.Time, n int, sig string) []byte {
	lines := refLines(data)
	if n < 1 || n > len(lines) {
		return data
	}
	var cands [][]byte
	cands = append(cands, append(slices.Clone(lines[n-1]), "\r\n"...))
	for k := n - 2; k >= 0; k-- {
		if len(lines[k]) > 0 {
			cands = append(cands, slices.Concat(lines[k], []byte("\r\n"), lines[n-1], []byte("\r\n")))
			break
		}
	}
	for _, c := range cands {
		for _, d := range refCheck(zm, c, settle, nil, nil) {
			if d.sig == sig {
				return c
			}
		}
	}
	return data
}

// refRun compares files made by refFile (ZM files when zm, else ZME) until
// lines lines have been compared, read in one piece, in random chunks or a
// byte at a time; it logs what the files held and reports every kind of
// disagreement once, with a small input showing it.
func refRun(t *testing.T, zm bool, seed uint64, lines int) {
	r := rand.New(rand.NewPCG(seed, 1))
	layout := refZME
	if zm {
		layout = refZM
	}
	found := map[string]*refFound{}
	stats := map[string]int{}
	nFiles, nLines := 0, 0
	for nLines < lines {
		data, settle := refFile(r, layout, zm, 1+r.IntN(200))
		var mk func([]byte) io.Reader
		switch r.IntN(10) {
		case 0, 1:
			mk = func(b []byte) io.Reader { return &refChunks{b, rand.New(rand.NewPCG(seed, uint64(nFiles)))} }
		case 2:
			if len(data) < 20000 {
				mk = func(b []byte) io.Reader { return &refOneByte{b} }
			}
		}
		nFiles++
		nLines += len(refLines(data))
		for _, d := range refCheck(zm, data, settle, mk, stats) {
			f := found[d.sig]
			if f == nil {
				f = &refFound{diff: d, settle: settle, repro: refMinimise(zm, data, settle, d.line, d.sig)}
				found[d.sig] = f
			}
			f.count++
		}
	}
	t.Logf("%d files of %d lines (blank ones included) compared", nFiles, nLines)
	for _, k := range slices.Sorted(maps.Keys(stats)) {
		t.Logf("  %-50s %d", k, stats[k])
	}
	refReport(t, found)
}

// refOneByte reads one byte at a time.
type refOneByte struct{ b []byte }

func (o *refOneByte) Read(p []byte) (int, error) {
	if len(o.b) == 0 {
		return 0, io.EOF
	}
	if len(p) == 0 {
		return 0, nil
	}
	p[0], o.b = o.b[0], o.b[1:]
	return 1, nil
}

// refReport fails t once for each kind of disagreement found.
func refReport(t *testing.T, found map[string]*refFound) {
	t.Helper()
	for _, s := range slices.Sorted(maps.Keys(found)) {
		f := found[s]
		t.Errorf("%s: %d times; first at line %d: %s\n  settle %s, input (%d bytes): %q",
			s, f.count, f.diff.line, f.diff.detail, f.settle.Format("2006-01-02"), len(f.repro), f.repro[:min(len(f.repro), 4096)])
	}
}

// refNote counts one item of the reference.
func refNote(stats map[string]int, err *refErr) {
	if err != nil {
		stats["error "+err.field+": "+err.why]++
	} else {
		stats["record"]++
	}
}

// refTallyZM counts what the reference made of a ZM file, to show what the
// generated files cover.
func refTallyZM(stats map[string]int, items []refItem[reconcile.Record], data []byte, settle time.Time) {
	lines := refLines(data)
	var prev []byte
	for _, it := range items {
		refNote(stats, it.err)
		if it.err != nil {
			prev = nil
			continue
		}
		r := it.rec
		if r.ClearingAmt != 0 || r.POSEntryMode != "" || r.MobilePayFlag != "" || r.RetrievalRefNo != "" {
			stats["record with fields 42-45"]++
		}
		if strings.ContainsFunc(r.SubMerAbbr+r.MerReserved+r.OrderID, func(c rune) bool { return c > 0x7f && c != utf8.RuneError }) {
			stats["record with Chinese"]++
		}
		if strings.ContainsRune(r.SubMerAbbr+r.MerReserved+r.OrderID+r.OrigOrderID+r.BillNo+r.Reserved, utf8.RuneError) {
			stats["record with U+FFFD"]++
		}
		if r.TxnTime.Year() != settle.Year() {
			stats["record with TxnTime in another year"]++
		}
		if !r.OrigTxnTime.IsZero() && r.OrigTxnTime.Year() != r.TxnTime.Year() {
			stats["record with OrigTxnTime in an earlier year"]++
		}
		l := lines[r.Line-1]
		if prev != nil && len(prev) == len(l) {
			n := 0
			for _, f := range refZM {
				if !bytes.Equal(refSlice(prev, f.start, f.end()), refSlice(l, f.start, f.end())) {
					n++
				}
			}
			switch {
			case n == 0:
				stats["record after a good line of the same length: same bytes"]++
			case n == 1:
				stats["record after a good line of the same length: 1 field's bytes differ"]++
			case n <= 4:
				stats["record after a good line of the same length: 2-4 fields' bytes differ"]++
			default:
				stats["record after a good line of the same length: 5+ fields' bytes differ"]++
			}
		}
		prev = l
	}
}

// refSample returns the ZM member of UnionPay's sample zip (8 lines of 607
// bytes and CR LF).
