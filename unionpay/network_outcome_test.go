package unionpay_test

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/unionpay"
)

// networkCalls is the calls whose outcome a misbehaving network or gateway must not misreport
// (TestNetworkFaultOutcomes): those of inFlightCalls marked networkFaults, every call that moves
// money but the pre-authorisation cancels, an app consume and a QR code apply, and Query and
// DownloadFile.
func networkCalls() []inFlightCall {
	var calls []inFlightCall
	for _, c := range inFlightCalls() {
		if c.also&networkFaults != 0 {
			calls = append(calls, c)
		}
	}
	return calls
}

// hostile is a misbehaving gateway for one call. hits counts the requests that reached it;
// arrived, when not nil, tells when the call's ctx may end (the gateway has the request and is
// in the middle of answering it).
type hostile struct {
	url     string
	client  *http.Client // nil: the Client's own
	hits    atomic.Int32
	arrived atomic.Bool
}

// rawGateway answers each request, read whole, with answer on the bare connection, then closes it.
func rawGateway(t *testing.T, h *hostile, answer func(net.Conn)) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	t.Cleanup(func() { _ = ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer func() { _ = c.Close() }()
				req, err := http.ReadRequest(bufio.NewReader(c))
				if err != nil {
					return
				}
				_, _ = io.Copy(io.Discard, req.Body)
				h.hits.Add(1)
				answer(c)
			}()
		}
	}()
	h.url = "http://" + ln.Addr().String()
}

// refusedAddr returns a loopback address that refuses connections until the test ends: the
// local end of a connection of the test's own, kept open to a listener never accepted from.
// Nothing listens on that port, and nothing can start to while the connection holds it (a
// listener's port, closed and dialled again, could be taken in between by another test's
// listener, which the request would then reach).
func refusedAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	t.Cleanup(func() { _ = ln.Close() })
	held, err := net.Dial("tcp", ln.Addr().String())
	require.NoError(t, err)
	t.Cleanup(func() { _ = held.Close() })
	addr := held.LocalAddr().String()
	if taken, err := net.Listen("tcp", addr); err == nil {
		_ = taken.Close()
		t.Fatalf("%s could be listened on while held", addr)
	}
	return addr
}

// httpGateway answers each request, read whole, with answer.
func httpGateway(t *testing.T, h *hostile, answer http.HandlerFunc) {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		h.hits.Add(1)
		answer(w, r)
	}))
	t.Cleanup(srv.Close)
	h.url = srv.URL
}

func gzipped(b []byte) []byte {
	var buf bytes.Buffer
	z := gzip.NewWriter(&buf)
	_, _ = z.Write(b)
	_ = z.Close()
	return buf.Bytes()
}

// gzipBomb is 16 MiB of zeros in about 16 KiB.
var gzipBomb = sync.OnceValue(func() []byte { return gzipped(make([]byte, 16<<20)) })

