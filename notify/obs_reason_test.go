package notify_test

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/goacp/unionpay/cert"
	"github.com/goacp/unionpay/notify"
)

// recorder is a slog.Handler keeping each record's message and attributes, as a metrics
// bridge (a log-to-counter handler) sees them.
type recorder struct {
	mu   sync.Mutex
	recs []map[string]slog.Value
}

func (r *recorder) Enabled(context.Context, slog.Level) bool { return true }
func (r *recorder) WithAttrs([]slog.Attr) slog.Handler       { return r }
func (r *recorder) WithGroup(string) slog.Handler            { return r }
func (r *recorder) Handle(_ context.Context, rec slog.Record) error {
	m := map[string]slog.Value{"msg": slog.StringValue(rec.Message), "level": slog.StringValue(rec.Level.String())}
	rec.Attrs(func(a slog.Attr) bool { m[a.Key] = a.Value; return true })
	r.mu.Lock()
	r.recs = append(r.recs, m)
	r.mu.Unlock()
	return nil
}

func (r *recorder) last() map[string]slog.Value {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.recs[len(r.recs)-1]
}

// FAILS on the current code. A rejection can be counted by reason only by classifying the
// "err" attribute's error value with errors.Is/As (possible in a custom slog.Handler, not in
// one that writes JSON or text: there it is the error's text) or by its HTTP status, which
// puts a forgery, an expired UnionPay certificate, an unaccepted signMethod and a malformed
// body all under 400. A stable "reason" key, the same in every handler, is what a
// log-based metric needs.
func TestObsHandlerRejectionReasonKey(t *testing.T) {
	t.Parallel()
	p := testPKI()
	f := consumeFields("ORDER20260611")
	good := signWith(t, p.leaf, f)
	forged := good.Clone()
	forged["txnAmt"] = "1"
	rec := &recorder{}
	h := &notify.Handler{Verifier: p.verifier(t), Logger: slog.New(rec),
		OnNotify: func(_ context.Context, n *notify.Notification) error {
			if n.OrderID == "ORDERFAILS0001" {
				return errors.New("database down")
			}
			return nil
		}}
	failing := signWith(t, p.leaf, consumeFields("ORDERFAILS0001"))
	cases := []struct {
		name, method, body, reason string
		status                     int
	}{
		{"accepted", http.MethodPost, encode(t, good), "", http.StatusOK},
		{"forged", http.MethodPost, encode(t, forged), "signature", http.StatusBadRequest},
		{"expired certificate", http.MethodPost, encode(t, signWith(t, p.expired, f)), "certificate", http.StatusBadRequest},
		{"not UnionPay's", http.MethodPost, encode(t, signWith(t, p.wrongOwner, f)), "certificate", http.StatusBadRequest},
		{"malformed", http.MethodPost, "a=1&a=2", "malformed", http.StatusBadRequest},
		{"method not accepted", http.MethodPost, "signMethod=11&version=5.1.0&orderId=X&signature=x", "method", http.StatusBadRequest},
		{"too large", http.MethodPost, strings.Repeat("a", notify.DefaultMaxBytes+1), "too_large", http.StatusRequestEntityTooLarge},
		{"GET", http.MethodGet, "", "http_method", http.StatusMethodNotAllowed},
		{"OnNotify fails", http.MethodPost, encode(t, failing), "on_notify", http.StatusInternalServerError},
	}
	for _, tt := range cases {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, newRequest(tt.method, "/notify", tt.body))
		assert.Equal(t, tt.status, w.Code, tt.name)
		last := rec.last()
		if tt.reason == "" {
			_, has := last["reason"]
			assert.False(t, has, tt.name)
			continue
		}
		assert.Equal(t, tt.reason, last["reason"].String(), "%s: %v", tt.name, last["err"])
	}
	_ = cert.ErrMethod
}
