package unionpaytest_test

import (
	"context"
	"crypto/rsa"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/sign"
	"github.com/goacp/unionpay/unionpay"
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

	m.clock.Advance(24 * time.Hour)
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

// review15c: a business refusal (a refund over the amount left) says no reason in respMsg: only a
// protocol violation does, before the detail code.
func TestReview15cBusinessRefusalHasNoReason(t *testing.T) {
	m := newMerchant(t, unionpaytest.WithReporter(&recorder{}))
	in := newInbox(t, m.verifier)
	qid := m.appConsume("REV15C0001", "1000", in.URL())
	over := m.back("04", "REV15C0002", qid, "1001", in.URL())
	require.Equal(t, "33", over["respCode"], over["respMsg"])
	require.NotContains(t, over["respMsg"], "：")
	require.Regexp(t, respMsgShape, over["respMsg"])
	bad := m.call(unionpaytest.EndpointApp, m.fields("01", "01", "000201", "orderId", "FID-BAD-01", "txnAmt", "100",
		"currencyCode", "156", "channelType", "08", "backUrl", in.URL()))
	require.Equal(t, "10", bad["respCode"])
	require.Contains(t, bad["respMsg"], "：", "a protocol refusal says why")
}

// TestStrictnessFourthReview: requests UnionPay refuses and the fake accepted, found in the fourth
// session's review of the fake gateway.
func TestStrictnessFourthReview(t *testing.T) {
	t.Parallel()
	m := newMerchant(t)
	in := newInbox(t, m.verifier)
	qid := m.appConsume("STRICT4A1", "1000", in.URL())

	// GBK bytes ("退货原因") declared as UTF-8 and signed as sent: UnionPay decodes the body as
	// UTF-8, so the signature fails.
	f := m.fields("04", "00", "000201", "orderId", "STRICT4R1", "origQryId", qid, "txnAmt", "100",
		"channelType", "07", "backUrl", in.URL(), "reqReserved", "\xcd\xcb\xbb\xf5\xd4\xad\xd2\xf2")
	assert.Equal(t, "11", m.call(unionpaytest.EndpointBack, m.sign(f))["respCode"], "GBK declared as UTF-8")

	// reqReserved is 1 to 1024 bytes.
	f = m.fields("04", "00", "000201", "orderId", "STRICT4R2", "origQryId", qid, "txnAmt", "100",
		"channelType", "07", "backUrl", in.URL(), "reqReserved", strings.Repeat("r", 1025))
	assert.Equal(t, "10", m.call(unionpaytest.EndpointBack, m.sign(f))["respCode"], "reqReserved over 1024")
}

// TestReqReservedGBKLength: the gateway counts reqReserved's 1024 bytes in the message charset,
// as sent: a GBK merchant's 512 Chinese characters (1024 GBK bytes, 1536 in UTF-8) pass (it
// counted them in UTF-8, refusing anything over 341).
func TestReqReservedGBKLength(t *testing.T) {
	t.Parallel()
	srv := unionpaytest.NewServer(keys(t), unionpaytest.WithReporter(t))
	t.Cleanup(srv.Close)
	cfg := srv.Config()
	cfg.Encoding = "GBK"
	c, err := unionpay.NewClient(cfg)
	require.NoError(t, err)
	ctx := context.Background()
	text := strings.Repeat("中", 512)
	_, err = c.AppConsume(ctx, &unionpay.ConsumeRequest{OrderID: "GBKRES001", Amount: 100,
		BackURL: "http://127.0.0.1:1/n", ReqReserved: text})
	require.NoError(t, err, "1024 GBK bytes")
}

// TestMutationReviewTwoStrictness: requests UnionPay refuses that the fake gateway would accept
// under a mutant that survived the second mutation review. Each must be refused.
func TestMutationReviewTwoStrictness(t *testing.T) {
	t.Parallel()
	m := newMerchant(t, unionpaytest.WithMaxAmount(9_999_999_999_999))
	in := newInbox(t, m.verifier)
	qid := m.appConsume("MUT2ORIG01", "100000", in.URL())
	preAuth := m.call(unionpaytest.EndpointApp, m.fields("02", "01", "000201", "orderId", "MUT2PREA01",
		"txnAmt", "10000", "currencyCode", "156", "channelType", "08", "backUrl", in.URL()))
	require.Equal(t, "00", preAuth["respCode"])
	_, err := m.srv.Complete("MUT2PREA01", "")
	require.NoError(t, err)
	preAuthQID := m.query("MUT2PREA01", preAuth["txnTime"])["queryId"]
	require.NotEmpty(t, preAuthQID)

	refund := func(orderID string, kv ...string) sign.Fields {
		f := m.fields("04", "00", "000201", "orderId", orderID, "origQryId", qid, "txnAmt", "100",
			"channelType", "07", "backUrl", in.URL())
		return edited(f, kv...)
	}
	appConsume := func(orderID string, kv ...string) sign.Fields {
		f := m.fields("01", "01", "000201", "orderId", orderID, "txnAmt", "100", "currencyCode", "156",
			"channelType", "08", "backUrl", in.URL())
		return edited(f, kv...)
	}
	stale := m.clock.Now().Add(-2 * time.Hour).Format("20060102150405")

	tests := []struct {
		name string
		ep   unionpaytest.Endpoint
		f    sign.Fields
	}{
		{"refund without txnAmt", unionpaytest.EndpointBack, refund("MUT2R0001", "txnAmt", "")},
		{"app consume without currencyCode", unionpaytest.EndpointApp, appConsume("MUT2C0001", "currencyCode", "")},
		{"refund without accessType", unionpaytest.EndpointBack, refund("MUT2R0002", "accessType", "")},
		{"refund with a txnTime two hours old", unionpaytest.EndpointBack, refund("MUT2R0003", "txnTime", stale)},
		{"consume of 13 digits of fen", unionpaytest.EndpointApp, appConsume("MUT2C0002", "txnAmt", "1000000000000")},
		{"orderId of 41 characters", unionpaytest.EndpointApp, appConsume(strings.Repeat("A", 41))},
		{"channelType 09", unionpaytest.EndpointApp, appConsume("MUT2C0003", "channelType", "09")},
		{"backUrl without a host", unionpaytest.EndpointApp, appConsume("MUT2C0004", "backUrl", "http://")},
		{"accessType 1 without acqInsCode", unionpaytest.EndpointBack, refund("MUT2R0004", "accessType", "1")},
		{"bizType not all digits", unionpaytest.EndpointApp, appConsume("MUT2C0005", "bizType", "00020A")},
		{"refund of a pre-authorisation", unionpaytest.EndpointBack, refund("MUT2R0005", "origQryId", preAuthQID)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := m.call(tt.ep, tt.f)
			require.NotEqual(t, "00", resp["respCode"], "UnionPay refuses this request: %s", resp["respMsg"])
		})
	}
	// The refusals took nothing: a valid refund still goes through.
	require.Equal(t, "00", m.call(unionpaytest.EndpointBack, refund("MUT2R0006"))["respCode"])
}

