package cert_test

import (
	"errors"
	"fmt"
	"log"
	"os"
	"strings"
	"time"

	"github.com/goacp/unionpay/cert"
	"github.com/goacp/unionpay/sign"
)

// UnionPay's public test certificates and a captured test-environment
// notification, shipped with the repository.
const (
	certDir      = "../testdata/acp-test-certs/"
	notification = "../testdata/cert-captures/notification-2022-09-08.kv"
)

func ExampleLoadPFXFile() {
	pfx, err := cert.LoadPFXFile(certDir+"acp_test_sign.pfx", "000000")
	if err != nil {
		log.Fatal(err)
	}
	signer, err := pfx.Signer()
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("certId:", pfx.CertID(), signer.CertID())

	_, err = cert.LoadPFXFile(certDir+"acp_test_sign.pfx", "wrong")
	fmt.Println("wrong password:", errors.Is(err, cert.ErrPassword))
	// Output:
	// certId: 69629715588 69629715588
	// wrong password: true
}

func ExampleVerifier_Verify() {
	v := testEnvironmentVerifier() // UnionPay's test root and middle, see below
	f := readCapture(notification) // a real notification, fields as received
	signed, err := v.Verify(f)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(signed.Method, signed.Version, signed.CertID)

	f["txnAmt"] = "100"
	_, err = v.Verify(f)
	fmt.Println("tampered:", errors.Is(err, sign.ErrSignature))

	f["version"] = "5.0.0" // ask for the legacy method, which is not configured
	_, err = v.Verify(f)
	fmt.Println("downgrade:", errors.Is(err, cert.ErrMethod))
	// Output:
	// 01 5.1.0 69678957876
	// tampered: true
	// downgrade: true
}

// A notification arrives as a form body: VerifyForm decodes and verifies
// it in one step, and returns its fields only if they verify.
func ExampleVerifier_VerifyForm() {
	v := testEnvironmentVerifier()
	// The captured notification, encoded as UnionPay posts it to backUrl.
	body, err := sign.Encode(readCapture(notification))
	if err != nil {
		log.Fatal(err)
	}

	f, signed, err := v.VerifyForm([]byte(body)) // decodes its argument in place
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(signed.CertID, f["orderId"], f["txnAmt"], f["respCode"])

	tampered := strings.Replace(body, "txnAmt=1&", "txnAmt=100&", 1)
	f, _, err = v.VerifyForm([]byte(tampered))
	fmt.Println("tampered:", errors.Is(err, sign.ErrSignature), f == nil)
	// Output:
	// 69678957876 yansongda20220908132206 1 00
	// tampered: true true
}

func ExampleVerifier_ValidateCertificate() {
	root, _ := cert.LoadCertificateFile(certDir + "acp_test_root.cer")
	middle, _ := cert.LoadCertificateFile(certDir + "acp_test_middle.cer")
	leaf, err := cert.LoadCertificateFile(certDir + "unipayCertPublicKey.cer")
	if err != nil {
		log.Fatal(err)
	}
	for _, day := range []time.Time{
		time.Date(2024, 1, 5, 0, 0, 0, 0, time.UTC),
		time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC),
	} {
		v, err := cert.NewVerifier(cert.VerifierConfig{Root: root, Middle: middle,
			Now: func() time.Time { return day }})
		if err != nil {
			log.Fatal(err)
		}
		err = v.ValidateCertificate(leaf)
		var invalid *cert.InvalidError
		switch {
		case err == nil:
			fmt.Println(day.Format(time.DateOnly), "valid")
		case errors.As(err, &invalid):
			fmt.Println(day.Format(time.DateOnly), invalid.Reason)
		default:
			log.Fatal(err)
		}
	}
	// Output:
	// 2024-01-05 valid
	// 2026-11-25 expired
}

func ExampleDecrypter_Decrypt() {
	pfx, err := cert.LoadPFXFile(certDir+"unipayAppCert.pfx", "000000")
	if err != nil {
		log.Fatal(err)
	}
	d, err := pfx.Decrypter()
	if err != nil {
		log.Fatal(err)
	}
	accNo, err := d.Decrypt(readCapture(notification)["accNo"])
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(accNo)
	// Output: 6216***********0018
}

func ExamplePINBlock() {
	block, err := cert.PINBlock("123456", "6216261000000000018")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%x\n", block)

	_, err = cert.PINBlock("12", "6216261000000000018")
	fmt.Println(err)
	// Output:
	// 06122456fffffffe
	// cert: invalid pin: must be 4 to 12 digits
}

