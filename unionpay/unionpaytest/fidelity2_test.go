package unionpaytest_test

import (
	"bytes"
	"crypto/rsa"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/sign"
	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

// Second fidelity audit (GBK, 5.0.0, txnTypes 76, 95, 21 and 22) against PROTOCOL.md,
// RECONCILE.md and the official SDK vectors.

// postBody posts body as is to ep and returns the answer's Content-Type and bytes.
func (m *merchant) postBody(ep unionpaytest.Endpoint, body, charset string) (string, []byte) {
	m.t.Helper()
	req, err := http.NewRequest(http.MethodPost, m.srv.URLFor(ep), strings.NewReader(body))
	require.NoError(m.t, err)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded;charset="+charset)
	resp, err := m.hc.Do(req)
	require.NoError(m.t, err)
	defer resp.Body.Close()
	require.Equal(m.t, http.StatusOK, resp.StatusCode)
	b, err := io.ReadAll(resp.Body)
	require.NoError(m.t, err)
	return resp.Header.Get("Content-Type"), b
}

// readAs decodes an answer as the official SDK does, in the charset of the request (PROTOCOL
// §1: "a raw k=v&k=v string decoded with the request charset"), parses and verifies it.
func (m *merchant) readAs(body []byte, charset string) (sign.Fields, error) {
	m.t.Helper()
	s, err := sign.DecodeBody(body, charset)
	if err != nil {
		return nil, err
	}
	f, err := sign.ParseRaw(s)
	if err != nil {
		return nil, err
	}
	_, err = m.verifier.Verify(f)
	return f, err
}

// TestFidelity2GBKRefusalInRequestCharset: a request declaring encoding=GBK whose body is not
// GBK at all (UTF-8 bytes that do not happen to be valid GBK) is refused; the refusal must come in GBK,
// the charset the merchant's SDK decodes it with (PROTOCOL §1), or the merchant reads a
// signature failure instead of respCode 10.
func TestFidelity2GBKRefusalInRequestCharset(t *testing.T) {
	m := newMerchant(t, unionpaytest.WithReporter(&recorder{}))
	f := m.sign(m.fields("01", "01", "000201", "orderId", "GBKREFUSE1", "txnAmt", "100", "currencyCode", "156",
		"channelType", "08", "backUrl", "http://127.0.0.1:1/n", "reqReserved", "x"))
	f["encoding"] = "GBK" // after signing: the signature does not matter, the body cannot be read
	body, err := sign.Encode(f)
	require.NoError(t, err)
	// 中 in UTF-8 (E4 B8 AD): E4 B8 reads as one GBK character, AD starts another that never ends.
	body = strings.Replace(body, "reqReserved=x", "reqReserved=%E4%B8%AD", 1)
	ct, raw := m.postBody(unionpaytest.EndpointApp, body, "GBK")
	assert.Contains(t, strings.ToUpper(ct), "CHARSET=GBK")
	resp, err := m.readAs(raw, "GBK")
	require.NoError(t, err, "the refusal must verify when read as GBK: %s", raw)
	assert.Equal(t, "10", resp["respCode"], resp["respMsg"])
	assert.True(t, strings.EqualFold(resp["encoding"], "GBK"), "encoding %q", resp["encoding"])
	assert.True(t, strings.HasPrefix(resp["respMsg"], "报文格式错误"), resp["respMsg"])
	assert.Contains(t, resp["respMsg"], "GBK")
}

// TestFidelity2GBKAnswersAndNotifications: a GBK request is answered in GBK (raw, not
// URL-encoded) and its notification is URL-encoded GBK with charset=GBK (PROTOCOL §1).
func TestFidelity2GBKAnswersAndNotifications(t *testing.T) {
	m := newMerchant(t, unionpaytest.WithReporter(&recorder{}))
	in := newRawInbox(t)
	f := m.fields("01", "01", "000201", "orderId", "GBKANSWER1", "txnAmt", "100", "currencyCode", "156",
		"channelType", "08", "backUrl", in.srv.URL+"/n", "reqReserved", "中文透传")
	f["encoding"] = "GBK"
	body, err := sign.Encode(m.sign(f))
	require.NoError(t, err)
	ct, raw := m.postBody(unionpaytest.EndpointApp, body, "GBK")
	assert.Contains(t, ct, "charset=GBK")
	assert.Contains(t, string(raw), "reqReserved=\xd6\xd0\xce\xc4\xcd\xb8\xb4\xab&", "raw GBK bytes, not URL-encoded")
	resp, err := m.readAs(raw, "GBK")
	require.NoError(t, err)
	assert.Equal(t, "中文透传", resp["reqReserved"])
	_, err = m.srv.Complete("GBKANSWER1", "")
	require.NoError(t, err)
	nct, nb := in.waitOne(t)
	assert.Equal(t, "application/x-www-form-urlencoded;charset=GBK", nct)
	assert.Contains(t, string(nb), "respMsg=%B3%C9%B9%A6%5B0000000%5D", "成功 URL-encoded in GBK")
	assert.Contains(t, string(nb), "reqReserved=%D6%D0%CE%C4%CD%B8%B4%AB")
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

// TestFidelity2FileAndCertUpdate: 76 (RECONCILE §1, §2) and 95 (PROTOCOL §5.4).
func TestFidelity2FileAndCertUpdate(t *testing.T) {
	m := newMerchant(t, unionpaytest.WithReporter(&recorder{}))
	in := newInbox(t, m.verifier)
	m.appConsume("FID2FILE01", "1000", in.URL())
	day := m.clock.Now().Format("0102")
	file := func(kv ...string) sign.Fields {
		f := m.fields("76", "01", "000000", "fileType", "00", "settleDate", day)
		for i := 0; i+1 < len(kv); i += 2 {
			f[kv[i]] = kv[i+1]
		}
		return m.call(unionpaytest.EndpointFile, f)
	}
	r := file()
	require.Equal(t, "00", r["respCode"], r["respMsg"])
	assert.Equal(t, m.srv.MerchantID()+"_"+m.clock.Now().Format("20060102")+".zip", r["fileName"])
	assert.True(t, bytes.HasPrefix(decodeFileContent(t, r["fileContent"]), []byte("PK\x03\x04")), "a zip")
	assert.Equal(t, "98", file("settleDate", "0101")["respCode"], "no transaction that day")
	assert.Equal(t, "10", file("settleDate", m.clock.Now().Format("20060102"))["respCode"], "settleDate is MMDD")
	assert.Equal(t, "10", file("fileType", "01")["respCode"])
	assert.Equal(t, "10", file("txnSubType", "00")["respCode"], "76 is txnSubType 01")

	c := m.call(unionpaytest.EndpointBack, m.fields("95", "00", "000000", "certType", "01", "channelType", "07",
		"orderId", "FID2CERT01"))
	require.Equal(t, "00", c["respCode"], c["respMsg"])
	assert.Equal(t, "01", c["certType"])
	assert.True(t, strings.HasPrefix(c["encryptPubKeyCert"], "-----BEGIN CERTIFICATE-----\r\n"))
	// Unchanged: the same certificate again (the SDK compares serials, PROTOCOL §5.4).
	c2 := m.call(unionpaytest.EndpointBack, m.fields("95", "00", "000000", "certType", "01", "channelType", "07",
		"orderId", "FID2CERT02"))
	assert.Equal(t, c["encryptPubKeyCert"], c2["encryptPubKeyCert"])
	assert.Equal(t, "10", m.call(unionpaytest.EndpointBack, m.fields("95", "00", "000000", "certType", "02",
		"channelType", "07", "orderId", "FID2CERT03"))["respCode"])
}

// batchFile returns a payout batch file of rows id:currency:amount and its totals.
func batchFile(t *testing.T, rows ...string) (content string, qty int, amt int64) {
	t.Helper()
	var b strings.Builder
	for _, r := range rows {
		p := strings.Split(r, ":")
		var n int64
		_, err := fmt.Sscan(p[2], &n)
		require.NoError(t, err)
		amt += n
		fmt.Fprintf(&b, "\n%s|%s|%s|01|6216261000000000018|张三|000401|01|341126197709218366|13552535506|", p[0], p[1], p[2])
	}
	file := fmt.Sprintf("5.0.0|%d|%d||\n%s", amt, len(rows), "orderId|currencyCode|txnAmt|accType|accNo|customerNm|bizType|certifTp|certifId|phoneNo|postscript") + b.String()
	content, err := unionpaytest.FileContent([]byte(file))
	require.NoError(t, err)
	return content, len(rows), amt
}

// TestFidelity2BatchRowCurrency: a batch row in another currency than 156 must not become a
// CNY transaction of the same number: the gateway refuses currencyCode 840 on a single
// transaction (10), so the row is refused too, and never settles.
func TestFidelity2BatchRowCurrency(t *testing.T) {
	m := newMerchant(t, unionpaytest.WithReporter(&recorder{}))
	content, qty, amt := batchFile(t, "FID2USD001:840:100", "FID2CNY001:156:200")
	r := m.call(unionpaytest.EndpointBatch, m.fields("21", "03", "000401", "batchNo", "0001", "channelType", "07",
		"totalQty", fmt.Sprint(qty), "totalAmt", fmt.Sprint(amt), "fileContent", content))
	require.Equal(t, "00", r["respCode"], r["respMsg"])
	q := m.call(unionpaytest.EndpointBatch, m.fields("22", "03", "000401", "batchNo", "0001", "channelType", "07"))
	require.Equal(t, "00", q["respCode"], q["respMsg"])
	lines := strings.Split(string(decodeFileContent(t, q["fileContent"])), "\n")
	require.Len(t, lines, 4)
	assert.Equal(t, "10", rowCode(t, lines[2]), "the USD row: %s", lines[2])
	assert.Equal(t, "00", rowCode(t, lines[3]), lines[3])
	_, ok := m.srv.Transaction("FID2USD001")
	assert.False(t, ok, "the USD row is no transaction")
}

// TestFidelity2BatchTotalsFormat: totalQty and totalAmt are plain decimal counts and fen,
// written as the header of the file writes them; "+3" or "0350" is refused, as the gateway
// refuses a txnAmt with a sign or a leading zero.
func TestFidelity2BatchTotalsFormat(t *testing.T) {
	m := newMerchant(t, unionpaytest.WithReporter(&recorder{}))
	content, _, _ := batchFile(t, "FID2TOT001:156:100", "FID2TOT002:156:250")
	for i, c := range []struct{ qty, amt string }{{"+2", "350"}, {"02", "350"}, {"2", "+350"}, {"2", "0350"}} {
		r := m.call(unionpaytest.EndpointBatch, m.fields("21", "03", "000401", "batchNo", fmt.Sprintf("%04d", i+1),
			"channelType", "07", "totalQty", c.qty, "totalAmt", c.amt, "fileContent", content))
		assert.Equal(t, "10", r["respCode"], "totalQty %q totalAmt %q: %s", c.qty, c.amt, r["respMsg"])
	}
	r := m.call(unionpaytest.EndpointBatch, m.fields("21", "03", "000401", "batchNo", "0009",
		"channelType", "07", "totalQty", "2", "totalAmt", "350", "fileContent", content))
	assert.Equal(t, "00", r["respCode"], r["respMsg"])
}

// rawInbox records the Content-Type and body of each notification.
type rawInbox struct {
	mu   sync.Mutex
	ct   []string
	body [][]byte
	srv  *httptest.Server
}

func newRawInbox(t *testing.T) *rawInbox {
	in := &rawInbox{}
	in.srv = httptest.NewServer(http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		in.mu.Lock()
		in.ct = append(in.ct, r.Header.Get("Content-Type"))
		in.body = append(in.body, b)
		in.mu.Unlock()
	}))
	t.Cleanup(in.srv.Close)
	return in
}

func (in *rawInbox) waitOne(t *testing.T) (string, []byte) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		in.mu.Lock()
		if len(in.body) > 0 {
			ct, b := in.ct[0], in.body[0]
			in.mu.Unlock()
			return ct, b
		}
		in.mu.Unlock()
	}
	t.Fatal("no notification")
	return "", nil
}
