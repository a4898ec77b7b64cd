package unionpaytest

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestDrawOrderKeeps: under WithLedgerLimit, the counts of draws listed longest ago are forgotten
// once as many subjects as the limit are listed, but for those a kept batch or order holds (they
// go with it), and for counts forgotten already and made again since (the newer entry forgets
// them, not the older).
func TestDrawOrderKeeps(t *testing.T) {
	t.Parallel()
	const kept = "kept"
	tests := []struct {
		name  string
		owner drawOwner
		redo  bool // the counts forgotten (with their transaction) and made again after the first draw
		want  bool // kept after other subjects' draws drop the first entry from the list
	}{
		{"nothing kept", drawOwner{}, false, false},
		{"a kept order", drawOwner{orderID: kept}, false, true},
		{"an order not kept", drawOwner{orderID: "gone"}, false, false},
		{"a kept batch", drawOwner{batch: kept}, false, true},
		{"a batch not kept", drawOwner{batch: "gone"}, false, false},
		{"made again", drawOwner{}, true, true}, // the list's second entry is theirs: they stay
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := drawServer(t, 1, nil)
			s.drawOrder.limit = 2
			s.orders = map[string]*txn{kept: {orderID: kept}}
			s.batches = map[string]*batch{kept: {}}
			s.mu.Lock()
			defer s.mu.Unlock()
			key := drawKey("response", "subject")
			subject := tt.owner.subject(key)
			s.draw(false, tt.owner, key)
			if tt.redo {
				delete(s.draws, subject)
				s.draw(false, tt.owner, key)
			}
			s.draw(false, drawOwner{}, drawKey("response", "other", "1"))
			if !tt.redo {
				s.draw(false, drawOwner{}, drawKey("response", "other", "2"))
			}
			_, ok := s.draws[subject]
			assert.Equal(t, tt.want, ok)
			assert.Equal(t, 1, s.drawOrder.dropped, "the first entry dropped from the list")
		})
	}
}
