package unionpay

import (
	"context"
	"log/slog"
	"net/url"
	"strings"
	"time"

	"github.com/goacp/unionpay/internal/tz"
)

// CallInfo describes the call a request to UnionPay's gateway is for. The Client puts it in the
// context of every request it sends (the http.Request's Context), so that a transport of the
// caller's (Config.HTTPClient's: an OpenTelemetry otelhttp wrapper, a metrics RoundTripper) can
// name spans, label metrics and log calls by operation and order without reading the request's
// body: every back-end transaction goes to the same backTransReq.do, and a transport that reads
// the body makes every failure of a money-moving call pending, a refused connection included
// (see Config.HTTPClient).
type CallInfo struct {
	Op      string    // the operation, as error texts name it: "refund", "consume cancel", "query", "file download"...
	OrderID string    // orderId sent (a batch's batchNo); "" when the call has none
	TxnTime time.Time // txnTime sent, Beijing time; zero for a query by queryId alone
	TxnType string    // txnType sent: "04" for a refund, "00" for a query...
	// Endpoint is the URL the request is posted to, one of Config.Endpoints (a password in it
	// shown as "xxxxx"): which of UnionPay's gateways, and which environment, answered. "" for
	// a call refused before its request was built.
	Endpoint string
	// MovesMoney says that the call moves money: should its outcome be unknown, it is pending,
	// to be queried, never sent again.
	MovesMoney bool
}

// LogValue implements slog.LogValuer: the call as a group, under the keys of the SDK's log
// records (README, "Log keys"), UnionPay's field names where the key is one of its message's: "op",
// "orderId", "txnTime" (as sent: 14 digits, Beijing time; "" when zero), "txnType", "endpoint",
// "movesMoney". For a transport of the caller's that logs [CallInfoFrom]'s CallInfo.
func (ci CallInfo) LogValue() slog.Value { return slog.GroupValue(ci.attrs(nil)...) }

// attrs appends the attributes of ci's LogValue to attrs.
func (ci CallInfo) attrs(attrs []slog.Attr) []slog.Attr {
	var txnTime string
	if !ci.TxnTime.IsZero() {
		txnTime = ci.TxnTime.In(tz.Beijing()).Format(timeLayout)
	}
	return append(attrs, slog.String("op", ci.Op), slog.String("orderId", ci.OrderID),
		slog.String("txnTime", txnTime), slog.String("txnType", ci.TxnType),
		slog.String("endpoint", ci.Endpoint), slog.Bool("movesMoney", ci.MovesMoney))
}

// callInfoKey is the context key of a request's CallInfo.
type callInfoKey struct{}

// CallInfoFrom returns the CallInfo of the call a request's ctx belongs to, and whether there is
// one: for a transport of the caller's, with the ctx of the request it is given.
func CallInfoFrom(ctx context.Context) (CallInfo, bool) {
	if ctx == nil {
		return CallInfo{}, false
	}
	ci, ok := ctx.Value(callInfoKey{}).(CallInfo)
	return ci, ok
}

// info returns the CallInfo of call k.
func (k *call) info() CallInfo {
	ci := CallInfo{Op: k.op, OrderID: k.orderID, TxnTime: k.txnTime, TxnType: k.fields["txnType"], MovesMoney: k.moves}
	if b := k.fields["batchNo"]; ci.OrderID == "" && b != "" { // k.op is "batch 0004"
		ci.Op, ci.OrderID = strings.TrimSuffix(k.op, " "+b), b
	}
	if k.anyTime {
		ci.TxnTime = time.Time{}
	}
	return ci
}

// endpointName is endpoint URL u as CallInfo shows it: as it is, but a password in it redacted.
func endpointName(u string) string {
	if !strings.Contains(u, "@") {
		return u
	}
	if p, err := url.Parse(u); err == nil {
		return p.Redacted()
	}
	return u
}
