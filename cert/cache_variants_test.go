package cert

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/sign"
)

// TestCacheVariantsOfOneCertificate: the genuine signPubKeyCert of a notification, written with
// other white space (PEM allows it around the block, and the sender chooses it), is the same
// certificate and validates. Each such text took a cache entry of its own: a sender replaying
// the genuine certificate in forged notifications, a new padding each time, filled a cache of
// MaxCacheSize with copies of one certificate, each store copying all the entries before it
// (the n-th forged message cost O(n): 0.88 ms against 0.19 ms, 4,096 of them 1.8 s instead of
// 0.6 s) and each entry holding its text, up to a whole message. Now a certificate has one entry,
// under the text it came with last.
func TestCacheVariantsOfOneCertificate(t *testing.T) {
	t.Parallel()
	ch := newTestChain(t, "Variants", nil)
	v, err := NewVerifier(VerifierConfig{Root: ch.root.cert, Middle: ch.middle.cert, CacheSize: MaxCacheSize,
		Now: func() time.Time { return timeGenerated }})
	require.NoError(t, err)
	genuine := ch.notification(t)
	variants := []func(i int) string{
		func(i int) string { return ch.leaf.pem + strings.Repeat(" ", i+1) },
		func(i int) string { return strings.Repeat("\r\n", i+1) + ch.leaf.pem },
		func(i int) string { return strings.Repeat("\t", i+1) + ch.leaf.pem + "\n" },
	}
	const perKind = 100
	for _, variant := range variants {
		for i := range perKind {
			f := genuine.Clone()
			f[FieldSignPubKeyCert] = variant(i)
			f["orderId"] = "FORGED" // the signature no longer verifies: the certificate does
			_, err := v.Verify(f)
			require.ErrorIs(t, err, sign.ErrSignature, "variant %d", i)
			require.Equal(t, 1, v.cache.len(), "variant %d: the one certificate has one entry", i)
			require.NotNil(t, v.cache.get(f[FieldSignPubKeyCert], timeGenerated), "the latest text is cached")
		}
	}
	// The genuine text replaces the last variant, and is then found in the cache.
	_, err = v.Verify(genuine)
	require.NoError(t, err)
	assert.Equal(t, 1, v.cache.len())
	assert.NotNil(t, v.cache.get(genuine[FieldSignPubKeyCert], timeGenerated))

	// Another genuine certificate has an entry of its own.
	spec := leafSpec()
	spec.serial = 4242
	other := issue(t, spec, ch.middle)
	f := genuine.Clone()
	f[FieldSignPubKeyCert] = other.pem
	s, err := sign.NewRSASigner(other.key, CertID(other.cert))
	require.NoError(t, err)
	require.NoError(t, sign.Sign(s, f))
	_, err = v.Verify(f)
	require.NoError(t, err)
	assert.Equal(t, 2, v.cache.len())
	assert.NotNil(t, v.cache.get(genuine[FieldSignPubKeyCert], timeGenerated), "the first kept")
}

// TestCertCacheSameCertificate: storing a certificate under a second key moves its entry to the
// new key, in the slot the old one held (the ring's order unchanged); entries without a
// certificate (as in TestCertCacheEviction) each keep their own.
func TestCertCacheSameCertificate(t *testing.T) {
	t.Parallel()
	ch := newTestChain(t, "Slots", nil)
	a := &validated{cert: ch.leaf.cert, notBefore: timeValid, notAfter: timeValid}
	b := &validated{cert: ch.middle.cert, notBefore: timeValid, notAfter: timeValid}
	c := newCertCache(2)
	c.put("a1", a)
	c.put("b", b)
	c.put("a2", &validated{cert: ch.leaf.cert, notBefore: timeValid, notAfter: timeValid})
	assert.Equal(t, 2, c.len())
	assert.Nil(t, c.get("a1", timeValid))
	assert.NotNil(t, c.get("a2", timeValid))
	assert.NotNil(t, c.get("b", timeValid))
	assert.Equal(t, []string{"a2", "b"}, c.snap.Load().order, "a2 in a1's slot")
	c.put("x", &validated{notBefore: timeValid, notAfter: timeValid}) // evicts the oldest slot: a2
	assert.Nil(t, c.get("a2", timeValid))
	assert.NotNil(t, c.get("b", timeValid))
	c.put("y", &validated{notBefore: timeValid, notAfter: timeValid})
	assert.Equal(t, 2, c.len())
	assert.NotNil(t, c.get("x", timeValid))
	assert.NotNil(t, c.get("y", timeValid))
}
