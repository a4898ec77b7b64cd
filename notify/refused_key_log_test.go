package notify_test

import (
	"bytes"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/goacp/unionpay/notify"
)

// TestHandlerLogsNoCardInRefusedKey: Handler logs the error of every refused body, and a key of
// the body holding a card number (a space sent for '=', key=value text escaped into a key) was
// quoted whole in it; it is cut now, "accNo...", with slog's text and JSON handlers alike.
func TestHandlerLogsNoCardInRefusedKey(t *testing.T) {
	t.Parallel()
	const card = "6216261000000000018"
	p := testPKI()
	bodies := map[string]string{
		"key not printable": "accNo%20" + card + "=1&merId=1",
		"repeated key":      "accNo%3D" + card + "=1&accNo%3D" + card + "=2",
		"bad escape":        "accNo+" + card + "=%zz",
	}
	for name, body := range bodies {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			for _, newHandler := range []func(*bytes.Buffer) slog.Handler{
				func(b *bytes.Buffer) slog.Handler { return slog.NewTextHandler(b, nil) },
				func(b *bytes.Buffer) slog.Handler { return slog.NewJSONHandler(b, nil) },
			} {
				var logged bytes.Buffer
				h := &notify.Handler{Verifier: p.verifier(t), Logger: slog.New(newHandler(&logged)), OnNotify: acceptAll}
				w := httptest.NewRecorder()
				h.ServeHTTP(w, newRequest(http.MethodPost, "/notify", body))
				assert.Equal(t, http.StatusBadRequest, w.Code)
				assert.Contains(t, logged.String(), "accNo...")
				assert.False(t, strings.Contains(logged.String(), card[:12]), "the log shows the card number: %s", logged.String())
			}
		})
	}
}
