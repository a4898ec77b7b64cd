package unionpay_test

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/unionpay"
)

// TestLogCallsNilLoggerIsDefault: LogCalls(nil) logs on slog.Default() as it is when the call
// ends (not when LogCalls was called). Not parallel: it sets slog's default logger.
func TestLogCallsNilLoggerIsDefault(t *testing.T) {
	onCall := unionpay.LogCalls(nil)
	old := slog.Default()
	var buf bytes.Buffer
	slog.SetDefault(slog.New(slog.NewTextHandler(&buf, nil)))
	t.Cleanup(func() { slog.SetDefault(old) })

	require.NotPanics(t, func() {
		onCall(context.Background(), unionpay.CallEnd{
			CallInfo: unionpay.CallInfo{Op: "consume", OrderID: "LOGCALLSDEFAULT01", TxnType: "01"},
			Outcome:  unionpay.OutcomeAccepted})
	})
	assert.Contains(t, buf.String(), `msg="unionpay call"`)
	assert.Contains(t, buf.String(), "call.orderId=LOGCALLSDEFAULT01")
}

// ctxKey is the type of the context key TestLogCallsPassesContext sets.
type ctxKey struct{}

// ctxRecorder is a slog.Handler that records the value under ctxKey of each record's context.
type ctxRecorder struct{ got *[]any }

func (c ctxRecorder) Enabled(context.Context, slog.Level) bool { return true }
func (c ctxRecorder) WithAttrs([]slog.Attr) slog.Handler       { return c }
func (c ctxRecorder) WithGroup(string) slog.Handler            { return c }
func (c ctxRecorder) Handle(ctx context.Context, _ slog.Record) error {
	*c.got = append(*c.got, ctx.Value(ctxKey{}))
	return nil
}

// TestLogCallsPassesContext: LogCalls logs with the call's context, so that a handler that
// takes a trace or request id from it finds it.
func TestLogCallsPassesContext(t *testing.T) {
	t.Parallel()
	var got []any
	ctx := context.WithValue(context.Background(), ctxKey{}, "trace-7")
	unionpay.LogCalls(slog.New(ctxRecorder{&got}))(ctx, unionpay.CallEnd{Outcome: unionpay.OutcomePending})
	assert.Equal(t, []any{"trace-7"}, got)
}

// TestCallEndLogValueErrIsText: a CallEnd's "err" is the error's text (Error()) as a string,
// also for an error that marshals itself to JSON (*unionpay.Error): slog's JSON handler would
// write such an error value as its JSON object, and a ReplaceAttr sees a string.
func TestCallEndLogValueErrIsText(t *testing.T) {
	t.Parallel()
	err := &unionpay.Error{Op: "refund", OrderID: "R20261128001", RespCode: "12", RespMsg: "duplicate"}
	var buf bytes.Buffer
	slog.New(slog.NewJSONHandler(&buf, nil)).Info("call", "end",
		unionpay.CallEnd{Outcome: unionpay.OutcomeRejected, RespCode: "12", Err: err})
	var rec struct{ End map[string]any }
	require.NoError(t, json.Unmarshal(buf.Bytes(), &rec), buf.String())
	assert.Equal(t, err.Error(), rec.End["err"], buf.String())
}
