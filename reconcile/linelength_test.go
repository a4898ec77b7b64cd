package reconcile

import (
	"bytes"
	"cmp"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// zmLines returns n generated 607-byte ZM lines, without their CRLF.
func zmLines(t *testing.T, n int) [][]byte {
	t.Helper()
	var buf bytes.Buffer
	writeZM(&testing.B{}, &buf, n)
	return bytes.Split(bytes.TrimSuffix(buf.Bytes(), []byte("\r\n")), []byte("\r\n"))
}

// cat returns the concatenation of parts, in a new slice.
func cat(parts ...[]byte) []byte { return bytes.Join(parts, nil) }

// asV3 returns l in the 608-byte layout, with fields 42 to 45 set.
func asV3(l []byte) []byte {
	return cat(l[:zmV3Start], []byte("C000000000100 05 1 123456789012 "+strings.Repeat(" ", 67)))
}

// TestZMLineBounds: a ZM line longer than the longest layout (608 bytes) is refused as a whole,
// never parsed from its first 607 or 608 bytes, and the bytes no field covers must be spaces:
// the last of a 608-byte line in the 607-byte layout, the separator at 540 in the 608-byte one.
// Each bad line follows a good one of the same shape (so the reader guesses its end and parses
// only what changed) and comes out as it does parsed alone. Found in the fourth session's
// review: two records joined by a bare CR gave the first and silently dropped the second.
func TestZMLineBounds(t *testing.T) {
	l := zmLines(t, 3)
	with := func(b []byte, at int, c byte) []byte {
		b = bytes.Clone(b)
		b[at] = c
		return b
	}
	pad := func(b []byte) []byte { return cat(b, []byte(" ")) }
	cases := []struct {
		name   string
		shape  func([]byte) []byte // the layout of the lines around the one tested
		line   []byte              // the second of three lines
		field  string              // of the error; "" for none
		offset int
	}{
		{"two records joined by a bare CR", bytes.Clone, cat(l[1], []byte("\r"), l[2]), "line", 0},
		{"a record with junk after it", bytes.Clone, cat(l[1], []byte("XYZ garbage")), "line", 0},
		{"609 bytes of a v2 record and spaces", bytes.Clone, cat(l[1], []byte("  ")), "line", 0},
		{"609 bytes of a v3 record and a space", asV3, pad(asV3(l[1])), "line", 0},
		{"607 bytes", bytes.Clone, l[1], "", 0},
		{"v2 608 bytes, a space last", pad, pad(l[1]), "", 0},
		{"v2 608 bytes, not a space last", pad, with(pad(l[1]), zmLength, 'X'), "line", 0},
		{"v2 608 bytes, a digit last", pad, with(pad(l[1]), zmLength, '7'), "line", 0},
		{"v3 608 bytes", asV3, asV3(l[1]), "", 0},
		{"v3, separator before reserved", asV3, with(asV3(l[1]), zmV3End, 'X'), "reserved", zmV3End + 1},
		{"v3 cut after the separator", asV3, asV3(l[1])[:zmV3End+1], "", 0},
		{"v3 cut after a bad separator", asV3, with(asV3(l[1])[:zmV3End+1], zmV3End, '0'), "reserved", zmV3End + 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			file := cat(c.shape(l[0]), []byte("\r\n"), c.line, []byte("\r\n"), c.shape(l[2]), []byte("\r\n"))
			require.Equal(t, refZM(file), gotZM(file), "streaming differs from parsing each line alone")
			var lines []int
			var errs []error
			for rec, err := range ZM(bytes.NewReader(file), settle) {
				if err != nil {
					errs = append(errs, err)
					continue
				}
				lines = append(lines, rec.Line)
			}
			if le := requireMiddleLine(t, lines, errs, c.field != ""); le != nil {
				assert.Equal(t, c.field, le.Field)
				assert.Equal(t, c.offset, le.Offset)
				assert.ErrorIs(t, errs[0], ErrMalformed)
			}
		})
	}
}

