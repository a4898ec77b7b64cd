package soak

import (
	"archive/zip"
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/goacp/unionpay/reconcile"
)

// The settlement file is the last decoder of untrusted input on the merchant's side: a zip
// from the file host, members in fixed-width GBK. These targets fuzz it through the public API
// of package reconcile, the way a merchant's reconciliation job calls it.

const sampleZip = "802310048993424_20150905.zip"

var sampleDay = time.Date(2015, 9, 5, 0, 0, 0, 0, reconcile.Beijing())

// sampleArchive returns the official sample zip and the bytes of its members.
func sampleArchive(tb testing.TB) (zipBytes []byte, members map[reconcile.Kind][]byte) {
	b, err := os.ReadFile(filepath.Join("..", "reconcile", "testdata", sampleZip))
	if err != nil {
		tb.Fatal(err)
	}
	a, err := reconcile.Open(b)
	if err != nil {
		tb.Fatal(err)
	}
	members = map[reconcile.Kind][]byte{}
	for _, m := range a.Members() {
		rc, err := m.Open()
		if err != nil {
			tb.Fatal(err)
		}
		data, err := io.ReadAll(rc)
		_ = rc.Close()
		if err != nil {
			tb.Fatal(err)
		}
		members[m.Kind] = data
	}
	return b, members
}

// isFileError reports whether err is one of the errors reconcile documents for bad content.
// (A corrupt deflate stream in a member was a bare flate.CorruptInputError until 0a5a735; the
// seed testdata/fuzz/FuzzSettlementZip/fd1ed93de81c12c1, found by this target, keeps it so.)
func isFileError(err error) bool {
	return errors.Is(err, reconcile.ErrMalformed) || errors.Is(err, reconcile.ErrTooLarge)
}

// FuzzSettlementZip opens arbitrary bytes as a settlement zip and reads every member with the
// reader of its kind, under small limits: never a panic, and every failure is one of the
// documented content errors.
func FuzzSettlementZip(f *testing.F) {
	b, members := sampleArchive(f)
	f.Add(b)
	f.Add([]byte{})
	f.Add([]byte("PK\x05\x06\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"))
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, name := range []string{"INN15090588ZM_802310048993424", "../RD201015090501_802310048993424", "PED_x"} {
		w, _ := zw.Create(name)
		_, _ = w.Write(members[reconcile.KindZM])
	}
	_ = zw.Close()
	f.Add(buf.Bytes())
	f.Fuzz(func(t *testing.T, data []byte) {
		a, err := reconcile.Open(data, reconcile.WithMaxMembers(8), reconcile.WithMaxMemberSize(1<<20),
			reconcile.WithMaxTotalSize(2<<20))
		if err != nil {
			if !isFileError(err) {
				t.Fatalf("Open: error %v matches neither ErrMalformed nor ErrTooLarge", err)
			}
			return
		}
		for _, m := range a.Members() {
			readMember(t, m)
		}
	})
}

func readMember(t *testing.T, m *reconcile.Member) {
	rc, err := m.Open()
	if err != nil {
		if !isFileError(err) {
			t.Fatalf("member %q: Open: %v", m.Name, err)
		}
		return
	}
	defer rc.Close()
	day := m.SettleDate
	if day.IsZero() {
		day = sampleDay
	}
	switch m.Kind {
	case reconcile.KindZM:
		for _, err := range reconcile.ZM(rc, day) {
			if err != nil && !isFileError(err) {
				t.Fatalf("member %q: ZM: %v", m.Name, err)
			}
		}
	case reconcile.KindZME:
		for _, err := range reconcile.ZME(rc, day) {
			if err != nil && !isFileError(err) {
				t.Fatalf("member %q: ZME: %v", m.Name, err)
			}
		}
	case reconcile.KindRD:
		if _, err := reconcile.ParseRD(rc); err != nil && !isFileError(err) {
			t.Fatalf("member %q: ParseRD: %v", m.Name, err)
		}
	default:
		if _, err := io.Copy(io.Discard, rc); err != nil && !isFileError(err) {
			t.Fatalf("member %q: read: %v", m.Name, err)
		}
	}
}

