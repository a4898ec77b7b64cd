package notify_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/notify"
	"github.com/goacp/unionpay/sign"
)

// bodyOfLength returns a signed notification form body of exactly n bytes,
// padded with a reqReserved value. The URL-encoded signature varies in
// length ('+', '/' and '=' take three bytes), so it tries other reqReserved
// values of the right length until the body fits.
func bodyOfLength(t testing.TB, n int) string {
	t.Helper()
	p := testPKI()
	f := consumeFields("LIMIT0001")
	pad := 0
	for i := range 1000 {
		f["reqReserved"] = fmt.Sprintf("%04d", i) + strings.Repeat("x", pad)
		body := encode(t, signWith(t, p.leaf, f))
		if len(body) == n {
			return body
		}
		pad = max(pad+n-len(body), 0)
	}
	require.FailNow(t, "no body of the wanted length", "%d bytes", n)
	return ""
}

// A body of exactly the limit is read and accepted; one byte more is
// refused with 413, up front when Content-Length says so, and while reading
// when there is none (N05 of the mutation review).
func TestMaxBytesBoundary(t *testing.T) {
	t.Parallel()
	body := encode(t, signWith(t, testPKI().leaf, consumeFields("LIMIT0002")))
	size := int64(len(body))
	atDefault := bodyOfLength(t, notify.DefaultMaxBytes)
	tests := []struct {
		name     string
		body     string
		maxBytes int64
		length   bool // send Content-Length
		want     int
	}{
		{"Content-Length equal to MaxBytes", body, size, true, http.StatusOK},
		{"Content-Length one over MaxBytes", body, size - 1, true, http.StatusRequestEntityTooLarge},
		{"Content-Length two over MaxBytes", body, size - 2, true, http.StatusRequestEntityTooLarge},
		{"no Content-Length, body equal to MaxBytes", body, size, false, http.StatusOK},
		{"no Content-Length, body one over MaxBytes", body, size - 1, false, http.StatusRequestEntityTooLarge},
		{"Content-Length equal to DefaultMaxBytes", atDefault, 0, true, http.StatusOK},
		{"Content-Length one over DefaultMaxBytes", atDefault + "x", 0, true, http.StatusRequestEntityTooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p := testPKI()
			newReq := func() *http.Request {
				r := newRequest(http.MethodPost, "/notify", tt.body)
				if !tt.length {
					r.Body = io.NopCloser(r.Body) // hide the reader's length
					r.ContentLength = -1
				}
				return r
			}
			calls := 0
			h := &notify.Handler{Verifier: p.verifier(t), MaxBytes: tt.maxBytes,
				OnNotify: func(context.Context, *notify.Notification) error { calls++; return nil }}
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, newReq())
			assert.Equal(t, tt.want, rec.Code)
			assert.Equal(t, tt.want == http.StatusOK, calls == 1)

			n, err := notify.ReadRequest(httptest.NewRecorder(), newReq(), p.verifier(t), tt.maxBytes)
			assert.Equal(t, tt.want, notify.HTTPStatus(err), "ReadRequest: %v", err)
			if tt.want == http.StatusOK {
				require.NotNil(t, n)
				assert.Equal(t, sign.Version510, n.Version)
			} else {
				assert.ErrorIs(t, err, notify.ErrTooLarge)
			}
		})
	}
}

// TestAuditClaimsNegativeMaxBytesIsDefault checks Handler.MaxBytes and ReadRequest's maxBytes:
// "zero or negative means DefaultMaxBytes" (TestMaxBytesBoundary covers zero only).
func TestAuditClaimsNegativeMaxBytesIsDefault(t *testing.T) {
	t.Parallel()
	atDefault := bodyOfLength(t, notify.DefaultMaxBytes)
	p := testPKI()
	for _, tt := range []struct {
		name string
		body string
		want int
	}{
		{"body of DefaultMaxBytes", atDefault, http.StatusOK},
		{"one byte over DefaultMaxBytes", atDefault + "x", http.StatusRequestEntityTooLarge},
	} {
		t.Run(tt.name, func(t *testing.T) {
			h := &notify.Handler{Verifier: p.verifier(t), MaxBytes: -1,
				OnNotify: func(context.Context, *notify.Notification) error { return nil }}
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, newRequest(http.MethodPost, "/notify", tt.body))
			assert.Equal(t, tt.want, rec.Code)
			_, err := notify.ReadRequest(nil, newRequest(http.MethodPost, "/notify", tt.body), p.verifier(t), -5)
			assert.Equal(t, tt.want, notify.HTTPStatus(err), "ReadRequest: %v", err)
		})
	}
}

// countingBody counts the reads of a request body.
type countingBody struct {
	io.Reader
	reads atomic.Int64
}

func (b *countingBody) Read(p []byte) (int, error) { b.reads.Add(1); return b.Reader.Read(p) }
func (b *countingBody) Close() error               { return nil }

// TestAuditClaimsContentLengthRefusedBeforeReading checks ReadRequest's doc: "a larger
// Content-Length is refused before reading", with w nil allowed.
func TestAuditClaimsContentLengthRefusedBeforeReading(t *testing.T) {
	t.Parallel()
	p := testPKI()
	body := &countingBody{Reader: strings.NewReader(strings.Repeat("a=b&", 100))}
	r := newRequest(http.MethodPost, "/return", "")
	r.Body, r.ContentLength = body, 400
	_, err := notify.ReadRequest(nil, r, p.verifier(t), 100)
	require.ErrorIs(t, err, notify.ErrTooLarge)
	assert.Equal(t, http.StatusRequestEntityTooLarge, notify.HTTPStatus(err))
	assert.Zero(t, body.reads.Load(), "the body was read")
}
