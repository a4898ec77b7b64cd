package unionpay

import (
	"context"
	"errors"
	"log/slog"
	"runtime/debug"
	"strconv"
	"time"
)

// Outcome is how a call ended, as the Client classified it: what its error (or its absence)
// means, in one word, for a metric's label or a log's field. [Config.OnCall] is given it. Each
// matches the rule a caller reads the error by (errors.Is, errors.As), tried in this order:
// ErrNotSent, ErrUnverified, ErrPending, *Error, *RequestError or *ConfigError, anything else.
type Outcome uint8

// Outcomes. The zero Outcome is none of them.
const (
	// OutcomeAccepted is a call that returned no error: the gateway accepted the request
	// (respCode 00 or A6: accepted is not succeeded for a transaction whose outcome comes by
	// notification), or answered a query (a Transaction's State, NotFound included, is the
	// transaction's outcome, not the call's).
	OutcomeAccepted Outcome = iota + 1
	// OutcomePending is an outcome not known yet: the error matches [ErrPending] (a pending
	// respCode, or any failure after a money-moving request left). Query it; never send it again
	// under a new orderId.
	OutcomePending
	// OutcomeRejected is a refusal by the gateway, a verified respCode (an *[Error]; the
	// CallEnd's RespCode says which): nothing happened.
	OutcomeRejected
	// OutcomeNotSent is a request that never left the process: the error matches [ErrNotSent].
	// UnionPay has nothing, and the same request may be sent again (see ErrNotSent).
	OutcomeNotSent
	// OutcomeUnverified is an answer that failed verification: the error matches
	// [ErrUnverified] (a Verifier out of date, a proxy's or a forger's answer). For a call that
	// moves money (CallInfo.MovesMoney) the outcome is pending as well, and the error matches
	// ErrPending too: query it.
	OutcomeUnverified
	// OutcomeRefused is a request the SDK refused before any attempt: a *[RequestError] (an
	// invalid field, a nil ctx, a txnTime not current) or a *[ConfigError]. Nothing was sent; a
	// mistake to mend, not a condition of the gateway's.
	OutcomeRefused
	// OutcomeFailed is any other error: for a call that moves no money (a query, a file
	// download, an open, an encryption-certificate update), a failure after the request left
	// (an HTTP status, the network's, ctx's, an answer that cannot be read, is about another
	// transaction or holds nothing usable), to be asked again later; for any call, a failure to
	// build the request (the Signer's or the encryption's), when nothing was sent. A failure
	// after a money-moving request left is never OutcomeFailed: it is pending.
	OutcomeFailed
)

var outcomeNames = [...]string{OutcomeAccepted: "accepted", OutcomePending: "pending",
	OutcomeRejected: "rejected", OutcomeNotSent: "not_sent", OutcomeUnverified: "unverified",
	OutcomeRefused: "refused", OutcomeFailed: "failed"}

// String returns the outcome's name, a stable word to label metrics with: "accepted",
// "pending", "rejected", "not_sent", "unverified", "refused" or "failed"; "Outcome(N)" for a
// value that is none of them.
func (o Outcome) String() string {
	if o > 0 && int(o) < len(outcomeNames) {
		return outcomeNames[o]
	}
	return "Outcome(" + strconv.Itoa(int(o)) + ")"
}

// MarshalText returns the outcome's name, as String does, so that a JSON log handler and
// encoding/json write "pending" rather than a number.
func (o Outcome) MarshalText() ([]byte, error) { return []byte(o.String()), nil }

// UnmarshalText sets o to the outcome named text, one of the words String returns for an
// Outcome (so that what MarshalText wrote, in a log or a configuration, decodes back). Any other
// text, "Outcome(N)" included, is an error, and leaves o unchanged.
func (o *Outcome) UnmarshalText(text []byte) error {
	for i, name := range outcomeNames {
		if name != "" && name == string(text) {
			*o = Outcome(i)
			return nil
		}
	}
	return errors.New("unionpay: outcome " + strconv.Quote(string(text)) + " is not one of accepted, pending, " +
		"rejected, not_sent, unverified, refused or failed")
}

// outcomeOf classifies err, the error a call returns (see Outcome).
func outcomeOf(err error) Outcome {
	var rejected *Error
	var refused *RequestError
	var misconfigured *ConfigError
	switch {
	case err == nil:
		return OutcomeAccepted
	case errors.Is(err, ErrNotSent):
		return OutcomeNotSent
	case errors.Is(err, ErrUnverified):
		return OutcomeUnverified
	case errors.Is(err, ErrPending):
		return OutcomePending
	case errors.As(err, &rejected):
		return OutcomeRejected
	case errors.As(err, &refused), errors.As(err, &misconfigured):
		return OutcomeRefused
	}
	return OutcomeFailed
}

// CallEnd is a call that ended, as [Config.OnCall] is told of it. It holds no card data: the
// CallInfo has none, and no error text of this package's does.
type CallEnd struct {
	// CallInfo is the call, as [CallInfoFrom] gives it to a transport. A refused call
	// (OutcomeRefused: its request not built, or given no ctx) may have Op and MovesMoney alone.
	CallInfo
	// Duration is how long the method took, from its start to its return: checking, encrypting
	// and signing the request, waiting for a connection, sending it, reading and verifying the
	// answer. It is measured on the monotonic clock, not Config.Now.
	Duration time.Duration
	Outcome  Outcome // how the call ended
	// RespCode is the respCode of the verified answer about this call: 00 or A6 accepted, a
	// pending code (03, 04, 05...), a rejection's; a query's own (34: not found), not the
	// transaction's origRespCode. "" when no such answer came (nothing sent, a transport
	// failure, an answer that did not verify or names another transaction).
	RespCode string
	// Err is the error the call returns, nil when OutcomeAccepted: for what errors.Is and
	// errors.As find beyond the Outcome.
	Err error
}

