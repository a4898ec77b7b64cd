package notify_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/internal/logtest"
	"github.com/goacp/unionpay/notify"
	"github.com/goacp/unionpay/sign"
)

type ctxKey struct{}

func TestHandlerAccepts(t *testing.T) {
	t.Parallel()
	p := testPKI()
	body := encode(t, signWith(t, p.leaf, consumeFields("ORDER20260601")))
	var got *notify.Notification
	h := &notify.Handler{Verifier: p.verifier(t), OnNotify: func(ctx context.Context, n *notify.Notification) error {
		assert.Equal(t, "request-scoped", ctx.Value(ctxKey{}), "OnNotify must get the request's context")
		got = n
		return nil
	}}
	r := newRequest(http.MethodPost, "/notify", body)
	r = r.WithContext(context.WithValue(r.Context(), ctxKey{}, "request-scoped"))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, r)

	assert.Equal(t, http.StatusOK, rec.Code)
	assert.Equal(t, "ok", rec.Body.String())
	require.NotNil(t, got)
	assert.Equal(t, "ORDER20260601", got.OrderID)
	assert.Equal(t, int64(1000), got.TxnAmt)
	assert.Equal(t, notify.Succeeded, got.Status())
	require.NotNil(t, got.Signed)
	assert.Equal(t, sign.MethodRSA, got.Signed.Method)
	assert.Equal(t, p.leaf.cert.Raw, got.Signed.Certificate.Raw)
}

// The Handler reuses its read buffers: a Notification kept by OnNotify
// must not change when later notifications, of other lengths, are read.
func TestHandlerKeptNotificationsStayIntact(t *testing.T) {
	t.Parallel()
	p := testPKI()
	var kept []*notify.Notification
	h := &notify.Handler{Verifier: p.verifier(t), OnNotify: func(_ context.Context, n *notify.Notification) error {
		kept = append(kept, n)
		return nil
	}}
	var want []sign.Fields
	for i, orderID := range []string{"KEPT1", "KEPT2-LONGER-ORDER-ID", "K3", "KEPT4"} {
		f := consumeFields(orderID)
		f["txnAmt"] = fmt.Sprint(100 + i)
		f["reqReserved"] = strings.Repeat("r", 1+10*i)
		f = signWith(t, p.leaf, f)
		want = append(want, f)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, newRequest(http.MethodPost, "/notify", encode(t, f)))
		require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
		// A rejected request in between reads into the same buffers.
		rec = httptest.NewRecorder()
		h.ServeHTTP(rec, newRequest(http.MethodPost, "/notify", encode(t, f)+"&extra=%41"))
		require.Equal(t, http.StatusBadRequest, rec.Code)
	}
	require.Len(t, kept, len(want))
	for i, n := range kept {
		assert.Equal(t, want[i], n.Raw, "notification %d", i)
		assert.Equal(t, want[i]["orderId"], n.OrderID)
		assert.Equal(t, int64(100+i), n.TxnAmt)
	}
}

func TestHandlerCallbackErrorIs500(t *testing.T) {
	t.Parallel()
	p := testPKI()
	body := encode(t, signWith(t, p.leaf, consumeFields("ORDER20260602")))
	h := &notify.Handler{Verifier: p.verifier(t), OnNotify: func(context.Context, *notify.Notification) error {
		return errors.New("database down")
	}}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, newRequest(http.MethodPost, "/notify", body))
	assert.Equal(t, http.StatusInternalServerError, rec.Code)
}

// TestHandlerIgnoresQueryString: fields in the URL (a merchant's backUrl
// may carry a query string) neither break verification nor reach OnNotify.
func TestHandlerIgnoresQueryString(t *testing.T) {
	t.Parallel()
	p := testPKI()
	f := consumeFields("ORDER20260603")
	f["respCode"], f["respMsg"] = "61", "超出金额限制[1000061]"
	body := encode(t, signWith(t, p.leaf, f))
	var got *notify.Notification
	h := &notify.Handler{Verifier: p.verifier(t), OnNotify: func(_ context.Context, n *notify.Notification) error {
		got = n
		return nil
	}}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, newRequest(http.MethodPost, "/notify?shop=7&respCode=00&txnAmt=1", body))

	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	require.NotNil(t, got)
	assert.Equal(t, "61", got.RespCode)
	assert.Equal(t, notify.Failed, got.Status())
	assert.Equal(t, int64(1000), got.TxnAmt)
	assert.NotContains(t, got.Raw, "shop")
}

