package sign_test

import (
	"crypto/rsa"
	"errors"
	"fmt"

	"github.com/goacp/unionpay/cert"
	"github.com/goacp/unionpay/sign"
)

// Signing with the merchant's RSA key (signMethod 01), here from UnionPay's public test .pfx
// file through cert.PFX.Signer, and checking the signature with the certificate's public key.
// A signature that does not match, here after the amount was altered, is an error matching
// ErrSignature.
func ExampleRSASigner() {
	pfx, err := cert.LoadPFXFile("../testdata/acp-test-certs/acp_test_sign.pfx", "000000")
	if err != nil {
		fmt.Println(err)
		return
	}
	signer, err := pfx.Signer() // sign.NewRSASigner(pfx.Key, pfx.CertID()), or an HSM's crypto.Signer
	if err != nil {
		fmt.Println(err)
		return
	}
	f := sign.Fields{"version": "5.1.0", "encoding": "UTF-8", "merId": "777290058110048",
		"orderId": "A0001", "txnAmt": "1999"}
	if err := sign.Sign(signer, f); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(f["signMethod"], f["certId"])

	pub, ok := pfx.Certificate.PublicKey.(*rsa.PublicKey)
	if !ok {
		fmt.Println("not an RSA certificate")
		return
	}
	c, err := sign.Canonical(f)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(sign.VerifyRSA(pub, f["version"], c, f["signature"]))

	f["txnAmt"] = "1"
	c, err = sign.Canonical(f)
	if err != nil {
		fmt.Println(err)
		return
	}
	err = sign.VerifyRSA(pub, f["version"], c, f["signature"])
	fmt.Println(errors.Is(err, sign.ErrSignature))
	// Output:
	// 01 69629715588
	// <nil>
	// true
}
