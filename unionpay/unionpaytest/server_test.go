package unionpaytest_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/cert"
	"github.com/goacp/unionpay/sign"
	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

func TestConsumeRefundQuery(t *testing.T) {
	t.Parallel()
	m := newMerchant(t)
	in := newInbox(t, m.verifier)
	txnTime := m.clock.Now().Format("20060102150405")
	qid := m.appConsume("ORDER0001", "1000", in.URL())

	notes := in.wait(t, 1, 5*time.Second)
	assert.Equal(t, "00", notes[0]["respCode"])
	assert.Equal(t, "ORDER0001", notes[0]["orderId"])
	assert.Equal(t, "1000", notes[0]["txnAmt"])
	assert.Equal(t, qid, notes[0]["queryId"])

	q := m.query("ORDER0001", txnTime)
	assert.Equal(t, "00", q["respCode"])
	assert.Equal(t, "00", q["origRespCode"])
	assert.Equal(t, "01", q["txnType"], "a query answer describes the original transaction")
	dec, err := m.srv.Decrypter()
	require.NoError(t, err)
	pan, err := dec.Decrypt(q["accNo"])
	require.NoError(t, err)
	assert.Equal(t, "6216***********0018", pan, "as UnionPay masks it (captures of the test environment)")

	tests := []struct {
		name, orderID, amount, code string
	}{
		{"partial refund", "REFUND001", "400", "00"},
		{"over-refund", "REFUND002", "601", "33"},
		{"rest refunded", "REFUND003", "600", "00"},
		{"nothing left", "REFUND004", "1", "33"},
		{"cancel after refund", "CANCEL001", "1000", "35"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			kind := "04"
			if strings.HasPrefix(tt.orderID, "CANCEL") {
				kind = "31"
			}
			resp := m.back(kind, tt.orderID, qid, tt.amount, in.URL())
			assert.Equal(t, tt.code, resp["respCode"], resp["respMsg"])
			if tt.code == "00" {
				assert.Len(t, resp["queryId"], 21)
			}
		})
	}
	ledger, ok := m.srv.Transaction("ORDER0001")
	require.True(t, ok)
	assert.True(t, ledger.Settled.Equal(m.clock.Now()))
	assert.Len(t, ledger.TN, 21)
	ledger.Settled, ledger.TN = time.Time{}, ""
	assert.Equal(t, unionpaytest.Transaction{OrderID: "ORDER0001", TxnTime: txnTime, TxnType: "01", TxnSubType: "01",
		BizType: "000201", Amount: 1000, QueryID: qid, RespCode: "00", Final: true, Refunded: 1000}, ledger)
	assert.Len(t, m.srv.Transactions(), 3, "the consume and two refunds; refused ones leave nothing")
	q = m.query("REFUND003", txnTime)
	assert.Equal(t, "00", q["origRespCode"])
	assert.Equal(t, qid, q["origQryId"])
	assert.Equal(t, "34", m.query("REFUND002", txnTime)["respCode"], "a refused refund leaves no transaction")
	in.wait(t, 3, 5*time.Second) // consume and the two refunds
}

func TestCancelRules(t *testing.T) {
	t.Parallel()
	m := newMerchant(t)
	in := newInbox(t, m.verifier)
	qid := m.appConsume("ORDER0002", "500", in.URL())
	assert.Equal(t, "36", m.back("31", "CANCEL002", qid, "499", in.URL())["respCode"], "partial cancel")
	assert.Equal(t, "35", m.back("31", "CANCEL003", "000000000000000000000", "500", in.URL())["respCode"])
	assert.Equal(t, "36", m.back("03", "COMPLETE1", qid, "500", in.URL())["respCode"], "completion of a consume")
	assert.Equal(t, "00", m.back("31", "CANCEL004", qid, "500", in.URL())["respCode"])
	assert.Equal(t, "35", m.back("31", "CANCEL005", qid, "500", in.URL())["respCode"], "second cancel")
	assert.Equal(t, "35", m.back("04", "REFUND005", qid, "100", in.URL())["respCode"], "refund of a cancelled consume")
	assert.Equal(t, "12", m.back("04", "CANCEL004", qid, "100", in.URL())["respCode"], "duplicate orderId")

	qid2 := m.appConsume("ORDER0003", "500", in.URL())
	m.clock.Advance(24 * time.Hour)
	assert.Equal(t, "35", m.back("31", "CANCEL006", qid2, "500", in.URL())["respCode"], "cancel on a later day")
	assert.Equal(t, "00", m.back("04", "REFUND006", qid2, "500", in.URL())["respCode"], "refund on a later day")
}

