package sign_test

import (
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"strings"
	"testing"

	"github.com/emmansun/gmsm/sm3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/sign"
)

// The tests in this file pin checks that a mutation-testing review found
// no test depended on; the IDs in parentheses are that review's mutants.

// rsaSigned signs canonical with UnionPay's test signing key for version and checks that the
// signature verifies, returning the key, the signer and the signature.
func rsaSigned(t *testing.T, version string, canonical []byte) (*rsa.PrivateKey, *sign.RSASigner, string) {
	t.Helper()
	key, leaf := testKey(t, "acp_test_sign.pfx")
	signer, err := sign.NewRSASigner(key, leaf.SerialNumber.String())
	require.NoError(t, err)
	sig, err := signer.Sign(version, canonical)
	require.NoError(t, err)
	require.NoError(t, sign.VerifyRSA(&key.PublicKey, version, canonical, sig))
	return key, signer, sig
}

// A nil public key is an error, not a panic and not a bad signature, even
// with a well-formed signature that would reach the RSA layer (S02).
func TestVerifyRSANilKey(t *testing.T) {
	t.Parallel()
	canonical := []byte("orderId=A1&txnAmt=100&version=5.1.0")
	_, _, sig := rsaSigned(t, sign.Version510, canonical)

	for _, version := range []string{sign.Version510, sign.Version500} {
		t.Run(version, func(t *testing.T) {
			t.Parallel()
			var err error
			require.NotPanics(t, func() { err = sign.VerifyRSA((*rsa.PublicKey)(nil), version, canonical, sig) })
			require.Error(t, err)
			assert.NotErrorIs(t, err, sign.ErrSignature, "a nil key is a programming error, not a bad signature")
		})
	}
}

// A genuine signature followed by text beyond the longest signature
// VerifyRSA decodes is refused: it must not be cut to its first bytes
// (base64 decoding skips CR and LF, so the cut prefix would verify) (S03).
func TestVerifyRSARefusesOverlongSignature(t *testing.T) {
	t.Parallel()
	canonical := []byte("orderId=A1&txnAmt=100&version=5.1.0")
	key, _, sig := rsaSigned(t, sign.Version510, canonical)

	// 684 characters is the base64 of 512 bytes (RSA-4096), the most VerifyRSA reads.
	const maxChars = 684
	tests := []struct{ name, signature string }{
		{"LF padding to the limit, then text", sig + strings.Repeat("\n", maxChars-len(sig)) + "garbage"},
		{"CR LF padding past the limit, then base64", sig + strings.Repeat("\r\n", maxChars) + "AAAA"},
		{"one character past the limit", sig + strings.Repeat("\n", maxChars-len(sig)+1)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			assert.ErrorIs(t, sign.VerifyRSA(&key.PublicKey, sign.Version510, canonical, tt.signature), sign.ErrSignature)
		})
	}
}

// A message without a version has no RSA hash: it is not verified (or
// signed) as a legacy 5.0.0 message with SHA-1 (S43).
func TestRSAEmptyVersionRefused(t *testing.T) {
	t.Parallel()
	canonical := []byte("orderId=A1&txnAmt=100")
	key, signer, sha1Sig := rsaSigned(t, sign.Version500, canonical)

	err := sign.VerifyRSA(&key.PublicKey, "", canonical, sha1Sig)
	require.Error(t, err, "a SHA-1 signature verified for a message without a version")
	assert.NotErrorIs(t, err, sign.ErrSignature, "an unknown version is not a bad signature")

	_, err = signer.Sign("", canonical)
	assert.Error(t, err, "RSASigner signed for an empty version")
}

// secureKeySignature computes hex(SHA-256(canonical + "&" + hex(SHA-256(key))))
// directly, for any key, the empty one included (which NewSecureKeySigner
// refuses).
func secureKeySignature(canonical, key []byte) string {
	kh := sha256.Sum256(key)
	sum := sha256.Sum256([]byte(string(canonical) + "&" + hex.EncodeToString(kh[:])))
	return hex.EncodeToString(sum[:])
}

