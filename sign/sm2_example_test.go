package sign_test

import (
	"crypto/rand"
	"fmt"

	"github.com/emmansun/gmsm/sm2"

	"github.com/goacp/unionpay/sign"
)

// Signing with an SM2 key (signMethod 21). The key would normally come from
// the merchant's CFCA .sm2 file (cert.LoadSM2File) or from an HSM; the
// certId is the decimal serial number of its certificate. SM2 signatures are
// randomised, so only their length and their verification are shown.
func ExampleSM2Signer() {
	key, _ := sm2.GenerateKey(rand.Reader)
	signer, _ := sign.NewSM2Signer(key, "69629716832")

	f := sign.Fields{"version": "5.1.0", "encoding": "UTF-8", "merId": "777290058110048", "orderId": "A0001"}
	_ = sign.Sign(signer, f)
	fmt.Println(f["signMethod"], f["certId"], len(f["signature"]))

	c, _ := sign.Canonical(f)
	fmt.Println(sign.VerifySM2(&key.PublicKey, "69629716832", c, f["signature"]))
	// Output:
	// 21 69629716832 88
	// <nil>
}
