package unionpay_test

import (
	"bufio"
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/sign"
	"github.com/goacp/unionpay/unionpay"
)

// Trial "infra": the SDK behind an egress proxy, a TLS-intercepting proxy, a mesh sidecar that
// replays requests, IPv6 and flaky DNS. No real network: every peer is an httptest server or a
// listener on loopback.

// corpCA is a corporate CA that a TLS-intercepting proxy signs its forged leaves with.
type corpCA struct {
	pool *x509.CertPool
	leaf tls.Certificate // for 127.0.0.1, ::1 and localhost
}

func newCorpCA(t *testing.T) *corpCA {
	t.Helper()
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	now := time.Now()
	caTmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "Corp Intercept CA"},
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(time.Hour), IsCA: true, BasicConstraintsValid: true,
		KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, &caKey.PublicKey, caKey)
	require.NoError(t, err)
	ca, err := x509.ParseCertificate(caDER)
	require.NoError(t, err)
	leafKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	leafTmpl := &x509.Certificate{SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: "intercepted"},
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(time.Hour), DNSNames: []string{"localhost"},
		IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback},
		KeyUsage:    x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	leafDER, err := x509.CreateCertificate(rand.Reader, leafTmpl, ca, &leafKey.PublicKey, caKey)
	require.NoError(t, err)
	pool := x509.NewCertPool()
	pool.AddCert(ca)
	return &corpCA{pool: pool, leaf: tls.Certificate{Certificate: [][]byte{leafDER}, PrivateKey: leafKey}}
}

// egressProxy is an HTTP proxy speaking CONNECT. mode says what it does with a tunnel:
//
//	""        pipe bytes to the requested host (or to target when set)
//	"407"...  answer the CONNECT with that status
//	"reset"   accept the CONNECT, then reset before any TLS byte
//	"mitm"    terminate TLS with ca's leaf, read the request, and hand it to mitm
type egressProxy struct {
	t        *testing.T
	srv      *httptest.Server
	mode     string
	target   string // "" = the CONNECT's host
	ca       *corpCA
	mitm     func(req *http.Request, body []byte, c net.Conn) // the intercepted request
	connects atomic.Int32
	hosts    sync.Map // CONNECT hosts seen
}

func newEgressProxy(t *testing.T, mode string) *egressProxy {
	p := &egressProxy{t: t, mode: mode}
	p.srv = httptest.NewServer(http.HandlerFunc(p.serve))
	t.Cleanup(p.srv.Close)
	return p
}

func (p *egressProxy) url() *url.URL { u, _ := url.Parse(p.srv.URL); return u }

func (p *egressProxy) serve(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodConnect {
		http.Error(w, "CONNECT only", http.StatusMethodNotAllowed)
		return
	}
	p.connects.Add(1)
	p.hosts.Store(r.Host, true)
	switch p.mode {
	case "407":
		w.Header().Set("Proxy-Authenticate", `Basic realm="corp"`)
		w.WriteHeader(http.StatusProxyAuthRequired)
		return
	case "403", "502", "504":
		var code int
		_, _ = fmt.Sscan(p.mode, &code)
		w.WriteHeader(code)
		return
	}
	c, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		return
	}
	defer c.Close()
	_, _ = io.WriteString(c, "HTTP/1.1 200 Connection established\r\n\r\n")
	switch p.mode {
	case "reset":
		if tc, ok := c.(*net.TCPConn); ok {
			_ = tc.SetLinger(0)
		}
		return
	case "mitm":
		tc := tls.Server(c, &tls.Config{Certificates: []tls.Certificate{p.ca.leaf}})
		if err := tc.Handshake(); err != nil {
			return
		}
		req, err := http.ReadRequest(bufio.NewReader(tc))
		if err != nil {
			return
		}
		body, _ := io.ReadAll(req.Body)
		p.mitm(req, body, tc)
		return
	}
	target := p.target
	if target == "" {
		target = r.Host
	}
	up, err := net.Dial("tcp", target)
	if err != nil {
		return
	}
	defer up.Close()
	done := make(chan struct{}, 2)
	go func() { _, _ = io.Copy(up, c); done <- struct{}{} }()
	go func() { _, _ = io.Copy(c, up); done <- struct{}{} }()
	<-done
}