func TestPreAuthorisation(t *testing.T) {
	t.Parallel()
	m := newMerchant(t)
	in := newInbox(t, m.verifier)
	resp := m.call(unionpaytest.EndpointApp, m.fields("02", "01", "000201", "orderId", "PREAUTH01", "txnAmt", "10000",
		"currencyCode", "156", "channelType", "08", "backUrl", in.URL()))
	require.Equal(t, "00", resp["respCode"])
	_, err := m.srv.Complete("PREAUTH01", "")
	require.NoError(t, err)
	qid := m.query("PREAUTH01", resp["txnTime"])["queryId"]

	assert.Equal(t, "33", m.back("03", "COMPLETE2", qid, "11501", in.URL())["respCode"], "over 115%")
	done := m.back("03", "COMPLETE3", qid, "11500", in.URL())
	require.Equal(t, "00", done["respCode"])
	assert.Equal(t, "35", m.back("03", "COMPLETE4", qid, "100", in.URL())["respCode"], "a second completion")
	assert.Equal(t, "35", m.back("32", "PACANCEL1", qid, "10000", in.URL())["respCode"], "pre-auth cancel after completion")
	assert.Equal(t, "36", m.back("33", "CCANCEL01", done["queryId"], "100", in.URL())["respCode"], "partial completion cancel")
	assert.Equal(t, "00", m.back("33", "CCANCEL02", done["queryId"], "11500", in.URL())["respCode"])
	redone := m.back("03", "COMPLETE5", qid, "9000", in.URL())
	assert.Equal(t, "00", redone["respCode"], "completed again once the completion is undone")
	assert.Equal(t, "00", m.back("33", "CCANCEL03", redone["queryId"], "9000", in.URL())["respCode"])
	assert.Equal(t, "00", m.back("32", "PACANCEL2", qid, "10000", in.URL())["respCode"], "pre-auth cancel once the completion is undone")
}

func TestStrictness(t *testing.T) {
	t.Parallel()
	rec := &recorder{}
	m := newMerchant(t, unionpaytest.WithReporter(rec))
	good := func() sign.Fields {
		return m.fields("01", "01", "000201", "orderId", "STRICT0001", "txnAmt", "100", "currencyCode", "156",
			"channelType", "08", "backUrl", "http://127.0.0.1:1/notify")
	}
	other, err := rsaSigner(t)
	require.NoError(t, err)
	tests := []struct {
		name   string
		build  func() sign.Fields // signed request
		code   string
		report bool
	}{
		{"bad signature", func() sign.Fields { f := m.sign(good()); f["txnAmt"] = "1"; return f }, "11", true},
		{"wrong certId", func() sign.Fields {
			f := sign.Prepare(good())
			require.NoError(t, sign.Sign(other, f))
			return f
		}, "11", true},
		{"other key, merchant certId", func() sign.Fields {
			s, err := sign.NewRSASigner(otherKey(t), m.srv.MerchantCertID())
			require.NoError(t, err)
			f := sign.Prepare(good())
			require.NoError(t, sign.Sign(s, f))
			return f
		}, "11", true},
		{"secure key not enabled", func() sign.Fields {
			s, err := sign.NewSecureKeySigner("11", []byte("88888888"))
			require.NoError(t, err)
			f := sign.Prepare(good())
			require.NoError(t, sign.Sign(s, f))
			return f
		}, "11", true},
		{"stale txnTime", func() sign.Fields {
			f := good()
			f["txnTime"] = m.clock.Now().Add(-time.Hour).Format("20060102150405")
			return m.sign(f)
		}, "10", true},
		{"future txnTime", func() sign.Fields {
			f := good()
			f["txnTime"] = m.clock.Now().Add(20 * time.Minute).Format("20060102150405")
			return m.sign(f)
		}, "10", true},
		{"orderId with underscore", func() sign.Fields { f := good(); f["orderId"] = "ORDER_0001"; return m.sign(f) }, "10", true},
		{"orderId too short", func() sign.Fields { f := good(); f["orderId"] = "A123456"; return m.sign(f) }, "10", true},
		{"amount with leading zero", func() sign.Fields { f := good(); f["txnAmt"] = "0100"; return m.sign(f) }, "10", true},
		{"amount with decimals", func() sign.Fields { f := good(); f["txnAmt"] = "1.00"; return m.sign(f) }, "10", true},
		{"currency", func() sign.Fields { f := good(); f["currencyCode"] = "840"; return m.sign(f) }, "10", true},
		{"missing txnAmt", func() sign.Fields { f := good(); delete(f, "txnAmt"); return m.sign(f) }, "13", true},
		{"missing backUrl", func() sign.Fields { f := good(); delete(f, "backUrl"); return m.sign(f) }, "13", true},
		{"version", func() sign.Fields { f := m.sign(good()); f["version"] = "6.0.0"; return f }, "10", true},
		{"other merchant", func() sign.Fields { f := good(); f["merId"] = "777290058110097"; return m.sign(f) }, "31", true},
		{"wrong endpoint", func() sign.Fields { f := good(); f["txnType"] = "04"; return m.sign(f) }, "32", true},
		{"txnSubType not a consume's", func() sign.Fields { f := good(); f["txnSubType"] = "00"; return m.sign(f) }, "10", true},
		{"bizType shape", func() sign.Fields { f := good(); f["bizType"] = "201"; return m.sign(f) }, "10", true},
		{"payTimeout shape", func() sign.Fields { f := good(); f["payTimeout"] = "2026-11-25"; return m.sign(f) }, "10", true},
		{"accessType 2 without sub-merchant", func() sign.Fields { f := good(); f["accessType"] = "2"; return m.sign(f) }, "13", true},
		{"amount over limit", func() sign.Fields { f := good(); f["txnAmt"] = "999999999999"; return m.sign(f) }, "33", false},
		{"valid 5.0.0", func() sign.Fields { f := good(); f["version"] = "5.0.0"; return m.sign(f) }, "00", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := rec.count()
			status, body, err := m.postRaw(unionpaytest.EndpointApp, tt.build())
			require.NoError(t, err)
			require.Equal(t, http.StatusOK, status)
			resp, err := sign.ParseRaw(body)
			require.NoError(t, err)
			_, err = m.verifier.Verify(resp)
			require.NoError(t, err, "rejections are signed too")
			assert.Equal(t, tt.code, resp["respCode"], resp["respMsg"])
			assert.Equal(t, tt.report, rec.count() > before, "reported to the Reporter")
		})
	}
	resp := m.call(unionpaytest.EndpointApp, good())
	assert.Equal(t, "12", resp["respCode"], "orderId used by the valid 5.0.0 request")
}

