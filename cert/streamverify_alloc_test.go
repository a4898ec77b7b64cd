//go:build !race

package cert

import (
	"runtime"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestVerifyLargeMessageAllocates: Verify hashes the string to sign of a large message (a
// settlement file's answer, 4 MB here) in pieces, for every method and in UTF-8 and GBK: it
// allocates a few dozen KiB, not the string built whole (4 MB; 8 MB in GBK, the UTF-8 string
// and its conversion). Not parallel, so that no other test's allocations are counted.
func TestVerifyLargeMessageAllocates(t *testing.T) {
	const size = 4 << 20
	setup := newStreamSetup(t)
	for _, s := range setup.signers {
		for _, enc := range []string{"UTF-8", "GBK"} {
			f := s.fileAnswer(t, enc, size)
			_, err := setup.v.Verify(f) // warm the certificate cache
			require.NoError(t, err)
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			_, err = setup.v.Verify(f)
			runtime.ReadMemStats(&after)
			require.NoError(t, err)
			alloc := after.TotalAlloc - before.TotalAlloc
			assert.Less(t, alloc, uint64(256<<10), "%s %s: bytes allocated by Verify of a %d-byte message", s.name, enc, size)
		}
	}
}