// tlsGateway is the fake gateway served over TLS (as UnionPay is), with the client's transport
// trusting it.
func tlsGateway(t *testing.T, answer func(sign.Fields) reply) (*gateway, *x509.CertPool) {
	t.Helper()
	g := newGateway(t, answer)
	g.srv.Close()
	g.srv = httptest.NewUnstartedServer(http.HandlerFunc(g.serve))
	g.srv.StartTLS()
	t.Cleanup(g.srv.Close)
	pool := x509.NewCertPool()
	pool.AddCert(g.srv.Certificate())
	return g, pool
}

func proxiedClient(t *testing.T, gatewayURL string, proxy *url.URL, roots *x509.CertPool) *unionpay.Client {
	t.Helper()
	tr := &http.Transport{Proxy: http.ProxyURL(proxy), TLSClientConfig: &tls.Config{RootCAs: roots}}
	t.Cleanup(tr.CloseIdleConnections)
	cfg := testConfig(t, gatewayURL)
	cfg.HTTPClient = &http.Client{Transport: tr, Timeout: 10 * time.Second}
	c, err := unionpay.NewClient(cfg)
	require.NoError(t, err)
	return c
}

// TestInfraProxyFunc: Config.HTTPClient with a Proxy function tunnels through the egress proxy.
func TestInfraProxyFunc(t *testing.T) {
	t.Parallel()
	g, roots := tlsGateway(t, accept(nil))
	p := newEgressProxy(t, "")
	c := proxiedClient(t, g.srv.URL, p.url(), roots)
	res, err := c.Refund(context.Background(), followUp())
	require.NoError(t, err)
	assert.Equal(t, "00", res.RespCode)
	assert.EqualValues(t, 1, p.connects.Load())
	assert.Equal(t, 1, g.count())
}

// TestInfraDefaultClientHonoursHTTPSProxy: the default client (Config.HTTPClient nil) sends
// through HTTPS_PROXY. Run in a child process: net/http reads the proxy variables once.
func TestInfraDefaultClientHonoursHTTPSProxy(t *testing.T) {
	if os.Getenv("INFRA_CHILD") == "1" {
		cfg := testConfig(t, "http://127.0.0.1:1")
		cfg.Endpoints = unionpay.TestEndpoints()
		c, err := unionpay.NewClient(cfg)
		require.NoError(t, err)
		_, err = c.Refund(context.Background(), followUp())
		fmt.Printf("CHILD-ERR: %v\n", err)
		fmt.Printf("CHILD-PENDING: %v\n", errors.Is(err, unionpay.ErrPending))
		return
	}
	t.Parallel()
	p := newEgressProxy(t, "403") // refuse the tunnel: nothing leaves this machine
	cmd := exec.Command(os.Args[0], "-test.run=^TestInfraDefaultClientHonoursHTTPSProxy$", "-test.v")
	cmd.Env = append(os.Environ(), "INFRA_CHILD=1", "HTTPS_PROXY="+p.srv.URL, "https_proxy=", "NO_PROXY=", "no_proxy=")
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "%s", out)
	_, seen := p.hosts.Load("gateway.test.95516.com:443")
	assert.True(t, seen, "no CONNECT to the gateway through HTTPS_PROXY:\n%s", out)
	assert.Contains(t, string(out), "request not sent")
	assert.Contains(t, string(out), "CHILD-PENDING: false")
	t.Logf("%s", out)
}

// TestInfraProxyRefusesConnect: a CONNECT answered 407, 502 or 504 (or reset before TLS) never
// reached UnionPay: "not sent", never pending, and the error says why.
func TestInfraProxyRefusesConnect(t *testing.T) {
	t.Parallel()
	for _, mode := range []string{"407", "502", "504", "reset"} {
		t.Run(mode, func(t *testing.T) {
			t.Parallel()
			g, roots := tlsGateway(t, accept(nil))
			p := newEgressProxy(t, mode)
			c := proxiedClient(t, g.srv.URL, p.url(), roots)
			_, err := c.Refund(context.Background(), followUp())
			require.Error(t, err)
			assert.NotErrorIs(t, err, unionpay.ErrPending)
			assert.Contains(t, err.Error(), "request not sent")
			assert.Equal(t, 0, g.count())
			t.Logf("%s: %v", mode, err)
		})
	}
}

