package notify_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/notify"
)

// TestNotificationJSONMasksRespMsg: json.Marshal of a Notification shows a card number UnionPay's
// text quotes (respMsg, origRespMsg) masked, however written; the fields keep it as received (it
// showed them whole).
func TestNotificationJSONMasksRespMsg(t *testing.T) {
	t.Parallel()
	for _, msg := range []string{
		"卡号6216261000000000018无效",
		"card 6216\u20132610\u20130000\u20130000\u2013018",
		"card \u0666\u0662\u0661\u0666\u200b\u0662\u0666\u0661\u0660\u200b0000 0000 018",
	} {
		n := notify.Notification{OrderID: "ORDER0001", RespCode: "00", RespMsg: msg, OrigRespMsg: msg}
		out, err := json.Marshal(n)
		require.NoError(t, err)
		assert.NotContains(t, string(out), "2610")
		assert.NotContains(t, string(out), "\u0662\u0666\u0661\u0660")
		assert.Contains(t, string(out), `621626******0018`)
		assert.Equal(t, msg, n.RespMsg)
	}
}
