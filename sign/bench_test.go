package sign_test

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/hex"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/goacp/unionpay/sign"
)

// typicalConsume is a 5.1.0 front consume request as a merchant sends it.
func typicalConsume() sign.Fields {
	return sign.Fields{
		"version": "5.1.0", "encoding": "UTF-8", "txnType": "01", "txnSubType": "01", "bizType": "000201",
		"channelType": "07", "accessType": "0", "merId": "777290058110048", "orderId": "20261125203000001",
		"txnTime": "20261125203000", "txnAmt": "1000", "currencyCode": "156",
		"frontUrl": "https://shop.example.com/unionpay/return", "backUrl": "https://shop.example.com/unionpay/notify",
		"payTimeout": "20261125204500", "reqReserved": "cart=42", "riskRateInfo": "{commodityName=测试商品}",
	}
}

// BenchmarkSignRSA compares signing a typical 5.1.0 consume request (string
// to sign, digest, RSA) with the bare RSA signature of the same digest.
func BenchmarkSignRSA(b *testing.B) {
	key, leaf := testKey(b, "acp_test_sign.pfx")
	signer, err := sign.NewRSASigner(key, leaf.SerialNumber.String())
	if err != nil {
		b.Fatal(err)
	}
	req := typicalConsume()
	b.Run("sdk", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			f := req.Clone()
			if err := sign.Sign(signer, f); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("raw-rsa", func(b *testing.B) {
		b.ReportAllocs()
		d := sha256.Sum256([]byte("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"))
		for b.Loop() {
			if _, err := rsa.SignPKCS1v15(rand.Reader, key, crypto.SHA256, d[:]); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkVerifyRSA compares verifying a signed typical request (string
// to sign, digest, RSA) with bare rsa.VerifyPKCS1v15 of the same signature.
func BenchmarkVerifyRSA(b *testing.B) {
	key, leaf := testKey(b, "acp_test_sign.pfx")
	signer, _ := sign.NewRSASigner(key, leaf.SerialNumber.String())
	f := typicalConsume()
	if err := sign.Sign(signer, f); err != nil {
		b.Fatal(err)
	}
	b.Run("sdk", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			c, err := sign.Canonical(f)
			if err != nil {
				b.Fatal(err)
			}
			if err := sign.VerifyRSA(&key.PublicKey, "5.1.0", c, f["signature"]); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("raw-rsa", func(b *testing.B) {
		b.ReportAllocs()
		c, _ := sign.Canonical(f)
		h := sha256.Sum256(c)
		d := sha256.Sum256([]byte(hex.EncodeToString(h[:])))
		sig, _ := decodeB64(f["signature"])
		for b.Loop() {
			if err := rsa.VerifyPKCS1v15(&key.PublicKey, crypto.SHA256, d[:], sig); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkParseRaw measures parsing a typical synchronous response.
func BenchmarkParseRaw(b *testing.B) {
	body := "accessType=0&bizType=000201&encoding=UTF-8&merId=777290058110048&orderId=20261125203000001" +
		"&queryId=762401051456118912458&respCode=00&respMsg=成功[0000000]&reserved={cardNumberLock=1}" +
		"&signMethod=01&signPubKeyCert=-----BEGIN CERTIFICATE-----\r\nMIIEQzCCAyugAwIBAgIFEDkwhTANBgkqhkiG9w0BAQsFADBYMQswCQYDVQQGEwJD\r\n-----END CERTIFICATE-----" +
		"&signature=abc&txnAmt=1000&txnSubType=00&txnTime=20261125203000&txnType=04&version=5.1.0"
	b.ReportAllocs()
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		if _, err := sign.ParseRaw(body); err != nil {
			b.Fatal(err)
		}
	}
}

// notificationBody is a 5.1.0 notification as UnionPay posts it: about
// 3 KB, most of it the percent-encoded signPubKeyCert.
func notificationBody(b *testing.B) string {
	b.Helper()
	cert, err := os.ReadFile("../testdata/acp-test-certs/unipayCertPublicKey.cer")
	if err != nil {
		b.Fatal(err)
	}
	f := typicalConsume()
	f["respCode"], f["respMsg"], f["queryId"] = "00", "成功[0000000]", "762401051456118912458"
	f["signPubKeyCert"] = strings.ReplaceAll(strings.TrimSpace(string(cert)), "\n", "\r\n")
	f["signature"] = strings.Repeat("AbC+/1234=", 34)
	body, err := sign.Encode(f)
	if err != nil {
		b.Fatal(err)
	}
	return body
}

// BenchmarkParseForm measures decoding a notification body, next to the
// standard library's url.ParseQuery of the same body. The variant that also
// builds the string to sign includes copying the body into a fresh buffer,
// as it decodes its argument in place.
func BenchmarkParseForm(b *testing.B) {
	body := notificationBody(b)
	b.Run("sdk", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(body)))
		for b.Loop() {
			if _, err := sign.ParseForm(body); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("sdk-canonical", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(body)))
		for b.Loop() {
			if _, _, err := sign.ParseFormCanonical([]byte(body), nil); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("url.ParseQuery", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(body)))
		for b.Loop() {
			if _, err := url.ParseQuery(body); err != nil {
				b.Fatal(err)
			}
		}
	})
}
