package reconcile

import (
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestOrderErrorMessages: the sentinels an OrderError wraps carry the package prefix, as every
// error of the package does, and an OrderError's message gives it once; the message counts orders
// from 1 (Index+1), as lines are counted, while Index stays the 0-based position.
func TestOrderErrorMessages(t *testing.T) {
	cases := []struct {
		name string
		err  *OrderError
		want string
	}{
		{"duplicate", &OrderError{Index: 6, OrderID: "G", Err: ErrDuplicateOrder}, "reconcile: order 7 (G): duplicate orderId"},
		{"empty", &OrderError{Index: 2, Err: ErrNoOrderID}, "reconcile: order 3 (): empty orderId"},
		{"caller's cause", &OrderError{Index: 1, OrderID: "X", Err: errors.New("orders line 3: bad amount")},
			"reconcile: order 2 (X): orders line 3: bad amount"},
		{"the first order, no cause", &OrderError{Index: 0, OrderID: "X"}, "reconcile: order 1 (X): <nil>"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			assert.Equal(t, c.want, c.err.Error())
			if c.err.Err != nil {
				assert.ErrorIs(t, c.err, c.err.Err)
			}
		})
	}
	for _, err := range []error{ErrDuplicateOrder, ErrNoOrderID} {
		assert.True(t, strings.HasPrefix(err.Error(), "reconcile: "), "%q has no package prefix", err)
	}
}
