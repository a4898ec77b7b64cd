package notify_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/notify"
)

// TestHandlerAnswerHeaders: every answer carries its Content-Length and a text/plain
// Content-Type; an error answer (the status's text, as http.Error writes it) also carries
// X-Content-Type-Options: nosniff, as http.Error's does, and "ok" does not.
func TestHandlerAnswerHeaders(t *testing.T) {
	t.Parallel()
	p := testPKI()
	good := signWith(t, p.leaf, consumeFields("ANSWERHDR01"))
	failing := signWith(t, p.leaf, consumeFields("ANSWERHDR02"))
	forged := good.Clone()
	forged["txnAmt"] = "1"
	onNotify := func(_ context.Context, n *notify.Notification) error {
		if n.OrderID == "ANSWERHDR02" {
			return errors.New("database down")
		}
		return nil
	}
	tests := []struct {
		name    string
		h       *notify.Handler
		body    string
		status  int
		answer  string
		nosniff bool
	}{
		{"accepted", &notify.Handler{Verifier: p.verifier(t), OnNotify: onNotify}, encode(t, good), http.StatusOK, "ok", false},
		{"OnNotify fails", &notify.Handler{Verifier: p.verifier(t), OnNotify: onNotify}, encode(t, failing),
			http.StatusInternalServerError, "Internal Server Error\n", true},
		{"forged", &notify.Handler{Verifier: p.verifier(t), OnNotify: onNotify}, encode(t, forged),
			http.StatusBadRequest, "Bad Request\n", true},
		{"not configured", &notify.Handler{Verifier: p.verifier(t)}, encode(t, good),
			http.StatusInternalServerError, "Internal Server Error\n", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			req := httptest.NewRequest(http.MethodPost, "/notify", strings.NewReader(tt.body))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			rec := httptest.NewRecorder()
			tt.h.ServeHTTP(rec, req)
			assert.Equal(t, tt.status, rec.Code)
			assert.Equal(t, tt.answer, rec.Body.String())
			assert.Equal(t, strconv.Itoa(len(tt.answer)), rec.Header().Get("Content-Length"))
			assert.Equal(t, "text/plain; charset=utf-8", rec.Header().Get("Content-Type"))
			if tt.nosniff {
				assert.Equal(t, "nosniff", rec.Header().Get("X-Content-Type-Options"))
			} else {
				assert.Empty(t, rec.Header().Values("X-Content-Type-Options"))
			}
			assert.True(t, rec.Flushed, "the answer is flushed before the record is logged")
		})
	}
}

// unwrapOnly is a middleware's ResponseWriter that neither flushes nor is a Flusher itself, but
// unwraps to the one it wraps, as http.ResponseController expects.
type unwrapOnly struct{ http.ResponseWriter }

func (u unwrapOnly) Unwrap() http.ResponseWriter { return u.ResponseWriter }

// TestHandlerAnswersBeforeLoggingMore: the answer comes before the record is logged also when
// the handler is not configured (500 at once), and behind a middleware whose ResponseWriter
// only unwraps (the flush goes through http.ResponseController).
func TestHandlerAnswersBeforeLoggingMore(t *testing.T) {
	t.Parallel()
	p := testPKI()
	good := signWith(t, p.leaf, consumeFields("ANSWERFIRST11"))
	forged := good.Clone()
	forged["txnAmt"] = "1"
	ok := func(context.Context, *notify.Notification) error { return nil }
	tests := []struct {
		name, body, msg string
		onNotify        func(context.Context, *notify.Notification) error
		wrap            bool
		status          int
	}{
		{"not configured", encode(t, good),
			"notify: handler not configured (OnNotify and a Verifier made by cert.NewVerifier are required)", nil, false,
			http.StatusInternalServerError},
		{"accepted behind a middleware", encode(t, good), "notify: notification accepted", ok, true, http.StatusOK},
		{"rejected behind a middleware", encode(t, forged), "notify: notification rejected", ok, true, http.StatusBadRequest},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			logs := &blockingLog{seen: make(chan struct{}), wait: 3 * time.Second, logged: make(chan blockedRecord, 1)}
			h := &notify.Handler{Verifier: p.verifier(t), Logger: slog.New(logs), OnNotify: tt.onNotify}
			var served http.Handler = h
			if tt.wrap {
				served = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { h.ServeHTTP(unwrapOnly{w}, r) })
			}
			srv := httptest.NewServer(served)
			t.Cleanup(srv.Close)

			client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
			resp, err := client.Post(srv.URL, "application/x-www-form-urlencoded", strings.NewReader(tt.body))
			require.NoError(t, err)
			_, err = io.ReadAll(resp.Body)
			require.NoError(t, err)
			_ = resp.Body.Close()
			close(logs.seen)
			assert.Equal(t, tt.status, resp.StatusCode)

			select {
			case rec := <-logs.logged:
				assert.Equal(t, tt.msg, rec.msg)
				assert.True(t, rec.answerRead, "the answer came only once the Logger returned")
			case <-time.After(10 * time.Second):
				t.Fatal("no record logged")
			}
		})
	}
}

// TestHandlerRejectedRecordHTTPStatus: a rejected message's record holds "httpStatus", the
// status code it was answered (400 for a forgery, 405 for a GET, 413 for a body over MaxBytes).
func TestHandlerRejectedRecordHTTPStatus(t *testing.T) {
	t.Parallel()
	p := testPKI()
	forged := signWith(t, p.leaf, consumeFields("HTTPSTATUS01"))
	forged["txnAmt"] = "1"
	tests := []struct {
		name, method, body string
		want               int
	}{
		{"forged", http.MethodPost, encode(t, forged), http.StatusBadRequest},
		{"GET", http.MethodGet, "", http.StatusMethodNotAllowed},
		{"too large", http.MethodPost, "orderId=" + strings.Repeat("9", 32<<10), http.StatusRequestEntityTooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var buf bytes.Buffer
			h := &notify.Handler{Verifier: p.verifier(t), MaxBytes: 16 << 10,
				Logger:   slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug})),
				OnNotify: func(context.Context, *notify.Notification) error { return nil }}
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, newRequest(tt.method, "/notify", tt.body))
			require.Equal(t, tt.want, rec.Code)
			var logged struct {
				Msg        string
				HTTPStatus int `json:"httpStatus"`
			}
			require.NoError(t, json.Unmarshal(buf.Bytes(), &logged), buf.String())
			assert.Equal(t, "notify: notification rejected", logged.Msg)
			assert.Equal(t, tt.want, logged.HTTPStatus, buf.String())
		})
	}
}
