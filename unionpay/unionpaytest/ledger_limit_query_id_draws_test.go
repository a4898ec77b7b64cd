package unionpaytest_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

// TestLedgerLimitForgetsQueryIDDraws: a query by queryId alone draws as the order that queryId
// names (the same draw as a query by its orderId), and its draws go with that order when
// WithLedgerLimit forgets it: they are not kept for ever as a request about nothing.
func TestLedgerLimitForgetsQueryIDDraws(t *testing.T) {
	t.Parallel()
	m := newMerchant(t, unionpaytest.WithFaults(1, nil), unionpaytest.WithLedgerLimit(1))
	in := newInbox(t, m.verifier)
	queryID := m.appConsume("DRAWQID001", "100", in.URL()) // its request, notification and query
	require.NoError(t, m.srv.WaitNotifications(context.Background()))
	resp := m.call(unionpaytest.EndpointQuery, m.fields("00", "00", "000000", "queryId", queryID))
	require.Equal(t, "00", resp["respCode"], resp["respMsg"])
	draws, _ := unionpaytest.KeptSizes(m.srv)
	assert.Equal(t, 3, draws, "the query by queryId counted as the order's query")

	m.appConsume("DRAWQID002", "100", in.URL()) // forgets DRAWQID001
	require.NoError(t, m.srv.WaitNotifications(context.Background()))
	draws, _ = unionpaytest.KeptSizes(m.srv)
	assert.Equal(t, 3, draws, "DRAWQID002's only")
}
