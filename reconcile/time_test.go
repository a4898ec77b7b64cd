package reconcile

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestMinuteCache checks that times read after one with the same MMDDhhmm
// (the cached minute) equal what a fresh cache makes of them, bad seconds
// included.
func TestMinuteCache(t *testing.T) {
	cases := []string{"1231120000", "1231120059", "1231120060", "123112005x", "1231120001",
		"0101000000", "1231120002", "          ", "1231120003", "1231120103", "123112010/", "123112019:"}
	for ss := range 60 {
		cases = append(cases, fmt.Sprintf("12311201%02d", ss))
	}
	warm := newDayCache(settle)
	for _, s := range cases {
		t.Run(s, func(t *testing.T) {
			cold := newDayCache(settle)
			want, wantErr := cold.mmddhhmmss([]byte(s), true, nil)
			got, err := warm.mmddhhmmss([]byte(s), true, nil)
			assert.Equal(t, wantErr, err)
			assert.True(t, want == got, "%#v != %#v", got, want) // the same representation too
		})
	}
}

// TestMinuteCacheStartsEmpty checks that eight NUL bytes are not taken for
// a cached minute before any time was read.
func TestMinuteCacheStartsEmpty(t *testing.T) {
	c := newDayCache(settle)
	_, err := c.mmddhhmmss([]byte("\x00\x00\x00\x00\x00\x00\x00\x0012"), true, nil)
	assert.Equal(t, errTime, err)
}