// TestMutationReviewTwoKinds: transaction kinds and formats UnionPay refuses at an endpoint.
func TestMutationReviewTwoKinds(t *testing.T) {
	t.Parallel()
	m := newMerchant(t)
	in := newInbox(t, m.verifier)
	m.appConsume("MUT2K0000", "100", in.URL()) // the day has a file
	day := m.clock.Now().Format("0102")
	require.Equal(t, "00", m.call(unionpaytest.EndpointFile, m.fields("76", "01", "000000", "settleDate", day,
		"fileType", "00"))["respCode"])
	tests := []struct {
		name string
		ep   unionpaytest.Endpoint
		f    sign.Fields
	}{
		{"collection without accNo", unionpaytest.EndpointBack, m.fields("11", "00", "000501", "orderId", "MUT2K0001",
			"txnAmt", "100", "currencyCode", "156", "channelType", "07", "backUrl", in.URL())},
		{"instalment consume at the back endpoint", unionpaytest.EndpointBack, m.fields("01", "03", "000301",
			"orderId", "MUT2K0002", "txnAmt", "100", "currencyCode", "156", "channelType", "07", "backUrl", in.URL(),
			"accNo", unionpaytest.TestCard)},
		{"gateway consume (000201) at the back endpoint", unionpaytest.EndpointBack, m.fields("01", "01", "000201",
			"orderId", "MUT2K0003", "txnAmt", "100", "currencyCode", "156", "channelType", "07", "backUrl", in.URL(),
			"accNo", unionpaytest.TestCard)},
		{"payTimeout not all digits", unionpaytest.EndpointApp, m.fields("01", "01", "000201", "orderId", "MUT2K0004",
			"txnAmt", "100", "currencyCode", "156", "channelType", "08", "backUrl", in.URL(),
			"payTimeout", "2025010112000A")},
		{"fileType 01", unionpaytest.EndpointFile, m.fields("76", "01", "000000", "settleDate", day, "fileType", "01")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := m.call(tt.ep, tt.f)
			require.NotEqual(t, "00", resp["respCode"], "UnionPay refuses this request: %s", resp["respMsg"])
		})
	}
}

