package unionpaytest_test

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/sign"
	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

var respMsgShape = regexp.MustCompile(`^[^\[\]]+\[\d{7}\]$`)

// TestFidelityRequestFormats: every malformed field must be refused (respCode != 00).
func TestFidelityRequestFormats(t *testing.T) {
	m := newMerchant(t, unionpaytest.WithReporter(&recorder{}))
	in := newInbox(t, m.verifier)
	now := m.clock.Now()
	cases := []struct {
		name string
		kv   []string
	}{
		{"txnAmt leading zero", []string{"txnAmt", "0100"}},
		{"txnAmt 13 digits", []string{"txnAmt", "1234567890123"}},
		{"txnAmt decimal", []string{"txnAmt", "12.00"}},
		{"txnAmt negative", []string{"txnAmt", "-100"}},
		{"txnAmt zero", []string{"txnAmt", "0"}},
		{"orderId dash", []string{"orderId", "ORD-123456"}},
		{"orderId underscore", []string{"orderId", "ORD_123456"}},
		{"orderId 7", []string{"orderId", "ORD1234"}},
		{"orderId 41", []string{"orderId", strings.Repeat("A", 41)}},
		{"orderId CJK", []string{"orderId", "订单12345678"}},
		{"txnTime dashed", []string{"txnTime", now.Format("2006-01-02 15:04")}},
		{"txnTime UTC", []string{"txnTime", now.UTC().Format("20060102150405")}},
		{"txnTime month 13", []string{"txnTime", "20261325100000"}},
		{"txnTime ms", []string{"txnTime", now.Format("20060102150405") + "000"}},
		{"currency USD", []string{"currencyCode", "840"}},
		{"currency CNY", []string{"currencyCode", "CNY"}},
		{"no currency", []string{"currencyCode", ""}},
		{"no txnAmt", []string{"txnAmt", ""}},
		{"no backUrl", []string{"backUrl", ""}},
		{"no channelType", []string{"channelType", ""}},
		{"channelType 09", []string{"channelType", "09"}},
		{"txnSubType 02", []string{"txnSubType", "02"}},
		{"bizType short", []string{"bizType", "201"}},
		{"accessType 1 no acqInsCode", []string{"accessType", "1"}},
		{"accessType 2 no subMer", []string{"accessType", "2"}},
		{"payTimeout bad", []string{"payTimeout", "2026112510"}},
	}
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := m.fields("01", "01", "000201", "orderId", "FIDAPP"+strings.Repeat("0", 3)+string(rune('A'+i%26))+string(rune('a'+i/26)), "txnAmt", "100",
				"currencyCode", "156", "channelType", "08", "backUrl", in.URL())
			for j := 0; j+1 < len(c.kv); j += 2 {
				if c.kv[j+1] == "" {
					delete(f, c.kv[j])
				} else {
					f[c.kv[j]] = c.kv[j+1]
				}
			}
			resp := m.call(unionpaytest.EndpointApp, f)
			require.NotEqual(t, "00", resp["respCode"], "%s accepted", c.name)
		})
	}
}

// TestFidelityBackRequiredFields: a refund missing a field the gateway needs, or of the wrong
// kind for its original, must be refused.
func TestFidelityBackRequiredFields(t *testing.T) {
	m := newMerchant(t, unionpaytest.WithReporter(&recorder{}))
	in := newInbox(t, m.verifier)
	qid := m.appConsume("FIDORIG0001", "1000", in.URL())
	cases := []struct {
		name string
		kv   []string
	}{
		{"no origQryId", []string{"origQryId", ""}},
		{"no txnAmt", []string{"txnAmt", ""}},
		{"no backUrl", []string{"backUrl", ""}},
		{"no channelType", []string{"channelType", ""}},
		{"no orderId", []string{"orderId", ""}},
		{"txnSubType 01", []string{"txnSubType", "01"}},
		{"origQryId 20 digits", []string{"origQryId", qid[:20]}},
		{"txnAmt leading zero", []string{"txnAmt", "0100"}},
	}
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := m.fields("04", "00", "000201", "orderId", "FIDREF000"+string(rune('A'+i)), "origQryId", qid,
				"txnAmt", "100", "channelType", "07", "backUrl", in.URL())
			for j := 0; j+1 < len(c.kv); j += 2 {
				if c.kv[j+1] == "" {
					delete(f, c.kv[j])
				} else {
					f[c.kv[j]] = c.kv[j+1]
				}
			}
			resp := m.call(unionpaytest.EndpointBack, f)
			require.NotEqual(t, "00", resp["respCode"], "%s accepted", c.name)
		})
	}
}

