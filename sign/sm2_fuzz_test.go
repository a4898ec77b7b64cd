package sign_test

import (
	"encoding/base64"
	"errors"
	"testing"

	"github.com/emmansun/gmsm/sm2"

	"github.com/goacp/unionpay/sign"
)

// FuzzVerifySM2 checks that signature decoding never panics, that every
// rejection matches ErrSignature, and that only the one genuine signature of
// the seed message verifies.
func FuzzVerifySM2(f *testing.F) {
	key := newSM2Key(f)
	signer, err := sign.NewSM2Signer(key, sm2CertID)
	if err != nil {
		f.Fatal(err)
	}
	canonical := []byte("certId=69629716832&orderId=A1&signMethod=21&version=5.1.0")
	good, err := signer.Sign("5.1.0", canonical)
	if err != nil {
		f.Fatal(err)
	}
	raw, _ := base64.StdEncoding.DecodeString(good)
	f.Add(good, sm2CertID)
	f.Add(base64.StdEncoding.EncodeToString(raw[:63]), sm2CertID)
	f.Add(good+"=", sm2CertID)
	f.Add(good, "1234567812345678")
	f.Add(base64.StdEncoding.EncodeToString(make([]byte, 64)), sm2CertID)
	n := sm2.P256().Params().N.FillBytes(make([]byte, 32))
	f.Add(base64.StdEncoding.EncodeToString(append(n, n...)), sm2CertID)
	f.Fuzz(func(t *testing.T, signature, userID string) {
		err := sign.VerifySM2(&key.PublicKey, userID, canonical, signature)
		switch {
		case userID == "":
			if err == nil || errors.Is(err, sign.ErrSignature) {
				t.Fatalf("empty user ID: %v", err)
			}
		case err == nil:
			if userID != sm2CertID {
				t.Fatalf("verified under user ID %q", userID)
			}
			b, _ := base64.StdEncoding.DecodeString(signature)
			if len(b) != 64 {
				t.Fatalf("verified a signature of %d bytes", len(b))
			}
		case !errors.Is(err, sign.ErrSignature):
			t.Fatalf("rejection does not match ErrSignature: %v", err)
		}
	})
}
