package notify_test

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/notify"
)

// TestReview14ForwardedForKeepsTheProxysEntry: X-Forwarded-For is appended to by each proxy, so
// its last entries are the ones the merchant's own load balancer wrote and its first are
// whatever the sender claimed. A forger that sends a long X-Forwarded-For of its own must not
// push the address the load balancer saw out of the record: the cut must keep the tail.
func TestReview14ForwardedForKeepsTheProxysEntry(t *testing.T) {
	t.Parallel()
	p := testPKI()
	var logs bytes.Buffer
	h := &notify.Handler{Verifier: p.verifier(t), OnNotify: func(context.Context, *notify.Notification) error { return nil },
		Logger: slog.New(slog.NewTextHandler(&logs, nil))}
	f := signWith(t, p.leaf, consumeFields("ORDER20260601"))
	f["txnAmt"] = "1" // tampered: a forgery
	r := newRequest(http.MethodPost, "/notify", encode(t, f))
	r.RemoteAddr = "10.0.0.7:41234" // the load balancer
	claimed := strings.Repeat("198.51.100.1, ", 10)
	r.Header.Set("X-Forwarded-For", claimed+"203.0.113.9") // the load balancer appended the real peer
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, r)
	require.Equal(t, http.StatusBadRequest, rec.Code)
	assert.Contains(t, logs.String(), "203.0.113.9", "the address the load balancer saw was cut off: %s", logs.String())

	// A proxy may add its entry as a header line of its own: every line is logged, in order.
	logs.Reset()
	r = newRequest(http.MethodPost, "/notify", encode(t, f))
	r.Header["X-Forwarded-For"] = []string{"198.51.100.1", "203.0.113.9"}
	h.ServeHTTP(httptest.NewRecorder(), r)
	assert.Contains(t, logs.String(), "198.51.100.1, 203.0.113.9", logs.String())
}

// TestReview14ContentEncodingIdentity: "identity" (any case, padded) and an empty
// Content-Encoding are no encoding: the notification is accepted; anything else is 415, and the
// value the error names is cut and printable.
func TestReview14ContentEncodingIdentity(t *testing.T) {
	t.Parallel()
	p := testPKI()
	body := encode(t, signWith(t, p.leaf, consumeFields("ORDER20260601")))
	for _, tc := range []struct {
		ce   []string
		want int
	}{
		{[]string{"identity"}, http.StatusOK},
		{[]string{" Identity "}, http.StatusOK},
		{[]string{""}, http.StatusOK},
		{[]string{"identity", "br"}, http.StatusUnsupportedMediaType},
		{[]string{"gzip"}, http.StatusUnsupportedMediaType},
	} {
		h := &notify.Handler{Verifier: p.verifier(t), OnNotify: func(context.Context, *notify.Notification) error { return nil }}
		r := newRequest(http.MethodPost, "/notify", body)
		r.Header["Content-Encoding"] = tc.ce
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)
		assert.Equal(t, tc.want, rec.Code, "Content-Encoding %q", tc.ce)
	}
	r := newRequest(http.MethodPost, "/notify", body)
	r.Header.Set("Content-Encoding", "x\xff\x1b"+strings.Repeat("z", 500))
	_, err := notify.ReadRequest(nil, r, p.verifier(t), 0)
	require.ErrorIs(t, err, notify.ErrContentEncoding)
	assert.Equal(t, http.StatusUnsupportedMediaType, notify.HTTPStatus(err))
	assert.NotContains(t, err.Error(), "\xff")
	assert.NotContains(t, err.Error(), "\x1b")
	assert.Less(t, len(err.Error()), 300, "the value is cut: %s", err)
}

// TestReview14ForwardedForPrintable: forwarded_for is made printable (tabs and obs-text bytes,
// which net/http lets through in a header value, become '?') and cut at 100 bytes.
func TestReview14ForwardedForPrintable(t *testing.T) {
	t.Parallel()
	p := testPKI()
	var logs bytes.Buffer
	h := &notify.Handler{Verifier: p.verifier(t), OnNotify: func(context.Context, *notify.Notification) error { return nil },
		Logger: slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))}
	r := newRequest(http.MethodGet, "/notify", "")
	r.Header.Set("X-Forwarded-For", "203.0.113.9\t\xff\xfe"+strings.Repeat("1", 200))
	h.ServeHTTP(httptest.NewRecorder(), r)
	var rec struct {
		ForwardedFor string `json:"forwarded_for"`
	}
	require.NoError(t, json.Unmarshal(logs.Bytes(), &rec), logs.String())
	for _, c := range []byte(strings.Trim(rec.ForwardedFor, ".")) {
		assert.True(t, c >= ' ' && c < 0x7f, "byte %#x in forwarded_for %q", c, rec.ForwardedFor)
	}
	assert.LessOrEqual(t, len(rec.ForwardedFor), 103, rec.ForwardedFor)
	assert.True(t, strings.HasPrefix(rec.ForwardedFor, "...") || strings.HasSuffix(rec.ForwardedFor, "..."),
		"a cut value says so: %q", rec.ForwardedFor)

	logs.Reset()
	exact := strings.Repeat("1", 100) // exactly the limit: not cut
	r = newRequest(http.MethodGet, "/notify", "")
	r.Header.Set("X-Forwarded-For", exact)
	h.ServeHTTP(httptest.NewRecorder(), r)
	require.NoError(t, json.Unmarshal(logs.Bytes(), &rec), logs.String())
	assert.Equal(t, exact, rec.ForwardedFor)
}

// TestReview14AmountWithoutCurrency: a notification without a currencyCode is in fen (156), as
// String prints it, and LogValue adds no empty currencyCode.
func TestReview14AmountWithoutCurrency(t *testing.T) {
	t.Parallel()
	n := notify.Notification{MerchantID: "777290058110048", OrderID: "ORDER20260601", TxnAmt: 1000,
		Raw: map[string]string{}}
	assert.Contains(t, n.String(), "1000 fen")
	for _, a := range n.LogValue().Group() {
		assert.NotEqual(t, "currencyCode", a.Key, "an absent currencyCode logged: %v", n.LogValue())
	}
}
