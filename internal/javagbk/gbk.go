package javagbk

import (
	"sort"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/transform"
)

// NewEncoder returns an encoder from UTF-8 to GBK. A character outside GBK is
// an error (a repertoire error: encoding.HTMLEscapeUnsupported and
// ReplaceUnsupported handle it), as is invalid UTF-8.
func NewEncoder() *encoding.Encoder {
	return &encoding.Encoder{Transformer: &encoder{x: simplifiedchinese.GBK.NewEncoder()}}
}

// NewDecoder returns a decoder from GBK to UTF-8. Bytes that are not GBK
// become U+FFFD, as Java's GBK decoder makes them: one for a byte that cannot
// start a character (0x80, 0xFF), one for a lead byte followed by 0xFF (both
// bytes), and one for a lead byte followed by an ASCII byte or by nothing
// (the ASCII byte is then read again).
func NewDecoder() *encoding.Decoder {
	return &encoding.Decoder{Transformer: &decoder{x: simplifiedchinese.GBK.NewDecoder()}}
}

// ascii copies the ASCII bytes that start src to dst, as many as dst holds, and returns how
// many: ASCII is itself in GBK.
func ascii(dst, src []byte) int {
	n := 0
	for n < len(src) && n < len(dst) && src[n] < utf8.RuneSelf {
		dst[n] = src[n]
		n++
	}
	return n
}

// unsupported reports a character outside GBK; Replacement makes it a
// repertoire error for x/text's error handlers.
type unsupported struct{}

func (unsupported) Error() string     { return "javagbk: character not in GBK" }
func (unsupported) Replacement() byte { return 0x1a }

// userDefined returns the bytes of r if it is a Private Use Area character
// of GBK's user-defined areas: U+E000-E233 at AAA1-AFFE, U+E234-E4C5 at
// F8A1-FEFE (94 a row), U+E4C6-E765 at A140-A7A0 (96 a row, trails 40-7E and
// 80-A0).
func userDefined(r rune) (uint16, bool) {
	switch {
	case r >= 0xE000 && r <= 0xE233:
		i := uint16(r - 0xE000)
		return (0xAA+i/94)<<8 | (0xA1 + i%94), true
	case r >= 0xE234 && r <= 0xE4C5:
		i := uint16(r - 0xE234)
		return (0xF8+i/94)<<8 | (0xA1 + i%94), true
	case r >= 0xE4C6 && r <= 0xE765:
		i := uint16(r - 0xE4C6)
		trail := 0x40 + i%96
		if trail >= 0x7F {
			trail++
		}
		return (0xA1+i/96)<<8 | trail, true
	}
	return 0, false
}

// userDefinedRune is the inverse of userDefined.
func userDefinedRune(lead, trail byte) (rune, bool) {
	switch {
	case lead >= 0xAA && lead <= 0xAF && trail >= 0xA1 && trail <= 0xFE:
		return 0xE000 + rune(lead-0xAA)*94 + rune(trail-0xA1), true
	case lead >= 0xF8 && lead <= 0xFE && trail >= 0xA1 && trail <= 0xFE:
		return 0xE234 + rune(lead-0xF8)*94 + rune(trail-0xA1), true
	case lead >= 0xA1 && lead <= 0xA7 && trail >= 0x40 && trail <= 0xA0 && trail != 0x7F:
		i := rune(trail - 0x40)
		if trail > 0x7F {
			i--
		}
		return 0xE4C6 + rune(lead-0xA1)*96 + i, true
	}
	return 0, false
}

// javaOnlyBytes returns the bytes the JDK gives r among javaOnlyByRune.
func javaOnlyBytes(r rune) (uint16, bool) {
	i := sort.Search(len(javaOnlyByRune), func(i int) bool { return javaOnlyByRune[i].r >= r })
	if i < len(javaOnlyByRune) && javaOnlyByRune[i].r == r {
		return javaOnlyByRune[i].b, true
	}
	return 0, false
}

// javaOnlyRune returns the character the JDK gives b among javaOnlyByBytes.
func javaOnlyRune(b uint16) (rune, bool) {
	i := sort.Search(len(javaOnlyByBytes), func(i int) bool { return javaOnlyByBytes[i].b >= b })
	if i < len(javaOnlyByBytes) && javaOnlyByBytes[i].b == b {
		return javaOnlyByBytes[i].r, true
	}
	return 0, false
}

type encoder struct {
	x   *encoding.Encoder // x/text's GBK, for the characters both have
	out [4]byte           // x's output, kept here so that it does not escape
}

func (e *encoder) Reset() {}

// bytes returns r's GBK bytes, or false if r is not in the JDK's GBK.
func (e *encoder) bytes(r rune, src []byte) (uint16, bool) {
	hanzi := r >= 0x4E00 && r <= 0x9FFF // the CJK Unified Ideographs are x/text's as they are
	if !hanzi {
		if b, ok := userDefined(r); ok {
			return b, true
		}
		if b, ok := javaOnlyBytes(r); ok {
			return b, true
		}
	}
	n, _, err := e.x.Transformer.Transform(e.out[:], src, true)
	e.x.Reset()
	if err != nil || n != 2 {
		return 0, false
	}
	b := uint16(e.out[0])<<8 | uint16(e.out[1])
	if _, taken := javaOnlyRune(b); taken && !hanzi { // the JDK gives these bytes another character
		return 0, false
	}
	return b, true
}