// TestNetworkFaultOutcomes runs every call that moves money, and Query and DownloadFile, against
// a network or gateway that misbehaves, and checks the outcome README's "Outcomes" promises: not
// sent (ErrNotSent) only when the request never left (a refused connection, a failed TLS
// handshake or DNS lookup); once it may have left, pending (ErrPending) for a call that moves
// money, and for a query or a download an error that is neither (it says nothing about the
// transaction); each with an error that says what happened. A redirect is not followed: the
// request reaches nothing but its endpoint, and the error names where the redirect pointed.
func TestNetworkFaultOutcomes(t *testing.T) {
	t.Parallel()
	type fault struct {
		name    string
		start   func(t *testing.T, h *hostile, elsewhere *hostile)
		notSent bool   // the request never left
		text    string // in the error's text
		is      error  // matched by the error, when not nil
		maxResp int64  // Config.MaxResponseBytes, when not 0
		check   func(t *testing.T, err error)
	}
	redirect := func(code int, to func(h, elsewhere *hostile) string) func(*testing.T, *hostile, *hostile) {
		return func(t *testing.T, h, elsewhere *hostile) {
			httpGateway(t, h, func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Location", to(h, elsewhere))
				w.WriteHeader(code)
			})
		}
	}
	faults := []fault{
		{name: "connection refused", notSent: true, text: "connection refused", start: func(t *testing.T, h, _ *hostile) {
			h.url = "http://" + refusedAddr(t)
		}},
		{name: "TLS handshake failure", notSent: true, text: "certificate", start: func(t *testing.T, h, _ *hostile) {
			srv := httptest.NewUnstartedServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { h.hits.Add(1) }))
			srv.Config.ErrorLog = log.New(io.Discard, "", 0) // its "TLS handshake error" lines
			srv.StartTLS()                                   // a certificate the Client does not trust
			t.Cleanup(srv.Close)
			h.url = srv.URL
		}},
		{name: "https to a plain HTTP port", notSent: true, text: "server gave HTTP response to HTTPS client", start: func(t *testing.T, h, _ *hostile) {
			srv := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { h.hits.Add(1) }))
			t.Cleanup(srv.Close)
			h.url = strings.Replace(srv.URL, "http://", "https://", 1)
		}},
		{name: "DNS failure", notSent: true, text: "gateway.unionpay.invalid", start: func(_ *testing.T, h, _ *hostile) {
			noDNS := &net.Resolver{PreferGo: true, Dial: func(context.Context, string, string) (net.Conn, error) {
				return nil, errors.New("no DNS server")
			}}
			h.client = &http.Client{Transport: &http.Transport{DialContext: (&net.Dialer{Resolver: noDNS}).DialContext}}
			h.url = "https://gateway.unionpay.invalid"
		}},
		{name: "reset after the request", text: "connection reset", start: func(t *testing.T, h, _ *hostile) {
			rawGateway(t, h, func(c net.Conn) { _ = c.(*net.TCPConn).SetLinger(0) })
		}},
		{name: "closed without an answer", text: "EOF", start: func(t *testing.T, h, _ *hostile) {
			rawGateway(t, h, func(net.Conn) {})
		}},
		{name: "closed after the headers", text: "reading answer: unexpected EOF", start: func(t *testing.T, h, _ *hostile) {
			rawGateway(t, h, func(c net.Conn) { _, _ = io.WriteString(c, "HTTP/1.1 200 OK\r\nContent-Length: 500\r\n\r\n") })
		}},
		{name: "200, empty", text: "empty answer", start: func(t *testing.T, h, _ *hostile) {
			httpGateway(t, h, func(http.ResponseWriter, *http.Request) {})
		}},
		{name: "200, an HTML page", text: `not a UnionPay message (it opens "<html>`, start: func(t *testing.T, h, _ *hostile) {
			httpGateway(t, h, func(w http.ResponseWriter, _ *http.Request) {
				_, _ = io.WriteString(w, "<html><body>502 Bad Gateway</body></html>")
			})
		}},
		{name: "200, truncated", text: "reading answer: unexpected EOF", start: func(t *testing.T, h, _ *hostile) {
			rawGateway(t, h, func(c net.Conn) {
				_, _ = io.WriteString(c, "HTTP/1.1 200 OK\r\nContent-Length: 500\r\n\r\nrespCode=00&respMsg=")
			})
		}},
		{name: "200, gzip", text: `not a UnionPay message (it opens "<html>`, start: func(t *testing.T, h, _ *hostile) {
			httpGateway(t, h, func(w http.ResponseWriter, _ *http.Request) { // decoded, then read as any answer
				w.Header().Set("Content-Encoding", "gzip")
				_, _ = w.Write(gzipped([]byte("<html>blocked</html>")))
			})
		}},
		{name: "200, gzip bomb", text: "longer than MaxResponseBytes (1048576)", maxResp: 1 << 20, start: func(t *testing.T, h, _ *hostile) {
			httpGateway(t, h, func(w http.ResponseWriter, _ *http.Request) {
				w.Header().Set("Content-Encoding", "gzip")
				_, _ = w.Write(gzipBomb())
			})
		}},
		{name: "200, over MaxResponseBytes", text: "longer than MaxResponseBytes (1024)", maxResp: 1 << 10, start: func(t *testing.T, h, _ *hostile) {
			httpGateway(t, h, func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write(make([]byte, 2<<10)) })
		}},
		{name: "301 to the same host", text: `HTTP status 301, a redirect to "/again"`, start: redirect(http.StatusMovedPermanently,
			func(*hostile, *hostile) string { return "/again" })},
		{name: "302 to another host", text: `HTTP status 302, a redirect to "http://127.0.0.1:`, start: redirect(http.StatusFound,
			func(_, elsewhere *hostile) string { return elsewhere.url + "/gateway/api/backTransReq.do" })},
		{name: "307 to another host", text: `HTTP status 307, a redirect to "http://127.0.0.1:`, start: redirect(http.StatusTemporaryRedirect,
			func(_, elsewhere *hostile) string { return elsewhere.url + "/gateway/api/backTransReq.do" })},
		{name: "308 from https to http", text: `HTTP status 308, a redirect to "http://127.0.0.1:`, start: func(t *testing.T, h, elsewhere *hostile) {
			srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				_, _ = io.Copy(io.Discard, r.Body)
				h.hits.Add(1)
				http.Redirect(w, r, elsewhere.url+r.URL.Path, http.StatusPermanentRedirect)
			}))
			t.Cleanup(srv.Close)
			h.url, h.client = srv.URL, srv.Client()
		}},
		{name: "303 to a long URL", text: `HTTP status 303, a redirect to "https://portal.example/login?`, start: redirect(http.StatusSeeOther,
			func(*hostile, *hostile) string {
				return "https://portal.example/login?next=" + strings.Repeat("x", 1000)
			}),
			check: func(t *testing.T, err error) {
				var se *unionpay.StatusError
				require.ErrorAs(t, err, &se)
				assert.Len(t, se.Location, 200, "a Location is kept to its first 200 bytes")
			}},
		{name: "401 with a Location", text: "HTTP status 401", start: redirect(http.StatusUnauthorized,
			func(*hostile, *hostile) string { return "https://portal.example/login" }),
			check: func(t *testing.T, err error) {
				var se *unionpay.StatusError
				require.ErrorAs(t, err, &se)
				assert.Empty(t, se.Location, "only a redirect (3xx) says where it pointed")
				assert.NotContains(t, err.Error(), "redirect")
			}},
		{name: "400 without a body", text: "HTTP status 400", start: func(t *testing.T, h, _ *hostile) {
			httpGateway(t, h, func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusBadRequest) })
		}},
		{name: "403 from a WAF", text: "HTTP status 403, the page says \"Access Denied \u2013 Request ID 7f3a9c\"",
			start: func(t *testing.T, h, _ *hostile) {
				httpGateway(t, h, func(w http.ResponseWriter, _ *http.Request) {
					w.Header().Set("Content-Type", "text/html")
					w.WriteHeader(http.StatusForbidden)
					_, _ = io.WriteString(w, "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">\n"+
						"<TITLE>\n  Access Denied &#8211;\tRequest ID 7f3a9c </TITLE></head><body>...</body></html>")
				})
			},
			check: func(t *testing.T, err error) {
				var se *unionpay.StatusError
				require.ErrorAs(t, err, &se)
				assert.Equal(t, "Access Denied \u2013 Request ID 7f3a9c", se.Page)
			}},
		{name: "503 with a body", text: `HTTP status 503, the page says "respCode=00&respMsg=ok"`, start: func(t *testing.T, h, _ *hostile) {
			httpGateway(t, h, func(w http.ResponseWriter, _ *http.Request) {
				http.Error(w, "respCode=00&respMsg=ok", http.StatusServiceUnavailable)
			})
		}},
		{name: "answer after the deadline", text: "context deadline exceeded", is: context.DeadlineExceeded,
			start: func(t *testing.T, h, _ *hostile) {
				httpGateway(t, h, func(w http.ResponseWriter, r *http.Request) {
					h.arrived.Store(true)
					<-r.Context().Done() // the client gave up
					_, _ = io.WriteString(w, "respCode=00")
				})
			}},
		{name: "a byte every 100 ms", text: "reading answer: context deadline exceeded", is: context.DeadlineExceeded,
			start: func(t *testing.T, h, _ *hostile) {
				httpGateway(t, h, func(w http.ResponseWriter, r *http.Request) {
					w.Header().Set("Content-Length", "500")
					for i := range 500 {
						if _, err := io.WriteString(w, "a"); err != nil {
							return
						}
						w.(http.Flusher).Flush()
						if i == 20 { // 2 s in: the client is reading the body, even on a loaded machine
							h.arrived.Store(true)
						}
						select {
						case <-time.After(100 * time.Millisecond):
						case <-r.Context().Done():
							return
						}
					}
				})
			}},
	}
	for _, f := range faults {
		for _, call := range networkCalls() {
			t.Run(f.name+"/"+call.method, func(t *testing.T) {
				t.Parallel()
				var h, elsewhere hostile
				httpGateway(t, &elsewhere, func(w http.ResponseWriter, _ *http.Request) { _, _ = io.WriteString(w, "respCode=00") })
				f.start(t, &h, &elsewhere)
				cfg := testConfig(t, h.url)
				cfg.HTTPClient = h.client
				if f.maxResp > 0 {
					cfg.MaxResponseBytes = f.maxResp
				}
				c, err := unionpay.NewClient(cfg)
				require.NoError(t, err)
				ctx, cancel := endWhen(context.Background(), context.DeadlineExceeded, h.arrived.Load)
				defer cancel()
				start := time.Now()
				err = call.do(ctx, c)
				require.Error(t, err)
				assert.Less(t, time.Since(start), 10*time.Second)
				assert.Contains(t, err.Error(), f.text)
				if f.check != nil {
					f.check(t, err)
				}
				if f.is != nil {
					assert.ErrorIs(t, err, f.is)
				}
				var rejected *unionpay.Error
				assert.False(t, errors.As(err, &rejected), "never a rejection: %v", err)
				assert.NotErrorIs(t, err, unionpay.ErrUnverified)
				switch {
				case f.notSent:
					assert.ErrorIs(t, err, unionpay.ErrNotSent)
					assert.NotErrorIs(t, err, unionpay.ErrPending)
					assert.Zero(t, h.hits.Load())
				case call.outcome != nil:
					assert.ErrorIs(t, err, call.outcome, "it may have left: pending")
					assert.NotErrorIs(t, err, unionpay.ErrNotSent)
				default:
					assert.NotErrorIs(t, err, unionpay.ErrPending, "a query's failure says nothing about the transaction")
					assert.NotErrorIs(t, err, unionpay.ErrNotSent, "it may have left")
				}
				if !f.notSent {
					assert.Equal(t, int32(1), h.hits.Load(), "the request reached its endpoint once")
				}
				assert.Zero(t, elsewhere.hits.Load(), "nothing is sent anywhere else")
				if t.Failed() {
					t.Log(fmt.Sprint(err))
				}
			})
		}
	}
}
