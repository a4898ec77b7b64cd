package reconcile

import (
	"bytes"
	"compress/flate"
	"encoding/binary"
	"testing"

	"github.com/stretchr/testify/require"
)

// rawZip returns rawDeflateZip's zip of data, whose headers then declare compressed size
// declared(the real one).
func rawZip(t *testing.T, name string, data []byte, level int, declared func(real int) uint32) []byte {
	t.Helper()
	b := rawDeflateZip(t, name, data, level, uint64(len(data)))
	cd := bytes.Index(b, []byte("PK\x01\x02"))
	d := declared(int(binary.LittleEndian.Uint32(b[cd+20:])))
	binary.LittleEndian.PutUint32(b[18:], d)    // the local header's compressed size
	binary.LittleEndian.PutUint32(b[cd+20:], d) // the central directory's
	return b
}

// TestOpenRefusesLyingCompressedSize: the ratio limit trusts the declared compressed size, so a
// member must not declare more compressed bytes than the archive holds. An 8 KiB zip of 8 MiB of
// zeros declaring 1 MiB compressed (8:1) used to pass Open and inflate 1000:1. Found in the
// third session's review.
func TestOpenRefusesLyingCompressedSize(t *testing.T) {
	zeros := bytes.Repeat([]byte("0"), 8<<20)
	honest := rawZip(t, "INN25123188ZM_1", zeros, flate.BestCompression, func(n int) uint32 { return uint32(n) })
	_, err := Open(honest)
	require.ErrorIs(t, err, ErrTooLarge, "the honest bomb")
	lying := rawZip(t, "INN25123188ZM_1", zeros, flate.BestCompression, func(int) uint32 { return 1 << 20 })
	_, err = Open(lying)
	require.ErrorIs(t, err, ErrMalformed, "the lying one")
}

// TestOpenRefusesSharedData: several central-directory entries pointing at one compressed
// stream multiplied the output past ratio × archive size (26 members, 54 MB from 2 MB).
func TestOpenRefusesSharedData(t *testing.T) {
	b := rawZip(t, "A", bytes.Repeat([]byte("0"), 64<<10), flate.NoCompression, func(n int) uint32 { return uint32(n) })
	cd := bytes.Index(b, []byte("PK\x01\x02"))
	eocd := bytes.Index(b, []byte("PK\x05\x06"))
	entry := b[cd:eocd]
	out := append([]byte{}, b[:cd]...)
	const n = 3
	for i := range n {
		e := append([]byte{}, entry...)
		e[len(e)-1] = byte('A' + i) // the one-byte name ends the entry
		out = append(out, e...)
	}
	end := append([]byte{}, b[eocd:]...)
	binary.LittleEndian.PutUint16(end[8:], n)
	binary.LittleEndian.PutUint16(end[10:], n)
	binary.LittleEndian.PutUint32(end[12:], uint32(n*len(entry)))
	binary.LittleEndian.PutUint32(end[16:], uint32(cd))
	out = append(out, end...)
	_, err := Open(out)
	require.ErrorIs(t, err, ErrMalformed)

	_, err = Open(b) // one member: fine
	require.NoError(t, err)
}
