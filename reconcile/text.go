package reconcile

import (
	"encoding/binary"
	"math/bits"
	"unicode/utf8"
	"unsafe"

	"golang.org/x/text/encoding"

	"github.com/goacp/unionpay/internal/javagbk"
)

// trimLen returns len(b) without trailing spaces, eight bytes at a time.
func trimLen(b []byte) int {
	n := len(b)
	for n >= 8 {
		if w := binary.LittleEndian.Uint64(b[n-8:n]) ^ spaces; w != 0 {
			return n - bits.LeadingZeros64(w)>>3
		}
		n -= 8
	}
	for n > 0 && b[n-1] == ' ' {
		n--
	}
	return n
}

// chunkSize is the size of the blocks the text of records is kept in.
const chunkSize = 16 << 10

// textDecoder makes the strings of a line's text fields with few allocations:
// the fields are copied, without their padding, into a block shared by many
// lines, and handed out as strings pointing into it. Bytes of a block are
// never written once a string refers to them (a full block is dropped, not
// reused; short may write spaces past a string, which the next one
// overwrites): what unsafe.String requires. Filling a
// block stores no pointer (only used moves), so it costs no write barrier.
// Fields with bytes >= 0x80 are decoded from GBK (invalid bytes become U+FFFD).
type textDecoder struct {
	block   []byte // the current block; block[used:] is not written yet
	used    int
	scratch []byte // GBK output, before it is copied into the block
	gbk     *encoding.Decoder
	lf      bool // a field since the last reset held an LF
}

// str returns field bytes seg as a string, without trailing spaces.
func (t *textDecoder) str(seg []byte) string {
	n, ascii, lf := scanField(seg)
	if n == 0 {
		return ""
	}
	t.lf = t.lf || lf
	if !ascii {
		return t.decodeGBK(seg[:n])
	}
	return t.keep(seg[:n])
}

// short is str for a field of width w <= 32 at the start of b, which holds
// the 32 bytes from there, without a call or a loop: the field's four words
// (the bytes past it taken as spaces) are trimmed, checked and stored whole
// into the block. ok is false, with nothing done, for a field that is not
// ASCII (str decodes it).
func (t *textDecoder) short(b []byte, w int) (s string, ok bool) {
	const high, ones, lfs = 0x8080808080808080, 0x0101010101010101, 0x0a0a0a0a0a0a0a0a
	_ = b[31]
	m := &fieldMasks[w&31] // w is 1 to 32: 32 is 0 here, all bytes
	f0 := binary.LittleEndian.Uint64(b)&m[0] | spaces&^m[0]
	f1 := binary.LittleEndian.Uint64(b[8:])&m[1] | spaces&^m[1]
	f2 := binary.LittleEndian.Uint64(b[16:])&m[2] | spaces&^m[2]
	f3 := binary.LittleEndian.Uint64(b[24:])&m[3] | spaces&^m[3]
	if (f0|f1|f2|f3)&high != 0 {
		return "", false
	}
	n := textLen(f0, f1, f2, f3)
	if n == 0 {
		return "", true
	}
	if (lfBytes(f0)|lfBytes(f1)|lfBytes(f2)|lfBytes(f3))&high != 0 {
		t.lf = true
	}
	if len(t.block)-t.used < 32 {
		t.block, t.used = make([]byte, chunkSize), 0
	}
	dst := t.block[t.used : t.used+32 : t.used+32]
	binary.LittleEndian.PutUint64(dst, f0)
	binary.LittleEndian.PutUint64(dst[8:], f1)
	binary.LittleEndian.PutUint64(dst[16:], f2)
	binary.LittleEndian.PutUint64(dst[24:], f3)
	t.used += n
	return unsafe.String(&dst[0], n), true
}

// textLen returns the length of the 32 bytes of words w0..w3 (little-endian)
// without their trailing spaces.
func textLen(w0, w1, w2, w3 uint64) int {
	n, w := 32, w3
	switch {
	case w3 != spaces:
	case w2 != spaces:
		n, w = 24, w2
	case w1 != spaces:
		n, w = 16, w1
	case w0 != spaces:
		n, w = 8, w0
	default:
		return 0
	}
	return n - bits.LeadingZeros64(w^spaces)>>3
}

