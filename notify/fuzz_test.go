package notify_test

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/notify"
	"github.com/goacp/unionpay/sign"
)

// FuzzHandler feeds arbitrary bodies to the Handler (seeds in
// testdata/fuzz/FuzzHandler, among them a real notification that verifies).
// It must never panic, must answer 200, 400 or 413, and must call OnNotify
// exactly when it answers 200, with the fields of the body.
func FuzzHandler(f *testing.F) {
	v := realVerifier(f, time.Date(2024, 1, 5, 12, 0, 0, 0, time.UTC))
	f.Fuzz(func(t *testing.T, body []byte) {
		var got *notify.Notification
		calls := 0
		h := &notify.Handler{
			Verifier: v,
			MaxBytes: 16 << 10,
			OnNotify: func(_ context.Context, n *notify.Notification) error {
				calls++
				got = n
				return nil
			},
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/notify?x=1", bytes.NewReader(body)))
		switch rec.Code {
		case http.StatusOK:
			require.Equal(t, 1, calls)
			want, err := sign.ParseForm(string(body))
			require.NoError(t, err)
			assert.Equal(t, want, got.Raw)
		case http.StatusBadRequest, http.StatusRequestEntityTooLarge:
			require.Zero(t, calls)
		default:
			t.Fatalf("unexpected status %d", rec.Code)
		}
	})
}
