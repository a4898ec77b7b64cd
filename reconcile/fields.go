package reconcile

import (
	"encoding/binary"
	"errors"
	"fmt"
	"time"

	"golang.org/x/text/encoding"

	"github.com/goacp/unionpay/internal/ascii"
	"github.com/goacp/unionpay/internal/tz"
)

// Beijing returns the location of every time in a settlement file: Asia/Shanghai,
// or a fixed UTC+8 zone when the system has no time zone database.
func Beijing() *time.Location { return tz.Beijing() }

var (
	errSign     = errors.New("sign byte is not C, D or space")
	errUnsigned = errors.New("non-zero amount without a C/D sign")
	errDigits   = errors.New("not all digits")
	errBlank    = errors.New("required field is blank")
	errTime     = errors.New("not a valid MMDDhhmmss time")
	errDate     = errors.New("not a valid MMDD date")
	errSep      = errors.New("separator before the field is not a space")
)

// field is the position of one fixed-width field in a record line.
type field struct {
	name  string // wire name, used in errors
	off   int    // 0-based byte offset
	width int
}

func (f field) end() int { return f.off + f.width }

// isBlank reports whether b is all spaces, eight bytes at a time (the last
// eight overlapping the others).
func isBlank(b []byte) bool {
	if len(b) < 8 {
		for _, c := range b {
			if c != ' ' {
				return false
			}
		}
		return true
	}
	if binary.LittleEndian.Uint64(b[len(b)-8:]) != spaces {
		return false
	}
	for ; len(b) >= 8; b = b[8:] {
		if binary.LittleEndian.Uint64(b) != spaces {
			return false
		}
	}
	return true
}

// digits parses an unsigned decimal of at most 18 digits.
func digits(b []byte) (int64, bool) {
	if len(b) == 0 || len(b) > 18 {
		return 0, false
	}
	var v int64
	for len(b) >= 8 {
		x, ok := eightDigits(b)
		if !ok {
			return 0, false
		}
		v, b = v*1e8+x, b[8:]
	}
	if len(b) >= 4 {
		x, ok := fourDigits(b)
		if !ok {
			return 0, false
		}
		v, b = v*1e4+x, b[4:]
	}
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		v = v*10 + int64(c-'0')
	}
	return v, true
}

// eightDigits converts eight ASCII digits at once (SWAR; the method of
// simdjson's parse_eight_digits_unrolled), refusing any other byte.
func eightDigits(b []byte) (int64, bool) {
	const ones, hi, six = 0x3030303030303030, 0xF0F0F0F0F0F0F0F0, 0x0606060606060606
	x := binary.LittleEndian.Uint64(b)
	if x&hi != ones || (x+six)&hi != ones {
		return 0, false
	}
	x -= ones
	x = x*10 + x>>8
	x = ((x&0x000000FF000000FF)*(100+1000000<<32) + (x>>16&0x000000FF000000FF)*(1+10000<<32)) >> 32
	return int64(x), true
}

// fourDigits converts four ASCII digits at once, as eightDigits does.
func fourDigits(b []byte) (int64, bool) {
	const ones, hi, six = 0x30303030, 0xF0F0F0F0, 0x06060606
	x := binary.LittleEndian.Uint32(b)
	if x&hi != ones || (x+six)&hi != ones {
		return 0, false
	}
	x -= ones
	x = x*10 + x>>8 // bytes 0 and 2 hold the two 2-digit halves
	return int64(x&0xFF)*100 + int64(x>>16&0xFF), true
}

// digits12 is digits for exactly twelve bytes, the width of every amount.
func digits12(b []byte) (int64, bool) {
	_ = b[11]
	hi, ok1 := eightDigits(b)
	lo, ok2 := fourDigits(b[8:])
	return hi*1e4 + lo, ok1 && ok2
}

// plainAmount parses an n12 amount in fen. Blank is an error when required.
func plainAmount(b []byte, required bool) (int64, error) {
	if len(b) == 12 {
		if v, ok := digits12(b); ok {
			return v, nil
		}
	} else if v, ok := digits(b); ok {
		return v, nil
	}
	if isBlank(b) {
		if required {
			return 0, errBlank
		}
		return 0, nil
	}
	return 0, errDigits
}

