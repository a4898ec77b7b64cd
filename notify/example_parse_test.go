package notify_test

import (
	"errors"
	"fmt"

	"github.com/goacp/unionpay/cert"
	"github.com/goacp/unionpay/notify"
	"github.com/goacp/unionpay/sign"
)

// Parse verifies a body received elsewhere (a message queue, a test) with no HTTP. A failed
// verification is a typed error: an altered message matches sign.ErrSignature, one signed with
// a method the Verifier was not configured for matches cert.ErrMethod. Neither is believed.
func ExampleParse() {
	v := exampleVerifier() // accepts secure-key signMethod 11 only
	f := sign.Fields{
		"encoding": "UTF-8", "txnType": "01", "txnSubType": "01", "bizType": "000201",
		"merId": "777290058110048", "orderId": "ORDER20260601001", "txnTime": "20260601120000",
		"txnAmt": "1999", "currencyCode": "156", "queryId": "782606011200000000001",
		"settleDate": "0601", "respCode": "00", "respMsg": "成功[0000000]",
	}
	genuine := gatewaySign(f)
	altered := genuine.Clone()
	altered["txnAmt"] = "1" // the signature left as it was
	otherMethod := genuine.Clone()
	otherMethod["signMethod"] = sign.MethodRSA // a 5.1.0 certificate signature is not configured

	for _, g := range []sign.Fields{genuine, altered, otherMethod} {
		body, err := sign.Encode(g)
		if err != nil {
			fmt.Println(err)
			return
		}
		n, err := notify.Parse(v, []byte(body))
		switch {
		case err == nil:
			fmt.Println(n.OrderID, n.TxnAmt, "fen:", n.Status())
		case errors.Is(err, sign.ErrSignature):
			fmt.Println("forged or altered: refuse it")
		case errors.Is(err, cert.ErrMethod):
			fmt.Println("method not configured: refuse it")
		default:
			fmt.Println(err)
		}
	}
	// Output:
	// ORDER20260601001 1999 fen: succeeded
	// forged or altered: refuse it
	// method not configured: refuse it
}
