package notify_test

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/goacp/unionpay/cert"
	"github.com/goacp/unionpay/notify"
)

// A Handler whose Verifier is nil or not made by cert.NewVerifier answers
// every request 500 and logs the configuration error at Error level,
// before looking at the request: a GET is not answered 405 nor an
// oversized body 413 as if the request were at fault. N01 of the mutation
// review, found not to be equivalent: without the Handler's own check a
// zero Verifier's GET got 405.
func TestHandlerUnconfiguredBeforeRequest(t *testing.T) {
	t.Parallel()
	body := encode(t, signWith(t, testPKI().leaf, consumeFields("UNCONF0001")))
	requests := map[string]func() *http.Request{
		"POST": func() *http.Request { return newRequest(http.MethodPost, "/notify", body) },
		"GET":  func() *http.Request { return newRequest(http.MethodGet, "/notify", "") },
		"PUT":  func() *http.Request { return newRequest(http.MethodPut, "/notify", body) },
		"POST over MaxBytes": func() *http.Request {
			return newRequest(http.MethodPost, "/notify", strings.Repeat("a", 100))
		},
	}
	verifiers := map[string]*cert.Verifier{"zero Verifier": {}, "nil Verifier": nil}
	for vname, v := range verifiers {
		for rname, req := range requests {
			t.Run(vname+" "+rname, func(t *testing.T) {
				t.Parallel()
				var logs bytes.Buffer
				var maxBytes int64 // the default, which the POST and PUT bodies fit
				if rname == "POST over MaxBytes" {
					maxBytes = 10
				}
				h := &notify.Handler{Verifier: v, MaxBytes: maxBytes,
					OnNotify: func(context.Context, *notify.Notification) error { return nil },
					Logger:   slog.New(slog.NewTextHandler(&logs, nil))}
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, req())
				assert.Equal(t, http.StatusInternalServerError, rec.Code)
				assert.Empty(t, rec.Header().Get("Allow"))
				assert.Contains(t, logs.String(), "level=ERROR")
				assert.Contains(t, logs.String(), "handler not configured")
				assert.Contains(t, logs.String(), `err="notify: no usable Verifier configured`, "the log says what is missing")
			})
		}
	}
}
