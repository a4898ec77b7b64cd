package unionpaytest_test

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"encoding/pem"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/cert"
	"github.com/goacp/unionpay/sign"
	"github.com/goacp/unionpay/unionpay"
	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

// newClock returns a clock the test drives, at 10:00 Beijing time on 2026-11-25.
func newClock() *unionpaytest.Clock {
	return unionpaytest.NewClock(time.Date(2026, 11, 25, 10, 0, 0, 0, time.FixedZone("CST", 8*3600)))
}

// recorder is a Reporter that keeps what it is told.
type recorder struct {
	mu   sync.Mutex
	msgs []string
}

func (r *recorder) Errorf(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.msgs = append(r.msgs, fmt.Sprintf(format, args...))
}

// all returns what the recorder was told, for a failure's message.
func (r *recorder) all() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.msgs...)
}

func (r *recorder) count() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.msgs)
}

// merchant is a hand-made merchant client: it signs with the test merchant key, posts raw HTTP
// and verifies answers with a verifier that trusts only the fake gateway.
type merchant struct {
	t        *testing.T
	srv      *unionpaytest.Server
	clock    *unionpaytest.Clock
	signer   sign.Signer
	verifier *cert.Verifier
	hc       *http.Client
}

func newMerchant(t *testing.T, opts ...unionpaytest.Option) *merchant {
	t.Helper()
	c := newClock()
	srv := unionpaytest.NewServer(append([]unionpaytest.Option{unionpaytest.WithClock(c.Now), keys(t)}, opts...)...)
	t.Cleanup(srv.Close)
	signer, err := srv.MerchantSigner()
	require.NoError(t, err)
	v, err := srv.NotifyVerifier()
	require.NoError(t, err)
	return &merchant{t: t, srv: srv, clock: c, signer: signer, verifier: v, hc: srv.HTTPClient()}
}

// fields returns an unsigned request with the common fields filled and kv added.
func (m *merchant) fields(txnType, subType, bizType string, kv ...string) sign.Fields {
	f := sign.Fields{
		"version": "5.1.0", "encoding": "UTF-8", "txnType": txnType, "txnSubType": subType, "bizType": bizType,
		"accessType": "0", "merId": m.srv.MerchantID(), "txnTime": m.clock.Now().Format("20060102150405"),
	}
	for i := 0; i+1 < len(kv); i += 2 {
		f[kv[i]] = kv[i+1]
	}
	return f
}

func (m *merchant) sign(f sign.Fields) sign.Fields {
	m.t.Helper()
	f = sign.Prepare(f)
	require.NoError(m.t, sign.Sign(m.signer, f))
	return f
}

// postRaw posts already-signed fields and returns the status and body.
func (m *merchant) postRaw(ep unionpaytest.Endpoint, f sign.Fields) (int, string, error) {
	body, err := sign.Encode(f)
	require.NoError(m.t, err)
	req, err := http.NewRequestWithContext(context.Background(), http.MethodPost, m.srv.URLFor(ep), strings.NewReader(body))
	require.NoError(m.t, err)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded;charset=UTF-8")
	resp, err := m.hc.Do(req)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), err
}

// call signs, posts, parses and verifies; it fails the test on any transport or signature error.
func (m *merchant) call(ep unionpaytest.Endpoint, f sign.Fields) sign.Fields {
	m.t.Helper()
	status, body, err := m.postRaw(ep, m.sign(f))
	require.NoError(m.t, err)
	require.Equal(m.t, http.StatusOK, status, body)
	resp, err := sign.ParseRaw(body)
	require.NoError(m.t, err)
	_, err = m.verifier.Verify(resp)
	require.NoError(m.t, err, "response must verify")
	return resp
}

// appConsume places an app consume and pays it; it returns the queryId.
func (m *merchant) appConsume(orderID, amount, backURL string) string {
	m.t.Helper()
	resp := m.call(unionpaytest.EndpointApp, m.fields("01", "01", "000201", "orderId", orderID, "txnAmt", amount,
		"currencyCode", "156", "channelType", "08", "backUrl", backURL))
	require.Equal(m.t, "00", resp["respCode"], resp["respMsg"])
	require.Len(m.t, resp["tn"], 21)
	code, err := m.srv.Complete(orderID, "")
	require.NoError(m.t, err)
	require.Equal(m.t, "00", code)
	return m.query(orderID, m.clock.Now().Format("20060102150405"))["queryId"]
}

