package reconcile

import (
	"errors"
	"fmt"
	"io"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestIsDataError: a bad line or order (wrapped or not) is listed and gone past; a read that
// failed, too many malformed lines or a corrupt member ends the reading.
func TestIsDataError(t *testing.T) {
	t.Parallel()
	line := &LineError{Line: 3, Field: "txnAmt", Err: ErrMalformed}
	order := &OrderError{Index: 1, OrderID: "O2", Err: ErrNoState}
	for _, tt := range []struct {
		name string
		err  error
		want bool
	}{
		{"line", line, true},
		{"line, wrapped", fmt.Errorf("member ZM: %w", line), true},
		{"order", order, true},
		{"too many malformed lines", errTooManyBad(), false},
		{"member corrupt", fmt.Errorf("%w: member %q: checksum", ErrMalformed, "ZM"), false},
		{"read failed", io.ErrUnexpectedEOF, false},
		{"nil argument", nilArgument("records", "Match"), false},
		{"nil", nil, false},
		{"other", errors.New("x"), false},
	} {
		assert.Equal(t, tt.want, IsDataError(tt.err), tt.name)
	}
}
