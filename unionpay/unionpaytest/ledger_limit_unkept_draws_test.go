package unionpaytest_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

// TestLedgerLimitBoundsUnkeptDraws: with WithFaults, the draws of requests no transaction kept
// is about (a query of an unknown queryId, a refused request's orderId, a file download) were
// counted for ever, so a gateway left running with WithLedgerLimit grew with each. Now they are
// bounded by the limit too: of 20 such subjects, each with one draw, the latest 3 are kept with a
// limit of 3 (and all 20 without a limit). A kept order's draws stay, however many such subjects
// come after it.
func TestLedgerLimitBoundsUnkeptDraws(t *testing.T) {
	t.Parallel()
	const n = 20
	requests := []struct {
		name string
		send func(m *merchant, i int)
	}{
		{"unknown queryIds", func(m *merchant, i int) {
			resp := m.call(unionpaytest.EndpointQuery, m.fields("00", "00", "000000", "queryId", fmt.Sprintf("%021d", i)))
			require.Equal(t, unionpaytest.CodeNotFound, resp["respCode"], resp["respMsg"])
		}},
		{"refused orderIds", func(m *merchant, i int) {
			resp := m.back("04", fmt.Sprintf("REFUSED%03d", i), fmt.Sprintf("%021d", i), "100", "")
			require.NotEqual(t, "00", resp["respCode"], "a refund of an unknown original is refused")
		}},
		{"file downloads", func(m *merchant, i int) {
			m.call(unionpaytest.EndpointFile, m.fields("76", "01", "000000", "settleDate", fmt.Sprintf("01%02d", i+1), "fileType", "00"))
		}},
	}
	tests := []struct {
		name  string
		opts  []unionpaytest.Option
		order bool // an order kept before the others: its 3 draws (request, notification, query)
		want  int
	}{
		{"a limit", []unionpaytest.Option{unionpaytest.WithLedgerLimit(3)}, false, 3},
		{"a limit and a kept order", []unionpaytest.Option{unionpaytest.WithLedgerLimit(2)}, true, 3 + 2},
		{"no limit", nil, false, n},
	}
	for _, rq := range requests {
		for _, tt := range tests {
			t.Run(rq.name+"/"+tt.name, func(t *testing.T) {
				t.Parallel()
				m := newMerchant(t, append([]unionpaytest.Option{unionpaytest.WithFaults(1, nil)}, tt.opts...)...)
				if tt.order {
					in := newInbox(t, m.verifier)
					m.appConsume("UNKEPTORDER1", "100", in.URL())
					require.NoError(t, m.srv.WaitNotifications(context.Background()))
				}
				for i := range n {
					rq.send(m, i)
				}
				draws, _ := unionpaytest.KeptSizes(m.srv)
				assert.Equal(t, tt.want, draws)
			})
		}
	}
}

// TestLedgerLimitUnkeptDrawsUnchanged: a test that draws for fewer subjects than its ledger limit
// sees the faults it sees without the limit: the repeated queries of unknown queryIds, a refused
// request sent again and a file downloaded again each get their next draw, not their first again.
func TestLedgerLimitUnkeptDrawsUnchanged(t *testing.T) {
	t.Parallel()
	run := func(opts ...unionpaytest.Option) []unionpaytest.FaultEvent {
		m := newMerchant(t, append([]unionpaytest.Option{unionpaytest.WithFaults(7, unionpaytest.FaultRates{unionpaytest.Fault5xx: 0.5})}, opts...)...)
		for range 6 {
			for i := range 2 {
				_, _, err := m.postRaw(unionpaytest.EndpointQuery, m.sign(m.fields("00", "00", "000000", "queryId", fmt.Sprintf("%021d", i))))
				require.NoError(t, err)
			}
			_, _, err := m.postRaw(unionpaytest.EndpointBack, m.sign(m.fields("04", "00", "000201", "orderId", "REFUSEDAGAIN",
				"origQryId", "000000000000000000001", "txnAmt", "100", "channelType", "07")))
			require.NoError(t, err)
			_, _, err = m.postRaw(unionpaytest.EndpointFile, m.sign(m.fields("76", "01", "000000", "settleDate", "0115", "fileType", "00")))
			require.NoError(t, err)
		}
		return m.srv.FaultLog()
	}
	want := run()
	require.NotEmpty(t, want, "some 5xx drawn")
	assert.Equal(t, want, run(unionpaytest.WithLedgerLimit(4)))
}
