package unionpaytest_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/sign"
	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

// TestTokenPayment: a consume by token (01, bizType 000902, tokenPayData {trId=...&token=...}
// and no accNo, as upacp_demo_wtz_token's Form_6_7_Consume sends it) and its SMS (77/02,
// Form_6_6_SmsConsume) are accepted for a token an open of the gateway issued to that trId, and
// refused 89 for a token it did not issue or issued to another requestor; a consume of the token
// product naming neither a card nor a token is refused 13. An accepted consume is queried as a
// consume by card is, for its amount, and takes over its SMS's orderId.
func TestTokenPayment(t *testing.T) {
	t.Parallel()
	m := newMerchant(t)
	open := m.call(unionpaytest.EndpointBack, m.fields("79", "00", "000902", "orderId", "TKOPEN01", "channelType", "07",
		"accNo", unionpaytest.TestCard, "tokenPayData", "{trId=62000000001&tokenType=01}"))
	require.Equal(t, "00", open["respCode"], open["respMsg"])
	v, ok := strings.CutPrefix(open["tokenPayData"], "{")
	require.True(t, ok)
	data, err := sign.ParseRaw(strings.TrimSuffix(v, "}"))
	require.NoError(t, err)
	token := data["token"]
	require.Len(t, token, 19)
	other := "1" + token[1:]
	if other == token {
		other = "2" + token[1:]
	}
	pay := func(token, trID string) string { return "{trId=" + trID + "&token=" + token + "}" }
	const backURL = "http://127.0.0.1:1/n"
	tests := []struct {
		name, txnType, sub, orderID string
		kv                          []string
		wantCode                    string
	}{
		{"SMS", "77", "02", "TKPAY001", []string{"tokenPayData", pay(token, "62000000001")}, "00"},
		{"consume after its SMS", "01", "01", "TKPAY001", []string{"tokenPayData", pay(token, "62000000001"),
			"backUrl", backURL}, "00"},
		{"consume without SMS", "01", "01", "TKPAY002", []string{"tokenPayData", pay(token, "62000000001"),
			"backUrl", backURL}, "00"},
		{"SMS, unknown token", "77", "02", "TKPAY003", []string{"tokenPayData", pay(other, "62000000001")},
			unionpaytest.CodeInvalidToken},
		{"SMS, another requestor's", "77", "02", "TKPAY004", []string{"tokenPayData", pay(token, "62000000002")},
			unionpaytest.CodeInvalidToken},
		{"consume, unknown token", "01", "01", "TKPAY005", []string{"tokenPayData", pay(other, "62000000001"),
			"backUrl", backURL}, unionpaytest.CodeInvalidToken},
		{"consume, another requestor's", "01", "01", "TKPAY006", []string{"tokenPayData", pay(token, "62000000002"),
			"backUrl", backURL}, unionpaytest.CodeInvalidToken},
		{"consume, no requestor", "01", "01", "TKPAY007", []string{"tokenPayData", "{token=" + token + "}",
			"backUrl", backURL}, unionpaytest.CodeInvalidToken},
		{"consume, no token", "01", "01", "TKPAY008", []string{"tokenPayData", "{trId=62000000001}",
			"backUrl", backURL}, unionpaytest.CodeMissingField},
		{"consume, neither card nor token", "01", "01", "TKPAY009", []string{"backUrl", backURL},
			unionpaytest.CodeMissingField},
	}
	for _, tt := range tests {
		kv := append([]string{"orderId", tt.orderID, "txnAmt", "1234", "currencyCode", "156", "channelType", "07"}, tt.kv...)
		resp := m.call(unionpaytest.EndpointBack, m.fields(tt.txnType, tt.sub, "000902", kv...))
		assert.Equal(t, tt.wantCode, resp["respCode"], "%s: %s", tt.name, resp["respMsg"])
		assert.NotContains(t, resp["respMsg"], token, tt.name)
		assert.NotContains(t, resp, "tokenPayData", "%s: the answer does not echo the token", tt.name)
	}
	for _, orderID := range []string{"TKPAY001", "TKPAY002"} {
		q := m.query(orderID, m.clock.Now().Format("20060102150405"))
		assert.Equal(t, "00", q["origRespCode"], orderID)
		assert.Equal(t, "01", q["txnType"], orderID)
		assert.Equal(t, "1234", q["txnAmt"], orderID)
	}
	q := m.query("TKPAY005", m.clock.Now().Format("20060102150405"))
	assert.Equal(t, unionpaytest.CodeNotFound, q["respCode"], "a refused consume by token is not recorded")
}