// signedAmount parses X+n12 / X+n11: 'C' is positive (credit to the merchant),
// 'D' negative, a space only with a zero amount. An all-blank field is zero.
func signedAmount(b []byte) (int64, error) {
	var v int64
	var ok bool
	if len(b) == 13 {
		v, ok = digits12(b[1:])
	} else {
		v, ok = digits(b[1:])
	}
	if !ok {
		if isBlank(b) {
			return 0, nil
		}
		return 0, errDigits
	}
	switch b[0] {
	case 'C':
		return v, nil
	case 'D':
		return -v, nil
	case ' ':
		if v != 0 {
			return 0, errUnsigned
		}
		return 0, nil
	}
	return 0, errSign
}

// two returns the value of two ASCII digits, or -1.
func two(b []byte) int {
	if b[0] < '0' || b[0] > '9' || b[1] < '0' || b[1] > '9' {
		return -1
	}
	return int(b[0]-'0')*10 + int(b[1]-'0')
}

// dayCache turns MMDD into a calendar day, taking the year from an anchor date.
// It remembers the last answer: the times in one file fall on one or two days.
type dayCache struct {
	settle  civil // anchor for nearest-year inference
	lastKey int
	lastDay time.Time
	// The last MMDDhhmm with a nearest-year date, as its eight bytes (when
	// minOK), and its time as Unix seconds in loc: times in a file come in
	// order, many a minute.
	minOK   bool
	minKey  uint64
	minUnix int64
	loc     *time.Location
}

func newDayCache(settle time.Time) dayCache {
	return dayCache{settle: civilOf(settle), lastKey: -1, loc: tz.Beijing()}
}

// sameMinute returns the time of the 10-byte MMDDhhmmss b if it falls in the
// minute of the last one (ok false otherwise, or if the seconds are not
// valid: mmddhhmmss then decides). time.Unix(...).In gives the very Time
// (same representation) that day.Add gives, a zone that is not UTC having
// no monotonic reading.
func (c *dayCache) sameMinute(b []byte) (t time.Time, ok bool) {
	if len(b) != 10 || !c.minOK || binary.LittleEndian.Uint64(b) != c.minKey {
		return time.Time{}, false
	}
	s0, s1 := b[8]-'0', b[9]-'0'
	if s0 > 5 || s1 > 9 {
		return time.Time{}, false
	}
	return time.Unix(c.minUnix+int64(s0)*10+int64(s1), 0).In(c.loc), true
}

type civil struct{ y, m, d int }

func civilOf(t time.Time) civil {
	y, m, d := t.Date()
	return civil{y, int(m), d}
}

// daysFromCivil is Howard Hinnant's algorithm: days since 1970-01-01.
func daysFromCivil(c civil) int {
	y := c.y
	if c.m <= 2 {
		y--
	}
	era := y / 400
	if y < 0 && y%400 != 0 {
		era--
	}
	yoe := y - era*400
	mp := (c.m + 9) % 12
	doy := (153*mp+2)/5 + c.d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}

