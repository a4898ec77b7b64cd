package unionpaytest_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/sign"
	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

// TestBackOpenAnswer: the answer to a back open (79 at backTransReq.do, which has no
// notification) carries, for the token product and only when it opened the card, tokenPayData
// with the card's token, the same for the same card and trId, and the trId and tokenType sent,
// as UnionPay's token samples (Form_6_2_BackOpen) read it; 认证支付 2.0's carries none. A token
// back open without tokenPayData is refused as a front one is (13).
func TestBackOpenAnswer(t *testing.T) {
	t.Parallel()
	m := newMerchant(t, unionpaytest.WithReporter(new(recorder)))
	const trID = "{trId=62000000001&tokenType=01}"
	tests := []struct {
		name, orderID, biz string
		card, tokenPayData string
		script             unionpaytest.Outcome // "" = none
		wantCode           string
		wantToken          bool
	}{
		{"token", "BOPEN0001", "000902", unionpaytest.TestCard, trID, "", "00", true},
		{"token, same card", "BOPEN0002", "000902", unionpaytest.TestCard, trID, "", "00", true},
		{"token, another card", "BOPEN0003", "000902", "6221558812340000", trID, "", "00", true},
		{"token, type 02", "BOPEN0004", "000902", unionpaytest.TestCard, "{trId=62000000001&tokenType=02}", "", "00", true},
		{"authenticated payment", "BOPEN0005", "000301", unionpaytest.TestCard, "", "", "00", false},
		{"token, failed", "BOPEN0006", "000902", unionpaytest.TestCard, trID, unionpaytest.Rejected, "30", false},
		{"token without tokenPayData", "BOPEN0007", "000902", unionpaytest.TestCard, "", "", unionpaytest.CodeMissingField, false},
	}
	tokens := map[string]sign.Fields{}
	for _, tt := range tests {
		if tt.script != "" {
			m.srv.Script(tt.orderID, tt.script)
		}
		resp := m.call(unionpaytest.EndpointBack, m.fields("79", "00", tt.biz, "orderId", tt.orderID, "channelType", "07",
			"accNo", tt.card, "tokenPayData", tt.tokenPayData))
		assert.Equal(t, tt.wantCode, resp["respCode"], tt.name)
		if !tt.wantToken {
			assert.NotContains(t, resp, "tokenPayData", tt.name)
			continue
		}
		v, ok := strings.CutPrefix(resp["tokenPayData"], "{")
		require.True(t, ok, "%s: tokenPayData %q", tt.name, resp["tokenPayData"])
		data, err := sign.ParseRaw(strings.TrimSuffix(v, "}"))
		require.NoError(t, err, tt.name)
		assert.Len(t, data["token"], 19, tt.name)
		assert.Equal(t, "62000000001", data["trId"], tt.name)
		tokens[tt.name] = data
	}
	assert.Equal(t, tokens["token"]["token"], tokens["token, same card"]["token"], "the same card and requestor: the same token")
	assert.NotEqual(t, tokens["token"]["token"], tokens["token, another card"]["token"], "another card: another token")
	assert.Equal(t, "01", tokens["token"]["tokenType"])
	assert.Equal(t, "02", tokens["token, type 02"]["tokenType"], "the tokenType sent")
}
