package reconcile_test

// The generator of files for reference_test.go.

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"slices"
	"sync"
	"time"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
)

// Generating files.

// refSettles are the settle dates the files are read with: ordinary days, the
// turn of the year both ways, leap days, and the middle of the year (where
// "nearest year" flips).
var refSettles = []time.Time{
	time.Date(2015, 9, 5, 0, 0, 0, 0, refBeijing),
	time.Date(2025, 12, 31, 0, 0, 0, 0, refBeijing),
	time.Date(2025, 12, 1, 0, 0, 0, 0, refBeijing),
	time.Date(2026, 1, 1, 0, 0, 0, 0, refBeijing),
	time.Date(2026, 1, 2, 0, 0, 0, 0, refBeijing),
	time.Date(2024, 2, 29, 0, 0, 0, 0, refBeijing),
	time.Date(2024, 3, 1, 0, 0, 0, 0, refBeijing),
	time.Date(2025, 3, 1, 0, 0, 0, 0, refBeijing),
	time.Date(2025, 7, 2, 0, 0, 0, 0, refBeijing),
	time.Date(2023, 12, 31, 0, 0, 0, 0, refBeijing),
	time.Date(2024, 7, 2, 0, 0, 0, 0, refBeijing), // 1 January is 183 days away both ways
	time.Date(2024, 7, 1, 0, 0, 0, 0, refBeijing), // and so is 31 December
	// Only the settle date's year, month and day count, in its own zone.
	time.Date(2025, 12, 31, 0, 0, 0, 0, time.UTC),
	time.Date(2025, 12, 31, 23, 30, 0, 0, time.FixedZone("UTC-5", -5*3600)),
	time.Date(2026, 1, 1, 7, 0, 0, 0, refBeijing),
}

// refGen makes field values and whole lines for one layout.
type refGen struct {
	r      *rand.Rand
	settle time.Time
	fields []refField // the layout, reserved last
	txn    time.Time  // the transaction time of the line being made
}

// refChinese returns GBK double-byte characters, among them ones whose trail
// byte is ASCII (0x40-0x7E), which a byte-wise parser might take for text.
// They are made on first use (they need the JDK's table, read from a file).
var refChinese = sync.OnceValue(func() [][]byte {
	var out [][]byte
	enc := simplifiedchinese.GBK.NewEncoder()
	for _, r := range "测试商户便利店云闪付中文备注银联·丂亐乗" {
		b, err := enc.Bytes([]byte(string(r)))
		if err != nil || len(b) != 2 {
			panic(fmt.Sprintf("%q has no double-byte GBK form", r))
		}
		out = append(out, b)
	}
	for _, p := range [][2]byte{{0x81, 0x40}, {0x81, 0x7E}, {0x81, 0x80}, {0xFE, 0x4F}, {0xB0, 0xA1}, {0xA1, 0xA1}, {0xAA, 0xA1}, {0xA2, 0xE3}, {0xFE, 0x50}} {
		if refGBKPair(p[0], p[1]) != utf8.RuneError {
			out = append(out, p[:])
		}
	}
	return out
})

const refASCII = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_*.:/@#"

// pick returns one of the bytes of s.
func (g *refGen) pick(s string) byte { return s[g.r.IntN(len(s))] }

// digits returns n digits, most often with leading zeros.
func (g *refGen) digits(n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = '0' + byte(g.r.IntN(10))
	}
	for i := 0; i < n-1 && g.r.IntN(4) != 0; i++ {
		b[i] = '0'
	}
	return b
}

// refPad returns b padded with spaces to width bytes.
func refPad(b []byte, width int) []byte {
	out := bytes.Repeat([]byte{' '}, width)
	copy(out, b)
	return out
}

// refChineseFields are the fields that hold Chinese in real files (the
// orderIds, the bill number, the sub-merchant's name, the merchant's reserved
// field, the reserved fields).
var refChineseFields = map[int]bool{12: true, 25: true, 31: true, 35: true, 41: true, 46: true}

