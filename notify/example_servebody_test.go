package notify_test

import (
	"context"
	"encoding/base64"
	"fmt"
	"net/http"

	"github.com/goacp/unionpay/notify"
	"github.com/goacp/unionpay/sign"
)

// apiGatewayEvent holds the fields of an API gateway's HTTP event that a function serving
// backUrl reads, under the names of aws-lambda-go's events.APIGatewayV2HTTPRequest.
type apiGatewayEvent struct {
	Headers         map[string]string // names in lower case
	Body            string
	IsBase64Encoded bool
	SourceIP        string // RequestContext.HTTP.SourceIP
}

// A function platform hands the function an event, not an *http.Request: ServeBody verifies its
// body, calls OnNotify and logs as ServeHTTP does, and returns the answer for the function's
// response. The Handler is built once per container and kept across invocations.
func ExampleHandler_ServeBody() {
	h := &notify.Handler{
		Verifier: exampleVerifier(),
		OnNotify: func(ctx context.Context, n *notify.Notification) error {
			fmt.Println("stored", n.Key(), n.Status()) // idempotent: UnionPay sends it more than once
			return nil
		},
	}
	serve := func(ctx context.Context, ev apiGatewayEvent) (int, string) {
		body := []byte(ev.Body)
		if ev.IsBase64Encoded {
			var err error
			if body, err = base64.StdEncoding.DecodeString(ev.Body); err != nil {
				return http.StatusBadRequest, "Bad Request\n"
			}
		}
		header := make(http.Header, len(ev.Headers))
		for name, value := range ev.Headers {
			header.Add(name, value)
		}
		return h.ServeBody(ctx, body, header, ev.SourceIP)
	}

	form, err := sign.Encode(gatewaySign(sign.Fields{
		"encoding": "UTF-8", "txnType": "01", "txnSubType": "01", "bizType": "000201",
		"merId": "777290058110048", "orderId": "ORDER20260601001", "txnTime": "20260601120000",
		"txnAmt": "1999", "currencyCode": "156", "queryId": "782606011200000000001",
		"settleDate": "0601", "respCode": "00", "respMsg": "成功[0000000]",
	}))
	if err != nil {
		fmt.Println(err)
		return
	}
	headers := map[string]string{"content-type": "application/x-www-form-urlencoded;charset=UTF-8"}
	for _, ev := range []apiGatewayEvent{
		{Headers: headers, Body: base64.StdEncoding.EncodeToString([]byte(form)), IsBase64Encoded: true, SourceIP: "203.0.113.7"},
		{Headers: headers, Body: form[:len(form)-1], SourceIP: "203.0.113.7"}, // cut short: refused
		{Headers: map[string]string{"content-encoding": "gzip"}, Body: form, SourceIP: "203.0.113.7"},
	} {
		status, answer := serve(context.Background(), ev)
		fmt.Printf("%d %q\n", status, answer)
	}
	// Output:
	// stored ORDER20260601001@20260601120000 succeeded
	// 200 "ok"
	// 400 "Bad Request\n"
	// 415 "Unsupported Media Type\n"
}
