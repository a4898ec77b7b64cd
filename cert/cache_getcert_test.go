package cert

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestCertCacheGetCertWindow: a certificate's entry found under another text is used only while
// the time lies within its window, ends included (as get and crypto/x509 take them): a nanosecond
// before notBefore or after notAfter it is not, so the new text is validated again (and an
// expired certificate rejected). It is never the entry of another certificate.
func TestCertCacheGetCertWindow(t *testing.T) {
	t.Parallel()
	ch := newTestChain(t, "GetCert", nil)
	nb := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	na := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	leaf := &validated{cert: ch.leaf.cert, notBefore: nb, notAfter: na}
	c := newCertCache(4)
	c.put("no certificate", &validated{notBefore: nb, notAfter: na})
	c.put("middle", &validated{cert: ch.middle.cert, notBefore: nb, notAfter: na})
	c.put("leaf", leaf)
	tests := []struct {
		at   time.Time
		want bool
	}{
		{nb.Add(-time.Nanosecond), false},
		{nb, true},
		{nb.Add(time.Hour), true},
		{na, true},
		{na.Add(time.Nanosecond), false},
		{na.AddDate(10, 0, 0), false},
	}
	for _, tt := range tests {
		got := c.getCert(ch.leaf.cert.Raw, tt.at)
		if tt.want {
			assert.Same(t, leaf, got, "at %v", tt.at)
		} else {
			assert.Nil(t, got, "at %v", tt.at)
		}
		assert.Equal(t, got == nil, c.get("leaf", tt.at) == nil, "getCert and get agree at %v", tt.at)
	}
	assert.Nil(t, c.getCert(ch.root.cert.Raw, nb), "a certificate not cached")
	assert.Nil(t, c.getCert(ch.leaf.cert.RawTBSCertificate, nb), "the whole DER, not part of it")
}

// TestCertCacheSameCertificateSlots: sameCertificate finds the slot of the entry holding the same
// DER, wherever it lies, skipping entries without a certificate; a certificate not stored yet,
// or none, is -1, and put then gives it a slot of its own.
func TestCertCacheSameCertificateSlots(t *testing.T) {
	t.Parallel()
	ch := newTestChain(t, "SameSlot", nil)
	at := func(c *certCache, key string) int {
		for i, k := range c.snap.Load().order {
			if k == key {
				return i
			}
		}
		return -1
	}
	certs := map[string]*validated{
		"none":   {notBefore: timeValid, notAfter: timeValid},
		"root":   {cert: ch.root.cert, notBefore: timeValid, notAfter: timeValid},
		"middle": {cert: ch.middle.cert, notBefore: timeValid, notAfter: timeValid},
		"leaf":   {cert: ch.leaf.cert, notBefore: timeValid, notAfter: timeValid},
	}
	c := newCertCache(8)
	for _, k := range []string{"none", "root", "middle", "leaf"} {
		require.NotPanics(t, func() { c.put(k, certs[k]) }, "%s after an entry without a certificate", k)
	}
	s := c.snap.Load()
	for want, k := range []string{"none", "root", "middle", "leaf"} {
		v := certs[k]
		if v.cert == nil {
			assert.Equal(t, -1, s.sameCertificate(v), k)
			continue
		}
		assert.Equal(t, want, s.sameCertificate(&validated{cert: v.cert}), k)
	}
	spec := leafSpec()
	spec.serial = 4242
	other := issue(t, spec, ch.middle)
	assert.Equal(t, -1, s.sameCertificate(&validated{cert: other.cert}), "a certificate not stored")

	// A second text of each certificate takes its slot; the entry without one keeps its own.
	for _, k := range []string{"middle", "root", "leaf"} {
		i := at(c, k)
		c.put(k+" again", certs[k])
		assert.Equal(t, i, at(c, k+" again"), k)
		assert.Nil(t, c.get(k, timeValid), k)
	}
	assert.Equal(t, 4, c.len())
	assert.Equal(t, 0, at(c, "none"))
	c.put("other", &validated{cert: other.cert, notBefore: timeValid, notAfter: timeValid})
	assert.Equal(t, 4, at(c, "other"), "a slot of its own")
	assert.Equal(t, 5, c.len(), fmt.Sprint(c.snap.Load().order))
}
