package unionpay_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/unionpay"
)

// TestCallEndLogValue: a CallEnd logged whole, as an OnCall logs it, is a group under the SDK's
// log keys (UnionPay's field names: orderId, txnTime as sent, txnType, respCode), keeps its
// error's text under slog's JSON handler (it would write the error value as {}) and has no "err"
// without one; the text handler shows the same keys and the error's text.
func TestCallEndLogValue(t *testing.T) {
	t.Parallel()
	txnTime := time.Date(2026, 11, 27, 2, 0, 0, 0, time.UTC) // 10:00 in Beijing
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
				CallInfo: unionpay.CallInfo{Op: "refund", OrderID: "R20261127001", TxnTime: txnTime, TxnType: "04",
					Endpoint: "https://gateway.test/gateway/api/backTransReq.do", MovesMoney: true},
				Duration: 1500 * time.Millisecond, Outcome: unionpay.OutcomeRejected, RespCode: "12", Err: tt.err,
			}
			var buf bytes.Buffer
			slog.New(slog.NewJSONHandler(&buf, nil)).Info("call", "end", e)
			var rec struct{ End map[string]any }
			require.NoError(t, json.Unmarshal(buf.Bytes(), &rec), buf.String())
			want := map[string]any{"op": "refund", "orderId": "R20261127001", "txnTime": "20261127100000", "txnType": "04",
				"endpoint": "https://gateway.test/gateway/api/backTransReq.do", "movesMoney": true,
				"duration": float64(1500 * time.Millisecond), "outcome": "rejected", "respCode": "12"}
			if tt.want != nil {
				want["err"] = tt.want
			}
			assert.Equal(t, want, rec.End, buf.String())

			buf.Reset()
			slog.New(slog.NewTextHandler(&buf, nil)).Info("call", "end", e)
			assert.Contains(t, buf.String(), " end.op=refund end.orderId=R20261127001 end.txnTime=20261127100000 end.txnType=04 ")
			assert.Contains(t, buf.String(), " end.duration=1.5s end.outcome=rejected end.respCode=12")
			if tt.err != nil {
				assert.Contains(t, buf.String(), "12 duplicate")
			}
		})
	}
}

// TestCallInfoLogValue: a CallInfo logged on its own, as a transport logs CallInfoFrom's, has the
// keys of CallEnd's; a zero TxnTime (a query by queryId alone) is "", not year 1.
func TestCallInfoLogValue(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	slog.New(slog.NewJSONHandler(&buf, nil)).Info("call", "ci", unionpay.CallInfo{Op: "query", TxnType: "00"})
	var rec struct{ Ci map[string]any }
	require.NoError(t, json.Unmarshal(buf.Bytes(), &rec), buf.String())
	assert.Equal(t, map[string]any{"op": "query", "orderId": "", "txnTime": "", "txnType": "00", "endpoint": "",
		"movesMoney": false}, rec.Ci)
}

// TestLogCallsLevels: LogCalls logs one record "unionpay call" per call, with the CallEnd as the
// group "call", at Info for an answer, Warn for a call to query or send again, Error for an answer
// that did not verify, a refused request and an outcome it does not know; a nil logger is
// slog.Default().
func TestLogCallsLevels(t *testing.T) {
	t.Parallel()
	tests := []struct {
		outcome unionpay.Outcome
		want    slog.Level
	}{
		{unionpay.OutcomeAccepted, slog.LevelInfo},
		{unionpay.OutcomeRejected, slog.LevelInfo},
		{unionpay.OutcomePending, slog.LevelWarn},
		{unionpay.OutcomeNotSent, slog.LevelWarn},
		{unionpay.OutcomeFailed, slog.LevelWarn},
		{unionpay.OutcomeUnverified, slog.LevelError},
		{unionpay.OutcomeRefused, slog.LevelError},
		{0, slog.LevelError},
	}
	for _, tt := range tests {
		t.Run(tt.outcome.String(), func(t *testing.T) {
			t.Parallel()
			var buf bytes.Buffer
			log := slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
			unionpay.LogCalls(log)(context.Background(), unionpay.CallEnd{
				CallInfo: unionpay.CallInfo{Op: "consume", OrderID: "C20261127001", TxnType: "01"}, Outcome: tt.outcome})
			var rec struct {
				Level string
				Msg   string
				Call  map[string]any
			}
			require.NoError(t, json.Unmarshal(buf.Bytes(), &rec), buf.String())
			assert.Equal(t, tt.want.String(), rec.Level)
			assert.Equal(t, "unionpay call", rec.Msg)
			assert.Equal(t, "C20261127001", rec.Call["orderId"])
			assert.Equal(t, tt.outcome.String(), rec.Call["outcome"])
		})
	}
}
