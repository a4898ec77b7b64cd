package unionpay_test

import (
	"context"
	"net/http/httptrace"
)

func httptraceWithWrote(ctx context.Context, f func()) context.Context {
	return httptrace.WithClientTrace(ctx, &httptrace.ClientTrace{WroteRequest: func(httptrace.WroteRequestInfo) { f() }})
}