// TestInfraProxyResetsAfterRequest: the tunnel is reset once UnionPay has the whole refund.
func TestInfraProxyResetsAfterRequest(t *testing.T) {
	t.Parallel()
	arrived := make(chan struct{}, 1)
	g, roots := tlsGateway(t, func(req sign.Fields) reply {
		arrived <- struct{}{}
		return reply{fields: answerTo(req, "00", nil), delay: 5 * time.Second}
	})
	p := newEgressProxy(t, "")
	// Wrap the proxy's tunnel: reset the client side once the gateway has the request.
	p.srv.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, _, err := http.NewResponseController(w).Hijack()
		if err != nil {
			return
		}
		defer c.Close()
		up, err := net.Dial("tcp", r.Host)
		if err != nil {
			return
		}
		defer up.Close()
		_, _ = io.WriteString(c, "HTTP/1.1 200 Connection established\r\n\r\n")
		go func() { _, _ = io.Copy(up, c) }()
		go func() { _, _ = io.Copy(c, up) }()
		<-arrived
		_ = c.(*net.TCPConn).SetLinger(0)
	})
	c := proxiedClient(t, g.srv.URL, p.url(), roots)
	_, err := c.Refund(context.Background(), followUp())
	require.Error(t, err)
	assert.ErrorIs(t, err, unionpay.ErrPending, "%v", err)
	t.Logf("%v", err)
}

