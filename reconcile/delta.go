package reconcile

import (
	"encoding/binary"
	"math/bits"
)

// maxWords is the number of 8-byte words of a line that delta compares: all
// fields of the layouts lie in the first 608 bytes.
const maxWords = 77

// delta finds the fields of a line whose bytes differ from the previous
// line's. Consecutive lines of a settlement file share most of their bytes
// (merchant, acquirer, business type, blank fields), so a parser need only
// parse the fields that changed and keep the others' values. The previous
// line is the caller's (the line reader keeps it): delta copies nothing.
type delta struct {
	valid bool
	t     *deltaTable
}

// deltaTable maps the changed bytes of a word to the fields they touch: a
// field counts the separator before it as its own (its check depends on it).
// from[w][j] holds the fields overlapping bytes j..7 of word w, to[w][j] those
// overlapping bytes 0..j, so from[w][lo]&to[w][hi] are the fields overlapping
// bytes lo..hi: fields are intervals. sepMask[w] has 0xFF at the separator
// bytes of word w (of the fields given to newDeltaTable).
type deltaTable struct {
	from, to [maxWords][8]fieldSet
	sepMask  [maxWords]uint64
	seps     [maxFields]int32 // offset of the separator before each field
}

func newDeltaTable(layout []field, seps fieldSet) *deltaTable {
	t := new(deltaTable)
	for i, f := range layout {
		t.seps[i] = int32(f.off - 1)
		first, last := max(f.off-1, 0), f.end()-1
		if seps.has(i) && first < maxWords*8 {
			t.sepMask[first/8] |= 0xFF << (first % 8 * 8)
		}
		for p := first; p <= last && p < maxWords*8; p++ {
			w, j := p/8, p%8
			for k := 0; k <= j; k++ {
				t.from[w][k] |= 1 << i
			}
			for k := j; k < 8; k++ {
				t.to[w][k] |= 1 << i
			}
		}
	}
	return t
}

func newDelta(t *deltaTable) delta { return delta{t: t} }

// word returns the fields touched by the changed bytes (x != 0) of word w,
// and adds the changed separator bytes to *bad.
func (d *delta) word(w int, x uint64, bad *uint64) fieldSet {
	*bad |= x & d.t.sepMask[w]
	lo, hi := bits.TrailingZeros64(x)>>3, (63-bits.LeadingZeros64(x))>>3
	return d.t.from[w][lo] & d.t.to[w][hi]
}

const spaces = 0x2020202020202020

// changed returns the fields of b that differ from prev, the previous line
// (nil: unknown), or all of them when there is none, the last line given was
// not valid, or the lengths differ. sepBad reports that a separator (of the
// table's) changed, and so is no longer the space it was in prev, or may have:
// the caller then checks the separators one by one.
func (d *delta) changed(b, prev []byte) (c fieldSet, sepBad bool) {
	if !d.valid || prev == nil || len(b) != len(prev) {
		d.valid = true
		return allFields, true
	}
	n := min(len(b), maxWords*8)
	b, prev = b[:n], prev[:n]
	var bad uint64
	i := 0
	for ; i+32 <= n; i += 32 {
		p, q := b[i:i+32:i+32], prev[i:i+32:i+32]
		x := binary.LittleEndian.Uint64(p) ^ binary.LittleEndian.Uint64(q)
		y := binary.LittleEndian.Uint64(p[8:]) ^ binary.LittleEndian.Uint64(q[8:])
		z := binary.LittleEndian.Uint64(p[16:]) ^ binary.LittleEndian.Uint64(q[16:])
		w := binary.LittleEndian.Uint64(p[24:]) ^ binary.LittleEndian.Uint64(q[24:])
		if x|y|z|w == 0 {
			continue
		}
		k := i / 8
		if x != 0 {
			c |= d.word(k, x, &bad)
		}
		if y != 0 {
			c |= d.word(k+1, y, &bad)
		}
		if z != 0 {
			c |= d.word(k+2, z, &bad)
		}
		if w != 0 {
			c |= d.word(k+3, w, &bad)
		}
	}
	for ; i+8 <= n; i += 8 {
		if x := binary.LittleEndian.Uint64(b[i:]) ^ binary.LittleEndian.Uint64(prev[i:]); x != 0 {
			c |= d.word(i/8, x, &bad)
		}
	}
	if r := n - i; r > 0 && n >= 8 {
		// The last r bytes, loaded as the top of the word ending at n and
		// shifted down to where word i/8 has them.
		x := binary.LittleEndian.Uint64(b[n-8:]) ^ binary.LittleEndian.Uint64(prev[n-8:])
		if x >>= 64 - 8*r; x != 0 {
			c |= d.word(i/8, x, &bad)
		}
	} else if r > 0 && string(b[i:n]) != string(prev[i:n]) {
		c |= d.t.from[i/8][0]
		sepBad = true
	}
	return c, sepBad || bad != 0
}

// invalidate makes the next line be parsed in full (after a bad line).
func (d *delta) invalidate() { d.valid = false }
