package notify_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/cert"
	"github.com/goacp/unionpay/notify"
	"github.com/goacp/unionpay/sign"
)

// stutterBody returns its data a byte at a time, each byte after empty (0, nil) reads; once the
// data is out it returns (0, nil) forever if stuck, else io.EOF. reads counts the calls.
type stutterBody struct {
	data  string
	empty int // empty reads before each byte
	stuck bool
	n     int // empty reads since the last byte
	reads int
}

func (b *stutterBody) Read(p []byte) (int, error) {
	b.reads++
	if b.data == "" {
		if b.stuck {
			return 0, nil
		}
		return 0, io.EOF
	}
	if b.n < b.empty || len(p) == 0 {
		b.n++
		return 0, nil
	}
	b.n = 0
	p[0], b.data = b.data[0], b.data[1:]
	return 1, nil
}

func (*stutterBody) Close() error { return nil }

// TestStuckBody: a body that keeps returning (0, nil) without a Content-Length made ReadRequest
// and Handler loop forever (io.ReadAll); now, as with a Content-Length, the read stops after a
// bounded number of empty reads with io.ErrNoProgress, answered as a bad body (400). A body that
// only pauses between bytes is still read. Found in the hostile-input review (section 17).
func TestStuckBody(t *testing.T) {
	t.Parallel()
	p := testPKI()
	v := p.verifier(t)
	genuine := encode(t, signWith(t, p.leaf, consumeFields("ORDER20260617")))
	tests := []struct {
		name   string
		body   func() *stutterBody
		length int64
		want   int
	}{
		{"nothing, no Content-Length", func() *stutterBody { return &stutterBody{stuck: true} }, -1, http.StatusBadRequest},
		{"nothing, Content-Length", func() *stutterBody { return &stutterBody{stuck: true} }, 10, http.StatusBadRequest},
		{"some bytes then nothing, no Content-Length",
			func() *stutterBody { return &stutterBody{data: "orderId=1", stuck: true} }, -1, http.StatusBadRequest},
		{"pauses between bytes, no Content-Length",
			func() *stutterBody { return &stutterBody{data: genuine, empty: 50} }, -1, http.StatusOK},
		{"pauses between bytes, Content-Length",
			func() *stutterBody { return &stutterBody{data: genuine, empty: 50} }, int64(len(genuine)), http.StatusOK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			request := func(body *stutterBody) *http.Request {
				r := newRequest(http.MethodPost, "/notify", "")
				r.Body, r.ContentLength = body, tt.length
				return r
			}
			body := tt.body()
			err := within(t, func() error {
				_, err := notify.ReadRequest(nil, request(body), v, 0)
				return err
			})
			require.Equal(t, tt.want, notify.HTTPStatus(err), "%v", err)
			if tt.want != http.StatusOK {
				require.ErrorIs(t, err, io.ErrNoProgress)
				require.Less(t, body.reads, 200+len(body.data), "reads of a stuck body are bounded")
			}
			h := &notify.Handler{Verifier: v, OnNotify: func(context.Context, *notify.Notification) error { return nil }}
			rec := httptest.NewRecorder()
			_ = within(t, func() error { h.ServeHTTP(rec, request(tt.body())); return nil })
			require.Equal(t, tt.want, rec.Code)
		})
	}
}

// within runs f and returns its error, failing the test if f has not returned after 10 s (it
// is then left running).
func within(t *testing.T, f func() error) error {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- f() }()
	select {
	case err := <-done:
		return err
	case <-time.After(10 * time.Second):
		require.FailNow(t, "still reading the body after 10 s")
		return nil
	}
}

// TestUnusableVerifierIs500: a Verifier not made by cert.NewVerifier (or nil) is the merchant's
// configuration: ReadRequest, Parse, Verify and VerifyValues return an error HTTPStatus maps to
// 500, as Handler answers it, so a backUrl handler built on them does not answer it as a forgery
// (400, which UnionPay does not retry). ReadRequest and Parse returned "rejected: cert: signature
// method not accepted", a 400. Found in the hostile-input review (section 17).
func TestUnusableVerifierIs500(t *testing.T) {
	t.Parallel()
	p := testPKI()
	body := encode(t, signWith(t, p.leaf, consumeFields("ORDER20260618")))
	form, err := url.ParseQuery(body)
	require.NoError(t, err)
	fields, err := sign.ParseForm(body)
	require.NoError(t, err)
	calls := map[string]func(v *cert.Verifier) error{
		"ReadRequest": func(v *cert.Verifier) error {
			_, err := notify.ReadRequest(nil, newRequest(http.MethodPost, "/notify", body), v, 0)
			return err
		},
		"Parse":        func(v *cert.Verifier) error { _, err := notify.Parse(v, []byte(body)); return err },
		"Verify":       func(v *cert.Verifier) error { _, err := notify.Verify(v, fields); return err },
		"VerifyValues": func(v *cert.Verifier) error { _, err := notify.VerifyValues(v, form); return err },
		// A message that is malformed as well: the configuration is still what is reported
		// (VerifyValues decoded the values first and answered 400).
		"VerifyValues repeated key": func(v *cert.Verifier) error {
			bad := url.Values{"orderId": {"1", "2"}}
			_, err := notify.VerifyValues(v, bad)
			return err
		},
		"Handler": func(v *cert.Verifier) error {
			h := &notify.Handler{Verifier: v, OnNotify: func(context.Context, *notify.Notification) error { return nil }}
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, newRequest(http.MethodPost, "/notify", body))
			return fmt.Errorf("status %d", rec.Code)
		},
	}
	verifiers := []struct {
		name string
		v    *cert.Verifier
	}{
		{"zero Verifier", &cert.Verifier{}},
		{"nil Verifier", nil},
	}
	for _, vv := range verifiers {
		for name, call := range calls {
			t.Run(vv.name+"/"+name, func(t *testing.T) {
				t.Parallel()
				err := call(vv.v)
				if name == "Handler" {
					require.EqualError(t, err, "status 500")
					return
				}
				require.Equal(t, http.StatusInternalServerError, notify.HTTPStatus(err), "%v", err)
				require.ErrorIs(t, err, notify.ErrNoVerifier)
				require.ErrorIs(t, err, cert.ErrMethod, "the Verifier's own reason is kept")
			})
		}
	}
	for name, call := range calls {
		switch name {
		case "Handler":
		case "VerifyValues repeated key":
			require.ErrorIs(t, call(p.verifier(t)), sign.ErrMalformed, "with a Verifier from NewVerifier, the message's fault")
		default:
			require.NoError(t, call(p.verifier(t)), "%s with a Verifier from NewVerifier", name)
		}
	}
}
