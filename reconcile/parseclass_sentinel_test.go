package reconcile_test

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/reconcile"
)

// TestParseClassMatchesErrUnknownClass: a word that names no class is an error matching
// ErrUnknownClass, as ParseState's matches ErrNoState and as Report.Add's for a Class out of
// range does (the one sentinel of an unknown class), with its message unchanged; a class's own
// word is no error.
func TestParseClassMatchesErrUnknownClass(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   string
		want error
	}{
		{"empty", "", reconcile.ErrUnknownClass},
		{"other case", "Matched", reconcile.ErrUnknownClass},
		{"a State's word", "succeeded", reconcile.ErrUnknownClass},
		{"String of a Class out of range", reconcile.Class(9).String(), reconcile.ErrUnknownClass},
		{"a class", reconcile.Duplicate.String(), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := reconcile.ParseClass(tt.in)
			if tt.want == nil {
				require.NoError(t, err)
				return
			}
			require.Error(t, err)
			assert.True(t, errors.Is(err, tt.want), "%v", err)
			assert.False(t, errors.Is(err, reconcile.ErrNoState), "%v", err)
			assert.Contains(t, err.Error(), "reconcile: class ")
		})
	}
}
