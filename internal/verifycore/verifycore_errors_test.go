package verifycore

import (
	"crypto/rand"
	"encoding/base64"
	"strings"
	"testing"

	"github.com/emmansun/gmsm/sm2"
	"github.com/emmansun/gmsm/sm3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestSignatureErrors: a signature that is not what its method signs says why, after
// ErrSignature's text: one that is not base64 (or, for SM2, not of 64 bytes) is told apart from
// one that decodes but does not verify.
func TestSignatureErrors(t *testing.T) {
	t.Parallel()
	rsaKey, sm2Key := testKeys(t)
	const prefix = "sign: signature does not verify: "
	const notRSA, notSM2 = prefix + "signature is not base64 of an RSA signature",
		prefix + "SM2 signature is not base64 of 64 bytes (r || s)"
	b64 := base64.StdEncoding.EncodeToString
	m := Whole([]byte("a=1&b=2"))
	tests := []struct {
		name, method, signature, want string
	}{
		{"RSA not base64", "RSA", "!!!!", notRSA},
		{"RSA base64 then not", "RSA", b64(make([]byte, 128))[:168] + "!!!!", notRSA},
		{"RSA decodes, does not verify", "RSA", b64(make([]byte, 128)), prefix + "RSA (version 5.1.0)"},
		{"SM2 not base64", "SM2", strings.Repeat("!", 88), notSM2},
		{"SM2 88 characters of 66 bytes", "SM2", b64(make([]byte, 66)), notSM2},
		{"SM2 bad padding", "SM2", b64(make([]byte, 64))[:86] + "A=", notSM2},
		{"SM2 decodes, does not verify", "SM2", b64(append(make([]byte, 63), 1)), prefix + "SM2 (user ID 123)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var err error
			if tt.method == "RSA" {
				err = RSA(&rsaKey.PublicKey, "5.1.0", m, tt.signature)
			} else {
				err = SM2(&sm2Key.PublicKey, "123", m, tt.signature)
			}
			assert.ErrorIs(t, err, ErrSignature)
			assert.EqualError(t, err, tt.want)
		})
	}
}

// TestSM2RSForms: a genuine SM2 signature verifies whatever r and s are: shorter than 32 bytes
// (left-padded with zeros in r || s, about one signature in 128), whose zeros are left out of
// the ASN.1 INTEGER gmsm reads (it refuses one not minimally encoded), or with their high bit set
// (half of them), which the INTEGER gets a zero byte before (else it reads as negative).
func TestSM2RSForms(t *testing.T) {
	t.Parallel()
	_, key := testKeys(t)
	m := Whole([]byte("a=1&b=2"))
	var text [2 * sm3.Size]byte
	forms := []string{"short r", "short s", "high r", "high s"}
	found := map[string]bool{}
	for i := 0; i < 100000 && len(found) < len(forms); i++ {
		der, err := key.Sign(rand.Reader, SM2Text(m, &text), sm2.NewSM2SignerOption(true, []byte("123")))
		require.NoError(t, err)
		raw, r, s := rawSM2(t, der)
		for j, is := range []bool{len(r) < 32, len(s) < 32, raw[0]&0x80 != 0, raw[32]&0x80 != 0} {
			if is && !found[forms[j]] {
				found[forms[j]] = true
				assert.NoError(t, SM2(&key.PublicKey, "123", m, base64.StdEncoding.EncodeToString(raw[:])), forms[j])
			}
		}
	}
	assert.Len(t, found, len(forms), "signatures of every form found: %v", found)
}
