package verifycore

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"strings"
	"testing"

	"github.com/emmansun/gmsm/sm2"
	"github.com/emmansun/gmsm/sm3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestDigestAsWhole: each check gives the same answer, error text included, for a string to sign
// held whole and for its digest: a genuine signature, one of another message, one altered, not
// base64, too long or empty, and the errors that are not ErrSignature (a nil key, a version
// without RSA, an empty user ID), in the same order.
func TestDigestAsWhole(t *testing.T) {
	t.Parallel()
	rsaKey, sm2Key := testKeys(t)
	canonical := []byte("bizType=000201&orderId=ORDER0001&respMsg=成功[0000000]&txnAmt=100&version=5.1.0")
	other := append([]byte(nil), canonical...)
	other[len(other)-1] = '1'
	sum256, sum1, sumSM3 := sha256.Sum256(canonical), sha1.Sum(canonical), sm3.Sum(canonical)

	rsaSig := func(h crypto.Hash) string {
		var d [sha256.Size]byte
		sig, err := rsa.SignPKCS1v15(rand.Reader, rsaKey, h, RSADigest(h, Whole(canonical), &d))
		require.NoError(t, err)
		return base64.StdEncoding.EncodeToString(sig)
	}
	var text [2 * sm3.Size]byte
	der, err := sm2Key.Sign(rand.Reader, SM2Text(Whole(canonical), &text), sm2.NewSM2SignerOption(true, []byte("123")))
	require.NoError(t, err)
	raw, _, _ := rawSM2(t, der)
	sm2Sig := base64.StdEncoding.EncodeToString(raw[:])
	sigs := map[string]string{"RSA 5.1.0": rsaSig(crypto.SHA256), "RSA 5.0.0": rsaSig(crypto.SHA1), "SM2": sm2Sig}

	type check func(m Message, signature string) error
	rsaCheck := func(pub *rsa.PublicKey, version string) check {
		return func(m Message, signature string) error { return RSA(pub, version, m, signature) }
	}
	sm2Check := func(userID string) check {
		return func(m Message, signature string) error { return SM2(&sm2Key.PublicKey, userID, m, signature) }
	}
	tests := []struct {
		name   string
		check  check
		sum    []byte
		sig    string
		wantOK bool
	}{
		{"RSA 5.1.0", rsaCheck(&rsaKey.PublicKey, "5.1.0"), sum256[:], sigs["RSA 5.1.0"], true},
		{"RSA 5.0.0", rsaCheck(&rsaKey.PublicKey, "5.0.0"), sum1[:], sigs["RSA 5.0.0"], true},
		{"RSA 1.0.0", rsaCheck(&rsaKey.PublicKey, "1.0.0"), sum1[:], sigs["RSA 5.0.0"], true},
		{"RSA 5.1.0 with 5.0.0's signature", rsaCheck(&rsaKey.PublicKey, "5.1.0"), sum256[:], sigs["RSA 5.0.0"], false},
		{"RSA nil key", rsaCheck(nil, "9.9.9"), nil, "!", false},
		{"RSA no such version", rsaCheck(&rsaKey.PublicKey, "9.9.9"), nil, "!", false},
		{"SM2", sm2Check("123"), sumSM3[:], sm2Sig, true},
		{"SM2 another user ID", sm2Check("124"), sumSM3[:], sm2Sig, false},
		{"SM2 empty user ID", sm2Check(""), sumSM3[:], "!", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			mid, alt := len(tt.sig)/2, "A"
			if tt.sig[mid:mid+1] == alt { // an altered signature must differ (one in 64 has an A there)
				alt = "B"
			}
			sigs := []string{tt.sig, tt.sig[:mid] + alt + tt.sig[mid+1:], "!!!!" + tt.sig[min(4, len(tt.sig)):],
				strings.Repeat("QUJD", 200), ""}
			for i, sig := range sigs {
				whole, digest := tt.check(Whole(canonical), sig), tt.check(Digest(tt.sum), sig)
				if i == 0 && tt.wantOK {
					assert.NoError(t, whole)
					assert.NoError(t, digest)
					assert.ErrorIs(t, tt.check(Whole(other), sig), ErrSignature, "another message")
					continue
				}
				require.Error(t, whole, "signature %d", i)
				require.Error(t, digest, "signature %d", i)
				assert.Equal(t, whole.Error(), digest.Error(), "signature %d", i)
				assert.Equal(t, errors.Is(whole, ErrSignature), errors.Is(digest, ErrSignature), "signature %d", i)
			}
		})
	}
}

// TestSecureKey: a key verifies its own signature, written into the hash whole or in pieces,
// and refuses another message's, an uppercase or truncated one with ErrSignature; a method
// other than 11 and 12, an empty key and a key not ASCII are refused, in that order.
func TestSecureKey(t *testing.T) {
	t.Parallel()
	for _, method := range []string{"11", "12"} {
		k, err := NewSecureKey(method, []byte("88888888"))
		require.NoError(t, err)
		assert.Equal(t, method, k.Method())
		h := k.New()
		h.Write([]byte("a=1&b=2"))
		sig := k.Sum(h)
		for _, pieces := range [][]string{{"a=1&b=2"}, {"a=1", "&", "b=2"}} {
			h := k.New()
			for _, p := range pieces {
				h.Write([]byte(p))
			}
			assert.NoError(t, k.Verify(h, sig), "%s %q", method, pieces)
		}
		for _, bad := range []struct{ msg, sig string }{{"a=1&b=3", sig}, {"a=1&b=2", strings.ToUpper(sig)}, {"a=1&b=2", sig[:len(sig)-2]}} {
			h := k.New()
			h.Write([]byte(bad.msg))
			err := k.Verify(h, bad.sig)
			assert.ErrorIs(t, err, ErrSignature)
			assert.EqualError(t, err, "sign: signature does not verify: secure key (signMethod "+method+")")
		}
	}
	for _, tt := range []struct{ method, key, want string }{
		{"01", "", `sign: signMethod "01" is not a secure-key method`},
		{"11", "", "sign: secure key is empty"},
		{"12", "密钥", "sign: secure key is not ASCII"},
	} {
		_, err := NewSecureKey(tt.method, []byte(tt.key))
		require.Error(t, err)
		assert.Contains(t, err.Error(), tt.want)
		assert.NotErrorIs(t, err, ErrSignature)
	}
}