func (m *merchant) query(orderID, txnTime string) sign.Fields {
	m.t.Helper()
	f := m.fields("00", "00", "000000", "orderId", orderID)
	f["txnTime"] = txnTime
	return m.call(unionpaytest.EndpointQuery, f)
}

func (m *merchant) back(txnType, orderID, origQryID, amount, backURL string) sign.Fields {
	m.t.Helper()
	return m.call(unionpaytest.EndpointBack, m.fields(txnType, "00", "000201", "orderId", orderID,
		"origQryId", origQryID, "txnAmt", amount, "channelType", "07", "backUrl", backURL))
}

// inbox is a merchant notification endpoint that verifies and records what arrives, answering
// with the statuses queued in answers (200 once they run out).
type inbox struct {
	mu       sync.Mutex
	got      []sign.Fields
	at       []time.Time
	answers  []int
	verifier *cert.Verifier
	bad      int
	srv      *httptest.Server
	arrived  chan struct{}
}

func newInbox(t *testing.T, v *cert.Verifier, answers ...int) *inbox {
	in := &inbox{verifier: v, answers: answers, arrived: make(chan struct{}, 100)}
	in.srv = httptest.NewServer(http.HandlerFunc(in.serve))
	t.Cleanup(in.srv.Close)
	return in
}

func (in *inbox) serve(w http.ResponseWriter, r *http.Request) {
	b, _ := io.ReadAll(r.Body)
	f, err := sign.ParseForm(string(b))
	in.mu.Lock()
	if err == nil {
		_, err = in.verifier.Verify(f)
	}
	if err != nil {
		in.bad++
	}
	in.got = append(in.got, f)
	in.at = append(in.at, time.Now())
	status := http.StatusOK
	if len(in.answers) > 0 {
		status, in.answers = in.answers[0], in.answers[1:]
	}
	in.mu.Unlock()
	select {
	case in.arrived <- struct{}{}:
	default: // nobody waiting; wait() rereads the list anyway
	}
	w.WriteHeader(status)
}

func (in *inbox) URL() string { return in.srv.URL + "/notify?shop=1" }

func (in *inbox) wait(t *testing.T, n int, timeout time.Duration) []sign.Fields {
	t.Helper()
	deadline := time.After(timeout)
	for {
		in.mu.Lock()
		got := append([]sign.Fields(nil), in.got...)
		in.mu.Unlock()
		if len(got) >= n {
			return got
		}
		select {
		case <-in.arrived:
		case <-deadline:
			t.Fatalf("got %d notifications, want %d", len(got), n)
		}
	}
}

func (in *inbox) count() int {
	in.mu.Lock()
	defer in.mu.Unlock()
	return len(in.got)
}

func otherKey(t *testing.T) *rsa.PrivateKey {
	t.Helper()
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	require.NoError(t, err)
	return k
}

func rsaSigner(t *testing.T) (sign.Signer, error) {
	return sign.NewRSASigner(otherKey(t), "12345")
}

// sharedKeys are generated once per test binary: key generation dominates NewServer.
var sharedKeys = sync.OnceValues(unionpaytest.NewKeys)

func keys(t *testing.T) unionpaytest.Option {
	t.Helper()
	k, err := sharedKeys()
	require.NoError(t, err)
	return unionpaytest.WithKeys(k)
}

func loadPFX(data []byte, password string) (*cert.PFX, error) { return cert.LoadPFX(data, password) }

func pemBlock(t *testing.T, data []byte) []byte {
	t.Helper()
	b, _ := pem.Decode(data)
	require.NotNil(t, b)
	return b.Bytes
}

// clientGateway starts a gateway on a fixed clock (with opts) and a unionpay client for it.
func clientGateway(t *testing.T, opts ...unionpaytest.Option) (*unionpaytest.Server, *unionpay.Client, *unionpaytest.Clock) {
	t.Helper()
	c0 := newClock()
	srv := unionpaytest.NewServer(append([]unionpaytest.Option{keys(t), unionpaytest.WithClock(c0.Now)}, opts...)...)
	t.Cleanup(srv.Close)
	c, err := unionpay.NewClient(srv.Config())
	require.NoError(t, err)
	return srv, c, c0
}