func ExampleEncrypter_CustomerInfo() {
	// In production the Encrypter holds UnionPay's encryption certificate
	// (acp_prod_enc.cer). Here it holds the merchant's own test certificate
	// so that the result can be decrypted and shown.
	pfx, err := cert.LoadPFXFile(certDir+"unipayAppCert.pfx", "000000")
	if err != nil {
		log.Fatal(err)
	}
	e, err := cert.NewEncrypter(pfx.Certificate)
	if err != nil {
		log.Fatal(err)
	}
	info, err := e.CustomerInfo([]cert.Pair{
		{Key: "certifTp", Value: "01"},
		{Key: "certifId", Value: "341126197709218366"},
		{Key: "customerNm", Value: "全渠道"},
		{Key: "phoneNo", Value: "13552535506"},
		{Key: "cvn2", Value: "123"},
		{Key: "expired", Value: "2712"},
	}, "", true)
	if err != nil {
		log.Fatal(err)
	}
	d, err := pfx.Decrypter()
	if err != nil {
		log.Fatal(err)
	}
	pairs, err := cert.ParseCustomerInfo(info, d)
	if err != nil {
		log.Fatal(err)
	}
	for _, p := range pairs {
		fmt.Printf("%s=%s\n", p.Key, p.Value)
	}
	// Output:
	// certifId=341126197709218366
	// certifTp=01
	// customerNm=全渠道
	// cvn2=123
	// expired=2712
	// phoneNo=13552535506
}

// testEnvironmentVerifier returns a Verifier trusting UnionPay's test root
// and middle certificates for 5.1.0 RSA messages.
func testEnvironmentVerifier() *cert.Verifier {
	root, err := cert.LoadCertificateFile(certDir + "acp_test_root.cer")
	if err != nil {
		log.Fatal(err)
	}
	middle, err := cert.LoadCertificateFile(certDir + "acp_test_middle.cer")
	if err != nil {
		log.Fatal(err)
	}
	v, err := cert.NewVerifier(cert.VerifierConfig{
		Root:   root,
		Middle: middle,
		// UnionPay's test signing certificate expired in 2025: check at a
		// time when it was valid. Production code leaves Now nil.
		Now: func() time.Time { return time.Date(2024, 1, 5, 0, 0, 0, 0, time.UTC) },
	})
	if err != nil {
		log.Fatal(err)
	}
	return v
}

// readCapture reads a message stored one key=value per line with \r and \n
// escaped, as the repository's test vectors are.
func readCapture(path string) sign.Fields {
	data, err := os.ReadFile(path)
	if err != nil {
		log.Fatal(err)
	}
	unescape := strings.NewReplacer(`\r`, "\r", `\n`, "\n", `\t`, "\t", `\\`, `\`)
	f := sign.Fields{}
	for line := range strings.SplitSeq(strings.TrimSpace(string(data)), "\n") {
		k, v, _ := strings.Cut(line, "=")
		f[k] = unescape.Replace(v)
	}
	return f
}

// An Encrypter or Decrypter not made by its constructor is refused up front
// by Check, and by each of its methods.
func ExampleEncrypter_Check() {
	var e cert.Encrypter
	fmt.Println(e.Check())
	_, err := e.Encrypt("6216261000000000018")
	fmt.Println(err)
	var d *cert.Decrypter
	fmt.Println(d.Check())
	// Output:
	// cert: Encrypter is not initialised: use NewEncrypter
	// cert: Encrypter is not initialised: use NewEncrypter
	// cert: Decrypter is not initialised: use NewDecrypter
}

// A merchant number without UnionPay's permission to encrypt sensitive data
// sends customerInfo in clear (no PIN): no Encrypter is needed.
func ExamplePlainCustomerInfo() {
	info, err := cert.PlainCustomerInfo([]cert.Pair{{Key: "certifTp", Value: "01"}, {Key: "customerNm", Value: "互联网"}})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(info)
	// Output:
	// e2NlcnRpZlRwPTAxJmN1c3RvbWVyTm095LqS6IGU572RfQ==
}

// In a GBK message customerInfo is GBK too; ParseCustomerInfoCharset
// returns it in UTF-8.
func ExampleParseCustomerInfoCharset() {
	const gbkInfo = "e2N1c3RvbWVyTm09u6XBqs34fQ==" // base64 of {customerNm=互联网} in GBK
	pairs, err := cert.ParseCustomerInfoCharset(gbkInfo, sign.CharsetGBK, nil)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(pairs[0].Key, pairs[0].Value) // a Pair prints its value masked: read Value
	// Output:
	// customerNm 互联网
}

// A Verifier must come from NewVerifier; Check says so of one that does not,
// before anything is sent.
func ExampleVerifier_Check() {
	var v cert.Verifier
	fmt.Println(v.Check())
	// Output:
	// cert: signature method not accepted: Verifier is not initialised: use NewVerifier
}
