package reconcile

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/goacp/unionpay/internal/tz"
)

// ArchiveWriter writes a settlement zip the way UnionPay's file service does
// (after the official sample): members in the root, deflated, with a data
// descriptor, MS-DOS times in Beijing wall-clock time, the 0xCAFE extra field
// of Java's jar writer on the first member. It is not safe for concurrent use.
//
// Make one with NewArchiveWriter: Create and Close of the zero ArchiveWriter
// return an error.
type ArchiveWriter struct {
	zw       *zip.Writer
	modified time.Time
	n        int
	err      error // a nil writer given to NewArchiveWriter
}

// NewArchiveWriter returns a writer of a zip to w whose members are stamped
// with modified (shown in Beijing time). With a nil w, Create and Close
// return an error matching [ErrNilArgument].
func NewArchiveWriter(w io.Writer, modified time.Time) *ArchiveWriter {
	if w == nil {
		return &ArchiveWriter{err: nilArgument("w", "NewArchiveWriter")}
	}
	return &ArchiveWriter{zw: zip.NewWriter(w), modified: modified}
}

// usable returns the error that stops Create and Close, if any.
func (a *ArchiveWriter) usable() error {
	switch {
	case a.err != nil:
		return a.err
	case a.zw == nil:
		return errors.New("reconcile: ArchiveWriter not made by NewArchiveWriter")
	}
	return nil
}

// Create adds a member called name (see [MemberName]) and returns the writer
// of its content, valid until the next Create or Close. It refuses a name that
// is not a plain file name in the archive root, which [Open] would refuse.
func (a *ArchiveWriter) Create(name string) (io.Writer, error) {
	if err := a.usable(); err != nil {
		return nil, err
	}
	if !plainName(name) {
		return nil, fmt.Errorf("reconcile: member name %q is not a plain file name in the archive root", name)
	}
	fh := &zip.FileHeader{Name: name, Method: zip.Deflate}
	// MS-DOS time fields only, as UnionPay's zips have them: Modified would
	// add an extended-timestamp field UnionPay's do not carry.
	//lint:ignore SA1019 the deprecated fields are the byte-exact layout
	fh.ModifiedDate, fh.ModifiedTime = msDosTime(a.modified.In(tz.Beijing()))
	if a.n == 0 {
		fh.Extra = []byte{0xfe, 0xca, 0, 0}
	}
	a.n++
	w, err := a.zw.CreateHeader(fh)
	if err != nil {
		return nil, fmt.Errorf("reconcile: creating member %q: %w", name, err)
	}
	return w, nil
}

// Close finishes the zip; it does not close the underlying writer.
func (a *ArchiveWriter) Close() error {
	if err := a.usable(); err != nil {
		return err
	}
	if err := a.zw.Close(); err != nil {
		return fmt.Errorf("reconcile: writing zip: %w", err)
	}
	return nil
}

func msDosTime(t time.Time) (date, tm uint16) {
	if t.Year() < 1980 {
		t = time.Date(1980, 1, 1, 0, 0, 0, 0, t.Location())
	}
	date = uint16(t.Day() + int(t.Month())<<5 + (t.Year()-1980)<<9)
	tm = uint16(t.Second()/2 + t.Minute()<<5 + t.Hour()<<11)
	return date, tm
}

// Settlement is one day of settlement files for one merchant, to be written as
// the zip UnionPay's file-download transaction returns. The fake gateway and
// tests build one from the transactions they accepted.
type Settlement struct {
	MerID        string        // merId: member and archive names, RD header
	MerName      string        // RD 商户名称
	AcqInsCode   string        // RD 收单机构
	SettleDate   time.Time     // 清算日期
	Generated    time.Time     // RD 生成日期 and zip times; zero: the day after SettleDate, 09:00
	Records      []Record      // the ZM member, in order
	ErrorRecords []ErrorRecord // the ZME member, written only when not empty
}

// Zip returns the settlement zip: the ZM member, the ZME member if there are
// error records, and an RD summary report computed from Records with [Tally].
// Member names follow [MemberName].
func (s *Settlement) Zip() ([]byte, error) {
	var buf bytes.Buffer
	if err := s.WriteZip(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// WriteZip writes the zip of [Settlement.Zip] to w; a nil w is an error
// matching [ErrNilArgument].
func (s *Settlement) WriteZip(w io.Writer) error {
	if w == nil {
		return nilArgument("w", "Settlement.WriteZip")
	}
	if s.SettleDate.IsZero() {
		return fmt.Errorf("reconcile: settlement needs a settle date")
	}
	gen := s.Generated
	if gen.IsZero() {
		y, m, d := settleDay(s.SettleDate).Date()
		gen = time.Date(y, m, d+1, 9, 0, 0, 0, tz.Beijing())
	}
	aw := NewArchiveWriter(w, gen)
	var tally Tally
	zm, err := aw.Create(MemberName(KindZM, s.MerID, s.SettleDate))
	if err != nil {
		return err
	}
	zw := NewZMWriter(zm)
	for i := range s.Records {
		tally.Add(&s.Records[i])
		if err := zw.Write(&s.Records[i]); err != nil {
			return fmt.Errorf("reconcile: record %d: %w", i, err)
		}
	}
	if err := zw.Flush(); err != nil {
		return err
	}
	if len(s.ErrorRecords) > 0 {
		zme, err := aw.Create(MemberName(KindZME, s.MerID, s.SettleDate))
		if err != nil {
			return err
		}
		ew := NewZMEWriter(zme)
		for i := range s.ErrorRecords {
			if err := ew.Write(&s.ErrorRecords[i]); err != nil {
				return fmt.Errorf("reconcile: error record %d: %w", i, err)
			}
		}
		if err := ew.Flush(); err != nil {
			return err
		}
	}
	rd, err := aw.Create(MemberName(KindRD, s.MerID, s.SettleDate))
	if err != nil {
		return err
	}
	if err := WriteRD(rd, tally.Summary(s.MerID, s.MerName, s.AcqInsCode, s.SettleDate, gen)); err != nil {
		return err
	}
	return aw.Close()
}
