package reconcile

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestDeltaSeparators breaks, in turn, every separator of a line that follows
// a valid one (so the delta sees it changed) and checks that streaming reports
// the same error as parsing the line alone, in both layouts, and that the
// line after it parses again.
func TestDeltaSeparators(t *testing.T) {
	var buf bytes.Buffer
	writeZM(&testing.B{}, &buf, 3)
	lines := bytes.Split(bytes.TrimSuffix(buf.Bytes(), []byte("\r\n")), []byte("\r\n"))
	v3 := make([][]byte, len(lines))
	for i, l := range lines {
		v3[i] = append(append([]byte(nil), l[:zmV3Start]...), "C000000000100 05 1 123456789012 "+strings.Repeat(" ", 66)...)
	}
	for name, set := range map[string][][]byte{"v2": lines, "v3": v3} {
		seps := fieldSet(zmSepV2)
		if name == "v3" {
			seps = zmSepV3
		}
		for i := range zmLayout {
			if !seps.has(i) {
				continue
			}
			f := zmLayout[i]
			t.Run(fmt.Sprintf("%s/%s@%d", name, f.name, f.off-1), func(t *testing.T) {
				bad := append([]byte(nil), set[1]...)
				bad[f.off-1] = 'x'
				file := bytes.Join([][]byte{set[0], bad, set[2]}, []byte("\r\n"))
				_, want := newZMParser(settle).parse(bad, 2)
				require.Error(t, want)
				n := 0
				for rec, err := range ZM(bytes.NewReader(file), settle) {
					n++
					if n == 2 {
						require.Equal(t, want, err)
						continue
					}
					require.NoError(t, err)
					alone, err := newZMParser(settle).parse(set[n-1], n)
					require.NoError(t, err)
					require.Equal(t, alone, rec)
				}
				require.Equal(t, 3, n)
			})
		}
	}
}

// changedRef is delta.changed without its shortcuts: every word compared on
// its own, the fields between its first and last changed byte reported.
func changedRef(t *deltaTable, b, prev []byte) (c fieldSet, sepBad bool) {
	n := min(len(b), maxWords*8)
	for w := 0; w*8 < n; w++ {
		lo, hi := -1, -1
		for j := 0; j < 8 && w*8+j < n; j++ {
			if b[w*8+j] != prev[w*8+j] {
				if lo < 0 {
					lo = j
				}
				hi = j
				sepBad = sepBad || t.sepMask[w]>>(8*j)&0xFF != 0
			}
		}
		if lo >= 0 {
			c |= t.from[w][lo] & t.to[w][hi]
		}
	}
	return c, sepBad
}

// TestDeltaChanged checks delta.changed against changedRef over long runs of
// lines that change from one to the next in a few places (the same ones for
// a while, as in a file, then others), sometimes not at all, sometimes in
// their length, and sometimes after an invalidation.
func TestDeltaChanged(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	table := zmDeltaTable()
	for _, n := range []int{zmMinLength, 540, zmLength, zmV3Length, 610, 700} {
		d := newDelta(table)
		prev := bytes.Repeat([]byte(" "), n)
		for i := range prev {
			if r.IntN(3) == 0 {
				prev[i] = byte('0' + r.IntN(10))
			}
		}
		var spots []int // where lines change, for a while
		for i := range 5000 {
			if i%200 == 0 {
				spots = spots[:0]
				for range r.IntN(12) {
					spots = append(spots, r.IntN(n))
				}
			}
			b := bytes.Clone(prev)
			for _, p := range spots {
				if r.IntN(4) != 0 {
					b[p] ^= byte(1 + r.IntN(255))
				}
			}
			if r.IntN(50) == 0 {
				b[r.IntN(n)] ^= 0x20 // somewhere else
			}
			switch r.IntN(100) {
			case 0:
				d.invalidate()
			case 1:
				c, sep := d.changed(b[:n-1], prev)
				require.Equal(t, allFields, c)
				require.True(t, sep)
			}
			valid := d.valid
			c, sep := d.changed(b, prev)
			if !valid {
				require.Equal(t, allFields, c, "n %d line %d", n, i)
				require.True(t, sep)
			} else {
				wc, wsep := changedRef(table, b, prev)
				require.Equal(t, wc, c, "n %d line %d", n, i)
				require.Equal(t, wsep, sep, "n %d line %d", n, i)
			}
			prev = b
		}
	}
}

// TestMutation2DeltaEveryByte: a changed byte anywhere in a field, or in the
// separator before it, always marks that field as changed, in both layouts'
// line lengths (the last word of a 607-byte line is partial).
func TestMutation2DeltaEveryByte(t *testing.T) {
	for _, n := range []int{607, 608} {
		prev := bytes.Repeat([]byte{' '}, n)
		for i, f := range zmLayout {
			for p := max(f.off-1, 0); p < f.end() && p < n; p++ {
				b := bytes.Clone(prev)
				b[p] = 'x'
				d := newDelta(zmDeltaTable())
				d.valid = true
				c, _ := d.changed(b, prev)
				require.True(t, c.has(i), "line of %d bytes: byte %d changed, field %d (%s at %d+%d) not marked",
					n, p, i, f.name, f.off, f.width)
			}
		}
	}
}
