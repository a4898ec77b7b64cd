package cert

import (
	"crypto/x509"

	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/sign"
)

// A signMethod 01 message without a version is not verified as a legacy
// 5.0.0 message (SHA-1, certificate looked up by certId), even when a
// configured legacy certificate signed it with SHA-1: Verify refuses it with
// ErrMethod, and so does the RSA layer below Accepts on its own, so that the
// refusal does not rest on Accepts alone. C40 of the mutation review (S43 is
// its sign counterpart).
func TestNoVersionNotLegacy(t *testing.T) {
	t.Parallel()
	ch := newTestChain(t, "NoVersion", nil)
	v, err := NewVerifier(VerifierConfig{LegacyCerts: []*x509.Certificate{ch.leaf.cert}, Now: fixedNow(timeGenerated)})
	require.NoError(t, err)

	f := ch.notification(t)
	delete(f, FieldSignPubKeyCert)
	delete(f, sign.FieldSignature)
	f[sign.FieldCertID] = CertID(ch.leaf.cert)
	sha1Signed := func(f sign.Fields) sign.Fields {
		canonical, err := sign.Canonical(f)
		require.NoError(t, err)
		sig, err := mustSigner(t, ch.leaf).Sign(sign.Version500, canonical)
		require.NoError(t, err)
		g := f.Clone()
		g[sign.FieldSignature] = sig
		return g
	}
	withVersion := f.Clone()
	withVersion[sign.FieldVersion] = sign.Version500
	_, err = v.Verify(sha1Signed(withVersion))
	require.NoError(t, err, "the same message with version 5.0.0 verifies")

	noVersion := f.Clone()
	delete(noVersion, sign.FieldVersion)
	emptyVersion := f.Clone()
	emptyVersion[sign.FieldVersion] = ""
	for name, g := range map[string]sign.Fields{"no version": sha1Signed(noVersion), "empty version": sha1Signed(emptyVersion)} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			signed, err := v.Verify(g)
			require.ErrorIs(t, err, ErrMethod)
			assert.Nil(t, signed)

			signed, err = v.verifyRSA(g, g[sign.FieldVersion], g[sign.FieldSignature], nil)
			require.ErrorIs(t, err, ErrMethod, "the RSA layer refuses it by itself")
			assert.Nil(t, signed)
		})
	}
}