// lfBytes has a high bit set in each byte of w that may be an LF: an LF
// byte is a zero byte of w^LF, and a word without high bits (ASCII, checked
// first by the callers) cannot borrow into a false positive.
func lfBytes(w uint64) uint64 {
	const ones, lfs = 0x0101010101010101, 0x0a0a0a0a0a0a0a0a
	x := w ^ lfs
	return (x - ones) &^ x
}

// zmTrio are the three text fields that change on nearly every line of a ZM
// file, which textDecoder.trio parses together.
const zmTrio = 1<<zmTraceNo | 1<<zmQueryID | 1<<zmOrderID

// trio sets r's TraceNo (6 bytes at 28), QueryID (21 at 87) and OrderID (32
// at 112) from ZM line b, as short would one by one, but with the widths and
// offsets known, one check for ASCII and LF and one room check for the
// three: ok is false, with nothing done, when one of them is not ASCII
// (str decodes it) or b is too short.
func (t *textDecoder) trio(b []byte, r *Record) (ok bool) {
	const high, ones, lfs = 0x8080808080808080, 0x0101010101010101, 0x0a0a0a0a0a0a0a0a
	const m6, m5 = 1<<48 - 1, 1<<40 - 1
	if len(b) < 144 {
		return false
	}
	b = b[28:144:144]
	a := binary.LittleEndian.Uint64(b)&m6 | spaces&^m6 // 28..36
	q0 := binary.LittleEndian.Uint64(b[87-28:])
	q1 := binary.LittleEndian.Uint64(b[95-28:])
	q2 := binary.LittleEndian.Uint64(b[103-28:])&m5 | spaces&^m5
	o0 := binary.LittleEndian.Uint64(b[112-28:])
	o1 := binary.LittleEndian.Uint64(b[120-28:])
	o2 := binary.LittleEndian.Uint64(b[128-28:])
	o3 := binary.LittleEndian.Uint64(b[136-28:])
	if (a|q0|q1|q2|o0|o1|o2|o3)&high != 0 {
		return false
	}
	if (lfBytes(a)|lfBytes(q0)|lfBytes(q1)|lfBytes(q2)|lfBytes(o0)|lfBytes(o1)|lfBytes(o2)|lfBytes(o3))&high != 0 {
		t.lf = true
	}
	na := textLen(a, spaces, spaces, spaces)
	nq := textLen(q0, q1, q2, spaces)
	no := textLen(o0, o1, o2, o3)
	// Each field's words are stored whole after the last one's bytes (its
	// padding, which no string covers, is overwritten): at most 6+21+32
	// bytes are kept, 64 written.
	if len(t.block)-t.used < 64 {
		t.block, t.used = make([]byte, chunkSize), 0
	}
	dst := t.block[t.used : t.used+64 : t.used+64]
	binary.LittleEndian.PutUint64(dst, a)
	d := dst[na : na+24 : na+24]
	binary.LittleEndian.PutUint64(d, q0)
	binary.LittleEndian.PutUint64(d[8:], q1)
	binary.LittleEndian.PutUint64(d[16:], q2)
	e := dst[na+nq : na+nq+32 : na+nq+32]
	binary.LittleEndian.PutUint64(e, o0)
	binary.LittleEndian.PutUint64(e[8:], o1)
	binary.LittleEndian.PutUint64(e[16:], o2)
	binary.LittleEndian.PutUint64(e[24:], o3)
	t.used += na + nq + no
	r.TraceNo, r.QueryID, r.OrderID = "", "", ""
	if na > 0 {
		r.TraceNo = unsafe.String(&dst[0], na)
	}
	if nq > 0 {
		r.QueryID = unsafe.String(&d[0], nq)
	}
	if no > 0 {
		r.OrderID = unsafe.String(&e[0], no)
	}
	return true
}

