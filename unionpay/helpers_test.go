package unionpay_test

import (
	"context"
	"crypto/x509"
	"errors"
	"io"
	"maps"
	"mime"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/goacp/unionpay/cert"
	"github.com/goacp/unionpay/sign"
	"github.com/goacp/unionpay/unionpay"
)

// These unit tests run against a minimal in-process gateway that signs its answers with the
// test-environment secure key (signMethod 11), so that every classification can be scripted
// exactly. The end-to-end tests (e2e_test.go) run against unionpaytest.

const (
	testMerID  = "777290058110048"
	testKey    = "88888888"
	testCerts  = "../testdata/acp-test-certs"
	testOrder  = "ORDER20240105001"
	testNotify = "https://merchant.example/notify"
)

// testNow is inside the validity of UnionPay's (now expired) test certificates.
var testNow = time.Date(2024, 1, 5, 10, 30, 0, 0, time.FixedZone("CST", 8*3600))

// reply is what the fake gateway answers to one request.
type reply struct {
	status int           // 0: 200
	fields sign.Fields   // signed with the secure key unless raw is set
	raw    string        // sent verbatim when not empty
	tamper bool          // change respMsg after signing
	delay  time.Duration // wait before answering (or until the client gives up)
}

// gateway is the fake gateway: it verifies every request, records it and answers as scripted.
type gateway struct {
	t        *testing.T
	srv      *httptest.Server
	verifier *cert.Verifier
	mu       sync.Mutex
	reqs     []sign.Fields
	bodies   []string
	paths    []string
	answer   func(req sign.Fields) reply
	// check verifies a request; nil: the secure-key verifier.
	check func(req sign.Fields) error
}

func newGateway(t *testing.T, answer func(req sign.Fields) reply) *gateway {
	t.Helper()
	v, err := cert.NewVerifier(cert.VerifierConfig{SecureKey: []byte(testKey), SecureKeyMethods: []string{sign.MethodSHA256Key}})
	require.NoError(t, err)
	g := &gateway{t: t, verifier: v, answer: answer}
	g.srv = httptest.NewServer(http.HandlerFunc(g.serve))
	t.Cleanup(g.srv.Close)
	return g
}

func (g *gateway) serve(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		return
	}
	_, params, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	req, err := sign.ParseRequestForm(string(body))
	if err == nil && !strings.EqualFold(params["charset"], req["encoding"]) {
		g.t.Errorf("gateway: Content-Type charset %q, encoding field %q", params["charset"], req["encoding"])
	}
	if err != nil {
		g.t.Errorf("gateway: unparsable request: %v", err)
		http.Error(w, "bad request", http.StatusBadRequest)
		return
	}
	check := g.check
	if check == nil {
		check = func(f sign.Fields) error { _, err := g.verifier.Verify(f); return err }
	}
	if err := check(req); err != nil {
		g.t.Errorf("gateway: request does not verify: %v", err)
	}
	g.mu.Lock()
	g.reqs = append(g.reqs, req)
	g.bodies = append(g.bodies, string(body))
	g.paths = append(g.paths, r.URL.Path)
	g.mu.Unlock()
	rep := g.answer(req)
	if rep.delay > 0 {
		select {
		case <-time.After(rep.delay):
		case <-r.Context().Done():
			return
		}
	}
	if rep.status == 0 {
		rep.status = http.StatusOK
	}
	w.WriteHeader(rep.status)
	if rep.raw != "" {
		_, _ = io.WriteString(w, rep.raw)
		return
	}
	if rep.fields != nil {
		_, _ = w.Write(g.signRaw(rep.fields, rep.tamper))
	}
}

// signRaw signs f with the secure key and renders it in UnionPay's raw (unencoded) format.
func (g *gateway) signRaw(f sign.Fields, tamper bool) []byte {
	f = f.Clone()
	s, err := sign.NewSecureKeySigner(sign.MethodSHA256Key, []byte(testKey))
	require.NoError(g.t, err)
	require.NoError(g.t, sign.Sign(s, f))
	if tamper {
		f["respMsg"] += "!"
	}
	keys := make([]string, 0, len(f))
	for k := range f {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + "=" + f[k]
	}
	out := strings.Join(parts, "&")
	if strings.EqualFold(f["encoding"], "GBK") {
		b, err := simplifiedchinese.GBK.NewEncoder().String(out)
		require.NoError(g.t, err)
		return []byte(b)
	}
	return []byte(out)
}

