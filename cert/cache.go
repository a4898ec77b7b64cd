package cert

import (
	"bytes"
	"crypto/rsa"
	"crypto/x509"
	"maps"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// validated is a certificate that passed validation, with its key and certId
// ready for use and the window within which that result holds (the
// intersection of the chain's validity periods).
type validated struct {
	cert      *x509.Certificate
	pub       *rsa.PublicKey
	certID    string
	notBefore time.Time
	notAfter  time.Time
}

// certCache maps certificate bytes (the signPubKeyCert text exactly as
// received) to their validation result, one entry per certificate (a second
// text of the same DER takes over the first's entry). It holds at most size
// entries and evicts the oldest first; an entry is used only while the time
// of use lies within its window, so an expired certificate is validated
// again (and rejected). It is safe for concurrent use.
//
// Lookups, one per verified message, read an immutable snapshot through an
// atomic pointer, so concurrent verifications share no written memory;
// storing, once per new certificate, copies the snapshot.
//
// Memory grows with the entries stored, not with size: a large bound costs
// nothing until that many certificates have been seen.
type certCache struct {
	mu   sync.Mutex // serialises put
	snap atomic.Pointer[cacheSnapshot]
	size int // most entries kept, > 0
}

// cacheSnapshot is one immutable state of a certCache.
type cacheSnapshot struct {
	m     map[string]*validated
	order []string   // keys in insertion order; once full, a ring
	next  int        // slot of a full order to overwrite next
	last  *validated // the newest entry stored (see older), for Verifier.Expiries; nil in an empty cache
}

// newCertCache returns an empty cache of at most size entries (size > 0).
func newCertCache(size int) *certCache {
	c := &certCache{size: size}
	c.snap.Store(&cacheSnapshot{m: map[string]*validated{}})
	return c
}

// get returns the entry for key if there is one valid at now.
func (c *certCache) get(key string, now time.Time) *validated {
	v := c.snap.Load().m[key]
	if v == nil || now.Before(v.notBefore) || now.After(v.notAfter) {
		return nil
	}
	return v
}

// getCert returns the entry for certificate der, stored under any text, if one is valid at now:
// a text not seen yet of a certificate already validated (other white space, line ends or PEM
// headers around the same DER) is the same certificate, which validates the same, so it is not
// validated again. The scan is over the entries, which hold distinct certificates only (see put).
func (c *certCache) getCert(der []byte, now time.Time) *validated {
	s := c.snap.Load()
	for _, k := range s.order {
		if v := s.m[k]; v != nil && v.cert != nil && bytes.Equal(v.cert.Raw, der) {
			if now.Before(v.notBefore) || now.After(v.notAfter) {
				return nil
			}
			return v
		}
	}
	return nil
}

// put stores v under key. An entry for v's certificate under another key
// gives up its slot to key (see sameCertificate); otherwise, when the cache is
// full, the oldest entry is evicted.
func (c *certCache) put(key string, v *validated) {
	// A copy of the key: the caller's string may share memory with a whole
	// message, which the cache must not pin.
	key = strings.Clone(key)
	c.mu.Lock()
	defer c.mu.Unlock()
	old := c.snap.Load()
	s := &cacheSnapshot{m: maps.Clone(old.m), order: slices.Clone(old.order), next: old.next, last: v}
	if old.last != nil && older(v, old.last) {
		// A certificate UnionPay has since replaced, validated for the first time after its
		// successor (a notification signed before the switch and sent again to a service
		// restarted since): the successor stays the one Expiries reports, or a health check
		// would alert on the retired certificate's expiry until the next restart.
		s.last = old.last
	}
	if _, ok := s.m[key]; !ok {
		if i := s.sameCertificate(v); i >= 0 {
			// The certificate is stored already, under another text: the same DER with
			// other white space, line ends or PEM headers, which a sender can vary without
			// end. The new text takes that entry's slot rather than one of its own, so
			// that such variants of one genuine certificate (no forger can make another)
			// fill no cache: with a cache of MaxCacheSize, each copied the entries of all
			// those before it and held its text, up to a whole message each.
			delete(s.m, s.order[i])
			s.order[i] = key
		} else if len(s.order) < c.size {
			s.order = append(s.order, key)
		} else {
			delete(s.m, s.order[s.next])
			s.order[s.next] = key
			s.next = (s.next + 1) % len(s.order)
		}
	}
	s.m[key] = v
	c.snap.Store(s)
}

// sameCertificate returns the slot of s's order holding an entry for v's
// certificate (the same DER), or -1 if there is none or v has no certificate.
func (s *cacheSnapshot) sameCertificate(v *validated) int {
	if v.cert == nil {
		return -1
	}
	for i, k := range s.order {
		if e := s.m[k]; e != nil && e.cert != nil && bytes.Equal(e.cert.Raw, v.cert.Raw) {
			return i
		}
	}
	return -1
}

// last returns the newest entry stored, even if it has been evicted since:
// the certificate with the latest NotBefore, and of several issued at the same
// time, the one validated last; nil if none was stored.
func (c *certCache) last() *validated { return c.snap.Load().last }

// older reports whether a's certificate was issued before b's: an earlier
// NotBefore, or the same one and an earlier NotAfter; false when either has
// no certificate.
func older(a, b *validated) bool {
	if a.cert == nil || b.cert == nil {
		return false
	}
	if c := a.cert.NotBefore.Compare(b.cert.NotBefore); c != 0 {
		return c < 0
	}
	return a.cert.NotAfter.Before(b.cert.NotAfter)
}

// len returns the number of entries.
func (c *certCache) len() int { return len(c.snap.Load().m) }