func TestSecureKey(t *testing.T) {
	t.Parallel()
	m := newMerchant(t, unionpaytest.WithSecureKey([]byte("88888888")))
	for _, method := range []string{"11", "12"} {
		s, err := sign.NewSecureKeySigner(method, []byte("88888888"))
		require.NoError(t, err)
		m.signer = s
		resp := m.call(unionpaytest.EndpointApp, m.fields("01", "01", "000201", "orderId", "SECUREKEY"+method,
			"txnAmt", "100", "currencyCode", "156", "channelType", "08", "backUrl", "http://127.0.0.1:1/n"))
		assert.Equal(t, "00", resp["respCode"])
		assert.Equal(t, method, resp["signMethod"], "answered with the request's method")
		assert.Empty(t, resp["signPubKeyCert"])
	}
}

func TestResponseFormat(t *testing.T) {
	t.Parallel()
	m := newMerchant(t)
	f := m.fields("01", "01", "000201", "orderId", "FORMAT001", "txnAmt", "100", "currencyCode", "156",
		"channelType", "08", "backUrl", "http://127.0.0.1:1/n", "reqReserved", "备注 a+b/c")
	_, body, err := m.postRaw(unionpaytest.EndpointApp, m.sign(f))
	require.NoError(t, err)
	assert.Contains(t, body, "signPubKeyCert=-----BEGIN CERTIFICATE-----\r\n", "raw PEM with CRLF")
	assert.Contains(t, body, "respMsg=成功[0000000]", "not URL-encoded")
	assert.Contains(t, body, "reqReserved=备注 a+b/c")
	assert.NotContains(t, body, "certId=", "5.1.0 answers carry the certificate, not certId")
	assert.NotContains(t, body, "-----END CERTIFICATE-----\r\n", "no line break after the PEM")

	f = m.fields("01", "01", "000201", "orderId", "FORMAT002", "txnAmt", "100", "currencyCode", "156",
		"channelType", "08", "backUrl", "http://127.0.0.1:1/n")
	f["version"] = "5.0.0"
	_, body, err = m.postRaw(unionpaytest.EndpointApp, m.sign(f))
	require.NoError(t, err)
	resp, err := sign.ParseRaw(body)
	require.NoError(t, err)
	assert.Empty(t, resp["signPubKeyCert"])
	assert.Equal(t, m.srv.SigningCertificate().SerialNumber.String(), resp["certId"])
	signed, err := m.verifier.Verify(resp)
	require.NoError(t, err)
	assert.Equal(t, "5.0.0", signed.Version)
}

func TestGBK(t *testing.T) {
	t.Parallel()
	m := newMerchant(t)
	f := m.fields("01", "01", "000201", "orderId", "GBKORDER1", "txnAmt", "100", "currencyCode", "156",
		"channelType", "08", "backUrl", "http://127.0.0.1:1/n", "reqReserved", "中文备注")
	f["encoding"] = "GBK"
	_, body, err := m.postRaw(unionpaytest.EndpointApp, m.sign(f))
	require.NoError(t, err)
	text, err := sign.DecodeBody([]byte(body), "GBK")
	require.NoError(t, err)
	resp, err := sign.ParseRaw(text)
	require.NoError(t, err)
	_, err = m.verifier.Verify(resp)
	require.NoError(t, err)
	assert.Equal(t, "00", resp["respCode"])
	assert.Equal(t, "中文备注", resp["reqReserved"])
}

