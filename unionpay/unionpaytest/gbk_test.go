package unionpaytest_test

import (
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
