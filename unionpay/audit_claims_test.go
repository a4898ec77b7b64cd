package unionpay_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/unionpay"
	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

// TestAuditClaimsMisreadTxnTimeQuery checks docs/MIGRATION.md ("Orders the Java service
// stored"): a stored txnTime read with time.Parse is eight hours late, and a query naming it is
// refused before it is sent only while that misread time is still ahead of Config.Now by more
// than TxnTimeWindow, that is for an order less than eight hours (less the window) old. An
// older order's misread time lies in the past: the query is sent and answered "not found",
// which is no proof that the order does not exist.
func TestAuditClaimsMisreadTxnTimeQuery(t *testing.T) {
	t.Parallel()
	srv := unionpaytest.NewServer(unionpaytest.WithReporter(t))
	t.Cleanup(srv.Close)
	c, err := unionpay.NewClient(srv.Config())
	require.NoError(t, err)
	now := srv.Config().Now()
	beijing := time.FixedZone("CST", 8*3600)
	tests := []struct {
		name    string
		age     time.Duration // how old the Java service's order is
		refused bool
	}{
		{"an hour old: misread ahead, refused", time.Hour, true},
		{"two days old: misread in the past, sent", 48 * time.Hour, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			stored := now.Add(-tt.age).In(beijing).Format("20060102150405") // as Java stored it
			misread, err := time.Parse("20060102150405", stored)            // read as UTC
			require.NoError(t, err)
			right, err := unionpay.ParseTxnTime(stored)
			require.NoError(t, err)
			require.Equal(t, 8*time.Hour, misread.Sub(right), "time.Parse reads it eight hours late")

			tx, err := c.Query(context.Background(), &unionpay.QueryRequest{OrderID: "JAVAORDER0001", TxnTime: misread})
			if tt.refused {
				var re *unionpay.RequestError
				require.ErrorAs(t, err, &re, "refused before it is sent")
				assert.Equal(t, "TxnTime", re.Field)
				return
			}
			require.NoError(t, err, "sent: the misread time is in the past")
			assert.Equal(t, unionpay.NotFound, tx.State, "answered not found, not refused")
		})
	}
}

// TestAuditClaimsNoFileIsTheAnswersError checks the doc of ErrNoFile: a 98 answer of
// DownloadFile matches ErrNoFile, "The error is the *Error of the answer" (RespCode 98), and it
// is not pending (nothing moved money) nor "not sent".
func TestAuditClaimsNoFileIsTheAnswersError(t *testing.T) {
	t.Parallel()
	srv := unionpaytest.NewServer(unionpaytest.WithReporter(t))
	t.Cleanup(srv.Close)
	c, err := unionpay.NewClient(srv.Config())
	require.NoError(t, err)
	// A settle date long past, on which the fake gateway has nothing.
	_, err = c.DownloadFile(context.Background(), &unionpay.FileRequest{SettleDate: srv.Config().Now().AddDate(0, 0, -40)})
	require.ErrorIs(t, err, unionpay.ErrNoFile)
	var answer *unionpay.Error
	require.ErrorAs(t, err, &answer)
	assert.Equal(t, "98", answer.RespCode)
	assert.False(t, errors.Is(err, unionpay.ErrPending))
	assert.False(t, errors.Is(err, unionpay.ErrNotSent))
}
