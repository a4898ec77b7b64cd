package unionpaytest_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

// TestDroppedCountsEachLog: Dropped counts each log's drops on its own: requests, notification
// attempts and faults taken in different numbers are each counted under their own field.
func TestDroppedCountsEachLog(t *testing.T) {
	t.Parallel()
	const queries, notifies = 4, 2
	m := newMerchant(t, unionpaytest.WithNotifySchedule(time.Hour), unionpaytest.WithHistoryLimit(1))
	resp := m.call(unionpaytest.EndpointBack, m.consumeByCard("DROPCOUNT00", "300"))
	require.Equal(t, "00", resp["respCode"], resp["respMsg"])
	m.srv.FailEndpoint(unionpaytest.EndpointQuery, repeat(unionpaytest.FaultPending, queries)...)
	for i := 1; i <= queries; i++ {
		m.query(fmt.Sprintf("DROPCOUNT%02d", i), m.txnTimeNow())
	}
	for range notifies {
		require.Error(t, m.srv.Notify(context.Background(), "DROPCOUNT00"), "noBackURL refuses")
	}
	assert.Equal(t, unionpaytest.Dropped{Requests: queries, Deliveries: notifies - 1, FaultEvents: queries - 1},
		m.srv.Dropped())
}
