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
// exactly when it answers 200, with the fields of the body, which must
// survive the next request (the Handler reuses its read buffers; one
// Handler serves every input).
func FuzzHandler(f *testing.F) {
	v := realVerifier(f, time.Date(2024, 1, 5, 12, 0, 0, 0, time.UTC))
	var (
		got   *notify.Notification
		calls int
	)
	h := &notify.Handler{
		Verifier: v,
		MaxBytes: 16 << 10,
		OnNotify: func(_ context.Context, n *notify.Notification) error {
			calls++
			got = n
			return nil
		},
	}
	serve := func(body []byte) int {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/notify?x=1", bytes.NewReader(body)))
		return rec.Code
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		got, calls = nil, 0
		switch code := serve(body); code {
		case http.StatusOK:
			require.Equal(t, 1, calls)
			kept := got
			serve(bytes.Repeat([]byte("x=%41&"), len(body)/6+1)) // rejected, same buffers
			want, err := sign.ParseForm(string(body))
			require.NoError(t, err)
			assert.Equal(t, want, kept.Raw)
		case http.StatusBadRequest, http.StatusRequestEntityTooLarge:
			require.Zero(t, calls)
		default:
			t.Fatalf("unexpected status %d", code)
		}
	})
}
