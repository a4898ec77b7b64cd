package unionpay_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"

	"github.com/goacp/unionpay/unionpay"
	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

// A firewall between the merchant and UnionPay answers 403 with a page of its own: the error
// says what the page said, so that the on-call engineer knows whom to call. A query's failure says
// nothing about the transaction; a call that moves money would be pending, its StatusError
// inside.
func ExampleStatusError() {
	srv := unionpaytest.NewServer(unionpaytest.WithClock(exampleNow))
	defer srv.Close()
	waf := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusForbidden)
		_, _ = io.WriteString(w, "<html><head><title>Access Denied - Request ID 7f3a9c</title></head>"+
			"<body><h1>Blocked by the egress policy</h1></body></html>")
	}))
	defer waf.Close()
	cfg := srv.Config()
	cfg.Endpoints.Query = waf.URL + "/gateway/api/queryTrans.do"
	c, err := unionpay.NewClient(cfg)
	if err != nil {
		fmt.Println(err)
		return
	}
	_, err = c.Query(context.Background(), &unionpay.QueryRequest{OrderID: "ORDER20240105001", TxnTime: exampleNow()})
	var se *unionpay.StatusError
	if errors.As(err, &se) {
		fmt.Println(se.StatusCode, se.Page)
	}
	fmt.Println(errors.Is(err, unionpay.ErrPending))
	// Output:
	// 403 Access Denied - Request ID 7f3a9c
	// false
}
