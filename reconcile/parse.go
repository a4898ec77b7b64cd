package reconcile

import (
	"time"
)

// fieldSet holds one bit per field number of a layout.
type fieldSet uint64

const allFields = ^fieldSet(0)

func (s fieldSet) has(i int) bool { return s&(1<<i) != 0 }

// maxFields bounds the field numbers of a layout.
const maxFields = 64

// fieldParser slices one line into fields of a layout, parses those in a
// fieldSet into a record's fields, and remembers the first error.
// A parser makes one per line, as a local variable: the stores into it are
// then plain stack stores, without the write barrier that stores of
// pointers into the heap pay while the garbage collector marks.
type fieldParser struct {
	b      []byte
	n      int
	layout []field
	td     *textDecoder // the stream's, which keeps its block between lines
	err    *LineError
}

// init readies fp for line b (number n). It sets the fields in place: a
// fieldParser returned by value was built on the stack and copied with
// wider loads than its stores, which stalled.
func (fp *fieldParser) init(b []byte, n int, layout []field, td *textDecoder) {
	td.lf = false
	fp.b, fp.n, fp.layout, fp.td, fp.err = b, n, layout, td, nil
}

func (fp *fieldParser) lineErr(err error) error {
	return &LineError{Line: fp.n, Field: "line", Err: err}
}

func (fp *fieldParser) fieldErr(f field, err error) error {
	if fp.err == nil {
		fp.err = &LineError{Line: fp.n, Field: f.name, Offset: f.off, Err: err}
	}
	return fp.err
}

func (fp *fieldParser) bytes(i int) []byte {
	f := fp.layout[i]
	return fp.b[f.off:f.end()]
}

// The field methods below test c inline and leave the work to an outlined
// method: a line changes few fields, and a call per unchanged field costs.

// text sets *dst to text field i when it is in c; the part of a field past
// the end of a short line is blank.
func (fp *fieldParser) text(c fieldSet, i int, dst *string) {
	if c.has(i) {
		fp.setText(i, dst)
	}
}

func (fp *fieldParser) setText(i int, dst *string) {
	f, b := &fp.layout[i], fp.b
	if f.width <= 32 && f.off+32 <= len(b) {
		if s, ok := fp.td.short(b[f.off:f.off+32:f.off+32], f.width); ok {
			*dst = s
			return
		}
	}
	if end := f.off + f.width; end <= len(b) {
		*dst = fp.td.str(b[f.off:end])
		return
	}
	*dst = fp.td.str(b[min(f.off, len(b)):])
}

// plain sets *dst to the n12 amount of field i when it is in c.
func (fp *fieldParser) plain(c fieldSet, i int, required bool, dst *int64) {
	if c.has(i) {
		fp.setPlain(i, required, dst)
	}
}

func (fp *fieldParser) setPlain(i int, required bool, dst *int64) {
	b := fp.bytes(i)
	if len(b) == 12 { // the usual case, inline
		hi, ok1 := eightDigits(b)
		lo, ok2 := fourDigits(b[8:12])
		if ok1 && ok2 {
			*dst = hi*1e4 + lo
			return
		}
	}
	v, err := plainAmount(b, required)
	if err != nil {
		fp.fieldErr(fp.layout[i], err)
	}
	*dst = v
}

// signed sets *dst to the signed amount of field i when it is in c.
func (fp *fieldParser) signed(c fieldSet, i int, dst *int64) {
	if c.has(i) {
		fp.setSigned(i, dst)
	}
}

func (fp *fieldParser) setSigned(i int, dst *int64) {
	b := fp.bytes(i)
	if len(b) == 13 && (b[0] == 'C' || b[0] == 'D') { // the usual case, inline
		hi, ok1 := eightDigits(b[1:9])
		lo, ok2 := fourDigits(b[9:13])
		if ok1 && ok2 {
			v := hi*1e4 + lo
			if b[0] == 'D' {
				v = -v
			}
			*dst = v
			return
		}
	}
	v, err := signedAmount(b)
	if err != nil {
		fp.fieldErr(fp.layout[i], err)
	}
	*dst = v
}

// time sets *dst to the MMDDhhmmss time of field i when it is in c.
func (fp *fieldParser) time(c fieldSet, i int, days *dayCache, required bool, anchor *time.Time, dst *time.Time) {
	if c.has(i) {
		fp.setTime(i, days, required, anchor, dst)
	}
}

func (fp *fieldParser) setTime(i int, days *dayCache, required bool, anchor *time.Time, dst *time.Time) {
	t, err := days.mmddhhmmss(fp.bytes(i), required, anchor)
	if err != nil {
		fp.fieldErr(fp.layout[i], err)
	}
	*dst = t
}

// date sets *dst to the MMDD date of field i when it is in c.
func (fp *fieldParser) date(c fieldSet, i int, anchor time.Time, dst *time.Time) {
	if !c.has(i) {
		return
	}
	t, err := mmdd(fp.bytes(i), anchor)
	if err != nil {
		fp.fieldErr(fp.layout[i], err)
	}
	*dst = t
}
