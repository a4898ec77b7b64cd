package unionpay

import (
	"errors"
	"io"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestReadString: an answer's body is read whole, whatever the announced size says and however
// the reader hands it over: short reads, the last bytes with io.EOF, more or fewer bytes than
// announced, a size too large to take on its word (read in blocks, across several of them); a
// read error is returned.
func TestReadString(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("respCode=00&", 300_000) // 3.6 MB: blocks up to maxReadBlock
	tests := []struct {
		name string
		r    io.Reader
		size int64
		want string
	}{
		{"empty, unannounced", strings.NewReader(""), -1, ""},
		{"empty, announced 0", strings.NewReader(""), 0, ""},
		{"announced", strings.NewReader("a=1&b=2"), 7, "a=1&b=2"},
		{"more than announced", strings.NewReader("a=1&b=2"), 3, "a=1&b=2"},
		{"fewer than announced", strings.NewReader("a=1"), 7, "a=1"},
		{"announced past maxPrealloc", strings.NewReader("a=1"), maxPrealloc + 1, "a=1"},
		{"data with io.EOF, announced", iotest.DataErrReader(strings.NewReader("a=1&b=2")), 7, "a=1&b=2"},
		{"data with io.EOF, unannounced", iotest.DataErrReader(strings.NewReader("a=1&b=2")), -1, "a=1&b=2"},
		{"one byte at a time", iotest.OneByteReader(strings.NewReader(long[:5000])), -1, long[:5000]},
		{"long, halves, unannounced", iotest.HalfReader(strings.NewReader(long)), -1, long},
		{"long, data with io.EOF, unannounced", iotest.DataErrReader(strings.NewReader(long)), -1, long},
		{"long, announced", iotest.HalfReader(strings.NewReader(long)), int64(len(long)), long},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := readString(tt.r, tt.size)
			require.NoError(t, err)
			assert.True(t, got == tt.want, "read %d bytes, want %d", len(got), len(tt.want))
		})
	}
	for _, size := range []int64{-1, 7} {
		_, err := readString(iotest.TimeoutReader(iotest.OneByteReader(strings.NewReader("a=1&b=2"))), size)
		assert.True(t, errors.Is(err, iotest.ErrTimeout), "size %d: %v", size, err)
	}
}
