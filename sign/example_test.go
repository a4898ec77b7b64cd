package sign_test

import (
	"fmt"

	"github.com/goacp/unionpay/sign"
)

// The string to sign leaves out "signature" and sorts keys in byte order.
func ExampleCanonical() {
	f := sign.Fields{"version": "5.1.0", "txnAmt": "1000", "accessType": "0", "accNo": "x", "signature": "..."}
	c, _ := sign.Canonical(f)
	fmt.Println(string(c))
	// Output: accNo=x&accessType=0&txnAmt=1000&version=5.1.0
}

// Synchronous responses are not URL-encoded; braces and brackets protect '&'.
func ExampleParseRaw() {
	f, _ := sign.ParseRaw("respCode=00&respMsg=成功[0000000]&reserved={cardNumberLock=1&x=y}")
	fmt.Println(f["respMsg"], f["reserved"])
	// Output: 成功[0000000] {cardNumberLock=1&x=y}
}

// Signing with the test environment's secure key (signMethod 11): the
// signature is hex(SHA-256(string to sign + "&" + hex(SHA-256(key)))), here
// e5841830...; Python's hashlib gives the same from the same string.
func ExampleSecureKeySigner() {
	s, err := sign.NewSecureKeySigner(sign.MethodSHA256Key, []byte("88888888"))
	if err != nil {
		fmt.Println(err)
		return
	}
	f := sign.Fields{"version": "5.1.0", "merId": "777290058110048", "orderId": "A0001"}
	if err := sign.Sign(s, f); err != nil {
		fmt.Println(err)
		return
	}
	c, err := sign.Canonical(f)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(string(c))
	fmt.Println(f["signMethod"], f["signature"])
	fmt.Println(sign.VerifySecureKey(sign.MethodSHA256Key, []byte("88888888"), c, f["signature"]))
	// Output:
	// merId=777290058110048&orderId=A0001&signMethod=11&version=5.1.0
	// 11 e5841830385c146f032cc9d24f707a07c9773470a42d93d09c6fe0fde2f1ca17
	// <nil>
}

// A notification body is decoded where it lies, and its string to sign is
// built from the decoded pairs: empty fields and the signature left out,
// keys sorted.
func ExampleParseFormCanonical() {
	body := []byte("txnAmt=1000&respMsg=%E6%88%90%E5%8A%9F&reqReserved=&signature=c2ln&orderId=A%2B1")
	f, canonical, err := sign.ParseFormCanonical(body, nil) // decodes body in place
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(len(f), f["orderId"], f["respMsg"])
	fmt.Println(string(canonical))
	// Output:
	// 4 A+1 成功
	// orderId=A+1&respMsg=成功&txnAmt=1000
}

// A client can refuse an unusable Signer when it is configured, rather than
// at the first request: here the nil *RSASigner that a constructor returns
// with its error, stored in a sign.Signer.
func ExampleCheckSigner() {
	s, _ := sign.NewRSASigner(nil, "69629715588")
	var signer sign.Signer = s // a nil *RSASigner in the interface, which is not nil itself
	fmt.Println(sign.CheckSigner(signer))
	// Output:
	// sign: RSASigner is not initialised: use NewRSASigner
}
