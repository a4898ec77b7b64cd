package unionpay_test

import (
	"errors"
	"math/big"
	"reflect"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/notify"
	"github.com/goacp/unionpay/sign"
	"github.com/goacp/unionpay/unionpay"
)

// FuzzFollowUpOn builds a follow-up from a notification of arbitrary field values, with a direct
// merchant's, a platform shop's or an acquirer's Client. It never panics nor changes the
// notification; a refusal is a *RequestError of Op "follow-up" and no request; a request built
// is for a succeeded payment (txnType 01, 02 or 03, no origRespCode) of the Client's merchant,
// names its queryId and its bizType of 6 ASCII digits, and asks for the amount given (the
// payment's for 0), above 0 and at most the payment's (115% of a pre-authorisation's).
func FuzzFollowUpOn(f *testing.F) {
	shop := unionpay.SubMerchant{ID: "898111100000001", Name: "甲店有限公司", Abbr: "甲店"}
	clients := make([]*unionpay.Client, 3)
	for i := range clients {
		cfg := testConfig(f, "http://127.0.0.1:1")
		switch i {
		case 1:
			cfg.AccessType, cfg.SubMerchant = unionpay.AccessPlatform, shop
		case 2:
			cfg.AccessType, cfg.AcquirerCode = unionpay.AccessAcquirer, "48021000123"
		}
		c, err := unionpay.NewClient(cfg)
		require.NoError(f, err)
		clients[i] = c
	}
	n := paidNotification()
	add := func(client byte, edit func(*notify.Notification), txnAmt, amount int64) {
		n := paidNotification()
		if edit != nil {
			edit(n)
		}
		f.Add(client, n.MerchantID, n.TxnType, n.OrigRespCode, n.QueryID, n.BizType, n.RespCode, n.SettleDate,
			n.AccessType, n.AcqInsCode, n.SubMerID, "", txnAmt, amount)
	}
	add(0, nil, n.TxnAmt, 0)
	add(0, nil, n.TxnAmt, 1)
	add(0, func(n *notify.Notification) { n.TxnType = "02" }, 1000, 1150)
	add(0, func(n *notify.Notification) { n.TxnType = "02" }, 999999999999, 1149999999998)
	add(0, func(n *notify.Notification) { n.TxnType = "02" }, 1<<62, 1<<62)
	add(0, nil, -1, 0)
	add(0, func(n *notify.Notification) { n.BizType = "00020１" }, 1000, 0)
	add(1, func(n *notify.Notification) { n.AccessType, n.SubMerID = "2", "898111100000001" }, 1000, 0)
	add(2, func(n *notify.Notification) { n.AccessType, n.AcqInsCode = "1", "48021000123" }, 1000, 0)
	f.Fuzz(func(t *testing.T, client byte, merID, txnType, origRespCode, queryID, bizType, respCode, settleDate,
		accessType, acqInsCode, subMerID, channelType string, txnAmt, amount int64) {
		c := clients[int(client)%len(clients)]
		n := &notify.Notification{MerchantID: merID, TxnType: txnType, OrigRespCode: origRespCode, QueryID: queryID,
			BizType: bizType, RespCode: respCode, SettleDate: settleDate, AccessType: accessType, AcqInsCode: acqInsCode,
			SubMerID: subMerID, TxnAmt: txnAmt, OrderID: "PAY20240105001", CurrencyCode: "156", Raw: sign.Fields{}}
		if channelType != "" {
			n.Raw["channelType"] = channelType
		}
		before := *n
		before.Raw = sign.Fields{}
		for k, v := range n.Raw {
			before.Raw[k] = v
		}
		r, err := c.FollowUpOn(n, "REFUND20240105001", amount)
		require.True(t, reflect.DeepEqual(&before, n), "the notification was changed: %+v", n)
		if err != nil {
			require.Nil(t, r)
			var re *unionpay.RequestError
			require.True(t, errors.As(err, &re), "error %T: %v", err, err)
			require.Equal(t, "follow-up", re.Op)
			return
		}
		require.NotNil(t, r)
		require.Contains(t, []string{"01", "02", "03"}, n.TxnType, "a follow-up of txnType %q", n.TxnType)
		require.Empty(t, n.OrigRespCode, "a follow-up of a query's answer")
		require.Equal(t, notify.Succeeded, n.Status(), "a follow-up of a payment that did not succeed")
		require.Equal(t, testMerID, n.MerchantID, "a follow-up of another merchant's payment")
		require.NotEmpty(t, r.OrigQueryID)
		require.Equal(t, n.QueryID, r.OrigQueryID)
		require.Equal(t, "REFUND20240105001", r.OrderID)
		require.Equal(t, n.BizType, r.BizType)
		require.Len(t, r.BizType, 6)
		for i := range len(r.BizType) {
			require.True(t, '0' <= r.BizType[i] && r.BizType[i] <= '9', "bizType %q is not 6 digits", r.BizType)
		}
		if amount == 0 {
			require.Equal(t, n.TxnAmt, r.Amount, "0 asks for the payment's amount")
		} else {
			require.Equal(t, amount, r.Amount)
		}
		require.Positive(t, r.Amount)
		// r.Amount*100 <= TxnAmt*115, in big numbers: a TxnAmt past int64's range/115 must not wrap.
		limit := new(big.Int).Mul(big.NewInt(n.TxnAmt), big.NewInt(115))
		require.True(t, new(big.Int).Mul(big.NewInt(r.Amount), big.NewInt(100)).Cmp(limit) <= 0,
			"amount %d is more than 115%% of the payment's %d", r.Amount, n.TxnAmt)
		if n.TxnType != "02" {
			require.LessOrEqual(t, r.Amount, n.TxnAmt, "more than the payment's amount")
		}
		if r.Channel != "" {
			require.Equal(t, channelType, string(r.Channel))
		}
	})
}