func validDay(y, m, d int) bool {
	if m < 1 || m > 12 || d < 1 {
		return false
	}
	return d <= time.Date(y, time.Month(m)+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// nearestYear returns the year that puts month/day closest to anchor, among the
// anchor's year and its neighbours: a December file may carry January times.
func nearestYear(anchor civil, m, d int) (int, bool) {
	best, bestDist := 0, -1
	a := daysFromCivil(anchor)
	for y := anchor.y - 1; y <= anchor.y+1; y++ {
		if !validDay(y, m, d) {
			continue
		}
		dist := daysFromCivil(civil{y, m, d}) - a
		if dist < 0 {
			dist = -dist
		}
		if bestDist < 0 || dist < bestDist {
			best, bestDist = y, dist
		}
	}
	return best, bestDist >= 0
}

// latestYear returns the latest year in which month/day is not after anchor
// plus one day: for ZME's MMDD settle date of an original transaction, which
// precedes the error transaction (the anchor) but may have settled the day
// after it was made, UnionPay's day ending at 23:00. It looks as far back as
// latestBefore: a 29 February lies up to eight years back (across 2100).
func latestYear(anchor civil, m, d int) (int, bool) {
	limit := daysFromCivil(anchor) + 1
	for y := anchor.y + 1; y >= anchor.y-8; y-- {
		if validDay(y, m, d) && daysFromCivil(civil{y, m, d}) <= limit {
			return y, true
		}
	}
	return 0, false
}

// day returns Beijing midnight of MMDD with the nearest year to the settle date.
func (c *dayCache) day(m, d int) (time.Time, bool) {
	key := m*100 + d
	if key == c.lastKey {
		return c.lastDay, true
	}
	y, ok := nearestYear(c.settle, m, d)
	if !ok {
		return time.Time{}, false
	}
	c.lastKey, c.lastDay = key, time.Date(y, time.Month(m), d, 0, 0, 0, 0, tz.Beijing())
	return c.lastDay, true
}

// latestBefore returns Beijing midnight of month/day in the latest year in
// which that day at secs seconds past midnight is not after anchor: an
// original transaction precedes the one that refers to it. A 29 February may
// lie up to eight years back (across 2100).
func latestBefore(anchor time.Time, m, d, secs int) (time.Time, bool) {
	loc := tz.Beijing()
	a := anchor.In(loc)
	ay := a.Year()
	for y := ay; y >= ay-8; y-- {
		if !validDay(y, m, d) {
			continue
		}
		day := time.Date(y, time.Month(m), d, 0, 0, 0, 0, loc)
		if !day.Add(time.Duration(secs) * time.Second).After(a) {
			return day, true
		}
	}
	return time.Time{}, false
}

// mmddhhmmss parses a 10-byte time; blank gives the zero time unless required.
// With anchor nil the year is the nearest to the settle date; otherwise it is
// the latest in which the time is not after *anchor (original transactions).
func (c *dayCache) mmddhhmmss(b []byte, required bool, anchor *time.Time) (time.Time, error) {
	nearest := anchor == nil || anchor.IsZero()
	if nearest {
		if t, ok := c.sameMinute(b); ok {
			return t, nil
		}
	}
	if isBlank(b) {
		if required {
			return time.Time{}, errBlank
		}
		return time.Time{}, nil
	}
	m, d, hh, mm, ss := two(b[0:2]), two(b[2:4]), two(b[4:6]), two(b[6:8]), two(b[8:10])
	if m < 1 || d < 1 || hh < 0 || hh > 23 || mm < 0 || mm > 59 || ss < 0 || ss > 59 {
		return time.Time{}, errTime
	}
	var day time.Time
	secs := hh*3600 + mm*60 + ss
	if nearest {
		var ok bool
		if day, ok = c.day(m, d); !ok {
			return time.Time{}, errTime
		}
		if len(b) == 10 {
			c.minOK, c.minKey = true, binary.LittleEndian.Uint64(b)
			c.minUnix = day.Unix() + int64(hh*3600+mm*60)
		}
	} else {
		var ok bool
		if day, ok = latestBefore(*anchor, m, d, secs); !ok {
			return time.Time{}, errTime
		}
	}
	return day.Add(time.Duration(secs) * time.Second), nil
}

// mmdd parses a 4-byte date, the latest not after anchor (blank: zero time).
func mmdd(b []byte, anchor time.Time) (time.Time, error) {
	if isBlank(b) {
		return time.Time{}, nil
	}
	m, d := two(b[0:2]), two(b[2:4])
	if m < 1 || d < 1 {
		return time.Time{}, errDate
	}
	y, ok := latestYear(civilOf(anchor), m, d)
	if !ok {
		return time.Time{}, errDate
	}
	return time.Date(y, time.Month(m), d, 0, 0, 0, 0, tz.Beijing()), nil
}

// encodeGBK converts s to GBK for writing a field of the given width.
func encodeGBK(enc *encoding.Encoder, f field, s string) (string, error) {
	if ascii.Is(s) {
		return s, nil
	}
	out, err := enc.String(s)
	if err != nil {
		return "", fmt.Errorf("reconcile: field %s: not representable in GBK: %w", f.name, err)
	}
	return out, nil
}
