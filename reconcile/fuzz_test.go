package reconcile

import (
	"bytes"
	"errors"
	"io"
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

var fuzzSettle = time.Date(2015, 9, 5, 0, 0, 0, 0, time.UTC)

// FuzzZMLine feeds arbitrary bytes to the ZM reader. It must not panic; every
// record it returns must equal what a fresh parser makes of its line alone
// (the changed-fields shortcut is exact), and a record that can be written
// back must read back the same.
func FuzzZMLine(f *testing.F) {
	f.Add([]byte("S56 88022900    00049993    190624 0906112203 622609******0048    000000476800 4899 07 " +
		"201509061122031906248 01 10078087                         01                   D000000002861 \r\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		lines := bytes.Split(data, []byte("\n"))
		for rec, err := range ZM(bytes.NewReader(data), fuzzSettle) {
			if err != nil {
				continue
			}
			line := bytes.TrimSuffix(lines[rec.Line-1], []byte("\r"))
			alone, err := newZMParser(fuzzSettle).parse(line, rec.Line)
			if err != nil || alone != rec {
				t.Fatalf("line %d: streaming gave %+v, alone %+v (%v)", rec.Line, rec, alone, err)
			}
			var out bytes.Buffer
			w := NewZMWriter(&out)
			if w.Write(&rec) != nil {
				continue // e.g. U+FFFD from bad GBK has no GBK form
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
// layout at that field's offset.
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
	for _, f := range layout {
		if f.name == le.Field {
			if le.Offset != f.off {
				t.Fatalf("%v: offset %d, field %s is at %d", err, le.Offset, f.name, f.off)
			}
			return le
		}
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
	for i := range v.NumField() {
		if f := v.Field(i); f.Kind() == reflect.String && noGBKForm(f.String()) {
			return true
		}
	}
	return false
}

// FuzzZMELine feeds arbitrary bytes to the ZME reader. It must not panic; it
// yields one item per non-blank line, in order; every error is a *LineError
// for a line of the input naming the line or a field of the layout at its
// offset (a bytes.Reader has no read errors); every record equals what a
// fresh parser makes of its line alone; and every record is written back by
// ZMEWriter, unless a text field has no GBK form, and reads back the same.
func FuzzZMELine(f *testing.F) {
	f.Add([]byte("E74 48021000    00049992    000001 1231120000 621626******0018    000000001000 5812 07 01 " +
		"000123 1228120000 1228 000000001000 D000000000006 D000000000994 \r\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		lines := inputLines(data)
		items := lineItems{t: t, lines: lines}
		for rec, err := range ZME(bytes.NewReader(data), fuzzSettle) {
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
		items.done()
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

// FuzzOpen opens arbitrary bytes as a settlement zip and reads every member
// through its parser. Nothing may panic, and nothing may inflate more than
// the declared sizes: the limits are small here, so a bomb is refused.
func FuzzOpen(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) {
		a, err := Open(data, WithMaxMemberSize(1<<20), WithMaxTotalSize(2<<20), WithMaxMembers(8))
		if err != nil {
			return
		}
		var total int64
		for _, m := range a.Members() {
			rc, err := m.Open()
			if err != nil {
				continue
			}
			cr := &countingReader{r: rc}
			switch m.Kind {
			case KindZM:
				for range ZM(cr, fuzzSettle) {
				}
			case KindZME:
				for range ZME(cr, fuzzSettle) {
				}
			case KindRD:
				_, _ = ParseRD(cr)
			default:
				_, _ = io.Copy(io.Discard, cr)
			}
			rc.Close()
			if cr.n > m.Size {
				t.Fatalf("member %q gave %d bytes, declared %d", m.Name, cr.n, m.Size)
			}
			total += cr.n
		}
		if total > 2<<20 {
			t.Fatalf("inflated %d bytes", total)
		}
	})
}

// FuzzParseRD: arbitrary summary reports must not panic, and a parsed report
// written back parses to the same totals.
func FuzzParseRD(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := ParseRD(bytes.NewReader(data))
		if err != nil {
			return
		}
		var out bytes.Buffer
		if WriteRD(&out, s) != nil {
			return
		}
		back, err := ParseRD(&out)
		if err != nil {
			t.Fatalf("written report does not parse: %v", err)
		}
		if back.Total.Count != s.Total.Count || back.Total.TxnCredit != s.Total.TxnCredit {
			t.Fatalf("totals changed: %+v / %+v", s.Total, back.Total)
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
