package notify_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/notify"
)

// TestHandlerLogsDurations: the records of an accepted notification and of an OnNotify failure
// hold "duration" (the whole handling: reading, verifying, OnNotify) and "onNotifyDuration"
// (OnNotify's own), so that an OnNotify slowing towards UnionPay's 10 s shows before the
// resends do; a rejection's record, which calls no OnNotify, holds neither.
func TestHandlerLogsDurations(t *testing.T) {
	t.Parallel()
	const slow = 30 * time.Millisecond
	p := testPKI()
	tests := []struct {
		name, orderID string
		forged        bool
		status        int
		timed         bool // the record holds the durations
	}{
		{name: "accepted", orderID: "ORDERSLOWOK001", status: http.StatusOK, timed: true},
		{name: "OnNotify fails", orderID: "ORDERSLOWFAIL01", status: http.StatusInternalServerError, timed: true},
		{name: "rejected", orderID: "ORDERFORGED0001", forged: true, status: http.StatusBadRequest},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var out bytes.Buffer
			h := &notify.Handler{Verifier: p.verifier(t), Logger: slog.New(slog.NewJSONHandler(&out, nil)),
				OnNotify: func(_ context.Context, n *notify.Notification) error {
					time.Sleep(slow)
					if n.OrderID == "ORDERSLOWFAIL01" {
						return errors.New("database slow, then down")
					}
					return nil
				}}
			f := signWith(t, p.leaf, consumeFields(tt.orderID))
			if tt.forged {
				f["txnAmt"] = "1"
			}
			w := httptest.NewRecorder()
			h.ServeHTTP(w, newRequest(http.MethodPost, "/notify", encode(t, f)))
			require.Equal(t, tt.status, w.Code)
			var rec map[string]any
			require.NoError(t, json.Unmarshal(out.Bytes(), &rec), out.String())
			total, hasTotal := rec["duration"].(float64) // nanoseconds, as the JSON handler writes a Duration
			own, hasOwn := rec["onNotifyDuration"].(float64)
			if !tt.timed {
				assert.False(t, hasTotal || hasOwn, "no durations: %s", out.String())
				return
			}
			require.True(t, hasTotal && hasOwn, "durations: %s", out.String())
			assert.GreaterOrEqual(t, time.Duration(own), slow, "OnNotify's own")
			assert.GreaterOrEqual(t, total, own, "the whole handling includes OnNotify")
		})
	}
}
