package notify_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/notify"
	"github.com/goacp/unionpay/sign"
)

// foreignCardFields is a successful consume paid in JPY (392) by a card issued outside mainland
// China, settled to the merchant in CNY: txnAmt is in yen (no minor unit), settleAmt in fen.
func foreignCardFields(orderID string) sign.Fields {
	f := consumeFields(orderID)
	f["currencyCode"] = "392"
	f["txnAmt"] = "1000"    // ¥1000 JPY
	f["settleAmt"] = "4830" // ¥48.30 CNY
	f["settleCurrencyCode"] = "156"
	f["exchangeRate"] = "30048300" // ISO 8583 conversion rate: first digit is the decimal position
	f["exchangeDate"] = "0601"
	f["payCardType"] = "02"
	f["accType"] = "01"
	f["issInsCode"] = "UPOP0001"
	return f
}

// TestCurrencyForeignCardNotificationParses: a notification whose txnAmt and settleAmt are in different
// currencies verifies and is decoded field by field; nothing compares txnAmt with settleAmt.
func TestCurrencyForeignCardNotificationParses(t *testing.T) {
	p := testPKI()
	n, err := notify.Parse(p.verifier(t), []byte(encode(t, signWith(t, p.leaf, foreignCardFields("XBJPY0001")))))
	require.NoError(t, err)
	assert.Equal(t, int64(1000), n.TxnAmt)
	assert.Equal(t, "392", n.CurrencyCode)
	assert.Equal(t, int64(4830), n.SettleAmt)
	assert.Equal(t, "156", n.SettleCurrency)
	assert.Equal(t, "30048300", n.Raw["exchangeRate"])
	assert.Equal(t, "0601", n.Raw["exchangeDate"])
	assert.Equal(t, "02", n.Raw["payCardType"])
	assert.Equal(t, notify.Succeeded, n.Status())
}

// TestCurrencyForeignCardNotificationString: the one-line summary of a JPY notification must not call
// 1000 yen "1000 fen" (a log reader takes it for ¥10.00); it should name the currency.
func TestCurrencyForeignCardNotificationString(t *testing.T) {
	p := testPKI()
	n, err := notify.Parse(p.verifier(t), []byte(encode(t, signWith(t, p.leaf, foreignCardFields("XBJPY0002")))))
	require.NoError(t, err)
	s := n.String()
	assert.NotContains(t, s, "1000 fen", "a JPY amount printed as fen: %s", s)
	assert.Contains(t, s, "392", "the currency should be in the summary: %s", s)
}

// TestCurrencyNamesInNotification: non-Chinese text (accented Latin, kana, emoji) in reqReserved and
// orderDesc decodes as sent, in UTF-8 and (emoji aside, which GBK lacks) in GBK notifications.
func TestCurrencyNamesInNotification(t *testing.T) {
	p := testPKI()
	for _, tc := range []struct{ enc, reserved, desc string }{
		{"UTF-8", "José Müller やまだ 🙂", "Café crème — ヤマダ 🎁"},
		{"GBK", "José Müller やまだ ヤマダ", "àéè üǘ カタカナ"},
	} {
		f := foreignCardFields("XBNAME0001")
		f["encoding"], f["reqReserved"], f["orderDesc"] = tc.enc, tc.reserved, tc.desc
		body := encode(t, signWith(t, p.leaf, f))
		n, err := notify.Parse(p.verifier(t), []byte(body))
		require.NoError(t, err, tc.enc)
		assert.Equal(t, tc.reserved, n.ReqReserved, tc.enc)
		assert.Equal(t, tc.desc, n.Raw["orderDesc"], tc.enc)
		if tc.enc == "GBK" {
			assert.False(t, strings.Contains(body, "%E3"), "GBK body must not carry UTF-8 bytes")
		}
	}
}

// TestCurrencyForeignCardNotificationLogValue: the log form of a JPY notification carries its currency.
func TestCurrencyForeignCardNotificationLogValue(t *testing.T) {
	p := testPKI()
	n, err := notify.Parse(p.verifier(t), []byte(encode(t, signWith(t, p.leaf, foreignCardFields("XBJPY0003")))))
	require.NoError(t, err)
	found := false
	for _, a := range n.LogValue().Group() {
		if a.Key == "currencyCode" {
			found = a.Value.String() == "392"
		}
	}
	assert.True(t, found, "LogValue has txnAmt 1000 but no currencyCode: %v", n.LogValue())
}

// TestReview14AmountWithoutCurrency: a notification without a currencyCode is in fen (156), as
// String prints it, and LogValue adds no empty currencyCode.
func TestReview14AmountWithoutCurrency(t *testing.T) {
	t.Parallel()
	n := notify.Notification{MerchantID: "777290058110048", OrderID: "ORDER20260601", TxnAmt: 1000,
		Raw: map[string]string{}}
	assert.Contains(t, n.String(), "1000 fen")
	for _, a := range n.LogValue().Group() {
		assert.NotEqual(t, "currencyCode", a.Key, "an absent currencyCode logged: %v", n.LogValue())
	}
}
