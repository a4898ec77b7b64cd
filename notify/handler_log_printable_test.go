package notify_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/notify"
)

// TestSenderTextMadePrintable pins the rule the docs give for what a sender chose and the
// Handler's log or an error repeats (Handler.Logger: forwardedFor "made printable as the claimed
// values are", "any byte not printable ASCII shown as '?'"; VerifyValues' repeated key): every
// byte outside ' '..'~' is '?', DEL (0x7f) and the C0 controls included, within the part kept.
// The other tests put their controls where the cut drops them, or none of DEL.
func TestSenderTextMadePrintable(t *testing.T) {
	t.Parallel()
	p := testPKI()
	for _, tt := range []struct {
		name, in, want string
	}{
		{"DEL", "203.0.113.9\x7f", "203.0.113.9?"},
		{"escape", "203.0.113.9\x1b[2J", "203.0.113.9?[2J"},
		{"NUL and LF", "203.0.113.9\x00\n", "203.0.113.9??"},
		{"not UTF-8", "203.0.113.9\xff", "203.0.113.9?"},
		{"spaces kept", "203.0.113.9, 10.0.0.1", "203.0.113.9, 10.0.0.1"},
	} {
		t.Run("forwardedFor "+tt.name, func(t *testing.T) {
			t.Parallel()
			var logs bytes.Buffer
			h := &notify.Handler{Verifier: p.verifier(t), OnNotify: func(context.Context, *notify.Notification) error { return nil },
				Logger: slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))}
			r := newRequest(http.MethodGet, "/notify", "")
			r.Header.Set("X-Forwarded-For", tt.in)
			h.ServeHTTP(httptest.NewRecorder(), r)
			var rec struct {
				ForwardedFor string `json:"forwardedFor"`
			}
			require.NoError(t, json.Unmarshal(logs.Bytes(), &rec), logs.String())
			assert.Equal(t, tt.want, rec.ForwardedFor)
		})
		t.Run("repeated key "+tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := notify.VerifyValues(p.verifier(t), url.Values{tt.in: {"1", "2"}})
			fe, ok := errors.AsType[*notify.FieldError](err)
			require.True(t, ok, "%v", err)
			assert.Equal(t, tt.want, fe.Field)
		})
	}
}
