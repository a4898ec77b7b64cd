package notify_test

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/internal/logtest"
	"github.com/goacp/unionpay/notify"
)

// TestPostFormLimit: behind a middleware that called r.ParseForm, a notification is refused
// over the limit by its Content-Length, or, without one, by the size of the fields it decoded
// to (each pair's key and value and its '=' and '&'), and accepted at the limit exactly.
func TestPostFormLimit(t *testing.T) {
	t.Parallel()
	p := testPKI()
	body := encode(t, signWith(t, p.leaf, consumeFields("FORMLIMIT1")))
	vals, err := url.ParseQuery(body)
	require.NoError(t, err)
	decoded := int64(-1) // the fields as decoded, joined: what the limit counts without a Content-Length
	for k, vs := range vals {
		for _, v := range vs {
			decoded += int64(len(k) + len(v) + 2)
		}
	}
	length := int64(len(body))
	require.Less(t, decoded, length-1, "the signature's base64 is escaped in the body")
	tests := []struct {
		name          string
		contentLength int64 // -1: none
		maxBytes      int64
		tooLarge      bool
	}{
		{"Content-Length at the limit", length, length, false},
		{"Content-Length over the limit", length, length - 1, true},
		{"Content-Length over the limit, fields within it", length, decoded, true},
		{"no Content-Length, fields at the limit", -1, decoded, false},
		{"no Content-Length, fields over the limit", -1, decoded - 1, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := newRequest(http.MethodPost, "/notify", body)
			r.ContentLength = tt.contentLength
			require.NoError(t, r.ParseForm())
			n, err := notify.ReadRequest(nil, r, p.verifier(t), tt.maxBytes)
			if tt.tooLarge {
				require.ErrorIs(t, err, notify.ErrTooLarge)
				assert.Nil(t, n)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, "FORMLIMIT1", n.OrderID)
		})
	}
}

// TestHandlerBehindFormParsingMiddlewareLogsClaim: a notification refused behind a middleware
// that called r.ParseForm is logged with the order it claims to be about, as one read from the
// body is.
func TestHandlerBehindFormParsingMiddlewareLogsClaim(t *testing.T) {
	t.Parallel()
	p := testPKI()
	f := consumeFields("FORMCLAIM1")
	forged := signWith(t, p.leaf, f)
	forged["txnAmt"] = "1"
	var buf bytes.Buffer
	h := &notify.Handler{
		Verifier: p.verifier(t),
		Logger:   slog.New(slog.NewJSONHandler(&buf, logtest.Untimed())),
		OnNotify: func(context.Context, *notify.Notification) error { return nil },
	}
	r := newRequest(http.MethodPost, "/notify", encode(t, forged))
	require.NoError(t, r.ParseForm())
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, r)
	assert.Equal(t, http.StatusBadRequest, rec.Code)
	var record map[string]any
	require.NoError(t, json.Unmarshal(buf.Bytes(), &record))
	assert.Equal(t, "notify: notification rejected", record["msg"])
	assert.Equal(t, map[string]any{"merId": f["merId"], "orderId": "FORMCLAIM1", "txnTime": f["txnTime"],
		"txnType": f["txnType"], "queryId": f["queryId"]}, record["claimed"])
}
