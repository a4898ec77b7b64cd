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

// TestServeBodyAtMaxBytes: a body of exactly MaxBytes is within the limit, for ServeBody as for
// ServeHTTP; one byte over it is not.
func TestServeBodyAtMaxBytes(t *testing.T) {
	t.Parallel()
	p := testPKI()
	good := encode(t, signWith(t, p.leaf, consumeFields("SERVEBODY0010")))
	for limit, want := range map[int64]int{int64(len(good)): http.StatusOK, int64(len(good)) - 1: http.StatusRequestEntityTooLarge} {
		h := &notify.Handler{Verifier: p.verifier(t), MaxBytes: limit,
			OnNotify: func(context.Context, *notify.Notification) error { return nil }}
		status, _ := h.ServeBody(context.Background(), []byte(good), nil, "")
		assert.Equal(t, want, status, "ServeBody, MaxBytes %d for a body of %d", limit, len(good))
		r := httptest.NewRequest(http.MethodPost, "/notify", strings.NewReader(good))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		assert.Equal(t, want, w.Code, "ServeHTTP, MaxBytes %d for a body of %d", limit, len(good))
	}
}

// TestServeBodyHeaderNamesInTwoCases: an event whose headers hold one name in two cases (a
// platform that lower-cases some and not others) has both values read, as net/http would have
// joined them: the record's forwardedFor holds both addresses, and a Content-Encoding in either
// case is refused.
func TestServeBodyHeaderNamesInTwoCases(t *testing.T) {
	t.Parallel()
	p := testPKI()
	good := encode(t, signWith(t, p.leaf, consumeFields("SERVEBODY0011")))
	var logs bytes.Buffer
	h := &notify.Handler{Verifier: p.verifier(t), Logger: slog.New(slog.NewJSONHandler(&logs, nil)),
		OnNotify: func(context.Context, *notify.Notification) error { return nil }}
	status, _ := h.ServeBody(context.Background(), []byte(good),
		http.Header{"x-forwarded-for": {"203.0.113.9"}, "X-Forwarded-For": {"10.0.0.2"}}, "198.51.100.4:41000")
	require.Equal(t, http.StatusOK, status)
	var record map[string]any
	require.NoError(t, json.Unmarshal(logs.Bytes(), &record), logs.String())
	fwd, _ := record["forwardedFor"].(string)
	assert.Contains(t, fwd, "203.0.113.9")
	assert.Contains(t, fwd, "10.0.0.2")

	status, _ = h.ServeBody(context.Background(), []byte(good),
		http.Header{"content-encoding": {"identity"}, "Content-Encoding": {"gzip"}}, "")
	assert.Equal(t, http.StatusUnsupportedMediaType, status)
	status, _ = h.ServeBody(context.Background(), []byte(good),
		http.Header{"content-encoding": {"gzip"}, "Content-Encoding": {"identity"}}, "")
	assert.Equal(t, http.StatusUnsupportedMediaType, status)
}
