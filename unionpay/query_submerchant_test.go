package unionpay_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/unionpay"
	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

// TestQuerySubMerchant: a query's Transaction names whose transaction it is, as a Notification
// does: a platform's sub-merchant (SubMerID) and an acquirer's acqInsCode (AcqInsCode), the
// transaction's own even when another sub-merchant's Client asked (the fake gateway answers so),
// so that a platform can check the payment is the shop's; none for a direct merchant's or a
// transaction not found.
func TestQuerySubMerchant(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	srv := unionpaytest.NewServer(unionpaytest.WithClock(exampleNow))
	t.Cleanup(srv.Close)
	teaShop := unionpay.SubMerchant{ID: "898111100000001", Name: "杭州西湖龙井茶叶有限公司", Abbr: "龙井茶叶"}
	cfg := srv.Config()
	cfg.AccessType, cfg.SubMerchant = unionpay.AccessPlatform, teaShop
	tea, err := unionpay.NewClient(cfg)
	require.NoError(t, err)
	buns, err := tea.WithSubMerchant(unionpay.SubMerchant{ID: "898111100000002", Name: "上海小笼包餐饮有限公司", Abbr: "小笼包"})
	require.NoError(t, err)

	paid, err := exampleConsume(ctx, tea, srv, "TEA20240105001", 8800)
	require.NoError(t, err)
	assert.Equal(t, unionpay.Succeeded, paid.State)
	assert.Equal(t, teaShop.ID, paid.SubMerID)
	assert.Empty(t, paid.AcqInsCode)

	asked, err := buns.Query(ctx, &unionpay.QueryRequest{OrderID: paid.OrderID, TxnTime: paid.TxnTime})
	require.NoError(t, err)
	assert.Equal(t, teaShop.ID, asked.SubMerID, "the transaction's shop, not the asker's")

	none, err := tea.Query(ctx, &unionpay.QueryRequest{OrderID: "TEA20240105999", TxnTime: paid.TxnTime})
	require.NoError(t, err)
	assert.Equal(t, unionpay.NotFound, none.State)
	assert.Empty(t, none.SubMerID)

	cfg = srv.Config()
	cfg.AccessType, cfg.AcquirerCode = unionpay.AccessAcquirer, "48020000"
	acq, err := unionpay.NewClient(cfg)
	require.NoError(t, err)
	paid, err = exampleConsume(ctx, acq, srv, "ACQ20240105001", 4500)
	require.NoError(t, err)
	assert.Equal(t, "48020000", paid.AcqInsCode)
	assert.Empty(t, paid.SubMerID)

	direct, err := unionpay.NewClient(srv.Config())
	require.NoError(t, err)
	paid, err = exampleConsume(ctx, direct, srv, "DIR20240105001", 100)
	require.NoError(t, err)
	assert.Empty(t, paid.SubMerID)
	assert.Empty(t, paid.AcqInsCode)
}
