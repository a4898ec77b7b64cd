package unionpay_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/unionpay"
)

// TestDownloadFileSettleDateOutOfRange: a settle date DownloadFile refuses before sending is
// named in the error, with the range of dates it takes (the client's clock decides it), so that
// a nightly job's log says which day it asked for and why that day cannot be asked.
func TestDownloadFileSettleDateOutOfRange(t *testing.T) {
	t.Parallel()
	g := newGateway(t, accept(nil))
	c := newTestClient(t, g) // testNow: 2024-01-05 10:30 Beijing, settle day 2024-01-05
	for _, tc := range []struct {
		name string
		at   time.Time
		want string
	}{
		{"tomorrow", testNow.AddDate(0, 0, 1),
			"unionpay: file download: SettleDate: 2024-01-06 must be within the last year and not after the current settle day: 2023-01-06 to 2024-01-05 (only MMDD is sent)"},
		{"a year ago", testNow.AddDate(-1, 0, 0),
			"unionpay: file download: SettleDate: 2023-01-05 must be within the last year and not after the current settle day: 2023-01-06 to 2024-01-05 (only MMDD is sent)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := c.DownloadFile(context.Background(), &unionpay.FileRequest{SettleDate: tc.at})
			var re *unionpay.RequestError
			require.ErrorAs(t, err, &re)
			assert.Equal(t, "SettleDate", re.Field)
			assert.EqualError(t, err, tc.want)
		})
	}
	assert.Zero(t, g.count(), "refused before sending")
}