// fieldMasks[w&31] has 0xFF at the first w of 32 bytes, as four words: a
// read-only table.
var fieldMasks = func() (t [32][4]uint64) {
	for w := 1; w <= 32; w++ {
		for k := range 4 {
			r := min(max(w-8*k, 0), 8)
			t[w&31][k] = ^uint64(0) >> (64 - 8*r)
		}
	}
	return t
}()

// scanField returns the length of b without its trailing spaces, and whether
// b is ASCII and whether it holds an LF, in one pass eight bytes at a time
// (the last eight overlapping the others).
func scanField(b []byte) (n int, ascii, lf bool) {
	const high, ones, lfs = 0x8080808080808080, 0x0101010101010101, 0x0a0a0a0a0a0a0a0a
	if len(b) < 8 {
		n = trimLen(b)
		ascii, lf = scanText(b)
		return n, ascii, lf
	}
	var or, z uint64
	i := 0
	for ; i+8 <= len(b); i += 8 {
		w := binary.LittleEndian.Uint64(b[i:])
		x := w ^ lfs
		or, z = or|w, z|(x-ones)&^x
		if s := w ^ spaces; s != 0 {
			n = i + 8 - bits.LeadingZeros64(s)>>3
		}
	}
	if r := len(b) - i; r > 0 {
		w := binary.LittleEndian.Uint64(b[len(b)-8:]) // its top r bytes are the rest
		x := w ^ lfs
		or, z = or|w, z|(x-ones)&^x
		if s := (w ^ spaces) &^ (1<<(64-8*r) - 1); s != 0 {
			n = len(b) - bits.LeadingZeros64(s)>>3
		}
	}
	return n, or&high == 0, z&high != 0
}

// keep copies seg (not empty) into the block and returns it as a string.
func (t *textDecoder) keep(seg []byte) string {
	if len(t.block)-t.used < len(seg) {
		t.block, t.used = make([]byte, max(chunkSize, len(seg))), 0
	}
	dst := t.block[t.used:]
	copy(dst, seg)
	t.used += len(seg)
	return unsafe.String(&dst[0], len(seg))
}

// scanText reports whether b is ASCII and whether it holds an LF, eight
// bytes at a time (the last eight overlapping the others).
func scanText(b []byte) (ascii, lf bool) {
	const high, ones, lfs = 0x8080808080808080, 0x0101010101010101, 0x0a0a0a0a0a0a0a0a
	if len(b) < 8 {
		var or byte
		for _, c := range b {
			or |= c
			lf = lf || c == '\n'
		}
		return or < 0x80, lf
	}
	w := binary.LittleEndian.Uint64(b[len(b)-8:])
	x := w ^ lfs
	or, z := w, (x-ones)&^x // z has a high bit set where x may have a zero byte
	for ; len(b) >= 8; b = b[8:] {
		w = binary.LittleEndian.Uint64(b)
		x = w ^ lfs
		or, z = or|w, z|(x-ones)&^x
	}
	return or&high == 0, z&high != 0
}

// decodeGBK decodes seg from GBK into the block, without the allocations of
// transform.String; on any trouble it leaves it to decode.
func (t *textDecoder) decodeGBK(seg []byte) string {
	if t.gbk == nil {
		t.gbk = javagbk.NewDecoder()
	}
	need := 3*len(seg) + utf8.UTFMax // a byte becomes at most U+FFFD (3 bytes)
	if cap(t.scratch) < need {
		t.scratch = make([]byte, max(need, 256))
	}
	t.gbk.Reset()
	n, nSrc, err := t.gbk.Transform(t.scratch[:cap(t.scratch)], seg, true)
	if err != nil || nSrc != len(seg) || n == 0 {
		return t.decode(string(seg))
	}
	return t.keep(t.scratch[:n])
}

func (t *textDecoder) decode(s string) string {
	if t.gbk == nil {
		t.gbk = javagbk.NewDecoder()
	}
	out, err := t.gbk.String(s)
	if err != nil { // the GBK decoder replaces bad bytes; keep the raw bytes otherwise
		return s
	}
	return out
}
