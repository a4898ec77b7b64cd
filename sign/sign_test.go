package sign_test

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"errors"
	"fmt"
	"log/slog"
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
	// Held in an unexported field, where fmt cannot call String, and through slog's handlers,
	// which print a struct with %+v or encode it as JSON (found by a docs review: the hash
	// printed there).
	type config struct {
		name   string
		signer sign.SecureKeySigner
	}
	hidden := config{name: "shop", signer: *s}
	var buf bytes.Buffer
	slog.New(slog.NewTextHandler(&buf, nil)).Info("start", "config", hidden, "signer", s)
	slog.New(slog.NewJSONHandler(&buf, nil)).Info("start", "config", hidden, "signer", s, "value", *s)
	for _, out := range []string{fmt.Sprintf("%v", hidden), fmt.Sprintf("%+v", hidden), fmt.Sprintf("%#v", hidden),
		buf.String()} {
		assert.NotContains(t, out, "88888888")
		assert.False(t, hexRun.MatchString(out), "a hash in %q", out)
	}
}

// hsm is an HSM stand-in: any crypto.Signer works.
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

// failing is a Signer whose signing fails.
type failing struct{ sign.Signer }

func (failing) Sign(string, []byte) (string, error) { return "", errors.New("HSM unavailable") }

// TestSignLeavesFieldsOnError: whatever fails, f is left as it was: signMethod, certId and
// signature untouched (an unknown encoding or a failing signer left the new signMethod and certId
// and no signature; found by a docs review).
func TestSignLeavesFieldsOnError(t *testing.T) {
	t.Parallel()
	key, _ := testKey(t, "acp_test_sign.pfx")
	rsaSigner, err := sign.NewRSASigner(key, "69629715588")
	require.NoError(t, err)
	base := sign.Fields{"version": "5.1.0", "a": "1", "signMethod": "11", "signature": "OLD"}
	for _, tt := range []struct {
		name   string
		s      sign.Signer
		change func(sign.Fields)
	}{
		{"failing signer", failing{rsaSigner}, nil},
		{"unknown encoding", rsaSigner, func(f sign.Fields) { f["encoding"] = "ISO-8859-1" }},
		{"not GBK", rsaSigner, func(f sign.Fields) { f["encoding"], f["name"] = "GBK", "😀" }},
		{"no hash for the version", rsaSigner, func(f sign.Fields) { f["version"] = "6.0.0" }},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := base.Clone()
			if tt.change != nil {
				tt.change(f)
			}
			want := f.Clone()
			require.Error(t, sign.Sign(tt.s, f))
			assert.Equal(t, want, f)
		})
	}
}