func TestCertUpdate(t *testing.T) {
	t.Parallel()
	m := newMerchant(t)
	ask := func(orderID string) string {
		resp := m.call(unionpaytest.EndpointBack, m.fields("95", "00", "000000", "orderId", orderID,
			"certType", "01", "channelType", "07"))
		require.Equal(t, "00", resp["respCode"], resp["respMsg"])
		assert.Contains(t, resp["encryptPubKeyCert"], "\r\n")
		c, err := cert.ParseCertificate([]byte(resp["encryptPubKeyCert"]))
		require.NoError(t, err)
		require.NoError(t, m.verifier.ValidateEncryptionCertificate(c))
		return cert.CertID(c)
	}
	first := ask("CERTUPD01")
	assert.Equal(t, cert.CertID(m.srv.EncryptionCertificate()), first)
	require.NoError(t, m.srv.RotateEncryptionCert())
	second := ask("CERTUPD02")
	assert.NotEqual(t, first, second)
}

func TestSignedAccNo(t *testing.T) {
	t.Parallel()
	m := newMerchant(t)
	enc, err := m.srv.Encrypter()
	require.NoError(t, err)
	accNo, err := enc.Encrypt("6216261000000000018")
	require.NoError(t, err)
	resp := m.call(unionpaytest.EndpointBack, m.fields("01", "01", "000301", "orderId", "BACKPAY01", "txnAmt", "300",
		"currencyCode", "156", "channelType", "07", "backUrl", "http://127.0.0.1:1/n", "accNo", accNo,
		"encryptCertId", enc.CertID()))
	assert.Equal(t, "00", resp["respCode"], resp["respMsg"])
	resp = m.call(unionpaytest.EndpointBack, m.fields("01", "01", "000301", "orderId", "BACKPAY02", "txnAmt", "300",
		"currencyCode", "156", "channelType", "07", "backUrl", "http://127.0.0.1:1/n", "accNo", accNo,
		"encryptCertId", "123"))
	assert.Equal(t, "10", resp["respCode"], "encryptCertId unknown")
}

// TestPublicTestPFX: a merchant signing with UnionPay's public test PFX (unipayAppCert.pfx,
// certId 69903319369, valid until 2026-11-26) is accepted when the gateway is told about it.
func TestPublicTestPFX(t *testing.T) {
	t.Parallel()
	pfx, err := cert.LoadPFXFile("../../testdata/acp-test-certs/unipayAppCert.pfx", "000000")
	require.NoError(t, err)
	rec := &recorder{}
	m := newMerchant(t, unionpaytest.WithMerchantCertificates(pfx.Certificate), unionpaytest.WithReporter(rec))
	signer, err := pfx.Signer()
	require.NoError(t, err)
	m.signer = signer
	order := func(id string) string {
		return m.call(unionpaytest.EndpointApp, m.fields("01", "01", "000201", "orderId", id, "txnAmt", "100",
			"currencyCode", "156", "channelType", "08", "backUrl", "http://127.0.0.1:1/n"))["respCode"]
	}
	assert.Equal(t, "00", order("PUBLICPFX1"))
	m.clock.Advance(48 * time.Hour) // past the certificate's NotAfter
	assert.Equal(t, "11", order("PUBLICPFX2"), "an expired merchant certificate is refused")
	assert.Equal(t, 1, rec.count())
}

func TestUnsafeEchoRefused(t *testing.T) {
	t.Parallel()
	m := newMerchant(t)
	for i, v := range []string{"{a=b", "x[y", "a&b=c"} {
		f := m.fields("01", "01", "000201", "orderId", fmt.Sprintf("UNSAFE%04d", i), "txnAmt", "100", "currencyCode", "156",
			"channelType", "08", "backUrl", "http://127.0.0.1:1/n", "reqReserved", v)
		resp := m.call(unionpaytest.EndpointApp, f)
		assert.Equal(t, "10", resp["respCode"], v)
		assert.Empty(t, resp["reqReserved"], "not echoed")
	}
	f := m.fields("01", "01", "000201", "orderId", "SAFEECHO1", "txnAmt", "100", "currencyCode", "156",
		"channelType", "08", "backUrl", "http://127.0.0.1:1/n", "reqReserved", "{a=b&c=[d]}")
	resp := m.call(unionpaytest.EndpointApp, f)
	assert.Equal(t, "00", resp["respCode"])
	assert.Equal(t, "{a=b&c=[d]}", resp["reqReserved"], "balanced regions survive the raw format")
}
