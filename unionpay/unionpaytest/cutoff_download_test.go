package unionpaytest_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/reconcile"
	"github.com/goacp/unionpay/unionpay"
)

// TestDownloadAfterCutoff: at 23:30 the fake serves the file of the settle day under way
// (the CHANGELOG: "a file download at 23:30 for the next date's MMDD means that date"), but the
// client refuses to ask for it: DownloadFile's "today" is the Beijing calendar date, not the
// settle day, so the two disagree for an hour a day.
func TestDownloadAfterCutoff(t *testing.T) {
	t.Parallel()
	srv, c, c0 := clientGateway(t)
	c0.Advance(13*time.Hour + 30*time.Minute) // 2026-11-25 23:30
	_, err := c.AppConsume(context.Background(), &unionpay.ConsumeRequest{OrderID: "LATEFILE01", Amount: 1000,
		BackURL: "http://127.0.0.1:1/n"})
	require.NoError(t, err)
	_, err = srv.Complete("LATEFILE01", "")
	require.NoError(t, err)
	d26 := time.Date(2026, 11, 26, 0, 0, 0, 0, reconcile.Beijing())
	require.Len(t, srv.Records(d26), 1, "the fake: it settles on the 26th, whose file it serves now")
	_, err = c.DownloadFile(context.Background(), &unionpay.FileRequest{SettleDate: d26})
	require.NoError(t, err, "the client refuses the settle day under way")
}
