package notify_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/notify"
)

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
