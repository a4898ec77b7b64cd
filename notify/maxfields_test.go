package notify_test

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/notify"
	"github.com/goacp/unionpay/sign"
)

// acceptAll is an OnNotify that accepts every notification.
func acceptAll(context.Context, *notify.Notification) error { return nil }

// manyPairs returns n distinct tiny pairs joined with '&'.
func manyPairs(n int) string {
	var b strings.Builder
	for i := range n {
		if i > 0 {
			b.WriteByte('&')
		}
		fmt.Fprintf(&b, "k%x=1", i)
	}
	return b.String()
}

// TestMaxFieldsNotification: a notification of more than sign.MaxFields pairs is refused as
// malformed (400) with an error matching sign.ErrTooManyFields, read from the body as from a
// middleware's r.PostForm; one of MaxFields pairs is read, and refused only for its signature.
func TestMaxFieldsNotification(t *testing.T) {
	t.Parallel()
	p := testPKI()
	v := p.verifier(t)
	over, at := manyPairs(sign.MaxFields+1), manyPairs(sign.MaxFields)

	_, err := notify.Parse(v, []byte(over))
	require.ErrorIs(t, err, sign.ErrTooManyFields)
	assert.Equal(t, "malformed", notify.Reason(err))
	_, err = notify.Parse(v, []byte(at))
	require.Error(t, err)
	assert.NotErrorIs(t, err, sign.ErrTooManyFields)

	form, err := url.ParseQuery(over)
	require.NoError(t, err)
	_, err = notify.VerifyValues(v, form)
	require.ErrorIs(t, err, sign.ErrTooManyFields)
	require.ErrorIs(t, err, sign.ErrMalformed)
	assert.Equal(t, "malformed", notify.Reason(err))
	assert.Contains(t, err.Error(), "more than 1024 fields (sign.MaxFields)")
	form, err = url.ParseQuery(at)
	require.NoError(t, err)
	_, err = notify.VerifyValues(v, form)
	require.Error(t, err)
	assert.NotErrorIs(t, err, sign.ErrTooManyFields)

	rec := &recorder{}
	h := &notify.Handler{Verifier: v, Logger: slog.New(rec), OnNotify: acceptAll}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, newRequest(http.MethodPost, "/notify", over))
	assert.Equal(t, http.StatusBadRequest, w.Code)
	assert.Equal(t, "malformed", rec.last()["reason"].String())
}

// TestHandlerLogsShortKeyOfRefused: the error Handler logs for a body refused for a key of 64 KiB
// of control bytes quotes 64 bytes of it: the whole key, quoted, made a log line four times its size per
// request.
func TestHandlerLogsShortKeyOfRefused(t *testing.T) {
	t.Parallel()
	p := testPKI()
	key := strings.Repeat("%01", 10<<10) // 10 KiB decoded, 30 KiB on the wire
	bodies := map[string]string{
		"repeated key":         key + "=1&" + key + "=2",
		"key not printable":    key + "=1",
		"ambiguous key":        key + "%26=1",
		"unsupported encoding": "encoding=" + key,
	}
	for name, body := range bodies {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			require.Less(t, len(body), notify.DefaultMaxBytes)
			rec := &recorder{}
			h := &notify.Handler{Verifier: p.verifier(t), Logger: slog.New(rec), OnNotify: acceptAll}
			w := httptest.NewRecorder()
			h.ServeHTTP(w, newRequest(http.MethodPost, "/notify", body))
			assert.Equal(t, http.StatusBadRequest, w.Code)
			logged := rec.last()["err"].String()
			assert.Less(t, len(logged), 400, "%.400s", logged)
			assert.Contains(t, logged, "bytes)")
		})
	}
}
