package notify_test

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/notify"
)

// panicHandler is a slog.Handler whose every record panics, and with enabled, its Enabled: a
// log pipeline that fails.
type panicHandler struct{ enabled bool }

func (h panicHandler) Enabled(context.Context, slog.Level) bool {
	if h.enabled {
		panic("log level lookup exploded")
	}
	return true
}
func (panicHandler) Handle(context.Context, slog.Record) error { panic("log pipeline exploded") }
func (h panicHandler) WithAttrs([]slog.Attr) slog.Handler      { return h }
func (h panicHandler) WithGroup(string) slog.Handler           { return h }

// TestHandlerLoggerPanicKeepsAnswer: a Logger whose handler panics (in Handle, or in Enabled)
// does not change what UnionPay is answered: a notification OnNotify processed is still answered
// 200 "ok" (the panic took the answer, and UnionPay sent the processed notification again), a
// forged one 400, an OnNotify failure 500.
func TestHandlerLoggerPanicKeepsAnswer(t *testing.T) {
	t.Parallel()
	for _, enabled := range []bool{false, true} {
		t.Run(map[bool]string{false: "Handle panics", true: "Enabled panics"}[enabled], func(t *testing.T) {
			t.Parallel()
			testLoggerPanicKeepsAnswer(t, panicHandler{enabled: enabled})
		})
	}
}

func testLoggerPanicKeepsAnswer(t *testing.T, ph panicHandler) {
	p := testPKI()
	good := signWith(t, p.leaf, consumeFields("ORDERLOGPANIC01"))
	forged := good.Clone()
	forged["txnAmt"] = "1"
	failing := signWith(t, p.leaf, consumeFields("ORDERLOGPANIC02"))
	calls := 0
	h := &notify.Handler{Verifier: p.verifier(t), Logger: slog.New(ph),
		OnNotify: func(_ context.Context, n *notify.Notification) error {
			calls++
			if n.OrderID == "ORDERLOGPANIC02" {
				return context.DeadlineExceeded
			}
			return nil
		}}
	for _, tt := range []struct {
		name, body string
		status     int
	}{
		{"accepted", encode(t, good), http.StatusOK},
		{"forged", encode(t, forged), http.StatusBadRequest},
		{"OnNotify fails", encode(t, failing), http.StatusInternalServerError},
	} {
		w := httptest.NewRecorder()
		require.NotPanics(t, func() { h.ServeHTTP(w, newRequest(http.MethodPost, "/notify", tt.body)) }, tt.name)
		assert.Equal(t, tt.status, w.Code, tt.name)
		if tt.status == http.StatusOK {
			assert.Equal(t, "ok", w.Body.String())
		}
	}
	assert.Equal(t, 2, calls, "OnNotify: the genuine notifications, once each")
}
