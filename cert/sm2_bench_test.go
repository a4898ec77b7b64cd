package cert

import (
	"encoding/base64"
	"encoding/hex"
	"math/big"
	"slices"
	"testing"
	"time"

	"github.com/emmansun/gmsm/sm2"
	"github.com/emmansun/gmsm/sm3"

	"github.com/goacp/unionpay/sign"
)

// BenchmarkVerifySM2Notification interleaves Verifier.Verify of a 5.1.0
// signMethod 21 notification (signPubKeyCert validated once, then cached)
// with gmsm's bare SM2 verification of the same signature, and with the
// Verifier on the equivalent RSA notification, reporting median ratios.
func BenchmarkVerifySM2Notification(b *testing.B) {
	ch := newSM2TestChain(b, "Bench", nil)
	v, err := NewVerifier(VerifierConfig{SM2Root: ch.root.cert, SM2Middle: ch.middle.cert, Now: fixedNow(sm2TestNow)})
	if err != nil {
		b.Fatal(err)
	}
	f := sm2Response(b, ch.leaf, sign.Version510)
	if _, err := v.Verify(f); err != nil { // warm the cache
		b.Fatal(err)
	}
	rsaChain := newTestChain(b, "Bench", nil)
	rv := rsaChain.verifier(b, timeGenerated)
	rf := rsaChain.notification(b)
	if _, err := rv.Verify(rf); err != nil {
		b.Fatal(err)
	}
	canonical, err := sign.Canonical(f)
	if err != nil {
		b.Fatal(err)
	}
	sum := sm3.Sum(canonical)
	msg := []byte(hex.EncodeToString(sum[:]))
	raw, err := base64.StdEncoding.DecodeString(f[sign.FieldSignature])
	if err != nil {
		b.Fatal(err)
	}
	pub, uid := sm2PublicKey(ch.leaf.cert), []byte(CertID(ch.leaf.cert))
	r, s := new(big.Int).SetBytes(raw[:32]), new(big.Int).SetBytes(raw[32:])

	ops := []func() error{
		func() error { _, err := v.Verify(f); return err },
		func() error {
			if !sm2.VerifyWithSM2(pub, uid, msg, r, s) {
				return sign.ErrSignature
			}
			return nil
		},
		func() error { _, err := rv.Verify(rf); return err },
	}
	times := make([][]time.Duration, len(ops))
	i := 0
	for b.Loop() {
		for j := range ops {
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
	b.ReportMetric(m[0]/m[1], "sm2/raw-gmsm")
	b.ReportMetric(m[0]/m[2], "sm2/rsa-verifier")
	b.ReportMetric(m[0], "sm2-verifier-ns")
	b.ReportMetric(m[1], "raw-gmsm-ns")
	b.ReportMetric(m[2], "rsa-verifier-ns")
}