// text returns a valid GBK text value of exactly width bytes for field num.
func (g *refGen) text(num, width int) []byte {
	var b []byte
	n := g.r.IntN(width + 1)
	switch g.r.IntN(8) {
	case 0:
		return refPad(nil, width)
	case 1:
		n = width
	case 2:
		b = bytes.Repeat([]byte{' '}, g.r.IntN(3)) // leading spaces stay
	}
	zme := len(g.fields) == len(refZME)
	chinese := width >= 2 && (g.r.IntN(30) == 0 || g.r.IntN(2) == 0 && (refChineseFields[num] && !zme || zme && num == 22))
	for len(b) < n {
		switch {
		case chinese && g.r.IntN(2) == 0 && len(b)+2 <= width:
			chars := refChinese()
			b = append(b, chars[g.r.IntN(len(chars))]...)
		case g.r.IntN(15) == 0 && len(b) > 0:
			b = append(b, ' ') // a space inside the text
		case chinese && g.r.IntN(30) == 0:
			b = append(b, 0x80) // €
		default:
			b = append(b, g.pick(refASCII))
		}
	}
	return refPad(b[:min(len(b), width)], width)
}

// value returns a valid value of f, exactly f.width bytes.
func (g *refGen) value(f refField) []byte {
	switch f.kind {
	case refText:
		return g.text(f.num, f.width)
	case refAmount:
		if g.r.IntN(20) == 0 {
			return refPad(nil, f.width)
		}
		return g.digits(f.width)
	case refSigned12, refSigned11:
		switch g.r.IntN(10) {
		case 0:
			return refPad(nil, f.width)
		case 1, 2:
			return append([]byte{' '}, bytes.Repeat([]byte{'0'}, f.width-1)...)
		case 3:
			return append([]byte{"CD"[g.r.IntN(2)]}, bytes.Repeat([]byte{'0'}, f.width-1)...)
		}
		return append([]byte{"CD"[g.r.IntN(2)]}, g.digits(f.width-1)...)
	case refTime:
		if g.r.IntN(30) == 0 {
			g.txn = time.Time{}
			return refPad(nil, f.width)
		}
		g.txn = g.aTime()
		return []byte(g.txn.Format("0102150405"))
	case refOrigTime, refOrigDate:
		if g.r.IntN(3) == 0 {
			return refPad(nil, f.width)
		}
		base := g.txn
		if base.IsZero() {
			base = g.settle
		}
		var t time.Time
		switch g.r.IntN(6) {
		case 0: // just after the transaction: the year before
			t = base.Add(time.Duration(g.r.IntN(3600)) * time.Second)
		case 1: // exactly the transaction time
			t = base
		default:
			t = base.Add(-time.Duration(g.r.IntN(400*86400)) * time.Second)
		}
		if f.kind == refOrigDate {
			return []byte(t.Format("0102"))
		}
		return []byte(t.Format("0102150405"))
	}
	panic("unknown kind")
}

// aTime returns a plausible transaction time: around the settle date, often
// at the turn of a year or on a leap day, sometimes half a year away.
func (g *refGen) aTime() time.Time {
	s := g.settle
	switch g.r.IntN(8) {
	case 0: // the turn of the year nearest the settle date
		y := s.Year()
		if s.Month() >= 7 {
			y++
		}
		return time.Date(y, 1, 1, 0, 0, 0, 0, refBeijing).Add(time.Duration(g.r.IntN(4*86400)-2*86400) * time.Second)
	case 1: // about half a year away
		away := time.Duration(182+g.r.IntN(2)) * 24 * time.Hour
		if g.r.IntN(2) == 0 {
			away = -away
		}
		return s.Add(away + time.Duration(g.r.IntN(8*86400)-4*86400)*time.Second)
	case 2: // a leap day
		return time.Date(2024, 2, 29, g.r.IntN(24), g.r.IntN(60), g.r.IntN(60), 0, refBeijing)
	}
	return s.Add(time.Duration(g.r.IntN(6*86400)-4*86400) * time.Second)
}

// line makes a good line of length bytes: fields 1-41 (1-21 for ZME), then
// fields 42-45 if newFields (some of them blank), sometimes reserved text.
func (g *refGen) line(length int, newFields bool) []byte {
	l := bytes.Repeat([]byte{' '}, length)
	last := len(g.fields) - 1
	for _, f := range g.fields[:last] {
		if f.num > 41 && !newFields {
			break
		}
		v := g.value(f)
		if f.num > 41 && f.num <= 45 && g.r.IntN(3) == 0 {
			v = refPad(nil, f.width)
		}
		copy(l[f.start:], v)
	}
	if res := g.fields[last]; g.r.IntN(4) == 0 && len(l) > res.start {
		copy(l[res.start:], g.text(res.num, len(l)-res.start))
	}
	return l
}