// FuzzZMLines reads arbitrary bytes as a ZM member: never a panic, errors are *LineError or
// content errors, amounts and times of accepted records are sane, and an accepted record
// written back with ZMWriter reads back the same (the reader and the writer agree on the
// layout).
func FuzzZMLines(f *testing.F) {
	_, members := sampleArchive(f)
	zm := members[reconcile.KindZM]
	f.Add(zm)
	if i := bytes.Index(zm, []byte("\r\n")); i > 0 {
		f.Add(zm[:i+2])
		f.Add(zm[:i])
		f.Add(bytes.ReplaceAll(zm[:i], []byte(" "), []byte("\xb2")))
	}
	f.Add([]byte("\r\n\r\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		stream := map[int]reconcile.Record{}
		for r, err := range reconcile.ZM(bytes.NewReader(data), sampleDay) {
			if err != nil {
				var le *reconcile.LineError
				if !errors.As(err, &le) && !isFileError(err) {
					t.Fatalf("ZM: %T %v", err, err)
				}
				continue
			}
			if r.TxnAmt < 0 {
				t.Fatalf("line %d: negative txnAmt %d", r.Line, r.TxnAmt)
			}
			stream[r.Line] = r
			roundTrip(t, r)
		}
		// The streaming parser re-parses only what changed from the line before: each record must be
		// what a fresh parser makes of its line alone.
		for i, line := range bytes.Split(data, []byte("\n")) {
			if len(bytes.TrimSuffix(line, []byte("\r"))) == 0 { // skipped: neither a record nor an error
				if _, ok := stream[i+1]; ok {
					t.Fatalf("line %d is blank, and a record in the stream", i+1)
				}
				continue // (a fresh reader for each blank line made the target ~100 times slower)
			}
			var alone *reconcile.Record
			for r, err := range reconcile.ZM(bytes.NewReader(line), sampleDay) {
				if err == nil {
					r.Line = i + 1
					alone = &r
				}
			}
			got, ok := stream[i+1]
			switch {
			case alone == nil && ok:
				t.Fatalf("line %d: a record in the stream, an error alone", i+1)
			case alone != nil && !ok:
				t.Fatalf("line %d: an error in the stream, a record alone", i+1)
			case ok && !recordsEqual(got, *alone):
				t.Fatalf("line %d differs in the stream:\n got %+v\nwant %+v", i+1, got, *alone)
			}
		}
	})
}

