package notify_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/notify"
	"github.com/goacp/unionpay/sign"
)

// served is what one notification served came to: the answer, the keys OnNotify was called
// with, the log record (JSON-decoded, without its time and durations, whose presence is kept as
// true), and the panic, if any.
type served struct {
	status int
	answer string
	calls  []string
	record map[string]any
	panic  any
}

// TestServeBodyAnswersAsServeHTTP: ServeBody given a request's body, headers and peer answers
// what ServeHTTP answers the request, calls OnNotify alike and logs the same record, for every
// outcome; so does ServeBody given the headers with their names in lower case, as an API
// gateway's event holds them. (A body over MaxBytes is named by its length, where ServeHTTP
// names the Content-Length.)
func TestServeBodyAnswersAsServeHTTP(t *testing.T) {
	t.Parallel()
	p := testPKI()
	good := encode(t, signWith(t, p.leaf, consumeFields("SERVEBODY0001")))
	forged := tampered(t, func(f sign.Fields) { f["txnAmt"] = "1" })
	form := http.Header{"Content-Type": {"application/x-www-form-urlencoded;charset=UTF-8"}}
	errStore := errors.New("store down")
	tests := []struct {
		name       string
		body       string
		header     http.Header
		maxBytes   int64
		noVerifier bool
		onNotify   func(context.Context, *notify.Notification) error // nil: stores it
		status     int
		reason     string   // "" for an accepted notification's record, which has none
		bodyErr    string   // ServeBody's err, where its text is not ServeHTTP's
		keys       []string // the record holds them (besides "remote" and "msg")
		panics     any
	}{
		{name: "genuine", body: good, header: form, status: 200, keys: []string{"notification", "duration", "onNotifyDuration"}},
		{name: "genuine, behind proxies", body: good, status: 200, keys: []string{"forwardedFor"},
			header: http.Header{"Content-Type": form["Content-Type"], "X-Forwarded-For": {"203.0.113.9", "10.0.0.2"}}},
		{name: "Content-Encoding identity", body: good, header: http.Header{"Content-Encoding": {"identity"}}, status: 200},
		{name: "forged", body: forged, header: form, status: 400, reason: "signature", keys: []string{"claimed", "httpStatus", "err"}},
		{name: "malformed", body: "orderId=SERVEBODY0002&txnAmt=%zz", header: form, status: 400, reason: "malformed"},
		{name: "empty", body: "", header: form, status: 400, reason: "malformed"},
		{name: "still base64", body: base64.StdEncoding.EncodeToString([]byte(good)), header: form, status: 400, reason: "malformed"},
		{name: "over MaxBytes", body: good, header: form, maxBytes: 256, status: 413, reason: "too_large",
			bodyErr: "notify: request body too large: body of " + itoa(len(good)) + " bytes, limit 256"},
		{name: "gzip", body: good, header: http.Header{"Content-Encoding": {"gzip"}}, status: 415, reason: "content_encoding"},
		{name: "OnNotify fails", body: good, header: form, status: 500, reason: notify.ReasonOnNotify, keys: []string{"notification", "err", "duration"},
			onNotify: func(context.Context, *notify.Notification) error { return errStore }},
		{name: "OnNotify panics", body: good, header: form, panics: "ledger bug",
			onNotify: func(context.Context, *notify.Notification) error { panic("ledger bug") }},
		{name: "no Verifier", body: good, header: form, noVerifier: true, status: 500, reason: "not_configured"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			const remote = "198.51.100.4:41000"
			serve := func(do func(h *notify.Handler) (int, string)) served {
				var s served
				var logs bytes.Buffer
				h := &notify.Handler{
					Verifier: p.verifier(t),
					MaxBytes: tt.maxBytes,
					Logger:   slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
					OnNotify: func(ctx context.Context, n *notify.Notification) error {
						s.calls = append(s.calls, n.Key())
						if tt.onNotify != nil {
							return tt.onNotify(ctx, n)
						}
						return nil
					},
				}
				if tt.noVerifier {
					h.Verifier = nil
				}
				func() {
					defer func() { s.panic = recover() }()
					s.status, s.answer = do(h)
				}()
				if logs.Len() > 0 {
					require.NoError(t, json.Unmarshal(logs.Bytes(), &s.record), "one JSON record: %s", logs.String())
					delete(s.record, "time")
					for _, k := range []string{"duration", "onNotifyDuration"} {
						if _, ok := s.record[k]; ok {
							s.record[k] = true
						}
					}
				}
				return s
			}
			viaHTTP := serve(func(h *notify.Handler) (int, string) {
				r := httptest.NewRequest(http.MethodPost, "/notify", strings.NewReader(tt.body))
				for k, vs := range tt.header {
					r.Header[k] = vs
				}
				r.RemoteAddr = remote
				w := httptest.NewRecorder()
				h.ServeHTTP(w, r)
				return w.Code, w.Body.String()
			})
			body := []byte(tt.body)
			viaBody := serve(func(h *notify.Handler) (int, string) {
				return h.ServeBody(context.Background(), body, tt.header.Clone(), remote)
			})
			lower := http.Header{}
			for k, vs := range tt.header {
				lower[strings.ToLower(k)] = vs
			}
			viaEvent := serve(func(h *notify.Handler) (int, string) {
				return h.ServeBody(context.Background(), body, lower, remote)
			})
			assert.Equal(t, tt.body, string(body), "ServeBody changed the body")

			if tt.panics != nil {
				for _, s := range []served{viaHTTP, viaBody, viaEvent} {
					assert.Equal(t, tt.panics, s.panic, "OnNotify's panic not passed on")
					assert.Nil(t, s.record, "logged a record for a notification not processed")
				}
				return
			}
			require.Nil(t, viaHTTP.panic)
			assert.Equal(t, tt.status, viaHTTP.status, "ServeHTTP: %q", viaHTTP.answer)
			assert.Equal(t, remote, viaHTTP.record["remote"])
			for _, k := range tt.keys {
				assert.Contains(t, viaHTTP.record, k)
			}
			reason, _ := viaHTTP.record["reason"].(string)
			assert.Equal(t, tt.reason, reason, "ServeHTTP's record: %v", viaHTTP.record)
			if tt.bodyErr != "" {
				assert.Equal(t, tt.bodyErr, viaBody.record["err"])
				for _, s := range []served{viaHTTP, viaBody, viaEvent} {
					delete(s.record, "err")
				}
			}
			assert.Equal(t, viaHTTP, viaBody, "ServeBody given the request's headers")
			assert.Equal(t, viaHTTP, viaEvent, "ServeBody given the headers in lower case")
		})
	}
}

// TestServeBodyLeavesBody: the body handed to ServeBody is what it was after ServeBody, though
// verifying a notification decodes it in place: whether it is accepted or refused, and whether
// a refused one's claims are logged or not. The function may log or keep the event.
func TestServeBodyLeavesBody(t *testing.T) {
	t.Parallel()
	p := testPKI()
	good := encode(t, signWith(t, p.leaf, consumeFields("SERVEBODY0003"))) // holds %-escapes
	require.Contains(t, good, "%")
	forged := tampered(t, func(f sign.Fields) { f["txnAmt"] = "1" })
	for _, logger := range []*slog.Logger{nil, slog.New(slog.DiscardHandler), slog.New(slog.NewTextHandler(&bytes.Buffer{}, nil))} {
		h := &notify.Handler{Verifier: p.verifier(t), Logger: logger,
			OnNotify: func(context.Context, *notify.Notification) error { return nil }}
		for body, want := range map[string]int{good: 200, forged: 400} {
			b := []byte(body)
			status, _ := h.ServeBody(context.Background(), b, nil, "")
			assert.Equal(t, want, status)
			assert.Equal(t, body, string(b), "the body after ServeBody (logger %v)", logger != nil)
		}
	}
}
