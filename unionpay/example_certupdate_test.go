package unionpay_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/goacp/unionpay/unionpay"
	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

// UnionPay renews its encryption certificate from time to time; UpdateEncryptionCertificate
// (txnType 95, once a day as UnionPay recommends) fetches the current one, validates it against
// Config.Verifier's chain and swaps it in when its serial differs from the one in use. A
// certificate refused (not of UnionPay's chain, of another owner or algorithm) is never taken:
// the one in use stays in use.
func ExampleClient_UpdateEncryptionCertificate() {
	srv := unionpaytest.NewServer(unionpaytest.WithClock(exampleNow))
	defer srv.Close()
	c, err := unionpay.NewClient(srv.Config())
	if err != nil {
		fmt.Println(err)
		return
	}
	ctx := context.Background()
	update := func() {
		before := c.Encrypter().CertID()
		updated, err := c.UpdateEncryptionCertificate(ctx)
		var ce *unionpay.ConfigError
		switch {
		case errors.As(err, &ce): // nothing sent: give Config.Verifier the chain (Root and Middle, or SM2Root and SM2Middle)
			fmt.Println(err)
		case err != nil: // the certificate in use stays in use: try again later; alert if it keeps failing
			fmt.Println(err)
		case updated: // card data is now encrypted for the new certificate: log its certId
			fmt.Println("updated:", c.Encrypter().CertID() != before)
		default: // the one in use is current
			fmt.Println("current")
		}
	}
	update()
	if err := srv.RotateEncryptionCert(); err != nil { // UnionPay renews its certificate
		fmt.Println(err)
		return
	}
	update()
	update()
	// Output:
	// current
	// updated: true
	// current
}
