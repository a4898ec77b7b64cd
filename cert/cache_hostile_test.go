package cert

import (
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/sign"
)

// TestHostileCertificatesNotCached: a stream of notifications each carrying a certificate of
// its own (distinct serials, and so certIds, under a CA the Verifier does not trust, or
// self-signed) is refused, and leaves nothing behind: the certificate cache keeps only what
// validated, so a long-lived notification endpoint's memory does not grow with what an attacker
// sends. VerifyForm's value cache holds one value whatever it is sent.
func TestHostileCertificatesNotCached(t *testing.T) {
	t.Parallel()
	ch := newTestChain(t, "Hostile", nil)
	foreign := newTestChain(t, "Foreign", nil)
	v, err := NewVerifier(VerifierConfig{Root: ch.root.cert, Middle: ch.middle.cert, Now: func() time.Time { return timeGenerated }})
	require.NoError(t, err)
	genuine := ch.notification(t)
	for i := range 40 {
		spec := leafSpec()
		spec.serial, spec.keyName = int64(1000+i), "Hostile leaf"
		parent := foreign.middle
		if i%2 == 1 {
			parent = nil // self-signed
		}
		leaf := issue(t, spec, parent)
		f := genuine.Clone()
		f[FieldSignPubKeyCert] = leaf.pem
		s, err := sign.NewRSASigner(leaf.key, CertID(leaf.cert))
		require.NoError(t, err)
		require.NoError(t, sign.Sign(s, f))
		_, err = v.Verify(f)
		require.Error(t, err, "certificate %d", i)
		form := url.Values{}
		for k, val := range f {
			form.Set(k, val)
		}
		_, _, err = v.VerifyForm([]byte(form.Encode()))
		require.Error(t, err, "certificate %d by form", i)
	}
	assert.Zero(t, v.cache.len(), "refused certificates cached")
	_, err = v.Verify(genuine)
	require.NoError(t, err)
	assert.Equal(t, 1, v.cache.len(), "the genuine one cached")
}