// edited sets in f the fields kv (key, value, ...), deleting those given an empty value, and
// returns f.
func edited(f sign.Fields, kv ...string) sign.Fields {
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] == "" {
			delete(f, kv[i])
		} else {
			f[kv[i]] = kv[i+1]
		}
	}
	return f
}

// TestFidelity2V500 (PROTOCOL §3.2): a 5.0.0 answer and notification carry certId, no
// signPubKeyCert, and are signed SHA1withRSA over the hex SHA-1; a 5.0.0 request signed the
// 5.1.0 way, or without certId, is refused.
func TestFidelity2V500(t *testing.T) {
	m := newMerchant(t, unionpaytest.WithReporter(&recorder{}))
	in := newRawInbox(t)
	pub := m.srv.SigningCertificate().PublicKey.(*rsa.PublicKey)
	f := m.fields("01", "01", "000201", "orderId", "V500ANSWR1", "txnAmt", "100", "currencyCode", "156",
		"channelType", "08", "backUrl", in.srv.URL+"/n")
	f["version"] = "5.0.0"
	body, err := sign.Encode(m.sign(f))
	require.NoError(t, err)
	_, raw := m.postBody(unionpaytest.EndpointApp, body, "UTF-8")
	resp, err := sign.ParseRaw(string(raw))
	require.NoError(t, err)
	assert.Equal(t, "00", resp["respCode"], resp["respMsg"])
	assert.Equal(t, "5.0.0", resp["version"])
	assert.NotContains(t, resp, "signPubKeyCert")
	assert.Equal(t, m.srv.SigningCertificate().SerialNumber.String(), resp["certId"])
	canon, err := sign.Canonical(resp)
	require.NoError(t, err)
	require.NoError(t, sign.VerifyRSA(pub, "5.0.0", canon, resp["signature"]))
	require.Error(t, sign.VerifyRSA(pub, "5.1.0", canon, resp["signature"]))

	_, err = m.srv.Complete("V500ANSWR1", "")
	require.NoError(t, err)
	_, nb := in.waitOne(t)
	n, err := sign.ParseForm(string(nb))
	require.NoError(t, err)
	assert.NotContains(t, n, "signPubKeyCert")
	assert.Equal(t, resp["certId"], n["certId"])
	canon, err = sign.Canonical(n)
	require.NoError(t, err)
	require.NoError(t, sign.VerifyRSA(pub, "5.0.0", canon, n["signature"]))

	// Signed SHA-256 (the 5.1.0 way) but declaring 5.0.0.
	g := m.fields("01", "01", "000201", "orderId", "V500ANSWR2", "txnAmt", "100", "currencyCode", "156",
		"channelType", "08", "backUrl", in.srv.URL+"/n")
	g = m.sign(g)
	g["version"] = "5.0.0"
	assert.Equal(t, "11", m.tryRaw(unionpaytest.EndpointApp, g)["respCode"])
	h := m.fields("01", "01", "000201", "orderId", "V500ANSWR3", "txnAmt", "100", "currencyCode", "156",
		"channelType", "08", "backUrl", in.srv.URL+"/n")
	h["version"] = "5.0.0"
	h = m.sign(h)
	delete(h, "certId")
	assert.NotEqual(t, "00", m.tryRaw(unionpaytest.EndpointApp, h)["respCode"])
}

func (m *merchant) tryRaw(ep unionpaytest.Endpoint, f sign.Fields) sign.Fields {
	m.t.Helper()
	body, err := sign.Encode(f)
	require.NoError(m.t, err)
	_, raw := m.postBody(ep, body, orDefault(f["encoding"], "UTF-8"))
	r, err := sign.ParseRaw(string(raw))
	require.NoError(m.t, err)
	return r
}

func orDefault(v, d string) string {
	if v == "" {
		return d
	}
	return v
}