func (e *encoder) Transform(dst, src []byte, atEOF bool) (nDst, nSrc int, err error) {
	for nSrc < len(src) {
		c := src[nSrc]
		if c < utf8.RuneSelf {
			n := ascii(dst[nDst:], src[nSrc:])
			if n == 0 {
				return nDst, nSrc, transform.ErrShortDst
			}
			nDst, nSrc = nDst+n, nSrc+n
			continue
		}
		r, size := utf8.DecodeRune(src[nSrc:])
		if r == utf8.RuneError && size == 1 {
			if !atEOF && !utf8.FullRune(src[nSrc:]) {
				return nDst, nSrc, transform.ErrShortSrc
			}
			return nDst, nSrc, unsupported{} // invalid UTF-8
		}
		b, ok := e.bytes(r, src[nSrc:nSrc+size])
		if !ok {
			return nDst, nSrc, unsupported{}
		}
		if len(dst)-nDst < 2 {
			return nDst, nSrc, transform.ErrShortDst
		}
		dst[nDst], dst[nDst+1] = byte(b>>8), byte(b)
		nDst += 2
		nSrc += size
	}
	return nDst, nSrc, nil
}

type decoder struct {
	x    *encoding.Decoder // x/text's GBK, for the characters both have
	pair [2]byte           // the bytes handed to x and its output, kept here so that
	out  [utf8.UTFMax]byte // they do not escape
}

func (d *decoder) Reset() {}

// char returns the character of GBK bytes lead and trail, or false.
func (d *decoder) char(lead, trail byte) (rune, bool) {
	// The rows of hanzi (B0-F7) are x/text's as they are, but for the empty end of row D7.
	if lead < 0xB0 || lead > 0xF7 || lead == 0xD7 {
		if r, ok := userDefinedRune(lead, trail); ok {
			return r, true
		}
		if r, ok := javaOnlyRune(uint16(lead)<<8 | uint16(trail)); ok {
			return r, true
		}
	}
	d.pair = [2]byte{lead, trail}
	n, _, err := d.x.Transformer.Transform(d.out[:], d.pair[:], true)
	d.x.Reset()
	if r, size := utf8.DecodeRune(d.out[:n]); err == nil && r != utf8.RuneError && size == n {
		return r, true
	}
	return 0, false
}

func (d *decoder) Transform(dst, src []byte, atEOF bool) (nDst, nSrc int, err error) {
	for nSrc < len(src) {
		c := src[nSrc]
		if c < utf8.RuneSelf {
			n := ascii(dst[nDst:], src[nSrc:])
			if n == 0 {
				return nDst, nSrc, transform.ErrShortDst
			}
			nDst, nSrc = nDst+n, nSrc+n
			continue
		}
		if c >= 0x81 && c <= 0xFE && nSrc+1 == len(src) && !atEOF {
			return nDst, nSrc, transform.ErrShortSrc
		}
		var trail byte
		if nSrc+1 < len(src) {
			trail = src[nSrc+1]
		}
		r, used := d.nonASCII(c, trail, nSrc+1 < len(src))
		if len(dst)-nDst < utf8.RuneLen(r) {
			return nDst, nSrc, transform.ErrShortDst
		}
		nDst += utf8.EncodeRune(dst[nDst:], r)
		nSrc += used
	}
	return nDst, nSrc, nil
}

// nonASCII returns the character that byte c (0x80 or above) starts, followed by trail if more,
// and how many bytes it takes: U+FFFD and 1 for a byte that cannot start a character (0x80,
// 0xFF) or a lead byte followed by an ASCII byte or by nothing (the ASCII byte is then read
// again), U+FFFD and 2 for a lead byte followed by 0xFF. It is the decoding rule of both
// NewDecoder and DecodeString; no character of Java's GBK is U+FFFD.
func (d *decoder) nonASCII(c, trail byte, more bool) (rune, int) {
	if c < 0x81 || c > 0xFE || !more {
		return utf8.RuneError, 1 // 0x80, 0xFF, or a lead byte at the end
	}
	switch {
	case trail >= 0x40 && trail <= 0xFE && trail != 0x7F:
		if r, ok := d.char(c, trail); ok { // every such pair is a character in Java's GBK
			return r, 2
		}
	case trail == 0xFF: // neither a character nor a lead byte: Java replaces the pair
		return utf8.RuneError, 2
	}
	return utf8.RuneError, 1
}

// DecodeString returns GBK text s in UTF-8, as NewDecoder decodes it, or false if s holds bytes
// that are not GBK (those NewDecoder replaces with U+FFFD, a character GBK has not: the rule of
// sign.DecodeBody, which refuses a decoding that holds one). It reads s in place, copies its runs
// of ASCII as they are (ASCII is itself in GBK) and decodes only the bytes between them, into one
// buffer sized for the result: s itself when it is ASCII, without a copy. For a settlement file's
// answer (megabytes of base64, a few Chinese characters in respMsg) that is one allocation of the
// answer's size, where NewDecoder().Bytes over a copy of it makes three or more.
func DecodeString(s string) (string, bool) {
	// A valid character of two bytes (its first not ASCII) is at most three in UTF-8: one more.
	extra := 0
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			extra++
			i++ // the trail byte
		}
	}
	if extra == 0 {
		return s, true
	}
	d := decoder{x: simplifiedchinese.GBK.NewDecoder()}
	var b strings.Builder
	b.Grow(len(s) + extra)
	for i := 0; i < len(s); {
		j := i
		for j < len(s) && s[j] < utf8.RuneSelf {
			j++
		}
		b.WriteString(s[i:j])
		if j == len(s) {
			break
		}
		var trail byte
		if j+1 < len(s) {
			trail = s[j+1]
		}
		r, used := d.nonASCII(s[j], trail, j+1 < len(s))
		if r == utf8.RuneError {
			return "", false
		}
		b.WriteRune(r)
		i = j + used
	}
	return b.String(), true
}
