package unionpaytest

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestDrawOrderWithoutLimit: without WithLedgerLimit the subjects of draws are not listed (the
// list would grow with each new subject, for nothing: no counts are forgotten), and every
// subject's counts are kept.
func TestDrawOrderWithoutLimit(t *testing.T) {
	t.Parallel()
	s := drawServer(t, 1, nil)
	s.mu.Lock()
	defer s.mu.Unlock()
	const subjects = 5
	for i := range subjects {
		s.draw(false, drawOwner{}, drawKey("response", "unkept", fmt.Sprint(i)))
		s.draw(false, drawOwner{orderID: fmt.Sprint("ORDER", i)}, drawKey("response", "order", fmt.Sprint(i)))
	}
	assert.Empty(t, s.drawOrder.all(), "nothing listed")
	assert.Zero(t, s.drawOrder.dropped)
	assert.Len(t, s.draws, 2*subjects, "every subject's counts kept")
}
