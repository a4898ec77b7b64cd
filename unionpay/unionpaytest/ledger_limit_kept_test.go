package unionpaytest_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/unionpay"
	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

// TestLedgerLimitForgetsDraws: with WithFaults, the gateway counted the draws of every order it
// ever saw, forgotten ones too, so a gateway left running with WithLedgerLimit grew without bound.
// Now the draws of an order go with it: of 12 orders, each with 3 draws (its app request, its
// notification, its query), only the latest 2 orders' are kept; without the limit all are.
func TestLedgerLimitForgetsDraws(t *testing.T) {
	t.Parallel()
	const orders = 12
	tests := []struct {
		name string
		opts []unionpaytest.Option
		want int
	}{
		{"a limit", []unionpaytest.Option{unionpaytest.WithLedgerLimit(2)}, 2 * 3},
		{"no limit", nil, orders * 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			m := newMerchant(t, append([]unionpaytest.Option{unionpaytest.WithFaults(1, nil)}, tt.opts...)...)
			in := newInbox(t, m.verifier)
			for i := range orders {
				m.appConsume(fmt.Sprintf("DRAWKEPT%02d", i), "100", in.URL())
			}
			require.NoError(t, m.srv.WaitNotifications(context.Background()))
			draws, _ := unionpaytest.KeptSizes(m.srv)
			assert.Equal(t, tt.want, draws)
		})
	}
}

// TestLedgerLimitForgetsBatchDraws: the draws of a bulk batch's requests go with the batch when
// WithLedgerLimit forgets it, as an order's go with the order: of 5 batches, each with its
// submission's draw, the latest one's is kept with a limit of 1; without the limit all are.
func TestLedgerLimitForgetsBatchDraws(t *testing.T) {
	t.Parallel()
	const batches = 5
	tests := []struct {
		name string
		opts []unionpaytest.Option
		want int
	}{
		{"a limit", []unionpaytest.Option{unionpaytest.WithLedgerLimit(1)}, 1},
		{"no limit", nil, batches},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv, c, _ := clientGateway(t, append([]unionpaytest.Option{unionpaytest.WithFaults(1, nil)}, tt.opts...)...)
			for i := range batches {
				_, err := c.SubmitBatch(context.Background(), &unionpay.BatchRequest{Type: unionpay.BatchPayout,
					BatchNo: fmt.Sprintf("%04d", i+1), Records: []unionpay.BatchRecord{{OrderID: fmt.Sprintf("BATCHDRAW%02d", i),
						Amount: 100, AccType: "01", AccNo: "6216261000000000018", CustomerName: "张三"}}})
				require.NoError(t, err)
			}
			draws, _ := unionpaytest.KeptSizes(srv)
			assert.Equal(t, tt.want, draws)
		})
	}
}

// TestLedgerLimitForgetsTokenDeletes: the gateway counted the token deletes (74) of every card
// and token requestor it ever saw, so a gateway left running with WithLedgerLimit grew without
// bound. Now a count goes once no transaction of that token is kept: of 6 requestors' opens and
// deletes, with a limit of 3 the last delete of the fifth and the open and delete of the sixth
// are kept, and so the counts of those two; the sixth's delete still stands (its token pays no
// more, the card's next open gives another token).
func TestLedgerLimitForgetsTokenDeletes(t *testing.T) {
	t.Parallel()
	const requestors = 6
	tests := []struct {
		name string
		opts []unionpaytest.Option
		want int
	}{
		{"a limit", []unionpaytest.Option{unionpaytest.WithLedgerLimit(3)}, 2},
		{"no limit", nil, requestors},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			m := newMerchant(t, tt.opts...)
			open := func(orderID, trID string) string {
				resp := m.call(unionpaytest.EndpointBack, m.fields("79", "00", "000902", "orderId", orderID, "channelType", "07",
					"accNo", unionpaytest.TestCard, "tokenPayData", "{trId="+trID+"&tokenType=01}"))
				require.Equal(t, "00", resp["respCode"], resp["respMsg"])
				return answerToken(t, resp)
			}
			named := func(trID, token string) string { return "{trId=" + trID + "&token=" + token + "}" }
			var trID, token string
			for i := range requestors {
				trID = fmt.Sprintf("620000000%02d", i)
				token = open(fmt.Sprintf("TKKEPTOPEN%02d", i), trID)
				resp := m.call(unionpaytest.EndpointBack, m.fields("74", "01", "000902", "orderId", fmt.Sprintf("TKKEPTDEL%02d", i),
					"channelType", "07", "tokenPayData", named(trID, token)))
				require.Equal(t, "00", resp["respCode"], resp["respMsg"])
			}
			_, kept := unionpaytest.KeptSizes(m.srv)
			assert.Equal(t, tt.want, kept)

			pay := m.call(unionpaytest.EndpointBack, m.fields("01", "01", "000902", "orderId", "TKKEPTPAY", "txnAmt", "1234",
				"currencyCode", "156", "channelType", "07", "backUrl", "http://127.0.0.1:1/n", "tokenPayData", named(trID, token)))
			assert.Equal(t, unionpaytest.CodeInvalidToken, pay["respCode"], "the latest delete stands")
			assert.NotEqual(t, token, open("TKKEPTOPEN99", trID), "the card's next open gives another token")
		})
	}
}

