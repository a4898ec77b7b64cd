package unionpaytest_test

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/internal/readmerecipe"
	"github.com/goacp/unionpay/unionpay"
	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

// TestReadmeCollectMonth runs the README's CollectMonth (readmerecipe.CollectMonth, the README's
// text byte for byte) on the fake gateway: a collection accepted, or answered pending, comes out
// Succeeded from its queries; one refused for want of funds Failed; one still pending at the end
// of the schedule Pending with an error matching ErrPending. Called again after a crash, once its
// TxnTime is stale, it queries instead of sending: a collection sent before is found, and
// collected once; one stored but never sent is Pending, "not found", for the settlement files to
// decide, and is in no file.
func TestReadmeCollectMonth(t *testing.T) {
	t.Parallel()
	readme, err := os.ReadFile("../../README.md")
	require.NoError(t, err)
	recipe, err := os.ReadFile("../../internal/readmerecipe/collect.go")
	require.NoError(t, err)
	_, block, ok := strings.Cut(string(recipe), "\n// Debit is one attempt to collect one month's premium.")
	require.True(t, ok)
	require.True(t, strings.Contains(string(readme), "\n// Debit is one attempt to collect one month's premium."+block),
		"readmerecipe.CollectMonth (Debit to the end of CollectMonth) is no longer the README's, byte for byte")

	// The README's BackURL (insurer.example.com) is never reached: notifications are held back.
	srv, _, c0 := clientGateway(t, unionpaytest.WithNotifySchedule(time.Hour))
	cfg := srv.Config()
	cfg.Sleep = func(ctx context.Context, d time.Duration) error { c0.Advance(max(d, 0)); return ctx.Err() }
	c, err := unionpay.NewClient(cfg)
	require.NoError(t, err)
	ctx := context.Background()
	debit := func(orderID string) readmerecipe.Debit {
		return readmerecipe.Debit{OrderID: orderID, TxnTime: c0.Now(), Amount: 12000, Card: unionpaytest.TestCard,
			IDNumber: "341126197709218366", Holder: "张三"}
	}

	for _, tt := range []struct {
		name   string
		id     string
		script []unionpaytest.Outcome
		want   unionpay.State
	}{
		{"accepted", "READMECMOK0001", nil, unionpay.Succeeded},
		{"pending, then collected", "READMECMPEND01", []unionpaytest.Outcome{unionpaytest.Pending, unionpaytest.Pending,
			unionpaytest.Succeed}, unionpay.Succeeded},
		{"accepted, then failed", "READMECMFAIL01", []unionpaytest.Outcome{unionpaytest.Succeed, unionpaytest.Pending,
			unionpaytest.NoBalance}, unionpay.Failed},
		{"refused: insufficient funds", "READMECMNOBAL1", []unionpaytest.Outcome{unionpaytest.NoBalance}, unionpay.Failed},
	} {
		d := debit(tt.id)
		if tt.script != nil {
			srv.Script(d.OrderID, tt.script...)
		}
		state, err := readmerecipe.CollectMonth(ctx, c, d)
		require.NoError(t, err, tt.name)
		assert.Equal(t, tt.want, state, tt.name)
	}

	// Pending to the end of the schedule: query it later, make no new Debit.
	d := debit("READMECMSTILL1")
	srv.Script(d.OrderID, unionpaytest.Pending)
	state, err := readmerecipe.CollectMonth(ctx, c, d)
	require.ErrorIs(t, err, unionpay.ErrPending)
	assert.Equal(t, unionpay.Pending, state)

	// Sent, then a crash; called again twenty minutes later: queried, not sent again.
	sent := debit("READMECMCRASH1")
	state, err = readmerecipe.CollectMonth(ctx, c, sent)
	require.NoError(t, err)
	require.Equal(t, unionpay.Succeeded, state)
	c0.Advance(20 * time.Minute)
	state, err = readmerecipe.CollectMonth(ctx, c, sent)
	require.NoError(t, err, "sent before: found")
	assert.Equal(t, unionpay.Succeeded, state)

	// Stored, a crash before sending; called again twenty minutes later: not found, pending until
	// the files say.
	stored := debit("READMECMCRASH2")
	c0.Advance(20 * time.Minute)
	state, err = readmerecipe.CollectMonth(ctx, c, stored)
	require.ErrorIs(t, err, unionpay.ErrPending)
	assert.Equal(t, unionpay.Pending, state)
	assert.Contains(t, err.Error(), "not found: absent from the files of its settle day and the next, it was never made")

	collected := map[string]int{}
	for _, tx := range srv.Transactions() {
		if tx.TxnType == "11" {
			collected[tx.OrderID]++
		}
	}
	assert.Equal(t, 1, collected["READMECMCRASH1"], "collected once")
	assert.Zero(t, collected["READMECMCRASH2"], "never sent")
	var listed []string
	for _, r := range srv.Records(stored.TxnTime) {
		listed = append(listed, r.OrderID)
	}
	assert.Contains(t, listed, "READMECMCRASH1")
	assert.NotContains(t, listed, "READMECMCRASH2")
}
