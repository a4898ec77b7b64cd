package unionpay_test

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/notify"
	"github.com/goacp/unionpay/sign"
	"github.com/goacp/unionpay/unionpay"
)

// paidNotification is a successful consume's notification to testMerID, as notify decodes one.
func paidNotification() *notify.Notification {
	return &notify.Notification{MerchantID: testMerID, OrderID: "PAY20240105001", TxnType: "01", TxnSubType: "01",
		BizType: "000201", AccessType: "0", QueryID: "782401051030000000011", TxnAmt: 1000, CurrencyCode: "156",
		SettleDate: "0105", RespCode: "00", Raw: sign.Fields{}}
}

// TestFollowUpOn: the request carries the payment's queryId, bizType and amount (or the amount
// asked, within the payment's, 115% of a pre-authorisation's), and the channelType only when the
// notification has one; a notification no follow-up can act on, or one of another merchant,
// access or sub-merchant than the Client's, is refused with a *RequestError naming the field.
func TestFollowUpOn(t *testing.T) {
	t.Parallel()
	platform := func(c *unionpay.Config) {
		c.AccessType, c.SubMerchant = unionpay.AccessPlatform, unionpay.SubMerchant{ID: "898111100000001", Name: "甲店有限公司", Abbr: "甲店"}
	}
	acquirer := func(c *unionpay.Config) { c.AccessType, c.AcquirerCode = unionpay.AccessAcquirer, "48021000123" }
	tests := []struct {
		name   string
		config func(*unionpay.Config)
		edit   func(*notify.Notification)
		amount int64
		want   *unionpay.FollowUpRequest // nil: refused
		field  string
	}{
		{name: "whole amount", want: &unionpay.FollowUpRequest{OrderID: "REFUND20240105001",
			OrigQueryID: "782401051030000000011", Amount: 1000, BizType: "000201"}},
		{name: "part", amount: 1, want: &unionpay.FollowUpRequest{OrderID: "REFUND20240105001",
			OrigQueryID: "782401051030000000011", Amount: 1, BizType: "000201"}},
		{name: "QR payment's bizType", edit: func(n *notify.Notification) { n.BizType = unionpay.BizTypeQRCode },
			want: &unionpay.FollowUpRequest{OrderID: "REFUND20240105001", OrigQueryID: "782401051030000000011",
				Amount: 1000, BizType: "000000"}},
		{name: "channelType given", edit: func(n *notify.Notification) { n.Raw = sign.Fields{"channelType": "08"} },
			want: &unionpay.FollowUpRequest{OrderID: "REFUND20240105001", OrigQueryID: "782401051030000000011",
				Amount: 1000, BizType: "000201", Channel: unionpay.ChannelMobile}},
		{name: "pre-authorisation completed at 115%", edit: func(n *notify.Notification) { n.TxnType = "02" }, amount: 1150,
			want: &unionpay.FollowUpRequest{OrderID: "REFUND20240105001", OrigQueryID: "782401051030000000011",
				Amount: 1150, BizType: "000201"}},
		{name: "platform's shop", config: platform, edit: func(n *notify.Notification) {
			n.AccessType, n.SubMerID = "2", "898111100000001"
		}, want: &unionpay.FollowUpRequest{OrderID: "REFUND20240105001", OrigQueryID: "782401051030000000011",
			Amount: 1000, BizType: "000201"}},
		{name: "acquirer's merchant", config: acquirer, edit: func(n *notify.Notification) {
			n.AccessType, n.AcqInsCode = "1", "48021000123"
		}, want: &unionpay.FollowUpRequest{OrderID: "REFUND20240105001", OrigQueryID: "782401051030000000011",
			Amount: 1000, BizType: "000201"}},
		{name: "platform's shop, no subMerId in the notification: not compared", config: platform,
			edit: func(n *notify.Notification) { n.AccessType = "2" },
			want: &unionpay.FollowUpRequest{OrderID: "REFUND20240105001", OrigQueryID: "782401051030000000011",
				Amount: 1000, BizType: "000201"}},
		{name: "acquirer's merchant, no acqInsCode in the notification: not compared", config: acquirer,
			edit: func(n *notify.Notification) { n.AccessType = "1" },
			want: &unionpay.FollowUpRequest{OrderID: "REFUND20240105001", OrigQueryID: "782401051030000000011",
				Amount: 1000, BizType: "000201"}},
		{name: "direct merchant's, an acqInsCode named: not compared", edit: func(n *notify.Notification) {
			n.AcqInsCode = "48021000123"
		}, want: &unionpay.FollowUpRequest{OrderID: "REFUND20240105001", OrigQueryID: "782401051030000000011",
			Amount: 1000, BizType: "000201"}},
		{name: "no accessType in the notification", edit: func(n *notify.Notification) { n.AccessType = "" },
			want: &unionpay.FollowUpRequest{OrderID: "REFUND20240105001", OrigQueryID: "782401051030000000011",
				Amount: 1000, BizType: "000201"}},

		{name: "a refund's notification", edit: func(n *notify.Notification) { n.TxnType, n.OrigQueryID = "04", "1" },
			field: "Notification.TxnType"},
		{name: "a query answer", edit: func(n *notify.Notification) { n.OrigRespCode = "00" }, field: "Notification.OrigRespCode"},
		{name: "failed", edit: func(n *notify.Notification) { n.RespCode = "51" }, field: "Notification.RespCode"},
		{name: "no settleDate: pending", edit: func(n *notify.Notification) { n.SettleDate = "" }, field: "Notification.RespCode"},
		{name: "no queryId", edit: func(n *notify.Notification) { n.QueryID = "" }, field: "Notification.QueryID"},
		{name: "no amount", edit: func(n *notify.Notification) { n.TxnAmt = 0 }, field: "Notification.TxnAmt"},
		{name: "no bizType", edit: func(n *notify.Notification) { n.BizType = "" }, field: "Notification.BizType"},
		{name: "another merchant's", edit: func(n *notify.Notification) { n.MerchantID = "777290058110049" },
			field: "Notification.MerchantID"},
		{name: "a shop's, on the platform's own Client", edit: func(n *notify.Notification) {
			n.AccessType, n.SubMerID = "2", "898111100000001"
		}, field: "Notification.SubMerID"},
		{name: "another shop's", config: platform, edit: func(n *notify.Notification) {
			n.AccessType, n.SubMerID = "2", "898111100000002"
		}, field: "Notification.SubMerID"},
		{name: "direct payment, on a shop's Client", config: platform, field: "Notification.AccessType"},
		{name: "acquirer's, on a direct Client", edit: func(n *notify.Notification) {
			n.AccessType, n.AcqInsCode = "1", "48021000123"
		}, field: "Notification.AccessType"},
		{name: "another acquirer's", config: acquirer, edit: func(n *notify.Notification) {
			n.AccessType, n.AcqInsCode = "1", "48021000999"
		}, field: "Notification.AcqInsCode"},
		{name: "another access", edit: func(n *notify.Notification) { n.AccessType = "2" }, field: "Notification.AccessType"},
		{name: "negative amount", amount: -1, field: "amount"},
		{name: "more than paid", amount: 1001, field: "amount"},
		{name: "completion above 115%", edit: func(n *notify.Notification) { n.TxnType = "02" }, amount: 1151, field: "amount"},
		{name: "beyond 12 digits", edit: func(n *notify.Notification) { n.TxnType = "02" }, amount: 1 << 62, field: "amount"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			cfg := testConfig(t, "http://127.0.0.1:1")
			if tt.config != nil {
				tt.config(&cfg)
			}
			c, err := unionpay.NewClient(cfg)
			require.NoError(t, err)
			n := paidNotification()
			if tt.edit != nil {
				tt.edit(n)
			}
			r, err := c.FollowUpOn(n, "REFUND20240105001", tt.amount)
			if tt.want != nil {
				require.NoError(t, err)
				assert.Equal(t, tt.want, r)
				return
			}
			assert.Nil(t, r)
			var re *unionpay.RequestError
			require.True(t, errors.As(err, &re), "%v", err)
			assert.Equal(t, tt.field, re.Field, re.Error())
			assert.Equal(t, "follow-up", re.Op)
		})
	}
}

