package reconcile

import (
	"bytes"
	"errors"
	"io"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

var fuzzSettle = time.Date(2015, 9, 5, 0, 0, 0, 0, time.UTC)

// FuzzZMLine feeds arbitrary bytes to the ZM reader. It must not panic; it
// yields one item per non-blank line, in order, unless an error matching
// ErrMalformed that is no *LineError (MaxMalformedLines passed) ends it; every
// other error is a *LineError for a line of the input naming the line or a
// field of the layout at its offset; every record it returns must equal what a fresh parser makes of its
// line alone (the changed-fields shortcut is exact), is written back by
// ZMWriter unless a text field has no GBK form, and reads back the same.
func FuzzZMLine(f *testing.F) {
	f.Add([]byte("S56 88022900    00049993    190624 0906112203 622609******0048    000000476800 4899 07 " +
		"201509061122031906248 01 10078087                         01                   D000000002861 \r\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		lines := inputLines(data)
		items := lineItems{t: t, lines: lines}
		var ended error // MaxMalformedLines passed: the rest of the file is not read
		for rec, err := range ZM(bytes.NewReader(data), fuzzSettle) {
			if ended != nil {
				t.Fatalf("an item after %v", ended)
			}
			if _, ok := errors.AsType[*LineError](err); err != nil && !ok && errors.Is(err, ErrMalformed) {
				ended = err
				continue
			}
			if err != nil {
				items.item(checkLineError(t, err, len(lines), zmLayout[:]).Line)
				continue
			}
			items.item(rec.Line)
			line := lines[rec.Line-1]
			alone, err := newZMParser(fuzzSettle).parse(line, rec.Line)
			if err != nil || alone != rec {
				t.Fatalf("line %d: streaming gave %+v, alone %+v (%v)", rec.Line, rec, alone, err)
			}
			var out bytes.Buffer
			w := NewZMWriter(&out)
			if err := w.Write(&rec); err != nil {
				if !someNoGBKForm(&rec) { // e.g. U+FFFD from bad GBK has no GBK form
					t.Fatalf("line %d: an accepted record is not written: %v\n%+v", rec.Line, err, rec)
				}
				continue
			}
			if err := w.Flush(); err != nil {
				t.Fatal(err)
			}
			back, err := newZMParser(fuzzSettle).parse(bytes.TrimSuffix(out.Bytes(), []byte("\r\n")), rec.Line)
			if err != nil {
				t.Fatalf("written line does not parse: %v\n%q", err, out.String())
			}
			if back != rec {
				t.Fatalf("round trip:\n%+v\n%+v", rec, back)
			}
		}
		if ended == nil {
			items.done()
		}
	})
}

// inputLines splits data into lines as the record readers do: at each LF, a
// CR before it dropped; a last line without LF counts (without its CR too),
// the empty text after a final LF does not.
func inputLines(data []byte) [][]byte {
	lines := bytes.Split(data, []byte("\n"))
	if len(lines[len(lines)-1]) == 0 {
		lines = lines[:len(lines)-1]
	}
	for i, l := range lines {
		lines[i] = bytes.TrimSuffix(l, []byte("\r"))
	}
	return lines
}

// lineItems checks that a record reader yields one item (a record or an
// error) for each non-blank line, in order, and nothing for blank lines.
type lineItems struct {
	t     *testing.T
	lines [][]byte
	next  int // index of the next line expected to yield an item
}

// item accounts for an item of line n (1-based).
func (c *lineItems) item(n int) {
	c.t.Helper()
	for c.next < len(c.lines) && len(c.lines[c.next]) == 0 {
		c.next++
	}
	if n != c.next+1 || n > len(c.lines) {
		c.t.Fatalf("an item for line %d, want one for line %d of %d", n, c.next+1, len(c.lines))
	}
	c.next++
}

// done checks that every non-blank line yielded an item.
func (c *lineItems) done() {
	c.t.Helper()
	for c.next < len(c.lines) && len(c.lines[c.next]) == 0 {
		c.next++
	}
	if c.next != len(c.lines) {
		c.t.Fatalf("line %d of %d yielded nothing", c.next+1, len(c.lines))
	}
}

// checkLineError fails unless err is a *LineError matching ErrMalformed, for
// a line of the input (1 to nLines), naming "line" (offset 0) or a field of
// layout at that field's offset (one of them, for a name the layout gives twice).
func checkLineError(t *testing.T, err error, nLines int, layout []field) *LineError {
	t.Helper()
	var le *LineError
	if !errors.As(err, &le) || !errors.Is(err, ErrMalformed) {
		t.Fatalf("error %T %v: want a *LineError matching ErrMalformed", err, err)
	}
	if le.Line < 1 || le.Line > nLines {
		t.Fatalf("%v: line %d, the input has %d", err, le.Line, nLines)
	}
	if le.Field == "line" {
		if le.Offset != 0 {
			t.Fatalf("%v: offset %d for the whole line", err, le.Offset)
		}
		return le
	}
	var at []int // the offsets of the fields of that name (ZM has two "reserved", v2's and v3's)
	for _, f := range layout {
		if f.name == le.Field {
			if le.Offset == f.off {
				return le
			}
			at = append(at, f.off)
		}
	}
	if len(at) > 0 {
		t.Fatalf("%v: offset %d, field %s is at %v", err, le.Offset, le.Field, at)
	}
	t.Fatalf("%v: field %q is not in the layout", err, le.Field)
	return nil
}

// noGBKForm reports whether a text field read from a file cannot be written
// back: it holds U+FFFD (from bytes that are not GBK) or a CR (a lone CR
// inside a line).
func noGBKForm(s string) bool {
	return !utf8.ValidString(s) || strings.ContainsRune(s, utf8.RuneError) || strings.ContainsAny(s, "\r\n")
}

// someNoGBKForm reports whether any string field of the struct *p has no GBK form.
func someNoGBKForm(p any) bool {
	v := reflect.ValueOf(p).Elem()
	for _, f := range v.Fields() {
		if f := f; f.Kind() == reflect.String && noGBKForm(f.String()) {
			return true
		}
	}
	return false
}

// FuzzZMELine feeds arbitrary bytes to the ZME reader. It must not panic; it
// yields one item per non-blank line, in order, unless an error matching
// ErrMalformed that is no *LineError (MaxMalformedLines passed) ends it; every
// other error is a *LineError for a line of the input naming the line or a
// field of the layout at its offset (a bytes.Reader has no read errors); every
// record equals what a fresh parser makes of its line alone; and every record
// is written back by ZMEWriter, unless a text field has no GBK form, and reads
// back the same.
func FuzzZMELine(f *testing.F) {
	f.Add([]byte("E74 48021000    00049992    000001 1231120000 621626******0018    000000001000 5812 07 01 " +
		"000123 1228120000 1228 000000001000 D000000000006 D000000000994 \r\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		lines := inputLines(data)
		items := lineItems{t: t, lines: lines}
		var ended error // MaxMalformedLines passed: the rest of the file is not read
		for rec, err := range ZME(bytes.NewReader(data), fuzzSettle) {
			if ended != nil {
				t.Fatalf("an item after %v", ended)
			}
			if _, ok := errors.AsType[*LineError](err); err != nil && !ok && errors.Is(err, ErrMalformed) {
				ended = err
				continue
			}
			if err != nil {
				items.item(checkLineError(t, err, len(lines), zmeLayout[:]).Line)
				continue
			}
			items.item(rec.Line)
			p := zmeParser{days: newDayCache(fuzzSettle)}
			alone, err := p.parse(lines[rec.Line-1], rec.Line)
			if err != nil || alone != rec {
				t.Fatalf("line %d: streaming gave %+v, alone %+v (%v)", rec.Line, rec, alone, err)
			}
			zmeRoundTrip(t, rec)
		}
		if ended == nil {
			items.done()
		}
	})
}

// zmeRoundTrip writes rec with ZMEWriter and reads it back with ZME.
func zmeRoundTrip(t *testing.T, rec ErrorRecord) {
	t.Helper()
	var out bytes.Buffer
	w := NewZMEWriter(&out)
	if err := w.Write(&rec); err != nil {
		if !someNoGBKForm(&rec) {
			t.Fatalf("line %d: an accepted record is not written: %v\n%+v", rec.Line, err, rec)
		}
		return
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	n := 0
	for back, err := range ZME(bytes.NewReader(out.Bytes()), fuzzSettle) {
		if err != nil {
			t.Fatalf("line %d written as %q does not read back: %v", rec.Line, out.Bytes(), err)
		}
		n++
		back.Line = rec.Line
		if back != rec {
			t.Fatalf("round trip:\n%+v\n%+v", rec, back)
		}
	}
	if n != 1 {
		t.Fatalf("line %d written as %d records: %q", rec.Line, n, out.Bytes())
	}
}

// documented reports whether err is one of the errors package reconcile
// documents for the content of a settlement file or for its limits.
func documented(err error) bool {
	return errors.Is(err, ErrMalformed) || errors.Is(err, ErrTooLarge)
}

// checkMember fails unless m's name is a plain file name, its kind is one of the Kind
// constants, its merId a suffix of the name after a '_' and holding none, its settle date
// zero or a Beijing midnight of 2000-2099 that a ZM, ZME or RD name writes as yymmdd, and,
// for a name of memberNames, its kind, merId and settle date those of the table.
func checkMember(t *testing.T, m *Member) {
	t.Helper()
	if m.Name == "" || m.Name == "." || m.Name == ".." || strings.ContainsAny(m.Name, "/\\:\x00") {
		t.Fatalf("member %q: not a plain file name", m.Name)
	}
	if !slices.Contains([]Kind{KindUnknown, KindZM, KindZME, KindRD, KindPED, KindPEDERR}, m.Kind) {
		t.Fatalf("member %q: kind %d", m.Name, m.Kind)
	}
	if strings.Contains(m.MerID, "_") || (m.MerID != "" && !strings.HasSuffix(m.Name, "_"+m.MerID)) {
		t.Fatalf("member %q: merId %q", m.Name, m.MerID)
	}
	if d := m.SettleDate; !d.IsZero() {
		if !slices.Contains([]Kind{KindZM, KindZME, KindRD}, m.Kind) || d.Year() < 2000 || d.Year() > 2099 ||
			!d.Equal(time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, Beijing())) || !strings.Contains(m.Name, d.Format("060102")) {
			t.Fatalf("member %q (%v): settle date %v", m.Name, m.Kind, d)
		}
	}
	checkTableMember(t, m)
}

// readFuzzMember reads m with the reader of its kind and returns the bytes
// read. Every error must be documented (a *LineError, for a line of a record
// file); a read error ends a record file; and a read that ends without a read
// error gave exactly the declared size.
func readFuzzMember(t *testing.T, m *Member) int64 {
	t.Helper()
	rc, err := m.Open()
	if err != nil {
		if !documented(err) {
			t.Fatalf("member %q: Open: %v is not a documented error", m.Name, err)
		}
		return 0
	}
	defer rc.Close()
	cr := &countingReader{r: rc}
	day := m.SettleDate
	if day.IsZero() {
		day = fuzzSettle
	}
	var readErr error // a read error met, which ends the member
	item := func(err error) {
		if readErr != nil {
			t.Fatalf("member %q: an item after the read error %v", m.Name, readErr)
		}
		var le *LineError
		switch {
		case err == nil || errors.As(err, &le):
		case documented(err):
			readErr = err
		default:
			t.Fatalf("member %q: %T %v is not a documented error", m.Name, err, err)
		}
	}
	complete := true
	switch m.Kind {
	case KindZM:
		for _, err := range ZM(cr, day) {
			item(err)
		}
		complete = readErr == nil
	case KindZME:
		for _, err := range ZME(cr, day) {
			item(err)
		}
		complete = readErr == nil
	case KindRD:
		if _, err := ParseRD(cr); err != nil {
			if !documented(err) {
				t.Fatalf("member %q: ParseRD: %v is not a documented error", m.Name, err)
			}
			complete = false // a read error or a content error: they are not told apart
		}
	default:
		if _, err := io.Copy(io.Discard, cr); err != nil {
			if !documented(err) {
				t.Fatalf("member %q: read: %v is not a documented error", m.Name, err)
			}
			complete = false
		}
	}
	if cr.n > m.Size || (complete && cr.n != m.Size) {
		t.Fatalf("member %q gave %d bytes, declared %d (read complete: %v)", m.Name, cr.n, m.Size, complete)
	}
	return cr.n
}

// FuzzOpen opens arbitrary bytes as a settlement zip under small limits and
// reads every member through the reader of its kind. Nothing may panic; every
// error is documented (ErrMalformed, ErrTooLarge, *LineError); an accepted
// archive keeps to the limits, its members have plain, distinct names and
// the properties checkMember checks (a name of memberNames gets the table's
// kind, merId and settle date); First(k) is nil if no member is of kind k,
// and otherwise a member of kind k with none of that kind before it; a
// member never inflates past its declared size, and a complete read gives
// exactly that size. The seed table-names holds eight names of memberNames.
func FuzzOpen(f *testing.F) {
	const maxMembers, maxMember, maxTotal = 8, 1 << 20, 2 << 20
	f.Fuzz(func(t *testing.T, data []byte) {
		a, err := Open(data, WithMaxMemberSize(maxMember), WithMaxTotalSize(maxTotal), WithMaxMembers(maxMembers))
		if err != nil {
			if !documented(err) {
				t.Fatalf("Open: %v matches neither ErrMalformed nor ErrTooLarge", err)
			}
			return
		}
		members := a.Members()
		if len(members) > maxMembers {
			t.Fatalf("%d members accepted, limit %d", len(members), maxMembers)
		}
		seen := map[string]bool{}
		var declared, total int64
		for _, m := range members {
			checkMember(t, m)
			if seen[m.Name] {
				t.Fatalf("member %q twice", m.Name)
			}
			seen[m.Name] = true
			if m.Size < 0 || m.Size > maxMember {
				t.Fatalf("member %q declares %d bytes, limit %d", m.Name, m.Size, maxMember)
			}
			declared += m.Size
			total += readFuzzMember(t, m)
		}
		if declared > maxTotal || total > maxTotal {
			t.Fatalf("members declare %d bytes and inflated %d, limit %d", declared, total, maxTotal)
		}
		for k := KindUnknown; k <= KindPEDERR+1; k++ {
			ofKind := func(m *Member) bool { return m.Kind == k }
			got := a.First(k)
			if got == nil {
				if slices.ContainsFunc(members, ofKind) {
					t.Fatalf("First(%v) = nil, but the archive has a member of that kind", k)
				}
				continue
			}
			if i := slices.Index(members, got); i < 0 || got.Kind != k || slices.ContainsFunc(members[:i], ofKind) {
				t.Fatalf("First(%v) = %q (%v), at %d of the members", k, got.Name, got.Kind, i)
			}
		}
	})
}

// sameSummary reports whether two parsed summaries are equal, field by field
// (a field added to Summary is compared too), times compared as instants.
func sameSummary(a, b *Summary) bool {
	if !a.SettleDate.Equal(b.SettleDate) || !a.Generated.Equal(b.Generated) {
		return false
	}
	x, y := *a, *b
	x.SettleDate, x.Generated, y.SettleDate, y.Generated = time.Time{}, time.Time{}, time.Time{}, time.Time{}
	return reflect.DeepEqual(x, y)
}

// summaryNoGBKForm reports whether some text of s has no GBK form.
func summaryNoGBKForm(s *Summary) bool {
	if someNoGBKForm(s) {
		return true
	}
	for _, rows := range [][]SummaryRow{s.ByTxnType, s.ByCardKind, {s.Total, s.CardTotal}} {
		for _, r := range rows {
			if noGBKForm(r.Label) {
				return true
			}
		}
	}
	return false
}

// FuzzParseRD parses arbitrary bytes as an RD summary report. It must not
// panic, and every error is documented. A parsed report is written by WriteRD
// (which fails only for text without a GBK form) and parses back to the same
// Summary, whole, but for one normalisation: a report without a 总计 row in
// its card-kind table gets one (zero) when written, so an empty
// CardTotal.Label reads back as 总计. Writing the re-read report gives the
// same bytes.
func FuzzParseRD(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := ParseRD(bytes.NewReader(data))
		if err != nil {
			if !documented(err) {
				t.Fatalf("ParseRD: %v matches neither ErrMalformed nor ErrTooLarge", err)
			}
			return
		}
		var out bytes.Buffer
		if err := WriteRD(&out, s); err != nil {
			if !summaryNoGBKForm(s) {
				t.Fatalf("WriteRD of a parsed report: %v\n%+v", err, s)
			}
			return
		}
		back, err := ParseRD(bytes.NewReader(out.Bytes()))
		if err != nil {
			t.Fatalf("written report does not parse: %v\n%q", err, out.Bytes())
		}
		want := *s
		if want.CardTotal.Label == "" {
			if want.CardTotal != (SummaryRow{}) {
				t.Fatalf("a card-kind total without its label: %+v", want.CardTotal)
			}
			want.CardTotal.Label = "总计"
		}
		if !sameSummary(&want, back) {
			t.Fatalf("report changed by a write and a parse:\n got %+v\nwant %+v", back, &want)
		}
		var again bytes.Buffer
		if err := WriteRD(&again, back); err != nil {
			t.Fatalf("WriteRD of the re-read report: %v", err)
		}
		if !bytes.Equal(again.Bytes(), out.Bytes()) {
			t.Fatalf("second write differs:\n%q\n%q", out.Bytes(), again.Bytes())
		}
	})
}

type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}