// invalid returns a bad value of f, f.width bytes: for text, bytes that
// are not GBK (which read as U+FFFD).
func (g *refGen) invalid(f refField) []byte {
	v := g.value(f)
	switch f.kind {
	case refText:
		switch g.r.IntN(5) {
		case 0: // a character cut by the field's end
			v[f.width-1] = 0xB0
		case 1:
			v[g.r.IntN(f.width)] = 0xFF
		case 2:
			i := g.r.IntN(f.width)
			v[i] = 0xB0
			if i+1 < f.width {
				v[i+1] = 0x7F
			}
		case 3: // a lead byte before a space
			i := g.r.IntN(f.width)
			v[i] = 0xC1
			if i+1 < f.width {
				v[i+1] = ' '
			}
		default:
			v[g.r.IntN(f.width)] = byte(0x81 + g.r.IntN(0x7E))
		}
	case refAmount:
		v[g.r.IntN(f.width)] = g.pick("ab-+. :\x00\xb0")
	case refSigned12, refSigned11:
		switch g.r.IntN(4) {
		case 0:
			v[0] = g.pick("cdX+-0 1\xb0")
		case 1: // a space sign on a non-zero amount
			v[0] = ' '
			v[1+g.r.IntN(f.width-1)] = '1' + byte(g.r.IntN(9))
		case 2: // a sign and no digits
			v = refPad([]byte{"CD"[g.r.IntN(2)]}, f.width)
		default:
			v[1+g.r.IntN(f.width-1)] = g.pick("ab-+. \xb0")
		}
	case refTime, refOrigTime, refOrigDate:
		bad := []string{"00", "13", "99", "0230", "0231", "0431", "0229", "0100", "0132", "1232"}
		if f.kind != refOrigDate {
			bad = append(bad, "0101240000", "0101006000", "0101000060", "0101235960", "0101 00000", " 101000000", "01a1000000")
		}
		copy(v, bad[g.r.IntN(len(bad))])
	}
	return v
}

// refPalette holds the bytes random mutations write: digits, signs, spaces,
// line-end bytes (an LF splits a line where the reader may not expect it),
// GBK lead and trail bytes, and others.
const refPalette = "0123456789CD cdX+-.\r\n\t\x00\x7f\x80\x81\xb0\xc1\xfe\xff@~*A"

