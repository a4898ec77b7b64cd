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

	"github.com/goacp/unionpay/internal/logtest"
	"github.com/goacp/unionpay/notify"
)

// A rejected notification's log record names the order it claims to be about, so that the
// orders a misconfigured Verifier refuses can be found and queried; the claim is bounded,
// printable, and never carries the card number.
func TestHandlerLogsClaimedOrderOfRejected(t *testing.T) {
	t.Parallel()
	p := testPKI()
	const pan = "6216261000000000018"
	f := consumeFields("ORDER20260611")
	f["accNo"] = pan
	signed := signWith(t, p.leaf, f)
	forged := signed.Clone()
	forged["txnAmt"] = "1"

	var buf bytes.Buffer
	h := &notify.Handler{
		Verifier: p.verifier(t),
		Logger:   slog.New(slog.NewJSONHandler(&buf, logtest.Untimed())),
		OnNotify: func(context.Context, *notify.Notification) error { return nil },
	}
	serve := func(body string) int {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, newRequest(http.MethodPost, "/notify", body))
		return rec.Code
	}
	lastRecord := func() map[string]any {
		lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
		var rec map[string]any
		require.NoError(t, json.Unmarshal([]byte(lines[len(lines)-1]), &rec))
		return rec
	}

	tests := []struct {
		name    string
		body    string
		status  int
		claimed map[string]any // nil: no "claimed" group
	}{
		{"forged amount", encode(t, forged), http.StatusBadRequest, map[string]any{
			"merId": f["merId"], "orderId": "ORDER20260611", "txnTime": f["txnTime"], "txnType": f["txnType"],
			"queryId": f["queryId"]}},
		{"hostile values", "orderId=A%0Alevel%3DERROR%20msg%3Dpaid&txnTime=%E4%BD%A0" + strings.Repeat("9", 100) +
			"&merId=&txnType=01&txnType=04&signature=x", http.StatusBadRequest, map[string]any{
			"orderId": "A?level=ERROR?msg=paid", "txnTime": "???" + strings.Repeat("9", 37) + "...", "txnType": "01"}},
		{"undecodable and long raw", "queryId=%zz&orderId=" + strings.Repeat("%41", 41), http.StatusBadRequest,
			map[string]any{"queryId": "%zz", "orderId": strings.Repeat("A", 40) + "..."}},
		{"no identity", "a=b&signature=c", http.StatusBadRequest, nil},
		{"not a form", "\x00\x01", http.StatusBadRequest, nil},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.status, serve(tt.body), tt.name)
		rec := lastRecord()
		assert.Equal(t, "notify: notification rejected", rec["msg"], tt.name)
		if tt.claimed == nil {
			assert.NotContains(t, rec, "claimed", tt.name)
			continue
		}
		assert.Equal(t, tt.claimed, rec["claimed"], tt.name)
	}
	assert.NotContains(t, buf.String(), pan)
	assert.NotContains(t, buf.String(), pan[6:15])

	// Accepted notifications carry no claim: their identity is verified (Notification.LogValue).
	buf.Reset()
	assert.Equal(t, http.StatusOK, serve(encode(t, signed)))
	assert.NotContains(t, lastRecord(), "claimed")
}

// Without a logger (or below Warn) nothing is read for a claim: the handler answers as before.
func TestHandlerClaimOnlyWhenLogged(t *testing.T) {
	t.Parallel()
	p := testPKI()
	var buf bytes.Buffer
	h := &notify.Handler{
		Verifier: p.verifier(t),
		Logger:   slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelError})),
		OnNotify: func(context.Context, *notify.Notification) error { return nil },
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, newRequest(http.MethodPost, "/notify", "orderId=X&signature=y"))
	assert.Equal(t, http.StatusBadRequest, rec.Code)
	assert.Empty(t, buf.String())
}