func TestHandlerNotConfigured(t *testing.T) {
	t.Parallel()
	p := testPKI()
	body := encode(t, signWith(t, p.leaf, consumeFields("ORDER20260604")))
	for name, h := range map[string]*notify.Handler{
		"no verifier": {OnNotify: func(context.Context, *notify.Notification) error { return nil }},
		"no callback": {Verifier: p.verifier(t)},
	} {
		t.Run(name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, newRequest(http.MethodPost, "/notify", body))
			assert.Equal(t, http.StatusInternalServerError, rec.Code)
		})
	}
}

// TestHandlerLogsNoSecrets: whatever happens, the log holds no card number,
// signature or certificate, but does say which order was concerned.
func TestHandlerLogsNoSecrets(t *testing.T) {
	t.Parallel()
	p := testPKI()
	const pan = "6216261000000000018"
	f := consumeFields("ORDER20260605")
	f["accNo"] = pan
	signed := signWith(t, p.leaf, f)
	forged := signed.Clone()
	forged["txnAmt"] = "1"

	var buf bytes.Buffer
	var fail atomic.Bool
	h := &notify.Handler{
		Verifier: p.verifier(t),
		Logger:   slog.New(slog.NewTextHandler(&buf, func() *slog.HandlerOptions { o := logtest.Untimed(); o.Level = slog.LevelDebug; return o }())),
		OnNotify: func(_ context.Context, n *notify.Notification) error {
			assert.Equal(t, pan, n.AccNo)
			if fail.Load() {
				return errors.New("store unavailable")
			}
			return nil
		},
	}
	serve := func(fields sign.Fields) int {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, newRequest(http.MethodPost, "/notify", encode(t, fields)))
		return rec.Code
	}
	assert.Equal(t, http.StatusOK, serve(signed))
	fail.Store(true)
	assert.Equal(t, http.StatusInternalServerError, serve(signed))
	assert.Equal(t, http.StatusBadRequest, serve(forged))

	log := buf.String()
	assert.Contains(t, log, "ORDER20260605")
	assert.Contains(t, log, "store unavailable")
	assert.Contains(t, log, "signature does not verify")
	assert.NotContains(t, log, pan)
	assert.NotContains(t, log, pan[6:15])
	assert.NotContains(t, log, signed["signature"][:16])
	assert.NotContains(t, log, "CERTIFICATE")
}

// TestHandlerBodyLength: a body without Content-Length is read to its end;
// a body that disagrees with its Content-Length is rejected, never cut to
// fit.
func TestHandlerBodyLength(t *testing.T) {
	t.Parallel()
	p := testPKI()
	body := encode(t, signWith(t, p.leaf, consumeFields("ORDER20260606")))
	tests := []struct {
		name   string
		body   string
		length int64
		want   int
	}{
		{"exact Content-Length", body, int64(len(body)), http.StatusOK},
		{"no Content-Length", body, -1, http.StatusOK},
		{"body longer than Content-Length", body + "&txnAmt=1", int64(len(body)), http.StatusBadRequest},
		{"body shorter than Content-Length", body, int64(len(body)) + 10, http.StatusBadRequest},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			calls := 0
			h := &notify.Handler{Verifier: p.verifier(t), OnNotify: func(context.Context, *notify.Notification) error {
				calls++
				return nil
			}}
			r := newRequest(http.MethodPost, "/notify", tt.body)
			r.Body = io.NopCloser(r.Body) // hide the reader's length
			r.ContentLength = tt.length
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, r)
			assert.Equal(t, tt.want, rec.Code)
			assert.Equal(t, tt.want == http.StatusOK, calls == 1)
		})
	}
}

// TestHandlerPromisedBodyHoldsNoMemory: a request whose Content-Length
// promises a large body (within MaxBytes) and which then sends a few bytes
// holds memory for what it sent, not for what it promised. The buffer used
// to be allocated at the promised size before any byte came, so idle
// connections could hold MaxBytes each.
func TestHandlerPromisedBodyHoldsNoMemory(t *testing.T) {
	p := testPKI()
	h := &notify.Handler{Verifier: p.verifier(t), MaxBytes: 256 << 20, OnNotify: func(context.Context, *notify.Notification) error {
		t.Error("OnNotify called")
		return nil
	}}
	r := newRequest(http.MethodPost, "/notify", "orderId=1")
	r.Body = io.NopCloser(r.Body)
	r.ContentLength = 200 << 20
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, r)
	runtime.ReadMemStats(&after)
	assert.Equal(t, http.StatusBadRequest, rec.Code, "the body ended before Content-Length")
	assert.Less(t, after.TotalAlloc-before.TotalAlloc, uint64(1<<20), "bytes allocated for a 9-byte body")
}
