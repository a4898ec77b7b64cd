package main

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestReconcileDamagedMemberSaysDownloadAgain: a zip whose directory reads but whose ZM member
// is damaged (a byte of its compressed data changed; a declared size smaller than what it
// inflates to) fails, status 1, with what to do: download the file again, as a zip cut short
// before its directory is told. It said only "flate: corrupt input", "zip: checksum error" or
// "settlement archive exceeds limits", which reads as a file too large, not a damaged one.
func TestReconcileDamagedMemberSaysDownloadAgain(t *testing.T) {
	const hint = "a file cut short or damaged: download it again"
	tests := []struct {
		name   string
		damage func(t *testing.T, b []byte, f *zip.File, offset int64)
	}{
		{"a byte of the compressed data changed", func(t *testing.T, b []byte, f *zip.File, offset int64) {
			b[offset+int64(f.CompressedSize64)/2] ^= 0x55
		}},
		{"a declared size too small", func(t *testing.T, b []byte, f *zip.File, offset int64) {
			// The uncompressed size in the member's central directory entry (offset 24), which
			// the reader goes by (the local header's are zero: they follow the data).
			central := bytes.Index(b, []byte("PK\x01\x02"))
			require.GreaterOrEqual(t, central, 0, "the central directory")
			require.Equal(t, f.Name, string(b[central+46:central+46+len(f.Name)]), "the member's entry")
			binary.LittleEndian.PutUint32(b[central+24:], uint32(f.UncompressedSize64/2))
		}},
	}
	for _, tt := range tests {
		for _, orders := range []bool{false, true} {
			name := tt.name
			if orders {
				name += ", -orders"
			}
			t.Run(name, func(t *testing.T) {
				dir := t.TempDir()
				path := dayFile{}.write(t, dir)
				b, err := os.ReadFile(path)
				require.NoError(t, err)
				zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
				require.NoError(t, err)
				f := zr.File[0] // the ZM member
				offset, err := f.DataOffset()
				require.NoError(t, err)
				tt.damage(t, b, f, offset)
				damaged := writeTestFile(t, dir, filepath.Base(path), b)
				args := []string{"reconcile", damaged}
				if orders {
					args = []string{"reconcile", "-orders", writeTestFile(t, dir, "orders.csv",
						[]byte(ordersHeaderRow+consumeRow)), damaged}
				}
				r := runCLI(t, "", args...)
				require.Equal(t, exitFailed, r.code, "stdout %q stderr %q", r.stdout, r.stderr)
				assert.Contains(t, r.stderr, hint)
				assert.Contains(t, r.stderr, f.Name+": ", "the damaged member named")
				assert.Equal(t, 1, errorLines(r.stderr), "one line: %q", r.stderr)
			})
		}
	}
}