// roundTrip writes r and reads it back: the fields must survive (a record whose text cannot
// be written in GBK is skipped).
func roundTrip(t *testing.T, r reconcile.Record) {
	var buf bytes.Buffer
	w := reconcile.NewZMWriter(&buf)
	if err := w.Write(&r); err != nil {
		return
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	n := 0
	for back, err := range reconcile.ZM(bytes.NewReader(buf.Bytes()), sampleDay) {
		if err != nil {
			t.Fatalf("line %d re-read: %v\nwritten: %q", r.Line, err, buf.Bytes())
		}
		n++
		back.Line = r.Line
		if !recordsEqual(back, r) {
			t.Fatalf("line %d did not survive a write and a read:\n got %+v\nwant %+v", r.Line, back, r)
		}
	}
	if n != 1 {
		t.Fatalf("line %d written as %d records", r.Line, n)
	}
}

// recordsEqual compares two records, times by instant.
func recordsEqual(a, b reconcile.Record) bool {
	if !a.TxnTime.Equal(b.TxnTime) || !a.OrigTxnTime.Equal(b.OrigTxnTime) {
		return false
	}
	a.TxnTime, b.TxnTime, a.OrigTxnTime, b.OrigTxnTime = time.Time{}, time.Time{}, time.Time{}, time.Time{}
	return a == b
}

// FuzzParseRD parses arbitrary bytes as an RD summary report and checks it against an empty
// tally, as a merchant's job does: never a panic, failures are content errors, and Check fails
// only with a *MismatchError listing cells that differ. The round trip of the whole Summary
// through WriteRD is reconcile's own FuzzParseRD; this target checks what the merchant sees of
// it: WriteRD fails only for text without a GBK form, and the written report, read back, gets
// the same verdict from Check (the same Diffs), but for the 卡性质总计 cells of a report
// without a card-kind total, which gets a zero one when written.
func FuzzParseRD(f *testing.F) {
	_, members := sampleArchive(f)
	f.Add(members[reconcile.KindRD])
	f.Add([]byte{})
	f.Add([]byte("\xbd\xbb\xd2\xd7\xc0\xe0\xd0\xcd\r\n\xd7\xdc\xbc\xc6 1 0.00 0.00 0.00 0.00 0.00 0.00\r\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := reconcile.ParseRD(bytes.NewReader(data))
		if err != nil {
			if !isFileError(err) {
				t.Fatalf("ParseRD: %v", err)
			}
			return
		}
		var tally reconcile.Tally
		want := checkDiffs(t, s, &tally)
		var out bytes.Buffer
		if err := reconcile.WriteRD(&out, s); err != nil {
			if !summaryNoGBKForm(s) {
				t.Fatalf("WriteRD of a parsed report: %v\n%+v", err, s)
			}
			return
		}
		back, err := reconcile.ParseRD(bytes.NewReader(out.Bytes()))
		if err != nil {
			t.Fatalf("written report does not parse: %v\n%q", err, out.Bytes())
		}
		got := checkDiffs(t, back, &tally)
		if s.CardTotal.Label == "" {
			got = slices.DeleteFunc(got, func(d reconcile.Diff) bool { return d.Row == "卡性质总计" })
		}
		if !slices.Equal(got, want) {
			t.Fatalf("Check of the written report:\n got %+v\nwant %+v", got, want)
		}
	})
}

// checkDiffs returns the differences Check finds between s and t, failing unless its error is
// nil or a *MismatchError (matching ErrMismatch) of cells that do differ.
func checkDiffs(t *testing.T, s *reconcile.Summary, tally *reconcile.Tally) []reconcile.Diff {
	t.Helper()
	err := s.Check(tally)
	if err == nil {
		return nil
	}
	var me *reconcile.MismatchError
	if !errors.As(err, &me) || !errors.Is(err, reconcile.ErrMismatch) || len(me.Diffs) == 0 {
		t.Fatalf("Check: %T %v: want nil or a *MismatchError", err, err)
	}
	for _, d := range me.Diffs {
		if d.Want == d.Got || d.Row == "" || d.Column == "" {
			t.Fatalf("Check: %+v is not a difference", d)
		}
	}
	return me.Diffs
}

// noGBKForm reports whether text read from a settlement file cannot be written back: it holds
// U+FFFD (from bytes that are not GBK) or a line break.
func noGBKForm(s string) bool {
	return !utf8.ValidString(s) || strings.ContainsRune(s, utf8.RuneError) || strings.ContainsAny(s, "\r\n")
}

// summaryNoGBKForm reports whether some text of s has no GBK form.
func summaryNoGBKForm(s *reconcile.Summary) bool {
	texts := []string{s.MerID, s.Currency, s.AcqInsCode, s.MerName, s.Total.Label, s.CardTotal.Label}
	for _, r := range slices.Concat(s.ByTxnType, s.ByCardKind) {
		texts = append(texts, r.Label)
	}
	return slices.ContainsFunc(texts, noGBKForm)
}

// errorRecordNoGBKForm reports whether some text field of r has no GBK form.
func errorRecordNoGBKForm(r *reconcile.ErrorRecord) bool {
	return slices.ContainsFunc([]string{r.TxnCode, r.AcqInsCode, r.SendInsCode, r.TraceNo, r.AccNo,
		r.MerCatCode, r.TermType, r.PayCardType, r.OrigTraceNo, r.GroupMerID, r.MerID, r.SplitFlag,
		r.InstallmentCount, r.Reserved}, noGBKForm)
}

// zmeLine is a ZME line of UnionPay's layout, an adjustment (E74) of a consume, without its
// blank reserved tail: the reader takes it cut short after field 21 (差错 in GBK).
const zmeLine = "E74 48021000    00049992    000000 1231100725 621626******0018    000320907521 5812 07 01 " +
	"000123 1228100725 1228 000114572059 D000000359045 D000525384770                 777290058110097 A " +
	"D00000000880 12 \xb2\xee\xb4\xed"

// FuzzZMELines reads arbitrary bytes as a ZME (error transactions) member. Never a panic; one
// item per non-blank line, in order; every error is a *LineError matching ErrMalformed for a
// line of the input, naming "line" (offset 0) or a field at an offset inside the 339-byte
// layout (a bytes.Reader has no read errors); every record is what ZME makes of its line alone;
// and every record is written back by ZMEWriter, unless a text field has no GBK form, and reads
// back the same: the reader and the writer agree on the layout.
func FuzzZMELines(f *testing.F) {
	_, members := sampleArchive(f)
	f.Add(members[reconcile.KindZM][:min(341, len(members[reconcile.KindZM]))])
	f.Add([]byte{})
	f.Add([]byte(zmeLine + strings.Repeat(" ", 339-len(zmeLine)) + "\r\n\r\n" + zmeLine + "\n" + zmeLine[:150] + "\r\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		lines := bytes.Split(data, []byte("\n"))
		if len(lines[len(lines)-1]) == 0 {
			lines = lines[:len(lines)-1] // the empty text after the last LF is no line
		}
		next := 0 // index of the line that must yield the next item
		for r, err := range reconcile.ZME(bytes.NewReader(data), sampleDay) {
			n := r.Line
			if err != nil {
				n = checkZMELineError(t, err, len(lines))
			}
			for next < len(lines) && len(bytes.TrimSuffix(lines[next], []byte("\r"))) == 0 {
				next++ // blank lines yield nothing
			}
			if n != next+1 || n > len(lines) {
				t.Fatalf("an item for line %d, want one for line %d of %d", n, next+1, len(lines))
			}
			next++
			if err != nil {
				continue
			}
			var alone []reconcile.ErrorRecord
			for a, err := range reconcile.ZME(bytes.NewReader(lines[n-1]), sampleDay) {
				if err != nil {
					t.Fatalf("line %d: a record in the stream, alone %v", n, err)
				}
				a.Line = n
				alone = append(alone, a)
			}
			if len(alone) != 1 || !errorRecordsEqual(alone[0], r) {
				t.Fatalf("line %d differs in the stream:\n got %+v\nwant %+v", n, r, alone)
			}
			zmeRoundTrip(t, r)
		}
		for next < len(lines) && len(bytes.TrimSuffix(lines[next], []byte("\r"))) == 0 {
			next++
		}
		if next != len(lines) {
			t.Fatalf("line %d of %d yielded nothing", next+1, len(lines))
		}
	})
}

// checkZMELineError fails unless err is a *LineError matching ErrMalformed for a line of the
// input (1 to nLines) that names a field at an offset inside the layout, or "line" at 0; it
// returns the line.
func checkZMELineError(t *testing.T, err error, nLines int) int {
	t.Helper()
	var le *reconcile.LineError
	if !errors.As(err, &le) || !errors.Is(err, reconcile.ErrMalformed) {
		t.Fatalf("ZME: %T %v: want a *LineError", err, err)
	}
	if le.Line < 1 || le.Line > nLines || le.Field == "" || le.Offset < 0 || le.Offset >= 339 ||
		(le.Field == "line" && le.Offset != 0) {
		t.Fatalf("ZME: %v: line %d of %d, field %q, offset %d", err, le.Line, nLines, le.Field, le.Offset)
	}
	return le.Line
}

// zmeRoundTrip writes r with ZMEWriter and reads it back with ZME: the fields must survive.
func zmeRoundTrip(t *testing.T, r reconcile.ErrorRecord) {
	t.Helper()
	var buf bytes.Buffer
	w := reconcile.NewZMEWriter(&buf)
	if err := w.Write(&r); err != nil {
		if !errorRecordNoGBKForm(&r) {
			t.Fatalf("line %d: an accepted record is not written: %v\n%+v", r.Line, err, r)
		}
		return
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	n := 0
	for back, err := range reconcile.ZME(bytes.NewReader(buf.Bytes()), sampleDay) {
		if err != nil {
			t.Fatalf("line %d re-read: %v\nwritten: %q", r.Line, err, buf.Bytes())
		}
		n++
		back.Line = r.Line
		if !errorRecordsEqual(back, r) {
			t.Fatalf("line %d did not survive a write and a read:\n got %+v\nwant %+v", r.Line, back, r)
		}
	}
	if n != 1 {
		t.Fatalf("line %d written as %d records", r.Line, n)
	}
}

// errorRecordsEqual compares two error records, times by instant.
func errorRecordsEqual(a, b reconcile.ErrorRecord) bool {
	if !a.TxnTime.Equal(b.TxnTime) || !a.OrigTxnTime.Equal(b.OrigTxnTime) || !a.OrigSettleDate.Equal(b.OrigSettleDate) {
		return false
	}
	a.TxnTime, b.TxnTime, a.OrigTxnTime, b.OrigTxnTime = time.Time{}, time.Time{}, time.Time{}, time.Time{}
	a.OrigSettleDate, b.OrigSettleDate = time.Time{}, time.Time{}
	return a == b
}
