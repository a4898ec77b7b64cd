//go:build !race

package sign_test

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/hex"
	"testing"

	"github.com/goacp/unionpay/sign"
)

// TestAllocBudget pins the allocations the SDK adds to the RSA operation it cannot avoid, so that
// a change that allocates per field or per byte fails here rather than in a benchmark nobody
// reran. The budgets leave a little room over today's counts (signing 7 beyond raw RSA's, the
// request's copy included; verifying 1); timing is left to the benchmarks. (Not under -race,
// whose sync.Pool drops items at random.)
func TestAllocBudget(t *testing.T) {
	key, leaf := testKey(t, "acp_test_sign.pfx")
	signer, err := sign.NewRSASigner(key, leaf.SerialNumber.String())
	if err != nil {
		t.Fatal(err)
	}
	req := typicalConsume()
	signed := req.Clone()
	if err := sign.Sign(signer, signed); err != nil {
		t.Fatal(err)
	}
	c, err := sign.Canonical(signed)
	if err != nil {
		t.Fatal(err)
	}
	h := sha256.Sum256(c)
	d := sha256.Sum256([]byte(hex.EncodeToString(h[:])))
	sig, err := decodeB64(signed["signature"])
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		sdk, raw func()
		runs     int
		budget   float64
	}{
		{"sign a consume request", func() {
			if err := sign.Sign(signer, req.Clone()); err != nil {
				t.Fatal(err)
			}
		}, func() {
			if _, err := rsa.SignPKCS1v15(rand.Reader, key, crypto.SHA256, d[:]); err != nil {
				t.Fatal(err)
			}
		}, 10, 10},
		{"verify it", func() {
			c, err := sign.Canonical(signed)
			if err != nil {
				t.Fatal(err)
			}
			if err := sign.VerifyRSA(&key.PublicKey, "5.1.0", c, signed["signature"]); err != nil {
				t.Fatal(err)
			}
		}, func() {
			if err := rsa.VerifyPKCS1v15(&key.PublicKey, crypto.SHA256, d[:], sig); err != nil {
				t.Fatal(err)
			}
		}, 100, 3},
	}
	for _, tt := range tests {
		sdk, raw := testing.AllocsPerRun(tt.runs, tt.sdk), testing.AllocsPerRun(tt.runs, tt.raw)
		t.Logf("%s: sdk %v raw %v", tt.name, sdk, raw)
		if sdk-raw > tt.budget {
			t.Errorf("%s: %v allocations, %v beyond raw RSA's %v; budget %v", tt.name, sdk, sdk-raw, raw, tt.budget)
		}
	}
}
