package sign_test

import (
	"crypto/rand"
	"encoding/base64"
	"slices"
	"testing"
	"time"

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

// BenchmarkSM2Ratio interleaves, operation by operation, signMethod 21
// signing and verification of the typical request with the bare gmsm calls
// they wrap (SM3withSM2 over the 64-byte hex text with the certId as user
// ID), and reports the ratios of their median times: robust on a shared,
// loaded machine where separate benchmarks drift apart.
func BenchmarkSM2Ratio(b *testing.B) {
	key := newSM2Key(b)
	signer, err := sign.NewSM2Signer(key, sm2CertID)
	if err != nil {
		b.Fatal(err)
	}
	req := typicalConsume()
	signed := req.Clone()
	if err := sign.Sign(signer, signed); err != nil {
		b.Fatal(err)
	}
	canonical, err := sign.Canonical(signed)
	if err != nil {
		b.Fatal(err)
	}
	msg := sm2HexText(canonical)
	uid := []byte(sm2CertID)
	opts := sm2.NewSM2SignerOption(true, uid)
	der, err := key.Sign(rand.Reader, msg, opts)
	if err != nil {
		b.Fatal(err)
	}
	ops := []func() error{
		func() error { return sign.Sign(signer, req.Clone()) },
		func() error { _, err := key.Sign(rand.Reader, msg, opts); return err },
		func() error {
			c, err := sign.Canonical(signed)
			if err != nil {
				return err
			}
			return sign.VerifySM2(&key.PublicKey, sm2CertID, c, signed["signature"])
		},
		func() error {
			if !sm2.VerifyASN1WithSM2(&key.PublicKey, uid, msg, der) {
				return sign.ErrSignature
			}
			return nil
		},
	}
	times := make([][]time.Duration, len(ops))
	i := 0
	for b.Loop() {
		for j := range ops { // rotate the order
			k := (i + j) % len(ops)
			start := time.Now()
			if err := ops[k](); err != nil {
				b.Fatal(err)
			}
			times[k] = append(times[k], time.Since(start))
		}
		i++
	}
	m := make([]float64, len(ops))
	for k, d := range times {
		slices.Sort(d)
		m[k] = float64(d[len(d)/2])
	}
	b.ReportMetric(m[0]/m[1], "sign-ratio")
	b.ReportMetric(m[2]/m[3], "verify-ratio")
	b.ReportMetric(m[0], "sign-ns")
	b.ReportMetric(m[1], "raw-sign-ns")
	b.ReportMetric(m[2], "verify-ns")
	b.ReportMetric(m[3], "raw-verify-ns")
}
