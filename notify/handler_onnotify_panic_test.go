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

// TestHandlerOnNotifyPanicIsNotAnswered: the recovers that keep a panicking Logger from costing a
// notification its answer cover the Logger's calls only. A panic of OnNotify (a bug in the
// merchant's processing) reaches net/http, which drops the connection: UnionPay is never told
// "ok" for a notification that was not processed, and sends it again. The same with a Logger
// that panics too, and with one that works.
func TestHandlerOnNotifyPanicIsNotAnswered(t *testing.T) {
	t.Parallel()
	for name, logger := range map[string]*slog.Logger{
		"no Logger":          nil,
		"a working Logger":   slog.New(slog.DiscardHandler),
		"a panicking Logger": slog.New(panicHandler{}),
		"Enabled panicking":  slog.New(panicHandler{enabled: true}),
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			p := testPKI()
			h := &notify.Handler{Verifier: p.verifier(t), Logger: logger,
				OnNotify: func(context.Context, *notify.Notification) error { panic("ledger bug") }}
			w := httptest.NewRecorder()
			body := encode(t, signWith(t, p.leaf, consumeFields("ORDERONNOTIFYPANIC")))
			require.PanicsWithValue(t, "ledger bug", func() { h.ServeHTTP(w, newRequest(http.MethodPost, "/notify", body)) })
			assert.False(t, w.Code == http.StatusOK && w.Body.String() == "ok", "answered %d %q", w.Code, w.Body.String())
			assert.Empty(t, w.Body.String(), "nothing written: net/http drops the connection")
		})
	}
}