// VerifySecureKey compares the whole signature: an empty, truncated or
// extended one is refused; and an empty key refuses everything, even a
// signature made with the empty key (S06, S08).
func TestVerifySecureKeyStrict(t *testing.T) {
	t.Parallel()
	canonical := []byte("orderId=A1&txnAmt=100&version=5.1.0")
	key := []byte("88888888")
	good := secureKeySignature(canonical, key)
	s, err := sign.NewSecureKeySigner(sign.MethodSHA256Key, key)
	require.NoError(t, err)
	fromSigner, err := s.Sign(sign.Version510, canonical)
	require.NoError(t, err)
	require.Equal(t, good, fromSigner, "the test's formula is the signer's")
	require.NoError(t, sign.VerifySecureKey(sign.MethodSHA256Key, key, canonical, good))
	emptyKeySig := secureKeySignature(canonical, nil)

	tests := []struct {
		name      string
		key       []byte
		signature string
		badSig    bool // the error is a bad signature, not a configuration error
	}{
		{"empty signature", key, "", true},
		{"one hex digit", key, good[:1], true},
		{"half the signature", key, good[:32], true},
		{"63 of 64 hex digits", key, good[:63], true},
		{"one hex digit added", key, good + "0", true},
		{"uppercase", key, strings.ToUpper(good), true},
		{"nil key, signature made with the empty key", nil, emptyKeySig, false},
		{"empty key, signature made with the empty key", []byte{}, emptyKeySig, false},
		{"empty key, empty signature", []byte{}, "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := sign.VerifySecureKey(sign.MethodSHA256Key, tt.key, canonical, tt.signature)
			require.Error(t, err)
			if tt.badSig {
				assert.ErrorIs(t, err, sign.ErrSignature)
			}
		})
	}
	// SM3 (signMethod 12) refuses an empty key the same way.
	kh := sm3.Sum(nil)
	sum := sm3.Sum([]byte(string(canonical) + "&" + hex.EncodeToString(kh[:])))
	assert.Error(t, sign.VerifySecureKey(sign.MethodSM3Key, nil, canonical, hex.EncodeToString(sum[:])))
}

// The 88 characters of an SM2 signature must decode to exactly 64 bytes: a
// genuine r || s followed by one or two more bytes (88 characters with one
// '=' or none) is refused, not verified on its first 64 bytes (S13).
func TestVerifySM2ExactLength(t *testing.T) {
	t.Parallel()
	key := newSM2Key(t)
	signer, err := sign.NewSM2Signer(key, sm2CertID)
	require.NoError(t, err)
	canonical := []byte("orderId=A1&txnAmt=100&version=5.1.0")
	sig, err := signer.Sign(sign.Version510, canonical)
	require.NoError(t, err)
	require.NoError(t, sign.VerifySM2(&key.PublicKey, sm2CertID, canonical, sig))
	raw, err := base64.StdEncoding.DecodeString(sig)
	require.NoError(t, err)
	require.Len(t, raw, 64)

	tests := []struct {
		name  string
		extra []byte
	}{
		{"65 bytes", []byte{0}},
		{"66 bytes", []byte{0, 0}},
		{"66 bytes, not zero", []byte{0xff, 0x01}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			long := base64.StdEncoding.EncodeToString(append(append([]byte(nil), raw...), tt.extra...))
			require.Len(t, long, 88, "as long as a genuine signature")
			assert.ErrorIs(t, sign.VerifySM2(&key.PublicKey, sm2CertID, canonical, long), sign.ErrSignature)
		})
	}
}

// A trailing '&' is reported as such, at its own position. (Without the
// check the body is refused anyway, as a pair without '=' one byte further
// on; this pins the diagnosis.) (S26)
func TestParseRawTrailingAmpersand(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, body string
		pos        int
	}{
		{"after a value", "a=1&", 3},
		{"after an empty value", "a=&", 2},
		{"after a region", "a={x&y}&", 7},
		{"inside outer braces", "{a=1&b=2&}", 7},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f, err := sign.ParseRaw(tt.body)
			require.ErrorIs(t, err, sign.ErrMalformed)
			assert.Nil(t, f)
			var pe *sign.ParseError
			require.ErrorAs(t, err, &pe)
			assert.Equal(t, "trailing '&'", pe.Msg)
			assert.Equal(t, tt.pos, pe.Pos)
		})
	}
}

// Sign with a secure-key signer removes a certId left in the fields (from a
// template or an earlier RSA signing): the message sends none and the
// signature does not cover one (S42).
func TestSignSecureKeyDropsStaleCertID(t *testing.T) {
	t.Parallel()
	key := []byte("88888888")
	for _, method := range []string{sign.MethodSHA256Key, sign.MethodSM3Key} {
		t.Run(method, func(t *testing.T) {
			t.Parallel()
			s, err := sign.NewSecureKeySigner(method, key)
			require.NoError(t, err)
			f := sign.Fields{"version": sign.Version510, "orderId": "A1", "txnAmt": "100", sign.FieldCertID: "69629715588"}
			require.NoError(t, sign.Sign(s, f))
			assert.NotContains(t, f, sign.FieldCertID)
			assert.Equal(t, method, f[sign.FieldSignMethod])

			c, err := sign.Canonical(f)
			require.NoError(t, err)
			assert.NotContains(t, string(c), "certId=")
			require.NoError(t, sign.VerifySecureKey(method, key, c, f[sign.FieldSignature]))

			withID := f.Clone()
			withID[sign.FieldCertID] = "69629715588"
			cID, err := sign.Canonical(withID)
			require.NoError(t, err)
			assert.ErrorIs(t, sign.VerifySecureKey(method, key, cID, f[sign.FieldSignature]), sign.ErrSignature)
		})
	}
}
