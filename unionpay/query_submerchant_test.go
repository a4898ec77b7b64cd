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
	srv, teaShop, tea, buns := twoShops(t)

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

	cfg := srv.Config()
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

// TestQueryExpectedSubMerchant: a QueryRequest naming the shop asked about (SubMerID) reads
// another shop's transaction under that orderId as NotFound, with it in Other, as it reads another
// txnType or amount; the same shop's, or an answer naming none, as found; an invalid SubMerID is
// refused before anything is sent.
func TestQueryExpectedSubMerchant(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	srv, teaShop, tea, buns := twoShops(t)
	paid, err := exampleConsume(ctx, tea, srv, "TEA20240105002", 8800)
	require.NoError(t, err)
	direct, err := unionpay.NewClient(srv.Config())
	require.NoError(t, err)
	own, err := exampleConsume(ctx, direct, srv, "DIR20240105002", 100)
	require.NoError(t, err)

	for _, tt := range []struct {
		name     string
		c        *unionpay.Client
		orderID  string
		subMerID string
		want     unionpay.State
		refused  bool
	}{
		{"the shop's own", tea, paid.OrderID, tea.SubMerchant().ID, unionpay.Succeeded, false},
		{"trimmed", tea, paid.OrderID, " " + teaShop.ID + " ", unionpay.Succeeded, false},
		{"another shop's", buns, paid.OrderID, buns.SubMerchant().ID, unionpay.NotFound, false},
		{"not compared", buns, paid.OrderID, "", unionpay.Succeeded, false},
		{"an answer naming none", direct, own.OrderID, "898111100000002", unionpay.Succeeded, false},
		{"16 characters", buns, paid.OrderID, "8981111000000021", "", true},
		{"not letters or digits", buns, paid.OrderID, "898-1", "", true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			tx, err := tt.c.Query(ctx, &unionpay.QueryRequest{OrderID: tt.orderID, TxnTime: paid.TxnTime, SubMerID: tt.subMerID})
			if tt.refused {
				var re *unionpay.RequestError
				require.ErrorAs(t, err, &re)
				assert.Equal(t, "SubMerID", re.Field)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, tx.State)
			if tt.want == unionpay.NotFound {
				require.NotNil(t, tx.Other)
				assert.Equal(t, teaShop.ID, tx.Other.SubMerID)
			}
		})
	}

	// A shop's Result asks for its own shop.
	res, err := tea.Refund(ctx, &unionpay.FollowUpRequest{OrderID: "TEAREF20240105002", OrigQueryID: paid.QueryID,
		Amount: 100, BackURL: "https://platform.example/notify"})
	require.NoError(t, err)
	assert.Equal(t, teaShop.ID, res.QueryRequest().SubMerID)
}

// twoShops starts a fake gateway and returns it with a platform's tea shop, its Client, and the
// Client of another of its shops (WithSubMerchant).
func twoShops(t *testing.T) (srv *unionpaytest.Server, teaShop unionpay.SubMerchant, tea, buns *unionpay.Client) {
	t.Helper()
	srv = unionpaytest.NewServer(unionpaytest.WithClock(exampleNow))
	t.Cleanup(srv.Close)
	teaShop = unionpay.SubMerchant{ID: "898111100000001", Name: "杭州西湖龙井茶叶有限公司", Abbr: "龙井茶叶"}
	cfg := srv.Config()
	cfg.AccessType, cfg.SubMerchant = unionpay.AccessPlatform, teaShop
	tea, err := unionpay.NewClient(cfg)
	require.NoError(t, err)
	buns, err = tea.WithSubMerchant(unionpay.SubMerchant{ID: "898111100000002", Name: "上海小笼包餐饮有限公司", Abbr: "小笼包"})
	require.NoError(t, err)
	return srv, teaShop, tea, buns
}
