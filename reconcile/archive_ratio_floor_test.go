package reconcile

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestRatioFloor pins WithMaxRatio's "members of at most 1 MiB are exempt" at its boundary: a member
// of zeros (deflated some 1000:1) of exactly 1 MiB opens under the ratio limit 1, one of a byte
// more is refused with ErrTooLarge. The doc said "under 1 MiB", which a member of 1 MiB is not.
func TestRatioFloor(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		size int
		want error
	}{
		{1 << 20, nil},
		{1<<20 + 1, ErrTooLarge},
	} {
		_, err := Open(makeZip(t, zipEntry{"INN25123188ZM_1", make([]byte, tt.size)}), WithMaxRatio(1))
		if tt.want == nil {
			assert.NoError(t, err, "%d bytes", tt.size)
		} else {
			assert.ErrorIs(t, err, tt.want, "%d bytes", tt.size)
		}
	}
}
