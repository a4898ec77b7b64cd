package reconcile

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestOrigSettleDateEightYears: the full eight years are needed, not
// seven: from a transaction early in 2104 (2100 is no leap year) the latest 29 February is in
// 2096, eight years back; TestZMEOrigSettleDateSlack's 2103 case needs only seven, so looking
// seven years back passed it. 28 February 2104 keeps its day of slack: 29 February 2104.
func TestOrigSettleDateEightYears(t *testing.T) {
	for _, c := range []struct {
		name     string
		y, m, d  int
		wantYear int
	}{
		{"15 January 2104", 2104, 1, 15, 2096},
		{"27 February 2104", 2104, 2, 27, 2096},
		{"28 February 2104, the day after is 29 February", 2104, 2, 28, 2104},
	} {
		t.Run(c.name, func(t *testing.T) {
			txn := beijingTime(c.y, time.Month(c.m), c.d, 10, 0, 0)
			got, err := mmdd([]byte("0229"), txn)
			require.NoError(t, err)
			assert.True(t, beijingTime(c.wantYear, 2, 29, 0, 0, 0).Equal(got), "%v", got)
		})
	}
}
