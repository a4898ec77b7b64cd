package unionpaytest

import (
	"context"
	"errors"
	"io"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestForgottenErrorIs: the error of a transaction WithLedgerLimit forgot says which it is
// (Complete's, or a notification attempt's it cut short) and is ErrForgotten, and a
// context.Canceled for the attempt only: not any error a caller asks about (a deadline, another
// error of the same text).
func TestForgottenErrorIs(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		err      error
		msg      string
		canceled bool
	}{
		{"Complete's", &forgottenError{limit: 2}, "forgotten under WithLedgerLimit(2)", false},
		{"an attempt cut short", &forgottenError{limit: 1, cut: true},
			"transaction forgotten under WithLedgerLimit(1): notification attempt cut short", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			assert.EqualError(t, tt.err, tt.msg)
			assert.ErrorIs(t, tt.err, ErrForgotten)
			assert.Equal(t, tt.canceled, errors.Is(tt.err, context.Canceled), "context.Canceled")
			for _, other := range []error{context.DeadlineExceeded, io.EOF, errors.New(ErrForgotten.Error())} {
				assert.NotErrorIs(t, tt.err, other)
			}
		})
	}
}
