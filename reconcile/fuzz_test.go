package reconcile

import (
	"bytes"
	"io"
	"testing"
	"time"
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

// FuzzZMELine feeds arbitrary bytes to the ZME reader: no panic, and written
// records read back the same.
func FuzzZMELine(f *testing.F) {
	f.Add([]byte("E74 48021000    00049992    000001 1231120000 621626******0018    000000001000 5812 07 01 " +
		"000123 1228120000 1228 000000001000 D000000000006 D000000000994 \r\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		for rec, err := range ZME(bytes.NewReader(data), fuzzSettle) {
			if err != nil {
				continue
			}
			var out bytes.Buffer
			w := NewZMEWriter(&out)
			if w.Write(&rec) != nil {
				continue
			}
			if err := w.Flush(); err != nil {
				t.Fatal(err)
			}
			p := zmeParser{days: newDayCache(fuzzSettle)}
			back, err := p.parse(bytes.TrimSuffix(out.Bytes(), []byte("\r\n")), rec.Line)
			if err != nil {
				t.Fatalf("written line does not parse: %v", err)
			}
			if back != rec {
				t.Fatalf("round trip:\n%+v\n%+v", rec, back)
			}
		}
	})
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