// TestFollowUpOnNil: a nil notification is refused naming it, and the zero Client as its other
// calls are.
func TestFollowUpOnNil(t *testing.T) {
	t.Parallel()
	c, err := unionpay.NewClient(testConfig(t, "http://127.0.0.1:1"))
	require.NoError(t, err)
	_, err = c.FollowUpOn(nil, "REFUND20240105001", 0)
	var re *unionpay.RequestError
	require.ErrorAs(t, err, &re)
	assert.Equal(t, "Notification", re.Field)

	_, err = new(unionpay.Client).FollowUpOn(paidNotification(), "REFUND20240105001", 0)
	var ce *unionpay.ConfigError
	require.ErrorAs(t, err, &ce)
	assert.Equal(t, "Client", ce.Field)
}

// TestClientSubMerchant: the accessor gives the configured sub-merchant, the one WithSubMerchant
// gave a derived Client, and the zero one for a direct merchant.
func TestClientSubMerchant(t *testing.T) {
	t.Parallel()
	shop := unionpay.SubMerchant{ID: "898111100000001", Name: "甲店有限公司", Abbr: "甲店"}
	other := unionpay.SubMerchant{ID: "898111100000002", Name: "乙店有限公司", Abbr: "乙店"}
	cfg := testConfig(t, "http://127.0.0.1:1")
	direct, err := unionpay.NewClient(cfg)
	require.NoError(t, err)
	assert.Equal(t, unionpay.SubMerchant{}, direct.SubMerchant())
	cfg.AccessType, cfg.SubMerchant = unionpay.AccessPlatform, shop
	platform, err := unionpay.NewClient(cfg)
	require.NoError(t, err)
	assert.Equal(t, shop, platform.SubMerchant())
	derived, err := platform.WithSubMerchant(other)
	require.NoError(t, err)
	assert.Equal(t, other, derived.SubMerchant())
	assert.Equal(t, shop, platform.SubMerchant(), "the platform's own is unchanged")
}

// TestFollowUpOnStoredJSON: a notification stored as its JSON (which leaves out Raw) and read back
// builds the same request.
func TestFollowUpOnStoredJSON(t *testing.T) {
	t.Parallel()
	c, err := unionpay.NewClient(testConfig(t, "http://127.0.0.1:1"))
	require.NoError(t, err)
	n := paidNotification()
	n.BizType = unionpay.BizTypeQRCode
	b, err := json.Marshal(n)
	require.NoError(t, err)
	var stored notify.Notification
	require.NoError(t, json.Unmarshal(b, &stored))
	want, err := c.FollowUpOn(n, "REFUND20240105001", 500)
	require.NoError(t, err)
	got, err := c.FollowUpOn(&stored, "REFUND20240105001", 500)
	require.NoError(t, err)
	assert.Equal(t, want, got)
	assert.Equal(t, unionpay.BizTypeQRCode, got.BizType)
}
