package cert_test

import (
	"fmt"
	"log"
	"time"

	"github.com/goacp/unionpay/cert"
)

// A health check lists the certificates a merchant relies on and warns about those that expire
// within its margin: here UnionPay's real test certificates, the merchant's signing PFX, UnionPay's
// encryption certificate and a verifier that has validated one notification, checked on
// 2025-06-01 with a 120-day margin.
func ExampleExpiringBefore() {
	pfx, err := cert.LoadPFXFile(certDir+"unipayAppCert.pfx", "000000")
	if err != nil {
		log.Fatal(err)
	}
	enc, err := cert.LoadCertificateFile(certDir + "acp_test_enc.cer")
	if err != nil {
		log.Fatal(err)
	}
	encrypter, err := cert.NewEncrypter(enc)
	if err != nil {
		log.Fatal(err)
	}
	v := testEnvironmentVerifier() // UnionPay's test root and middle (see ExampleVerifier_Verify)
	if _, err := v.Verify(readCapture(notification)); err != nil {
		log.Fatal(err)
	}

	var all []cert.Expiry
	all = append(all, pfx.Expiries()...)
	all = append(all, encrypter.Expiries()...)
	all = append(all, v.Expiries()...) // root, middle, and UnionPay's newest signing certificate seen
	for _, e := range all {
		fmt.Println(e.Role, "|", e.CertID, e.Algorithm, "| expires", e.NotAfter.UTC().Format(time.DateOnly))
	}

	now := time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)
	for _, e := range cert.ExpiringBefore(all, now.Add(120*24*time.Hour)) {
		fmt.Println("warning:", e)
	}
	// Output:
	// signing (merchant) | 69903319369 RSA | expires 2026-11-26
	// encryption (UnionPay) | 69683525138 RSA | expires 2025-09-11
	// root | 387593676442880368392934 RSA | expires 2032-08-29
	// middle | 117191299423423768281798 RSA | expires 2031-05-11
	// UnionPay signing (newest seen) | 69678957876 RSA | expires 2025-07-31
	// warning: UnionPay signing (newest seen) RSA certId 69678957876 CN "041@8310000000083040@中国银联股份有限公司@00016495" valid 2020-07-31T01:19:16Z to 2025-07-31T01:19:16Z
	// warning: encryption (UnionPay) RSA certId 69683525138 CN "YCCA@测试使用@00040000:SIGN@1" valid 2020-09-11T02:43:26Z to 2025-09-11T02:43:26Z
}
