package unionpaytest_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/sign"
	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

// answerToken reads the token of an answer's tokenPayData {token=...&...}.
func answerToken(t *testing.T, resp sign.Fields) string {
	t.Helper()
	v, ok := strings.CutPrefix(resp["tokenPayData"], "{")
	require.True(t, ok, "tokenPayData %q", resp["tokenPayData"])
	data, err := sign.ParseRaw(strings.TrimSuffix(v, "}"))
	require.NoError(t, err)
	return data["token"]
}

// TestTokenDeleteUpdate: the token product's update (79/03, tokenPayData {trId=...&token=...&
// tokenType=01} and customerInfo, no accNo, as upacp_demo_wtz_token's Form_6_5_UpdateToken sends
// it) answers 00 with the same token, which goes on paying; its delete (74/01, {trId=...&token=...},
// Form_6_4_DeleteToken) answers 00, after which the token is refused 89 by a consume, its SMS, a
// second delete and an update, and the card's next open, like the open query of its first open,
// gives another token, which pays. A token the gateway did not issue is refused 89, a
// tokenPayData without token 13.
func TestTokenDeleteUpdate(t *testing.T) {
	t.Parallel()
	m := newMerchant(t)
	const trID = "62000000001"
	openFields := func(orderID string) sign.Fields {
		return m.fields("79", "00", "000902", "orderId", orderID, "channelType", "07", "accNo", unionpaytest.TestCard,
			"tokenPayData", "{trId="+trID+"&tokenType=01}")
	}
	open := m.call(unionpaytest.EndpointBack, openFields("TKMOPEN1"))
	require.Equal(t, "00", open["respCode"], open["respMsg"])
	token := answerToken(t, open)
	named := func(token string) string { return "{trId=" + trID + "&token=" + token + "}" }
	update := func(orderID, token string) sign.Fields {
		return m.call(unionpaytest.EndpointBack, m.fields("79", "03", "000902", "orderId", orderID, "channelType", "07",
			"tokenPayData", "{trId="+trID+"&token="+token+"&tokenType=01}", "customerInfo", "e3Bob25lTm89MTM1NTI1MzU1MDZ9"))
	}
	remove := func(orderID, tokenPayData string) sign.Fields {
		return m.call(unionpaytest.EndpointBack, m.fields("74", "01", "000902", "orderId", orderID, "channelType", "07",
			"tokenPayData", tokenPayData))
	}
	pay := func(orderID, token string) sign.Fields {
		return m.call(unionpaytest.EndpointBack, m.fields("01", "01", "000902", "orderId", orderID, "txnAmt", "1234",
			"currencyCode", "156", "channelType", "07", "backUrl", "http://127.0.0.1:1/n", "tokenPayData", named(token)))
	}
	sms := func(orderID, token string) sign.Fields {
		return m.call(unionpaytest.EndpointBack, m.fields("77", "02", "000902", "orderId", orderID, "txnAmt", "1234",
			"currencyCode", "156", "channelType", "07", "tokenPayData", named(token)))
	}

	up := update("TKMUPD01", token)
	require.Equal(t, "00", up["respCode"], up["respMsg"])
	assert.Equal(t, token, answerToken(t, up), "an update keeps the token")
	assert.NotEmpty(t, up["queryId"])
	assert.Equal(t, "00", pay("TKMPAY01", token)["respCode"], "the updated token pays")

	other := "1" + token[1:]
	tests := []struct {
		name string
		resp sign.Fields
		want string
	}{
		{"delete, unknown token", remove("TKMDEL01", named(other)), unionpaytest.CodeInvalidToken},
		{"delete, another requestor's", remove("TKMDEL02", "{trId=62000000002&token="+token+"}"), unionpaytest.CodeInvalidToken},
		{"delete, no token", remove("TKMDEL03", "{trId="+trID+"}"), unionpaytest.CodeMissingField},
		{"update, unknown token", update("TKMUPD02", other), unionpaytest.CodeInvalidToken},
		{"delete", remove("TKMDEL04", named(token)), unionpaytest.CodeSuccess},
		{"consume by the deleted token", pay("TKMPAY02", token), unionpaytest.CodeInvalidToken},
		{"SMS by the deleted token", sms("TKMSMS01", token), unionpaytest.CodeInvalidToken},
		{"delete again", remove("TKMDEL05", named(token)), unionpaytest.CodeInvalidToken},
		{"update of the deleted token", update("TKMUPD03", token), unionpaytest.CodeInvalidToken},
		{"orderId taken", remove("TKMDEL04", named(token)), unionpaytest.CodeDuplicate},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, tt.resp["respCode"], "%s: %s", tt.name, tt.resp["respMsg"])
		assert.NotContains(t, tt.resp["respMsg"], token, tt.name)
	}

	q := m.call(unionpaytest.EndpointBack, m.fields("78", "02", "000902", "orderId", "TKMOPEN1", "channelType", "07",
		"txnTime", m.clock.Now().Format("20060102150405")))
	require.Equal(t, "00", q["respCode"], q["respMsg"])
	renewed := answerToken(t, q)
	assert.NotEqual(t, token, renewed, "after a delete the card has another token")
	reopen := m.call(unionpaytest.EndpointBack, openFields("TKMOPEN2"))
	require.Equal(t, "00", reopen["respCode"], reopen["respMsg"])
	assert.Equal(t, renewed, answerToken(t, reopen), "the open after the delete gives it")
	assert.Equal(t, "00", pay("TKMPAY03", renewed)["respCode"], "the new token pays")
}