// LogValue implements slog.LogValuer: the call as a group, under the keys of the SDK's log
// records (README, "Log keys"): CallInfo's (see [CallInfo.LogValue]), then "duration"
// (slog.Duration), "outcome" (its word, such as "pending"), "respCode", and "err", the error's
// text, only when there is one (slog's JSON handler would write an error value as {}). It holds
// no card data: the CallInfo has none, and no error text of this package's does.
func (e CallEnd) LogValue() slog.Value {
	attrs := append(e.CallInfo.attrs(make([]slog.Attr, 0, 10)), slog.Duration("duration", e.Duration),
		slog.String("outcome", e.Outcome.String()), slog.String("respCode", e.RespCode))
	if e.Err != nil {
		attrs = append(attrs, slog.String("err", e.Err.Error()))
	}
	return slog.GroupValue(attrs...)
}

// LogCalls returns a Config.OnCall that logs the end of each call on log (nil: slog.Default()),
// one record "unionpay call" holding the CallEnd as the group "call" ([CallEnd.LogValue]: no card
// data), at a level by its outcome:
//   - Info: accepted, and rejected (the gateway answered, and nothing happened);
//   - Warn: pending (query it; it resolves; never send it again under a new orderId), not_sent
//     and failed (to be sent or asked again);
//   - Error: unverified (a Verifier out of date, or a forgery) and refused (a mistake in the
//     request or the configuration), and any outcome not named here.
//
// To count calls as well, call it from an OnCall of your own. Like every OnCall, it runs before
// the call returns: a slow handler of log's delays every call.
func LogCalls(log *slog.Logger) func(context.Context, CallEnd) {
	return func(ctx context.Context, e CallEnd) {
		l := log
		if l == nil {
			l = slog.Default()
		}
		l.LogAttrs(ctx, callLevel(e.Outcome), "unionpay call", slog.Any("call", e))
	}
}

// callLevel is the level LogCalls logs a call of outcome o at.
func callLevel(o Outcome) slog.Level {
	switch o {
	case OutcomeAccepted, OutcomeRejected:
		return slog.LevelInfo
	case OutcomePending, OutcomeNotSent, OutcomeFailed:
		return slog.LevelWarn
	}
	return slog.LevelError
}

// observation is one call Config.OnCall is to be told of: started with the call, completed by
// send once the request is built and once a verified answer about it came.
type observation struct {
	onCall   func(context.Context, CallEnd)
	ctx      context.Context // the caller's; context.Background() for a nil one
	start    time.Time
	info     CallInfo
	respCode string
}

// observationKey is the context key of a call's *observation.
type observationKey struct{}

// observe starts the observation of call op (moves: whether it moves money) for Config.OnCall.
// It returns ctx carrying it, for send, and the observation, whose end the call must report
// once; with no OnCall, ctx as it is and nil, at no cost.
func (c *Client) observe(ctx context.Context, op string, moves bool) (context.Context, *observation) {
	if c.cfg.OnCall == nil {
		return ctx, nil
	}
	o := &observation{onCall: c.cfg.OnCall, ctx: ctx, start: time.Now(), info: CallInfo{Op: op, MovesMoney: moves}}
	if ctx == nil { // left nil: the call refuses it
		o.ctx = context.Background()
		return nil, o
	}
	return context.WithValue(ctx, observationKey{}, o), o
}

// observation returns the observation of the call ctx belongs to, or nil.
func (c *Client) observation(ctx context.Context) *observation {
	if c.cfg.OnCall == nil || ctx == nil {
		return nil
	}
	o, _ := ctx.Value(observationKey{}).(*observation)
	return o
}

// end reports the call's end to Config.OnCall, with err, the error the call returns, and
// returns err. A nil o (no OnCall) does nothing.
func (o *observation) end(err error) error {
	if o != nil {
		o.report(CallEnd{CallInfo: o.info, Duration: time.Since(o.start), Outcome: outcomeOf(err),
			RespCode: o.respCode, Err: err})
	}
	return err
}

// report calls OnCall with e. A panic in it is recovered, and logged with slog's default logger:
// the call must still return its outcome (money may have moved) to its caller.
func (o *observation) report(e CallEnd) {
	defer func() {
		if p := recover(); p != nil {
			logOnCallPanic(e, p, debug.Stack())
		}
	}()
	o.onCall(o.ctx, e)
}

// logOnCallPanic logs OnCall's panic p with slog's default logger. A panic of that logger's
// (a handler that fails, a panic value whose String or LogValue panics) is dropped: nothing
// is left to report it to, and the call's outcome must still reach its caller.
func logOnCallPanic(e CallEnd, p any, stack []byte) {
	defer func() { _ = recover() }()
	slog.Default().Error("unionpay: Config.OnCall panicked; the call returns its outcome all the same",
		slog.String("op", e.Op), slog.String("outcome", e.Outcome.String()),
		slog.Any("panic", p), slog.String("stack", string(stack)))
}
