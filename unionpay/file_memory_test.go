//go:build !race

package unionpay_test

import (
	"bytes"
	"crypto/rand"
	"runtime"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/unionpay"
)

// TestDecodeFileContentMemory: a file within the limit costs about its own size in memory, not
// the 2-2.5 times its size of a growing buffer, nor its decoded base64 (decoded as a stream into
// the inflater). The file is half random (it compresses to about its half), so that the decoded
// base64, which it cost before, is not negligible either.
func TestDecodeFileContentMemory(t *testing.T) {
	const size = 16 << 20
	file := make([]byte, size)
	_, err := rand.Read(file[:size/2])
	require.NoError(t, err)
	content := unionpay.EncodeFileContent(file)
	compressed := len(content) * 3 / 4

	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	out, err := unionpay.DecodeFileContent(content, size)
	runtime.ReadMemStats(&after)
	require.NoError(t, err)
	require.True(t, bytes.Equal(file, out))
	allocated := after.TotalAlloc - before.TotalAlloc
	budget := uint64(size + 1<<20) // the file, zlib's and base64's state
	assert.LessOrEqual(t, allocated, budget, "allocated %d MiB for a %d MiB file (%d MiB compressed)",
		allocated>>20, size>>20, compressed>>20)
}
