package sign_test

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/sign"
)

func TestSignVerifyRSANegative(t *testing.T) {
	t.Parallel()
	key, leaf := testKey(t, "acp_test_sign.pfx")
	signer, err := sign.NewRSASigner(key, leaf.SerialNumber.String())
	require.NoError(t, err)
	base := sign.Fields{"version": "5.1.0", "encoding": "UTF-8", "orderId": "A1", "txnAmt": "100"}
	require.NoError(t, sign.Sign(signer, base))
	canon := func(f sign.Fields) []byte {
		c, err := sign.Canonical(f)
		require.NoError(t, err)
		return c
	}
	other := base.Clone()
	other["orderId"] = "A2"
	require.NoError(t, sign.Sign(signer, other))

	tests := []struct {
		name   string
		mutate func(f sign.Fields)
	}{
		{"amount changed", func(f sign.Fields) { f["txnAmt"] = "101" }},
		{"field added", func(f sign.Fields) { f["extra"] = "1" }},
		{"field removed", func(f sign.Fields) { delete(f, "orderId") }},
		{"signature of another message", func(f sign.Fields) { f["signature"] = other["signature"] }},
		{"signature not base64", func(f sign.Fields) { f["signature"] = "!!!" }},
		{"signature empty", func(f sign.Fields) { f["signature"] = "" }},
		{"signature too long", func(f sign.Fields) { f["signature"] = string(make([]byte, 2000)) }},
		// Valid base64 longer than any RSA signature: it once overran a stack buffer and panicked.
		{"signature 800 base64 chars", func(f sign.Fields) { f["signature"] = strings.Repeat("A", 800) }},
		{"signature 684 base64 chars", func(f sign.Fields) { f["signature"] = strings.Repeat("A", 684) }},
		{"signature 4 KiB base64 chars", func(f sign.Fields) { f["signature"] = strings.Repeat("QUJD", 1024) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := base.Clone()
			tt.mutate(f)
			assert.ErrorIs(t, sign.VerifyRSA(&key.PublicKey, "5.1.0", canon(f), f["signature"]), sign.ErrSignature)
		})
	}
	assert.NoError(t, sign.VerifyRSA(&key.PublicKey, "5.1.0", canon(base), base["signature"]))
	assert.NotErrorIs(t, sign.VerifyRSA(&key.PublicKey, "6.0.0", canon(base), base["signature"]), sign.ErrSignature,
		"an unknown version is not a bad signature")
	assert.Error(t, sign.VerifyRSA(&key.PublicKey, "6.0.0", canon(base), base["signature"]))
}

func TestNewSignerErrors(t *testing.T) {
	t.Parallel()
	key, _ := testKey(t, "acp_test_sign.pfx")
	ec, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	tests := []struct {
		name string
		fn   func() error
	}{
		{"nil key", func() error { _, err := sign.NewRSASigner(nil, "1"); return err }},
		{"ecdsa key", func() error { _, err := sign.NewRSASigner(ec, "1"); return err }},
		{"empty certID", func() error { _, err := sign.NewRSASigner(key, ""); return err }},
		{"hex certID", func() error { _, err := sign.NewRSASigner(key, "3DC6"); return err }},
		{"secure key method 01", func() error { _, err := sign.NewSecureKeySigner("01", []byte("k")); return err }},
		{"empty secure key", func() error { _, err := sign.NewSecureKeySigner("11", nil); return err }},
		{"sign without version", func() error {
			s, _ := sign.NewSecureKeySigner("11", []byte("k"))
			return sign.Sign(s, sign.Fields{"a": "1"})
		}},
		{"sign with nil signer", func() error { return sign.Sign(nil, sign.Fields{"version": "5.1.0"}) }},
		{"rsa unknown version", func() error {
			s, _ := sign.NewRSASigner(key, "1")
			return sign.Sign(s, sign.Fields{"version": "9.9.9"})
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			assert.Error(t, tt.fn())
		})
	}
}

func TestSecureKeySignerDoesNotLeakKey(t *testing.T) {
	t.Parallel()
	s, err := sign.NewSecureKeySigner("12", []byte("88888888"))
	require.NoError(t, err)
	// The key's hash is all signing needs: it must not print either, by pointer, by value or
	// inside a struct (found in the fourth session's review: %+v of *s printed it).
	hexRun := regexp.MustCompile(`[0-9a-f]{32}`)
	holder := struct{ S sign.SecureKeySigner }{*s}
	for _, format := range []string{"%v", "%+v", "%#v", "%s"} {
		for _, v := range []any{s, *s, holder, &holder} {
			out := fmt.Sprintf(format, v)
			assert.NotContains(t, out, "88888888")
			assert.False(t, hexRun.MatchString(out), "a hash in %q", out)
			assert.Contains(t, out, "sign.SecureKeySigner(12)", "%s of %T", format, v)
		}
	}
}

// signerFunc is an HSM stand-in: any crypto.Signer works.
type hsm struct{ crypto.Signer }

func TestRSASignerAcceptsAnyCryptoSigner(t *testing.T) {
	t.Parallel()
	key, _ := testKey(t, "acp_test_sign.pfx")
	s, err := sign.NewRSASigner(hsm{key}, "69629715588")
	require.NoError(t, err)
	f := sign.Fields{"version": "5.1.0", "a": "1"}
	require.NoError(t, sign.Sign(s, f))
	c, err := sign.Canonical(f)
	require.NoError(t, err)
	assert.NoError(t, sign.VerifyRSA(s.Public(), "5.1.0", c, f["signature"]))
	assert.Equal(t, "01", f["signMethod"])
	assert.Equal(t, "69629715588", f["certId"])
}