// refFile makes a file of n lines (and its settle date) that exercises the
// reader's line-to-line shortcuts: most lines differ from the one before in
// a field or a few, or a byte, and some are broken.
func refFile(r *rand.Rand, layout []refField, zm bool, n int) ([]byte, time.Time) {
	g := &refGen{r: r, settle: refSettles[r.IntN(len(refSettles))], fields: layout}
	valid := func(l []byte) bool {
		if zm {
			_, err := refParseZM(g.settle)(l, 1)
			return err == nil
		}
		_, err := refParseZME(g.settle)(l, 1)
		return err == nil
	}
	fresh := func() []byte {
		if !zm {
			return g.line(refZMEMax, false)
		}
		switch r.IntN(4) {
		case 0:
			return g.line(refZMNew, true)
		case 1:
			return g.line(refZMOld, true)
		}
		return g.line(refZMOld, false)
	}
	eol := []string{"\n", "\r\n"}[min(r.IntN(4), 1)] // mostly CR LF, as UnionPay's
	mixed := r.IntN(5) == 0
	out := make([]byte, 0, n*(layout[len(layout)-1].end()+2))
	var hist [][]byte
	var histOK []bool
	cur, curOK := fresh(), true
	for i := range n {
		next := slices.Clone(cur)
		// Whether next is a good line: as good as cur after the changes
		// that keep lines good, else asked of the reference.
		nextOK := curOK
		check := true
		setField := func(f refField, v []byte) {
			if f.start < len(next) {
				copy(next[f.start:min(len(next), f.end())], v)
			}
		}
		randField := func() refField { return layout[r.IntN(len(layout)-1)] }
		switch op := r.IntN(100); {
		case op < 12 || i == 0: // the same line again
			check = false
		case op < 40: // one field changes
			check = false
			f := randField()
			setField(f, g.value(f))
		case op < 48: // a few fields
			check = false
			for range 2 + r.IntN(3) {
				f := randField()
				setField(f, g.value(f))
			}
		case op < 52: // every field
			next, nextOK, check = fresh(), true, false
		case op < 58: // back to a line seen before
			if len(hist) > 0 {
				k := max(0, len(hist)-1-r.IntN(6))
				next, nextOK, check = slices.Clone(hist[k]), histOK[k], false
			}
		case op < 66: // the first or last byte of a field only
			f := randField()
			at := f.start
			if r.IntN(2) == 0 {
				at = f.end() - 1
			}
			if at < len(next) {
				switch {
				case next[at] >= '0' && next[at] <= '9':
					next[at] = '0' + byte(r.IntN(10))
				case f.kind == refText:
					next[at] = g.pick(refASCII + " ")
				default:
					next[at] = g.pick(refPalette)
				}
			}
		case op < 70: // a byte next to a Chinese character
			if j := bytes.IndexFunc(next, func(r rune) bool { return r >= 0x80 }); j > 0 {
				k := j - 1
				if r.IntN(2) == 0 {
					k = j + 2
				}
				if k < len(next) {
					next[k] = g.pick(refPalette)
				}
			}
		case op < 74: // a padding space of a text field
			f := randField()
			if f.kind == refText && f.end() <= len(next) {
				if j := bytes.LastIndexFunc(next[f.start:f.end()], func(r rune) bool { return r != ' ' }); j+1 < f.width {
					next[f.start+j+1+r.IntN(f.width-j-1)] = g.pick(refASCII)
				}
			}
		case op < 77: // a separator
			f := randField()
			if f.end() < len(next) {
				next[f.end()] = g.pick(refPalette)
			}
		case op < 83: // a bad value
			f := randField()
			setField(f, g.invalid(f))
		case op < 86: // random bytes
			for range 1 + r.IntN(3) {
				next[r.IntN(len(next))] = g.pick(refPalette)
			}
		case op < 88 && zm && len(next) >= refZMNewEnd: // fields 42-45 blanked, or filled
			if refBlank(next[refZMOldRes:refZMNewEnd]) {
				for _, f := range refZM[41:45] {
					copy(next[f.start:], g.value(f))
				}
			} else {
				copy(next[refZMOldRes:], bytes.Repeat([]byte{' '}, refZMNewEnd-refZMOldRes))
			}
		case op < 96: // another length: cut, or padded, or the other layout
			lengths := []int{refZMMin - 1, refZMMin, refZMMin + 1, refZMOldRes + 1, 515, 522, 523, 530, 539, 540, 541,
				560, refZMOld - 1, refZMOld, refZMNew, refZMNew + 1, refZMNew + 2, 2 * (refZMOld + 2)}
			if !zm {
				lengths = []int{refZMEMin - 1, refZMEMin, refZMEMin + 1, 204, 205, 250, refZMEMax - 1, refZMEMax,
					refZMEMax + 1, 2 * (refZMEMax + 2)}
			}
			ln := lengths[r.IntN(len(lengths))]
			switch k := r.IntN(10); {
			case k == 0:
				ln = r.IntN(700)
			case k < 7 && !zm:
				ln = refZMEMin + 1 + r.IntN(refZMEMax-refZMEMin)
			case k < 7 && len(next) > refZMOldRes && !refBlank(next[refZMOldRes:min(len(next), refZMNewEnd)]):
				ln = refZMNewEnd + r.IntN(refZMNew-refZMNewEnd+1)
			case k < 7:
				ln = refZMMin + r.IntN(refZMNew-refZMMin+1)
			}
			if ln <= len(next) {
				next = next[:ln]
			} else {
				next = append(next, bytes.Repeat([]byte{' '}, ln-len(next))...)
			}
		case op < 98: // a blank line first
			out = append(out, eol...)
		default: // lines run together (a lost LF), some past any buffer
			k := 2 + r.IntN(10)
			if r.IntN(10) == 0 {
				k = 200
			}
			next = bytes.Repeat(next, k)
		}
		out = append(out, next...)
		e := eol
		if mixed {
			e = []string{"\r\n", "\n", "\r\n", "\n", "\r\r\n"}[r.IntN(5)]
		}
		if i < n-1 || r.IntN(3) != 0 {
			out = append(out, e...)
		}
		if check {
			nextOK = valid(next)
		}
		hist, histOK = append(hist, next), append(histOK, nextOK)
		// Go on from the new line, or from the one before (so that fields
		// change back); mostly from the last good line after a broken one.
		if nextOK && r.IntN(5) != 0 || !nextOK && len(next) <= refZMNew && r.IntN(4) == 0 {
			cur, curOK = next, nextOK
		}
		if len(cur) == 0 || len(cur) > 2*refZMNew {
			cur, curOK = fresh(), true
		}
	}
	return out, g.settle
}
