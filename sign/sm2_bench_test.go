package sign_test

import (
	"crypto/rand"
	"encoding/base64"
	"testing"

	"github.com/emmansun/gmsm/sm2"

	"github.com/goacp/unionpay/sign"
)

// BenchmarkSignSM2 compares signing a typical 5.1.0 consume request with
// signMethod 21 (string to sign, SM3 hex, SM3withSM2 with the certId as user
// ID, raw r||s, base64) with gmsm's bare SM2 signature of the same 64-byte
// hex text with the same user ID.
func BenchmarkSignSM2(b *testing.B) {
	key := newSM2Key(b)
	signer, err := sign.NewSM2Signer(key, sm2CertID)
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
	b.Run("raw-gmsm", func(b *testing.B) {
		b.ReportAllocs()
		msg := []byte("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")
		opts := sm2.NewSM2SignerOption(true, []byte(sm2CertID))
		for b.Loop() {
			if _, err := key.Sign(rand.Reader, msg, opts); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkVerifySM2 compares verifying a signed typical request (string to
// sign, SM3 hex, base64, SM2) with gmsm's bare verification of the same
// signature.
func BenchmarkVerifySM2(b *testing.B) {
	key := newSM2Key(b)
	signer, _ := sign.NewSM2Signer(key, sm2CertID)
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
			if err := sign.VerifySM2(&key.PublicKey, sm2CertID, c, f["signature"]); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("raw-gmsm", func(b *testing.B) {
		b.ReportAllocs()
		c, _ := sign.Canonical(f)
		msg := sm2HexText(c)
		raw, _ := base64.StdEncoding.DecodeString(f["signature"])
		r, s := newInt(raw[:32]), newInt(raw[32:])
		uid := []byte(sm2CertID)
		der, err := encodeRS(r, s)
		if err != nil {
			b.Fatal(err)
		}
		for b.Loop() {
			if !sm2.VerifyASN1WithSM2(&key.PublicKey, uid, msg, der) {
				b.Fatal("does not verify")
			}
		}
	})
}