// TestLedgerLimitStopsForgottenDeliveries: a notification to a backUrl that refuses it or never
// answers stayed on its retry schedule (12 minutes by default) after WithLedgerLimit had
// forgotten its transaction, so a gateway left running with a dead backUrl held a delivery for
// every order of the last 12 minutes, however many it kept. Now forgetting the transaction stops
// its delivery, an attempt under way too: WaitNotifications returns at once instead of waiting
// for an hour's retry or a 10 s attempt.
func TestLedgerLimitStopsForgottenDeliveries(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		// url returns the backUrl and reports, when it is called, whether the first attempt has
		// been made (refused) or is under way (hung).
		url func(t *testing.T, srv *unionpaytest.Server) (string, func() bool)
	}{
		{"refused, waiting for its retry", func(t *testing.T, srv *unionpaytest.Server) (string, func() bool) {
			in := newInbox(t, mustVerifier(t, srv), http.StatusInternalServerError)
			return in.URL(), func() bool { return len(srv.Deliveries()) == 1 }
		}},
		{"an attempt under way", func(t *testing.T, _ *unionpaytest.Server) (string, func() bool) {
			var hits atomic.Int64
			hung := httptest.NewServer(http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) {
				_, _ = io.Copy(io.Discard, r.Body) // then the server sees the gateway hang up
				hits.Add(1)
				<-r.Context().Done()
			}))
			t.Cleanup(hung.Close)
			return hung.URL, func() bool { return hits.Load() == 1 }
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			m := newMerchant(t, unionpaytest.WithLedgerLimit(1), unionpaytest.WithNotifySchedule(0, time.Hour))
			u, started := tt.url(t, m.srv)
			m.appConsume("FORGETDLV1", "100", u)
			require.Eventually(t, started, 5*time.Second, 5*time.Millisecond)
			in := newInbox(t, m.verifier)
			m.appConsume("FORGETDLV2", "100", in.URL()) // forgets FORGETDLV1
			ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
			defer cancel()
			require.NoError(t, m.srv.WaitNotifications(ctx), "the forgotten order's delivery stopped")
			assert.Equal(t, 1, in.count())
			assert.Equal(t, 1, m.srv.Dropped().Transactions)
		})
	}
}

// TestLedgerLimitStopsForgottenDeliveriesTestClock: on a test clock, a forgotten transaction's
// notification waiting for the clock to reach its retry is stopped too: moving the clock past
// the retry's time makes no further attempt for it (not even one cut short).
func TestLedgerLimitStopsForgottenDeliveriesTestClock(t *testing.T) {
	t.Parallel()
	clk := newClock()
	srv := unionpaytest.NewServer(keys(t), unionpaytest.WithTestClock(clk), unionpaytest.WithLedgerLimit(1))
	t.Cleanup(srv.Close)
	c, err := unionpay.NewClient(srv.Config())
	require.NoError(t, err)
	ctx := context.Background()
	refusing := newInbox(t, mustVerifier(t, srv), http.StatusInternalServerError, http.StatusInternalServerError)
	_, err = c.BackConsume(ctx, rotationCard("FORGETCLK1", refusing.URL()))
	require.NoError(t, err)
	require.NoError(t, srv.WaitNotifications(ctx), "the first attempt made, the retry parked on the clock")
	_, err = c.BackConsume(ctx, rotationCard("FORGETCLK2", newInbox(t, mustVerifier(t, srv)).URL())) // forgets FORGETCLK1
	require.NoError(t, err)
	require.NoError(t, srv.WaitNotifications(ctx))
	clk.Advance(time.Hour)
	require.NoError(t, srv.WaitNotifications(ctx))
	attempts := 0
	for _, d := range srv.Deliveries() {
		if d.OrderID == "FORGETCLK1" {
			attempts++
		}
	}
	assert.Equal(t, 1, attempts, "no retry of the forgotten order")
	assert.Equal(t, 1, refusing.count())
}