func (g *gateway) last() sign.Fields {
	g.mu.Lock()
	defer g.mu.Unlock()
	require.NotEmpty(g.t, g.reqs, "gateway received no request")
	return g.reqs[len(g.reqs)-1]
}

func (g *gateway) count() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return len(g.reqs)
}

// accept answers 00, echoing the identifying fields, plus extra.
func accept(extra sign.Fields) func(sign.Fields) reply {
	return func(req sign.Fields) reply { return reply{fields: answerTo(req, "00", extra)} }
}

func answerTo(req sign.Fields, code string, extra sign.Fields) sign.Fields {
	f := sign.Fields{"respCode": code, "respMsg": "成功[0000000]", "queryId": "782401051030000000011"}
	for _, k := range []string{"version", "encoding", "merId", "orderId", "txnTime", "txnType", "txnSubType", "bizType", "accessType"} {
		if v, ok := req[k]; ok {
			f[k] = v
		}
	}
	maps.Copy(f, extra)
	return f
}

// sleeps records the waits of QueryUntilFinal without waiting.
type sleeps struct {
	mu sync.Mutex
	d  []time.Duration
}

func (s *sleeps) sleep(ctx context.Context, d time.Duration) error {
	s.mu.Lock()
	s.d = append(s.d, d)
	s.mu.Unlock()
	return ctx.Err()
}

func loadCert(t testing.TB, name string) *x509.Certificate {
	t.Helper()
	c, err := cert.LoadCertificateFile(filepath.Join(testCerts, name))
	require.NoError(t, err)
	return c
}

// testConfig returns a Config for the fake gateway: secure-key signing and verification, the test
// chain for certificate validation, UnionPay's test encryption certificate.
func testConfig(t testing.TB, baseURL string) unionpay.Config {
	t.Helper()
	signer, err := sign.NewSecureKeySigner(sign.MethodSHA256Key, []byte(testKey))
	require.NoError(t, err)
	v, err := cert.NewVerifier(cert.VerifierConfig{
		Root: loadCert(t, "acp_test_root.cer"), Middle: loadCert(t, "acp_test_middle.cer"),
		SecureKey: []byte(testKey), SecureKeyMethods: []string{sign.MethodSHA256Key},
		Now: func() time.Time { return testNow },
	})
	require.NoError(t, err)
	enc, err := cert.NewEncrypter(loadCert(t, "acp_test_enc.cer"))
	require.NoError(t, err)
	g := baseURL + "/gateway/api/"
	return unionpay.Config{
		MerchantID: testMerID, Signer: signer, Verifier: v, Encrypter: enc,
		Endpoints: unionpay.Endpoints{Front: g + "frontTransReq.do", Back: g + "backTransReq.do",
			Query: g + "queryTrans.do", Batch: g + "batchTrans.do", File: baseURL + "/file/", App: g + "appTransReq.do"},
		Now: func() time.Time { return testNow },
	}
}

func newTestClient(t testing.TB, g *gateway, edit ...func(*unionpay.Config)) *unionpay.Client {
	t.Helper()
	cfg := testConfig(t, g.srv.URL)
	for _, e := range edit {
		e(&cfg)
	}
	c, err := unionpay.NewClient(cfg)
	require.NoError(t, err)
	return c
}

func loadPFX(t testing.TB) *cert.PFX {
	t.Helper()
	p, err := cert.LoadPFXFile(filepath.Join(testCerts, "acp_test_sign.pfx"), "000000")
	require.NoError(t, err)
	return p
}

// encrypterFor encrypts to the merchant's own certificate, as UnionPay does for accNo it returns.
func encrypterFor(t testing.TB, p *cert.PFX) *cert.Encrypter {
	t.Helper()
	e, err := cert.NewEncrypter(p.Certificate)
	require.NoError(t, err)
	return e
}

// errCaptured is what a capture transport returns: the request was recorded, not sent.
var errCaptured = errors.New("captured")

type capture struct{ bodies []string }

func (r *capture) RoundTrip(req *http.Request) (*http.Response, error) {
	body, err := io.ReadAll(req.Body)
	if err != nil {
		return nil, err
	}
	r.bodies = append(r.bodies, string(body))
	return nil, errCaptured
}
