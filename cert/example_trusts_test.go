package cert_test

import (
	"fmt"
	"log"

	"github.com/goacp/unionpay/cert"
)

// Which of UnionPay's environments a Verifier was configured for: a start-up check that the
// certificates and the gateway URLs agree (unionpay.NewClient makes it for UnionPay's hosts).
func ExampleVerifier_Trusts() {
	root, err := cert.LoadCertificateFile(certDir + "acp_test_root.cer")
	if err != nil {
		log.Fatal(err)
	}
	middle, err := cert.LoadCertificateFile(certDir + "acp_test_middle.cer")
	if err != nil {
		log.Fatal(err)
	}
	v, err := cert.NewVerifier(cert.VerifierConfig{Root: root, Middle: middle, AcceptTestOwner: true})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("test environment:", v.Trusts(cert.IsTestEnvironment))
	fmt.Println("production:", v.Trusts(cert.IsProduction))
	// Output:
	// test environment: true
	// production: false
}
