package notify_test

import (
	"fmt"
	"net/http"
	"net/url"

	"github.com/goacp/unionpay/notify"
	"github.com/goacp/unionpay/sign"
)

// A web framework that has already read and decoded backUrl's body hands its url.Values
// (http.Request.PostForm after ParseForm; never Request.Form, which mixes in the URL's query
// string) to VerifyValues. What it answers UnionPay follows Handler: 200 once the result is
// stored, HTTPStatus(err) for a message refused (400: never believed, not sent again), and 500
// when storing fails, so that UnionPay sends it again. TxnAmt is in fen; a Pending status is
// settled by a query.
func ExampleVerifyValues() {
	v := exampleVerifier()
	stored := notify.Expected{MerchantID: "777290058110048", TxnType: "01", Amount: 1999}
	backURL := func(form url.Values) int { // the framework's handler, given the parsed body
		n, err := notify.VerifyValues(v, form)
		if err != nil {
			fmt.Println("refused:", notify.Reason(err)) // log the reason, not the fields
			return notify.HTTPStatus(err)
		}
		// Look the order up by n.Key() (orderId and txnTime), then check it is the one stored.
		if err := n.Check(stored); err != nil {
			fmt.Println("genuine, not as stored:", err) // for a person; acknowledged all the same
			return http.StatusOK
		}
		fmt.Println(n.Key(), n.TxnAmt, "fen:", n.Status()) // apply it once, keyed on n.Key()
		return http.StatusOK
	}

	paid := gatewaySign(sign.Fields{
		"encoding": "UTF-8", "txnType": "01", "txnSubType": "01", "bizType": "000201",
		"merId": "777290058110048", "orderId": "ORDER20260601001", "txnTime": "20260601120000",
		"txnAmt": "1999", "currencyCode": "156", "queryId": "782606011200000000001",
		"settleDate": "0601", "respCode": "00", "respMsg": "成功[0000000]",
	})
	altered := paid.Clone()
	altered["txnAmt"] = "1" // the signature left as it was
	// decoded is what the framework did with UnionPay's POST: r.ParseForm(), then r.PostForm.
	decoded := func(f sign.Fields) url.Values {
		r := formPost("/unionpay/notify", f)
		if err := r.ParseForm(); err != nil {
			panic(err)
		}
		return r.PostForm
	}
	repeated := decoded(paid)
	repeated.Add("orderId", "ORDER20260601002") // a key given twice is ambiguous

	for _, form := range []url.Values{decoded(paid), decoded(altered), repeated} {
		fmt.Println("answered", backURL(form))
	}
	// Output:
	// ORDER20260601001@20260601120000 1999 fen: succeeded
	// answered 200
	// refused: signature
	// answered 400
	// refused: field
	// answered 400
}
