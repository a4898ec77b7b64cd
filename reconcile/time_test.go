package reconcile

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestMinuteCache checks that times read after one with the same MMDDhhmm
// (the cached minute) equal what a fresh cache makes of them, bad seconds
// included.
func TestMinuteCache(t *testing.T) {
	cases := []string{"1231120000", "1231120059", "1231120060", "123112005x", "1231120001",
		"0101000000", "1231120002", "          ", "1231120003", "1231120103"}
	warm := newDayCache(settle)
	for _, s := range cases {
		t.Run(s, func(t *testing.T) {
			cold := newDayCache(settle)
			want, wantErr := cold.mmddhhmmss([]byte(s), true, nil)
			got, err := warm.mmddhhmmss([]byte(s), true, nil)
			assert.Equal(t, wantErr, err)
			assert.True(t, want.Equal(got) && want.Location() == got.Location(), "%v != %v", got, want)
		})
	}
}
