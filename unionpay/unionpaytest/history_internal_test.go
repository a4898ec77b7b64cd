package unionpaytest

import (
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestHistoryKeepsTheLatest: a history keeps its latest limit entries, oldest first, returns
// each one it drops and counts them; without a limit it keeps everything.
func TestHistoryKeepsTheLatest(t *testing.T) {
	t.Parallel()
	tests := []struct {
		limit, adds int
		want        []int
		dropped     []int
	}{
		{limit: 0, adds: 5, want: []int{0, 1, 2, 3, 4}},
		{limit: 3, adds: 0, want: []int{}},
		{limit: 3, adds: 2, want: []int{0, 1}},
		{limit: 3, adds: 3, want: []int{0, 1, 2}},
		{limit: 3, adds: 4, want: []int{1, 2, 3}, dropped: []int{0}},
		{limit: 3, adds: 8, want: []int{5, 6, 7}, dropped: []int{0, 1, 2, 3, 4}},
		{limit: 1, adds: 3, want: []int{2}, dropped: []int{0, 1}},
	}
	for _, tt := range tests {
		t.Run(strconv.Itoa(tt.limit)+"/"+strconv.Itoa(tt.adds), func(t *testing.T) {
			t.Parallel()
			h := history[int]{limit: tt.limit}
			var dropped []int
			for i := range tt.adds {
				if old, ok := h.add(i); ok {
					dropped = append(dropped, old)
				}
			}
			assert.Equal(t, tt.want, h.all())
			assert.Equal(t, tt.dropped, dropped)
			assert.Equal(t, len(tt.dropped), h.dropped)
			if tt.limit > 0 {
				assert.LessOrEqual(t, len(h.buf), tt.limit, "bounded")
			}
		})
	}
}

// TestDroppedKeys: a pair dropped is always reported as possibly dropped; with no drop, none is.
func TestDroppedKeys(t *testing.T) {
	t.Parallel()
	var d droppedKeys
	assert.False(t, d.mayHold("ORDER1", "01"), "nothing dropped")
	d.add("ORDER1", "01")
	assert.True(t, d.mayHold("ORDER1", "01"))
	assert.False(t, d.mayHold("ORDER1", "04"), "another txnType (not in the same slot)")
	assert.False(t, d.mayHold("ORDER2", "01"), "another orderId (not in the same slot)")
	assert.Equal(t, requestSlot("AB", "01"), requestSlot("AB", "01"))
	assert.NotEqual(t, requestSlot("A", "B01"), requestSlot("AB", "01"), "the pair is separated")
}
