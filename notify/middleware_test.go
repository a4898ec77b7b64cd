package notify_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/notify"
	"github.com/goacp/unionpay/sign"
)

// TestHandlerBehindFormParsingMiddleware: a middleware in front of backUrl or frontUrl that
// calls r.ParseForm or r.FormValue (a method override reading "_method", a CSRF check) reads
// the body into r.PostForm. The notification is then verified from PostForm (UTF-8 and GBK
// alike, never the URL's query string), as it is from the body: before, it was refused 400 as
// a body cut short ("reading body: unexpected EOF"), every resend alike, and lost.
func TestHandlerBehindFormParsingMiddleware(t *testing.T) {
	t.Parallel()
	p := testPKI()
	gbk := consumeFields("MIDDLE0002")
	gbk["encoding"] = sign.CharsetGBK
	forged := signWith(t, p.leaf, consumeFields("MIDDLE0003"))
	forged["txnAmt"] = "1"
	parseForm := func(r *http.Request) { _ = r.ParseForm() }
	formValue := func(r *http.Request) { _ = r.FormValue("_method") }
	tests := []struct {
		name     string
		fields   sign.Fields
		before   func(r *http.Request)
		target   string
		maxBytes int64
		want     int
	}{
		{"ParseForm, UTF-8", signWith(t, p.leaf, consumeFields("MIDDLE0001")), parseForm, "/notify", 0, http.StatusOK},
		{"FormValue, UTF-8", signWith(t, p.leaf, consumeFields("MIDDLE0001")), formValue, "/notify", 0, http.StatusOK},
		{"ParseForm, GBK", signWith(t, p.leaf, gbk), parseForm, "/notify", 0, http.StatusOK},
		{"FormValue, GBK", signWith(t, p.leaf, gbk), formValue, "/notify", 0, http.StatusOK},
		{"query string not mixed in", signWith(t, p.leaf, consumeFields("MIDDLE0001")), parseForm, "/notify?txnAmt=1&respCode=05", 0, http.StatusOK},
		{"forged", forged, parseForm, "/notify", 0, http.StatusBadRequest},
		{"over MaxBytes", signWith(t, p.leaf, consumeFields("MIDDLE0001")), parseForm, "/notify", 100, http.StatusRequestEntityTooLarge},
		{"over MaxBytes, no Content-Length", signWith(t, p.leaf, consumeFields("MIDDLE0001")), func(r *http.Request) {
			r.ContentLength = -1
			_ = r.ParseForm()
		}, "/notify", 1024, http.StatusRequestEntityTooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			body := encode(t, tt.fields)
			var got *notify.Notification
			h := &notify.Handler{Verifier: p.verifier(t), MaxBytes: tt.maxBytes,
				OnNotify: func(_ context.Context, n *notify.Notification) error { got = n; return nil }}
			mw := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				tt.before(r)
				h.ServeHTTP(w, r)
			})
			rec := httptest.NewRecorder()
			mw.ServeHTTP(rec, newRequest(http.MethodPost, tt.target, body))
			assert.Equal(t, tt.want, rec.Code, rec.Body.String())
			if tt.want != http.StatusOK {
				assert.Nil(t, got, "OnNotify called")
				return
			}
			require.NotNil(t, got)
			assert.Equal(t, tt.fields["orderId"], got.OrderID)
			assert.Equal(t, int64(1000), got.TxnAmt)
			assert.Equal(t, "成功[0000000]", got.RespMsg)
			assert.Equal(t, notify.Succeeded, got.Status())

			// The frontUrl page, behind the same middleware, reads it with ReadRequest.
			r := newRequest(http.MethodPost, tt.target, body)
			tt.before(r)
			n, err := notify.ReadRequest(nil, r, p.verifier(t), 0)
			require.NoError(t, err)
			assert.Equal(t, got.Key(), n.Key())
		})
	}
}

// TestBodyLimitOfTheApplication: an application's own http.MaxBytesReader, set below the
// notification's size in front of the handler, is the limit the error names (it named
// MaxBytes, 64 KiB, which the body was well within).
func TestBodyLimitOfTheApplication(t *testing.T) {
	t.Parallel()
	p := testPKI()
	body := encode(t, signWith(t, p.leaf, consumeFields("LIMITAPP01")))
	for _, length := range []int64{int64(len(body)), -1} {
		r := newRequest(http.MethodPost, "/notify", body)
		r.ContentLength = length
		rec := httptest.NewRecorder()
		r.Body = http.MaxBytesReader(rec, r.Body, 1024)
		_, err := notify.ReadRequest(rec, r, p.verifier(t), 0)
		require.ErrorIs(t, err, notify.ErrTooLarge, "Content-Length %d", length)
		assert.Contains(t, err.Error(), "limit 1024", "Content-Length %d", length)
		assert.Equal(t, http.StatusRequestEntityTooLarge, notify.HTTPStatus(err))
	}
}

// TestBodyReadBeforeTheHandler: a middleware that read the body (io.ReadAll, for a log or a
// signature check of its own) without putting it back leaves a body that ends before its
// first byte. The error says so, rather than blaming a sender that went away.
func TestBodyReadBeforeTheHandler(t *testing.T) {
	t.Parallel()
	p := testPKI()
	body := encode(t, signWith(t, p.leaf, consumeFields("READFIRST1")))
	r := newRequest(http.MethodPost, "/notify", body)
	_, _ = io.Copy(io.Discard, r.Body)
	_, err := notify.ReadRequest(nil, r, p.verifier(t), 0)
	require.ErrorIs(t, err, io.ErrUnexpectedEOF)
	assert.Equal(t, "read", notify.Reason(err))
	assert.Contains(t, err.Error(), "read before the handler")

	// Part of the body left is a body cut short, as before.
	r = newRequest(http.MethodPost, "/notify", body)
	r.Body = io.NopCloser(strings.NewReader(body[:10]))
	_, err = notify.ReadRequest(nil, r, p.verifier(t), 0)
	require.ErrorIs(t, err, io.ErrUnexpectedEOF)
	assert.NotContains(t, err.Error(), "read before the handler")
}

