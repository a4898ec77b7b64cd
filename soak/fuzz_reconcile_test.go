package soak

import (
	"archive/zip"
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

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
// tally: never a panic, failures are content errors.
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
		if err := s.Check(&tally); err != nil && !errors.Is(err, reconcile.ErrMismatch) {
			t.Fatalf("Check: %v", err)
		}
		var out bytes.Buffer
		_ = reconcile.WriteRD(&out, s)
	})
}

// FuzzZMELines reads arbitrary bytes as a ZME (error transactions) member: never a panic.
func FuzzZMELines(f *testing.F) {
	_, members := sampleArchive(f)
	f.Add(members[reconcile.KindZM][:min(341, len(members[reconcile.KindZM]))])
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, err := range reconcile.ZME(bytes.NewReader(data), sampleDay) {
			var le *reconcile.LineError
			if err != nil && !errors.As(err, &le) && !isFileError(err) {
				t.Fatalf("ZME: %T %v", err, err)
			}
		}
	})
}
