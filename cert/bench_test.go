package cert

import (
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"testing"

	"github.com/goacp/unionpay/sign"
)

// BenchmarkVerifyNotification compares Verifier.Verify of a typical 5.1.0
// notification (signPubKeyCert from the warm cache, string to sign, digest,
// RSA) with bare rsa.VerifyPKCS1v15 of the same signature over the
// precomputed digest, in the same run. Target: verifier >= 0.85x the raw
// throughput. The chain is generated and the time injected, so the result
// does not depend on the test certificates' expiry.
func BenchmarkVerifyNotification(b *testing.B) {
	ch := newTestChain(b, "Bench", nil)
	v := ch.verifier(b, timeGenerated)
	f := ch.notification(b)
	if _, err := v.Verify(f); err != nil { // warm the cache
		b.Fatal(err)
	}
	b.Run("verifier", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := v.Verify(f); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("raw-rsa", func(b *testing.B) {
		canonical, err := sign.Canonical(f)
		if err != nil {
			b.Fatal(err)
		}
		h := sha256.Sum256(canonical)
		d := sha256.Sum256([]byte(hex.EncodeToString(h[:])))
		sig, err := base64.StdEncoding.DecodeString(f[sign.FieldSignature])
		if err != nil {
			b.Fatal(err)
		}
		pub := &ch.leaf.key.PublicKey
		b.ReportAllocs()
		for b.Loop() {
			if err := rsa.VerifyPKCS1v15(pub, crypto.SHA256, d[:], sig); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkVerifyColdCertificate measures Verify when signPubKeyCert is not
// cached (parse and chain walk every time), for comparison.
func BenchmarkVerifyColdCertificate(b *testing.B) {
	ch := newTestChain(b, "Bench", nil)
	f := ch.notification(b)
	b.ReportAllocs()
	for b.Loop() {
		v := ch.verifier(b, timeGenerated)
		if _, err := v.Verify(f); err != nil {
			b.Fatal(err)
		}
	}
}