// TestBodyDecompressedBeforeTheHandler: a middleware that swaps r.Body for the decompressed body
// and leaves the compressed Content-Length gives the error Handler's documentation names; with
// Content-Length fixed (-1: unknown), the notification verifies.
func TestBodyDecompressedBeforeTheHandler(t *testing.T) {
	t.Parallel()
	p := testPKI()
	body := encode(t, signWith(t, p.leaf, consumeFields("GUNZIPPED1")))
	for _, tt := range []struct {
		name   string
		length int64
		err    string
	}{
		{"stale Content-Length", int64(len(body) / 3), "more than Content-Length"},
		{"Content-Length dropped", -1, ""},
	} {
		r := newRequest(http.MethodPost, "/notify", body)
		r.ContentLength = tt.length // the compressed size, or fixed
		_, err := notify.ReadRequest(nil, r, p.verifier(t), 0)
		if tt.err == "" {
			require.NoError(t, err, tt.name)
			continue
		}
		require.ErrorIs(t, err, sign.ErrMalformed, tt.name)
		assert.Contains(t, err.Error(), tt.err, tt.name)
	}
}

// TestPostFormUndecodablePairs records what a form-parsing middleware in front changes: net/url
// drops a pair it cannot decode (a bad %-escape, a ';') from r.PostForm, ParseForm's error
// ignored by the middleware, so the Handler never sees it. A genuine notification with such a
// pair added verifies behind it (the body read directly is refused as malformed); every signed
// field must still be there with its signed value, so nothing unsigned is believed: a signed
// field made undecodable is missing, and the notification is refused.
func TestPostFormUndecodablePairs(t *testing.T) {
	t.Parallel()
	p := testPKI()
	genuine := encode(t, signWith(t, p.leaf, consumeFields("DROPPED001")))
	tests := []struct {
		name         string
		body         string
		behind, bare int // the Handler's answer behind ParseForm, and without it
	}{
		{"undecodable pair added", genuine + "&memo=%zz", http.StatusOK, http.StatusBadRequest},
		{"undecodable key added", "a%2=1&" + genuine, http.StatusOK, http.StatusBadRequest},
		{"semicolon pair added", genuine + "&a=1;b=2", http.StatusOK, http.StatusBadRequest},
		{"undecodable copy of a signed field first", "txnAmt=1%zz&" + genuine, http.StatusOK, http.StatusBadRequest},
		{"signed field made undecodable", strings.Replace(genuine, "orderId=DROPPED001", "orderId=DROPPED00%zz", 1),
			http.StatusBadRequest, http.StatusBadRequest},
		{"readable copy of a signed field added", genuine + "&txnAmt=1", http.StatusBadRequest, http.StatusBadRequest},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			for _, parse := range []bool{true, false} {
				var got *notify.Notification
				h := &notify.Handler{Verifier: p.verifier(t),
					OnNotify: func(_ context.Context, n *notify.Notification) error { got = n; return nil }}
				r := newRequest(http.MethodPost, "/notify", tt.body)
				want := tt.bare
				if parse {
					_ = r.ParseForm()
					want = tt.behind
				}
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, r)
				require.Equal(t, want, rec.Code, "behind ParseForm: %v", parse)
				if want == http.StatusOK {
					require.NotNil(t, got)
					assert.Equal(t, int64(1000), got.TxnAmt)
					assert.NotContains(t, got.Raw, "memo")
				}
			}
		})
	}
}

// TestBodyLimitInFrontOfTheMiddleware: a middleware's r.ParseForm reads up to net/http's 10 MB
// of a body without a Content-Length before the Handler runs, which MaxBytes cannot undo (pairs
// net/url drops, or percent-escapes, are not in the fields it counts). An http.MaxBytesReader
// set in front of that middleware bounds what it reads, and the Handler answers 413 naming it.
func TestBodyLimitInFrontOfTheMiddleware(t *testing.T) {
	t.Parallel()
	p := testPKI()
	genuine := encode(t, signWith(t, p.leaf, consumeFields("PADDED0001")))
	padded := strings.Repeat("%zz="+strings.Repeat("a", 1019)+"&", 1024) + genuine // 1 MiB of pairs net/url drops
	for _, tt := range []struct {
		name  string
		limit int64 // the application's MaxBytesReader in front of ParseForm; 0: none
		want  int
	}{
		{"no limit in front: read whole by ParseForm, fields within MaxBytes", 0, http.StatusOK},
		{"MaxBytesReader in front", 64 << 10, http.StatusRequestEntityTooLarge},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			h := &notify.Handler{Verifier: p.verifier(t),
				OnNotify: func(context.Context, *notify.Notification) error { return nil }}
			r := newRequest(http.MethodPost, "/notify", padded)
			r.ContentLength = -1 // chunked: a Content-Length over MaxBytes is refused as it is
			rec := httptest.NewRecorder()
			if tt.limit > 0 {
				r.Body = http.MaxBytesReader(rec, r.Body, tt.limit)
			}
			_ = r.ParseForm()
			h.ServeHTTP(rec, r)
			assert.Equal(t, tt.want, rec.Code)
		})
	}
}