// TestFidelityRefusalCodes: business refusals use the documented codes and respMsg keeps the
// "text[7 digits]" shape UnionPay sends.
func TestFidelityRefusalCodes(t *testing.T) {
	m := newMerchant(t, unionpaytest.WithReporter(&recorder{}))
	in := newInbox(t, m.verifier)
	qid := m.appConsume("FIDCODE0001", "1000", in.URL())

	dup := m.call(unionpaytest.EndpointApp, m.fields("01", "01", "000201", "orderId", "FIDCODE0001", "txnAmt", "100",
		"currencyCode", "156", "channelType", "08", "backUrl", in.URL()))
	require.Equal(t, "12", dup["respCode"], dup["respMsg"])

	over := m.back("04", "FIDCODE0002", qid, "1001", in.URL())
	require.Equal(t, "33", over["respCode"], over["respMsg"])

	// failed payment
	resp := m.call(unionpaytest.EndpointApp, m.fields("01", "01", "000201", "orderId", "FIDCODE0003", "txnAmt", "100",
		"currencyCode", "156", "channelType", "08", "backUrl", in.URL()))
	require.Equal(t, "00", resp["respCode"])
	code, _ := m.srv.Complete("FIDCODE0003", unionpaytest.DeclinedCard)
	require.Equal(t, "64", code)
	q := m.query("FIDCODE0003", m.clock.Now().Format("20060102150405"))
	require.Equal(t, "64", q["origRespCode"])
	rf := m.back("04", "FIDCODE0004", q["queryId"], "100", in.URL())
	require.Equal(t, "35", rf["respCode"], rf["respMsg"])

	m.clock.Add(24 * time.Hour)
	cn := m.back("31", "FIDCODE0005", qid, "1000", in.URL())
	require.Equal(t, "35", cn["respCode"], cn["respMsg"])

	for _, r := range []sign.Fields{dup, over, rf, cn} {
		require.Regexp(t, respMsgShape, r["respMsg"])
	}
}

// TestFidelityProtocolRefusalRespMsg: a protocol refusal's respMsg ends with the detail code.
func TestFidelityProtocolRefusalRespMsg(t *testing.T) {
	m := newMerchant(t, unionpaytest.WithReporter(&recorder{}))
	in := newInbox(t, m.verifier)
	resp := m.call(unionpaytest.EndpointApp, m.fields("01", "01", "000201", "orderId", "FID-BAD-01", "txnAmt", "100",
		"currencyCode", "156", "channelType", "08", "backUrl", in.URL()))
	require.Equal(t, "10", resp["respCode"])
	require.Regexp(t, respMsgShape, resp["respMsg"])
}

// TestFidelityAnswerAndNotificationFields: formats and field sets.
func TestFidelityAnswerAndNotificationFields(t *testing.T) {
	m := newMerchant(t)
	in := newInbox(t, m.verifier)
	qid := m.appConsume("FIDFMT00001", "1000", in.URL())
	got := in.wait(t, 1, 10*time.Second)
	n := got[0]
	for _, k := range []string{"version", "encoding", "signMethod", "signPubKeyCert", "signature", "txnType",
		"txnSubType", "bizType", "accessType", "merId", "orderId", "txnTime", "txnAmt", "currencyCode",
		"queryId", "traceNo", "traceTime", "settleDate", "settleAmt", "settleCurrencyCode", "respCode", "respMsg"} {
		require.NotEmpty(t, n[k], "notification lacks %s", k)
	}
	require.NotContains(t, n, "certId", "5.1.0 notification carries signPubKeyCert, not certId")
	require.Regexp(t, `^\d{21}$`, n["queryId"])
	require.Regexp(t, `^\d{4}$`, n["settleDate"])
	require.Regexp(t, `^\d{6}$`, n["traceNo"])
	require.Regexp(t, `^\d{10}$`, n["traceTime"])
	require.Regexp(t, respMsgShape, n["respMsg"])
	require.Equal(t, qid, n["queryId"])

	q := m.query("FIDFMT00001", m.clock.Now().Format("20060102150405"))
	for _, k := range []string{"signMethod", "signPubKeyCert", "queryId", "origRespCode", "origRespMsg", "settleDate", "traceNo", "traceTime", "txnAmt"} {
		require.NotEmpty(t, q[k], "query answer lacks %s", k)
	}
	require.Regexp(t, respMsgShape, q["origRespMsg"])

	r := m.back("04", "FIDFMT00002", qid, "400", in.URL())
	for _, k := range []string{"signMethod", "signPubKeyCert", "queryId", "origQryId", "orderId", "txnAmt", "txnTime", "respCode", "respMsg"} {
		require.NotEmpty(t, r[k], "refund answer lacks %s", k)
	}
	require.Regexp(t, `^\d{21}$`, r["queryId"])
	got = in.wait(t, 2, 10*time.Second)
	rn := got[len(got)-1]
	require.Equal(t, "04", rn["txnType"])
	for _, k := range []string{"origQryId", "queryId", "settleDate", "settleAmt", "traceNo", "traceTime"} {
		require.NotEmpty(t, rn[k], "refund notification lacks %s", k)
	}
}