// TestTokenDeleteUpdateChecks: the fake takes the delete (74) of the token product only, at
// backTransReq.do (not queryTrans.do, where UnionPay's .NET token sample posts it), with
// tokenPayData; the update (79/03) needs customerInfo; a refusal is reported as a protocol
// violation.
func TestTokenDeleteUpdateChecks(t *testing.T) {
	t.Parallel()
	m := newMerchant(t, unionpaytest.WithReporter(new(recorder)))
	const named = "{trId=62000000001&token=6235240000020757548}"
	tests := []struct {
		name              string
		ep                unionpaytest.Endpoint
		txnType, sub, biz string
		kv                []string
		want              string
	}{
		{"delete at queryTrans.do", unionpaytest.EndpointQuery, "74", "01", "000902",
			[]string{"orderId", "TKMCHK01", "channelType", "07", "tokenPayData", named}, unionpaytest.CodeNotAllowed},
		{"delete, another product", unionpaytest.EndpointBack, "74", "01", "000501",
			[]string{"orderId", "TKMCHK02", "channelType", "07", "tokenPayData", named}, unionpaytest.CodeNotAllowed},
		{"delete without tokenPayData", unionpaytest.EndpointBack, "74", "01", "000902",
			[]string{"orderId", "TKMCHK03", "channelType", "07"}, unionpaytest.CodeMissingField},
		{"update without customerInfo", unionpaytest.EndpointBack, "79", "03", "000902",
			[]string{"orderId", "TKMCHK04", "channelType", "07", "tokenPayData", named}, unionpaytest.CodeMissingField},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := m.call(tt.ep, m.fields(tt.txnType, tt.sub, tt.biz, tt.kv...))
			assert.Equal(t, tt.want, resp["respCode"], resp["respMsg"])
		})
	}
}

// TestTokenDeleteScriptedAndAfterSMS: a delete scripted to fail answers the script's code and
// leaves the token paying; an update sent under its SMS's orderId and txnTime (as the .NET
// token sample sends it) is taken, and counts as an open of the token's card.
func TestTokenDeleteScriptedAndAfterSMS(t *testing.T) {
	t.Parallel()
	m := newMerchant(t)
	const trID = "62000000001"
	open := m.call(unionpaytest.EndpointBack, m.fields("79", "00", "000902", "orderId", "TKSOPEN1", "channelType", "07",
		"accNo", unionpaytest.TestCard, "tokenPayData", "{trId="+trID+"&tokenType=01}"))
	require.Equal(t, "00", open["respCode"], open["respMsg"])
	token := answerToken(t, open)
	named := "{trId=" + trID + "&token=" + token + "}"

	m.srv.Script("TKSDEL01", unionpaytest.Rejected)
	del := m.call(unionpaytest.EndpointBack, m.fields("74", "01", "000902", "orderId", "TKSDEL01", "channelType", "07",
		"tokenPayData", named))
	assert.Equal(t, "30", del["respCode"], "the scripted refusal answers")
	pay := m.call(unionpaytest.EndpointBack, m.fields("01", "01", "000902", "orderId", "TKSPAY01", "txnAmt", "1234",
		"currencyCode", "156", "channelType", "07", "backUrl", "http://127.0.0.1:1/n", "tokenPayData", named))
	assert.Equal(t, "00", pay["respCode"], "a refused delete leaves the token paying: %s", pay["respMsg"])

	sms := m.fields("77", "00", "000301", "orderId", "TKSUPD01", "channelType", "07", "accNo", unionpaytest.TestCard)
	require.Equal(t, "00", m.call(unionpaytest.EndpointBack, sms)["respCode"])
	up := m.fields("79", "03", "000902", "orderId", "TKSUPD01", "channelType", "07",
		"tokenPayData", "{trId="+trID+"&token="+token+"&tokenType=01}", "customerInfo", "e3Bob25lTm89MTM1NTI1MzU1MDZ9")
	up["txnTime"] = sms["txnTime"]
	resp := m.call(unionpaytest.EndpointBack, up)
	require.Equal(t, "00", resp["respCode"], "the update under its SMS's orderId and txnTime: %s", resp["respMsg"])
	st := m.call(unionpaytest.EndpointBack, m.fields("78", "02", "000902", "orderId", "TKSUPD01", "channelType", "07",
		"txnTime", sms["txnTime"]))
	require.Equal(t, "00", st["respCode"], "the open query of the update: %s", st["respMsg"])
	assert.Equal(t, token, answerToken(t, st), "the update counts as an open of the token's card")
}
