//go:build !race

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

// TestAllocBudget pins the allocations Verifier.Verify adds to the RSA verification of a
// notification with a warm certificate cache (1 today; budget 3), so that a change allocating
// per field fails here rather than in a benchmark nobody reran. (Not under -race, whose
// sync.Pool drops items at random.)
func TestAllocBudget(t *testing.T) {
	ch := newTestChain(t, "Alloc", nil)
	v := ch.verifier(t, timeGenerated)
	f := ch.notification(t)
	if _, err := v.Verify(f); err != nil { // warm the cache
		t.Fatal(err)
	}
	c, err := sign.Canonical(f)
	if err != nil {
		t.Fatal(err)
	}
	h := sha256.Sum256(c)
	d := sha256.Sum256([]byte(hex.EncodeToString(h[:])))
	sig, err := base64.StdEncoding.DecodeString(f[sign.FieldSignature])
	if err != nil {
		t.Fatal(err)
	}
	pub := &ch.leaf.key.PublicKey
	sdk := testing.AllocsPerRun(100, func() {
		if _, err := v.Verify(f); err != nil {
			t.Fatal(err)
		}
	})
	raw := testing.AllocsPerRun(100, func() {
		if err := rsa.VerifyPKCS1v15(pub, crypto.SHA256, d[:], sig); err != nil {
			t.Fatal(err)
		}
	})
	if sdk-raw > 3 {
		t.Errorf("Verify: %v allocations, %v beyond raw RSA's %v; budget 3", sdk, sdk-raw, raw)
	}
}
