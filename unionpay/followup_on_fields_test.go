package unionpay_test

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/notify"
	"github.com/goacp/unionpay/sign"
	"github.com/goacp/unionpay/unionpay"
)

// TestFollowUpOnFieldShapes: a notification whose amount is beyond 12 digits, or whose bizType
// is not 6 digits (5 digits, or 6 characters not all digits), is refused naming the field; the
// request carries the notification's channelType only when it is 07 or 08, the two a follow-up
// is sent under.
func TestFollowUpOnFieldShapes(t *testing.T) {
	t.Parallel()
	c, err := unionpay.NewClient(testConfig(t, "http://127.0.0.1:1"))
	require.NoError(t, err)
	refused := []struct {
		name  string
		edit  func(*notify.Notification)
		field string
	}{
		{"amount beyond 12 digits", func(n *notify.Notification) { n.TxnAmt = 1_000_000_000_000 }, "Notification.TxnAmt"},
		{"bizType of 5 digits", func(n *notify.Notification) { n.BizType = "00020" }, "Notification.BizType"},
		{"bizType of 7 digits", func(n *notify.Notification) { n.BizType = "0002010" }, "Notification.BizType"},
		{"bizType with a letter", func(n *notify.Notification) { n.BizType = "00020A" }, "Notification.BizType"},
	}
	for _, tt := range refused {
		n := paidNotification()
		tt.edit(n)
		r, err := c.FollowUpOn(n, "REFUND20240105001", 0)
		assert.Nil(t, r, tt.name)
		var re *unionpay.RequestError
		require.True(t, errors.As(err, &re), "%s: %v", tt.name, err)
		assert.Equal(t, tt.field, re.Field, "%s: %v", tt.name, err)
	}
	for channelType, want := range map[string]unionpay.Channel{
		"07": unionpay.ChannelPC, "08": unionpay.ChannelMobile, "05": "", "": "",
	} {
		n := paidNotification()
		n.Raw = sign.Fields{"channelType": channelType}
		r, err := c.FollowUpOn(n, "REFUND20240105001", 0)
		require.NoError(t, err, channelType)
		assert.Equal(t, want, r.Channel, "channelType %q", channelType)
	}
}