// TestInfraInterceptingProxy: a TLS-intercepting proxy whose CA is in RootCAs. Answers are
// signed by UnionPay, so they verify through it; the proxy's own answers are pending.
func TestInfraInterceptingProxy(t *testing.T) {
	t.Parallel()
	forward := func(up *gateway, req *http.Request, body []byte) (*http.Response, error) {
		out, _ := http.NewRequest(req.Method, up.srv.URL+req.URL.Path, bytes.NewReader(body))
		out.Header = req.Header.Clone()
		return up.srv.Client().Do(out)
	}
	cases := []struct {
		name  string
		mitm  func(up *gateway) func(*http.Request, []byte, net.Conn)
		check func(t *testing.T, res *unionpay.Result, err error, up *gateway)
	}{
		{name: "forwards", mitm: func(up *gateway) func(*http.Request, []byte, net.Conn) {
			return func(req *http.Request, body []byte, c net.Conn) {
				resp, err := forward(up, req, body)
				if err != nil {
					return
				}
				defer resp.Body.Close()
				resp.Header.Del("Content-Length")
				resp.TransferEncoding = []string{"chunked"} // re-chunked by the proxy
				resp.ContentLength = -1
				_ = resp.Write(c)
			}
		}, check: func(t *testing.T, res *unionpay.Result, err error, up *gateway) {
			require.NoError(t, err)
			assert.Equal(t, "00", res.RespCode)
		}},
		{name: "502 after forwarding", mitm: func(up *gateway) func(*http.Request, []byte, net.Conn) {
			return func(req *http.Request, body []byte, c net.Conn) {
				if resp, err := forward(up, req, body); err == nil {
					resp.Body.Close()
				}
				_, _ = io.WriteString(c, "HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
			}
		}, check: func(t *testing.T, _ *unionpay.Result, err error, up *gateway) {
			assert.ErrorIs(t, err, unionpay.ErrPending)
			assert.Equal(t, 1, up.count())
		}},
		{name: "504 without forwarding", mitm: func(up *gateway) func(*http.Request, []byte, net.Conn) {
			return func(_ *http.Request, _ []byte, c net.Conn) {
				_, _ = io.WriteString(c, "HTTP/1.1 504 Gateway Timeout\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
			}
		}, check: func(t *testing.T, _ *unionpay.Result, err error, up *gateway) {
			// The client cannot tell the proxy's 504 from UnionPay's: pending is right.
			assert.ErrorIs(t, err, unionpay.ErrPending)
		}},
		{name: "407 on the intercepted request", mitm: func(up *gateway) func(*http.Request, []byte, net.Conn) {
			return func(_ *http.Request, _ []byte, c net.Conn) {
				_, _ = io.WriteString(c, "HTTP/1.1 407 Proxy Authentication Required\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
			}
		}, check: func(t *testing.T, _ *unionpay.Result, err error, up *gateway) {
			assert.ErrorIs(t, err, unionpay.ErrPending)
			var se *unionpay.StatusError
			assert.ErrorAs(t, err, &se)
		}},
		{name: "block page 200", mitm: func(up *gateway) func(*http.Request, []byte, net.Conn) {
			return func(_ *http.Request, _ []byte, c net.Conn) {
				page := "<html><body>Access to gateway.95516.com is blocked by corporate policy (category=finance)</body></html>"
				_, _ = fmt.Fprintf(c, "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: %d\r\nConnection: close\r\n\r\n%s", len(page), page)
			}
		}, check: func(t *testing.T, _ *unionpay.Result, err error, up *gateway) {
			assert.ErrorIs(t, err, unionpay.ErrPending)
			assert.Equal(t, 0, up.count())
		}},
		{name: "reset after reading", mitm: func(up *gateway) func(*http.Request, []byte, net.Conn) {
			return func(req *http.Request, body []byte, c net.Conn) {
				if resp, err := forward(up, req, body); err == nil {
					resp.Body.Close()
				}
			}
		}, check: func(t *testing.T, _ *unionpay.Result, err error, up *gateway) {
			assert.ErrorIs(t, err, unionpay.ErrPending)
			assert.Equal(t, 1, up.count())
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			up := newGateway(t, accept(nil))
			ca := newCorpCA(t)
			p := newEgressProxy(t, "mitm")
			p.ca, p.mitm = ca, tc.mitm(up)
			// The client's endpoint is https (as UnionPay's); the proxy intercepts it.
			httpsURL := "https://127.0.0.1:9" // never dialled: the proxy answers
			c := proxiedClient(t, httpsURL, p.url(), ca.pool)
			res, err := c.Refund(context.Background(), followUp())
			t.Logf("%v", err)
			tc.check(t, res, err, up)
		})
	}
}

// replayingSidecar is a mesh sidecar's retry policy in process: it buffers the body and sends a
// POST again on a 503 or a reset, as Envoy's retry_on: 5xx,reset would.
type replayingSidecar struct {
	next  http.RoundTripper
	tries int
}

func (s replayingSidecar) RoundTrip(r *http.Request) (*http.Response, error) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		return nil, err
	}
	var resp *http.Response
	for i := 0; i < s.tries; i++ {
		out := r.Clone(r.Context())
		out.Body = io.NopCloser(bytes.NewReader(body))
		resp, err = s.next.RoundTrip(out)
		if err == nil && resp.StatusCode != http.StatusServiceUnavailable {
			return resp, nil
		}
		if resp != nil && i+1 < s.tries {
			resp.Body.Close()
		}
	}
	return resp, err
}

// TestInfraSidecarReplaysRefund: a sidecar retrying a POST sends the refund twice; UnionPay
// answers the copy 12 (duplicate orderId), which the client reports pending, not refused.
func TestInfraSidecarReplaysRefund(t *testing.T) {
	t.Parallel()
	var n atomic.Int32
	g := newGateway(t, func(req sign.Fields) reply {
		if n.Add(1) == 1 {
			return reply{status: http.StatusServiceUnavailable} // processed, then the answer lost
		}
		return reply{fields: answerTo(req, "12", sign.Fields{"respMsg": "重复交易"})}
	})
	c := newTestClient(t, g, func(cfg *unionpay.Config) {
		cfg.HTTPClient = &http.Client{Transport: replayingSidecar{next: http.DefaultTransport, tries: 2}}
	})
	_, err := c.Refund(context.Background(), followUp())
	assert.Equal(t, 2, g.count(), "the sidecar sent the refund twice")
	assert.ErrorIs(t, err, unionpay.ErrPending, "%v", err)
	// Both copies carry the same orderId and txnTime: UnionPay can refuse the second.
	g.mu.Lock()
	defer g.mu.Unlock()
	assert.Equal(t, g.bodies[0], g.bodies[1])
}

// TestInfraDNSFailureNotSent: a DNS failure (flaky cluster DNS) is "not sent" with the SDK's own
// *http.Transport, and pending behind a wrapping RoundTripper (which cannot say).
func TestInfraDNSFailureNotSent(t *testing.T) {
	t.Parallel()
	dnsFail := func(ctx context.Context, network, addr string) (net.Conn, error) {
		return nil, &net.OpError{Op: "dial", Net: network, Err: &net.DNSError{Err: "server misbehaving", Name: "gateway.95516.com", IsTemporary: true}}
	}
	g := newGateway(t, accept(nil))
	tr := &http.Transport{DialContext: dnsFail}
	c := newTestClient(t, g, func(cfg *unionpay.Config) { cfg.HTTPClient = &http.Client{Transport: tr} })
	_, err := c.Refund(context.Background(), followUp())
	assert.NotErrorIs(t, err, unionpay.ErrPending)
	assert.Contains(t, err.Error(), "request not sent")
	var dnsErr *net.DNSError
	assert.ErrorAs(t, err, &dnsErr)

	wrapped := newTestClient(t, g, func(cfg *unionpay.Config) {
		cfg.HTTPClient = &http.Client{Transport: replayingSidecar{next: tr, tries: 1}}
	})
	_, err = wrapped.Refund(context.Background(), followUp())
	assert.ErrorIs(t, err, unionpay.ErrPending, "documented: a foreign RoundTripper makes every failure pending")
}

// TestInfraIPv6Loopback: an IPv6 loopback endpoint (an IPv6-only pod's fake gateway) is accepted
// over plain http, and works.
func TestInfraIPv6Loopback(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp6", "[::1]:0")
	if err != nil {
		t.Skip("no IPv6 loopback:", err)
	}
	g := newGateway(t, accept(nil))
	g.srv.Close()
	g.srv = &httptest.Server{Listener: ln, Config: &http.Server{Handler: http.HandlerFunc(g.serve)}}
	g.srv.Start()
	defer g.srv.Close()
	require.True(t, strings.HasPrefix(g.srv.URL, "http://[::1]:"), g.srv.URL)
	c := newTestClient(t, g)
	_, err = c.Refund(context.Background(), followUp())
	require.NoError(t, err)
	cfg := testConfig(t, "http://[2001:db8::1]:8080")
	_, err = unionpay.NewClient(cfg)
	assert.Error(t, err, "plain http to a non-loopback IPv6 host must be refused")
}

// TestInfraBlockPageIsNotUnverified: a corporate proxy's "blocked by policy" page, answered 200,
// is reported as an answer that "failed verification" (ErrUnverified, "message has no signature
// field"), which sends the operator to the certificates, or raises a forgery alert, rather than
// to the proxy. It is no UnionPay message at all: unreadable, as a parse failure is.
func TestInfraBlockPageIsNotUnverified(t *testing.T) {
	t.Parallel()
	page := "<!DOCTYPE html>\n<html><head><title>Blocked</title></head><body>Access to gateway.95516.com denied by policy (category=finance)</body></html>"
	g := newGateway(t, func(sign.Fields) reply { return reply{raw: page} })
	c := newTestClient(t, g)
	_, err := c.Query(context.Background(), &unionpay.QueryRequest{OrderID: testOrder, TxnTime: testNow})
	require.Error(t, err)
	t.Log(err)
	assert.NotErrorIs(t, err, unionpay.ErrUnverified, "an HTML page is not a UnionPay answer that failed verification")
	assert.Contains(t, err.Error(), "not a UnionPay message")
	_, err = c.Refund(context.Background(), followUp())
	assert.ErrorIs(t, err, unionpay.ErrPending, "still pending for a call that moves money")
	assert.NotErrorIs(t, err, unionpay.ErrUnverified)
}
