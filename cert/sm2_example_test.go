package cert_test

import (
	"fmt"

	"github.com/goacp/unionpay/cert"
	"github.com/goacp/unionpay/sign"
)

// Loading the merchant's CFCA .sm2 signing file (here the test credential of
// UnionPay's gm SDK) and signing a request with signMethod 21.
func ExampleLoadSM2File() {
	cred, err := cert.LoadSM2File("../testdata/sm2/cfca_test.sm2", "cfca1234")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(cred.CertID(), cred.Certificate.Subject.CommonName)

	signer, _ := cred.Signer()
	f := sign.Fields{"version": "5.1.0", "encoding": "UTF-8", "merId": "777290058110048", "orderId": "A0001"}
	_ = sign.Sign(signer, f)
	fmt.Println(f["signMethod"], f["certId"], len(f["signature"]))

	_, err = cert.LoadSM2File("../testdata/sm2/cfca_test.sm2", "111111")
	fmt.Println(err)
	// Output:
	// 69629716832 041@Ztest@00010000:SIGN@00000001
	// 21 69629716832 88
	// cert: wrong .sm2 password: the key does not decrypt (file ../testdata/sm2/cfca_test.sm2)
}
