package cert

import (
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/sign"
)

// TestCacheNewTextOfValidatedCertificate: a signPubKeyCert text not seen yet whose certificate
// (the same DER) has an entry valid now takes that entry's result, without validating the chain
// again: two renderings of one certificate (a sender alternating line ends) would otherwise each
// push the other out and cost a chain validation a message. Once the entry's window has passed,
// the new text is validated, and the expired certificate rejected.
func TestCacheNewTextOfValidatedCertificate(t *testing.T) {
	t.Parallel()
	leaf := leafSpec()
	leaf.notAfter = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	ch := newTestChain(t, "NewText", &leaf)
	var now atomic.Pointer[time.Time]
	at := func(tm time.Time) { now.Store(&tm) }
	at(timeGenerated)
	v, err := NewVerifier(VerifierConfig{Root: ch.root.cert, Middle: ch.middle.cert,
		Now: func() time.Time { return *now.Load() }})
	require.NoError(t, err)
	genuine := ch.notification(t)
	_, err = v.Verify(genuine)
	require.NoError(t, err)
	first := v.cache.get(genuine[FieldSignPubKeyCert], timeGenerated)
	require.NotNil(t, first)

	for i, text := range []string{"\r\n" + ch.leaf.pem, genuine[FieldSignPubKeyCert], ch.leaf.pem + "  "} {
		f := genuine.Clone()
		f[FieldSignPubKeyCert] = text
		_, err := v.Verify(f)
		if text != genuine[FieldSignPubKeyCert] {
			require.ErrorIs(t, err, sign.ErrSignature, "text %d: the certificate checks out, the signature not", i)
		}
		assert.Same(t, first, v.cache.get(text, timeGenerated), "text %d: the first validation's result, not a new one", i)
		assert.Equal(t, 1, v.cache.len(), "text %d", i)
	}

	// Past the leaf's notAfter the entry is not used, and a new text is validated: rejected.
	at(leaf.notAfter.Add(time.Hour))
	f := genuine.Clone()
	f[FieldSignPubKeyCert] = "\n\n" + ch.leaf.pem
	_, err = v.Verify(f)
	var inv *InvalidError
	require.ErrorAs(t, err, &inv, "an expired certificate under a new text")
	assert.Nil(t, v.cache.get(f[FieldSignPubKeyCert], *now.Load()))
}

// TestSM2CacheNewTextOfValidatedCertificate: the same for SM2 signing certificates.
func TestSM2CacheNewTextOfValidatedCertificate(t *testing.T) {
	t.Parallel()
	ch := newSM2TestChain(t, "NewText", nil)
	trust, err := newSM2Trust(ch.root.cert, ch.middle.cert, nil, 0)
	require.NoError(t, err)
	f := sm2Response(t, ch.leaf, sign.Version510)
	_, err = trust.verify(f, f["signature"], sm2TestNow, false)
	require.NoError(t, err)
	first := trust.cache.get(f[FieldSignPubKeyCert], sm2TestNow)
	require.NotNil(t, first)
	g := f.Clone()
	g[FieldSignPubKeyCert] = "\r\n" + f[FieldSignPubKeyCert]
	_, err = trust.verify(g, g["signature"], sm2TestNow, false)
	require.ErrorIs(t, err, sign.ErrSignature, "the certificate checks out, the signature not")
	assert.Same(t, first, trust.cache.get(g[FieldSignPubKeyCert], sm2TestNow), "the first validation's result")
	assert.Equal(t, 1, trust.cache.len())
}
