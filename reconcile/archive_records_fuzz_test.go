package reconcile

import (
	"archive/zip"
	"bytes"
	"errors"
	"io"
	"iter"
	"reflect"
	"strings"
	"testing"
	"time"
)

// FuzzArchiveRecords writes a settlement zip of three members, ZM a, ZME b and a second ZM b
// (INN{yymmdd}89ZM_, as UnionPay numbers a day's further members), and reads it with
// Archive.Records and ErrorRecords for merID, dated by fuzzSettle or, when byName, by each
// member's name. What they yield is what ZM and ZME yield reading the members' bytes directly,
// in member order, less the records of another merchant (a record naming a merId other than
// merID, which is not ""): the same records, and a *LineError on the same line; an error that is
// not a *LineError (MaxMalformedLines passed) ends the whole sequence. So the zip path
// (inflating, bounding, dating by name) changes nothing, and no record of another merchant gets
// through. The seeds are the ZM member of testdata's real zip and a ZME line.
func FuzzArchiveRecords(f *testing.F) {
	real, err := readTestMember("802310048993424_20150905.zip", "INN15090588ZM_802310048993424")
	if err != nil {
		f.Fatal(err)
	}
	zme := []byte("E74 48021000    00049992    000001 1231120000 621626******0018    000000001000 5812 07 01 " +
		"000123 1228120000 1228 000000001000 D000000000006 D000000000994 \r\n")
	f.Add(real, zme, "802310048993424", false)
	f.Add(real, real, "", true)
	f.Add(real, zme, "802310048993425", true)
	f.Add(zme, real, "802310048993424", false)
	f.Add([]byte{}, []byte("x\n"), "", false)
	f.Fuzz(checkArchiveRecords)
}

// checkArchiveRecords is FuzzArchiveRecords' test of a, b, who and byName.
func checkArchiveRecords(t *testing.T, a, b []byte, who string, byName bool) {
	const merID = "802310048993424"
	zm1 := MemberName(KindZM, merID, fuzzSettle)
	zm2 := strings.Replace(zm1, "88ZM_", "89ZM_", 1)
	contents := map[string][]byte{zm1: a, MemberName(KindZME, merID, fuzzSettle): b, zm2: b}
	var buf bytes.Buffer
	w := NewArchiveWriter(&buf, fuzzSettle)
	for _, name := range []string{zm1, MemberName(KindZME, merID, fuzzSettle), zm2} {
		mw, err := w.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := mw.Write(contents[name]); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	arch, err := Open(buf.Bytes())
	if err != nil {
		if !errors.Is(err, ErrTooLarge) {
			t.Fatalf("Open of a written zip: %v", err)
		}
		return
	}
	settle := fuzzSettle
	if byName {
		settle = time.Time{}
	}
	dayOf := func(m *Member) time.Time {
		if day := settleDay(settle); !day.IsZero() {
			return day
		}
		return m.SettleDate
	}
	var zmWant []item[Record]
	var zmeWant []item[ErrorRecord]
	zmMore, zmeMore := true, true
	for _, m := range arch.Members() {
		switch r := bytes.NewReader(contents[m.Name]); {
		case zmMore && m.Kind == KindZM:
			zmWant, zmMore = direct(zmWant, ZM(r, dayOf(m)), who, func(r *Record) string { return r.MerID })
		case zmeMore && m.Kind == KindZME:
			zmeWant, zmeMore = direct(zmeWant, ZME(r, dayOf(m)), who, func(r *ErrorRecord) string { return r.MerID })
		}
	}
	checkSame(t, "Records", collect(arch.Records(settle, who)), zmWant)
	checkSame(t, "ErrorRecords", collect(arch.ErrorRecords(settle, who)), zmeWant)
}

// item is one yield of a sequence of records.
type item[T any] struct {
	rec T
	err error
}

// direct appends to out what seq yields, less the records of a merchant other than who, and
// reports whether to read on (no error other than a *LineError met).
func direct[T any](out []item[T], seq iter.Seq2[T, error], who string, merOf func(*T) string) ([]item[T], bool) {
	for r, err := range seq {
		if err == nil && who != "" && merOf(&r) != "" && merOf(&r) != who {
			continue
		}
		out = append(out, item[T]{r, err})
		if _, ok := errors.AsType[*LineError](err); err != nil && !ok {
			return out, false
		}
	}
	return out, true
}

// collect returns what seq yields.
func collect[T any](seq iter.Seq2[T, error]) []item[T] {
	var out []item[T]
	for r, err := range seq {
		out = append(out, item[T]{r, err})
	}
	return out
}

// checkSame fails unless got and want yield the same records, and errors at the same places:
// a *LineError on the same line, another error where another was.
func checkSame[T any](t *testing.T, what string, got, want []item[T]) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d items, reading the members directly %d", what, len(got), len(want))
	}
	for i := range got {
		g, w := got[i], want[i]
		if (g.err == nil) != (w.err == nil) {
			t.Fatalf("%s: item %d: error %v, directly %v", what, i, g.err, w.err)
		}
		if g.err != nil {
			gl, gok := errors.AsType[*LineError](g.err)
			wl, wok := errors.AsType[*LineError](w.err)
			if gok != wok || gok && gl.Line != wl.Line {
				t.Fatalf("%s: item %d: error %v, directly %v", what, i, g.err, w.err)
			}
			continue
		}
		if !reflect.DeepEqual(g.rec, w.rec) {
			t.Fatalf("%s: item %d: %+v, directly %+v", what, i, g.rec, w.rec)
		}
	}
}

// readTestMember returns the bytes of member name of testdata's zip file.
func readTestMember(file, name string) ([]byte, error) {
	zr, err := zip.OpenReader("testdata/" + file)
	if err != nil {
		return nil, err
	}
	defer zr.Close()
	for _, f := range zr.File {
		if f.Name == name {
			rc, err := f.Open()
			if err != nil {
				return nil, err
			}
			defer rc.Close()
			return io.ReadAll(rc)
		}
	}
	return nil, errors.New(name + " not in " + file)
}