// TestZMLineBoundsGuessed puts a bare LF, then a bad byte, at the two bytes no field covers (607
// of a 608-byte v2 line, 540 of a v3 line) of a line that follows one of the same length, so
// that the reader guesses where it ends: ZM must give what a plain split at LF gives.
func TestZMLineBoundsGuessed(t *testing.T) {
	l := zmLines(t, 4)
	shapes := map[string]struct {
		shape func([]byte) []byte
		at    int
	}{
		"v2-608": {func(b []byte) []byte { return cat(b, []byte(" ")) }, zmLength},
		"v3":     {asV3, zmV3End},
	}
	for name, s := range shapes {
		for _, c := range []string{"\n", "\r\n", "X", "\r"} {
			bad := s.shape(l[2])
			bad = cat(bad[:s.at], []byte(c), bad[s.at+1:])
			file := bytes.Join([][]byte{s.shape(l[0]), s.shape(l[1]), bad, s.shape(l[3]), nil}, []byte("\r\n"))
			require.Equal(t, refZM(file), gotZM(file), "%s: %q at %d", name, c, s.at)
		}
	}
}

// TestZMELineBounds: a ZME line longer than its 339 bytes is refused, naming the line; one cut
// short after field 21 is read, and the byte after it, when present, must be the space before
// the reserved field (a stray CR from a line ended "\r\r\n" was dropped without a word).
func TestZMELineBounds(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	var buf bytes.Buffer
	w := NewZMEWriter(&buf)
	for i := range 3 {
		rec := randomErrorRecord(r, i)
		require.NoError(t, w.Write(&rec))
	}
	require.NoError(t, w.Flush())
	l := bytes.Split(bytes.TrimSuffix(buf.Bytes(), []byte("\r\n")), []byte("\r\n"))
	require.Len(t, l[0], zmeLength)
	short := l[1][:zmeMinLength:zmeMinLength] // fields 1 to 21, no reserved field
	cases := []struct {
		name  string
		line  []byte
		ok    bool
		field string // of the error; "" for "line"
	}{
		{"339 bytes", l[1], true, ""},
		{"two records joined by a bare CR", cat(l[1], []byte("\r"), l[2]), false, ""},
		{"340 bytes", cat(l[1], []byte(" ")), false, ""},
		{"a record with junk after it", cat(l[1], []byte("XYZ")), false, ""},
		{"cut after field 21", short, true, ""},
		{"cut after the space before the reserved field", cat(short, []byte(" ")), true, ""},
		{"cut, with a stray CR where that space goes", cat(short, []byte("\r")), false, "reserved"},
		{"cut, with a letter where that space goes", cat(short, []byte("x")), false, "reserved"},
		{"cut, with two letters from there", cat(short, []byte("xy")), false, "reserved"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			file := bytes.Join([][]byte{l[0], c.line, l[2], nil}, []byte("\r\n"))
			var lines []int
			var errs []error
			for rec, err := range ZME(bytes.NewReader(file), settle) {
				if err != nil {
					errs = append(errs, err)
					continue
				}
				lines = append(lines, rec.Line)
			}
			if le := requireMiddleLine(t, lines, errs, !c.ok); le != nil {
				assert.Equal(t, cmp.Or(c.field, "line"), le.Field)
			}
		})
	}
}

// requireMiddleLine checks the lines read from a three-line file and the errors met: all three
// read and no error, or (bad) the first and the third read and one *LineError, for line 2,
// which it returns.
func requireMiddleLine(t *testing.T, lines []int, errs []error, bad bool) *LineError {
	t.Helper()
	if !bad {
		require.Empty(t, errs)
		assert.Equal(t, []int{1, 2, 3}, lines)
		return nil
	}
	assert.Equal(t, []int{1, 3}, lines)
	require.Len(t, errs, 1)
	var le *LineError
	require.ErrorAs(t, errs[0], &le)
	assert.Equal(t, 2, le.Line)
	return le
}
