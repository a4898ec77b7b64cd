package unionpay_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"log/slog"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/unionpay"
)

// TestCallEndLogValue: a CallEnd logged whole, as an OnCall logs it, keeps its error's text
// under slog's JSON handler (it wrote the error value as {}), null without one, and its other
// fields as before; the text handler shows the error's text too.
func TestCallEndLogValue(t *testing.T) {
	t.Parallel()
	txnTime := time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)
	tests := []struct {
		name string
		err  error
		want any
	}{
		{"rejected", errors.New("unionpay: refund R20261127001: 12 duplicate"), "unionpay: refund R20261127001: 12 duplicate"},
		{"accepted", nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := unionpay.CallEnd{
				CallInfo: unionpay.CallInfo{Op: "refund", OrderID: "R20261127001", TxnTime: txnTime, TxnType: "04", MovesMoney: true},
				Duration: 1500 * time.Millisecond, Outcome: unionpay.OutcomeRejected, RespCode: "12", Err: tt.err,
			}
			var buf bytes.Buffer
			slog.New(slog.NewJSONHandler(&buf, nil)).Info("call", "end", e)
			var rec struct{ End map[string]any }
			require.NoError(t, json.Unmarshal(buf.Bytes(), &rec), buf.String())
			assert.Equal(t, tt.want, rec.End["Err"], buf.String())
			assert.Equal(t, "refund", rec.End["Op"])
			assert.Equal(t, "R20261127001", rec.End["OrderID"])
			assert.Equal(t, "2026-11-27T10:00:00Z", rec.End["TxnTime"])
			assert.Equal(t, true, rec.End["MovesMoney"])
			assert.Equal(t, float64(1500*time.Millisecond), rec.End["Duration"])
			assert.Equal(t, "rejected", rec.End["Outcome"])
			assert.Equal(t, "12", rec.End["RespCode"])

			buf.Reset()
			slog.New(slog.NewTextHandler(&buf, nil)).Info("call", "end", e)
			if tt.err != nil {
				assert.Contains(t, buf.String(), "12 duplicate")
			}
		})
	}
}
