package cert

import (
	"crypto/rsa"
	"crypto/x509"
	"sync"
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
// received) to their validation result. It holds at most size entries and
// evicts the oldest first; an entry is used only while the time of use lies
// within its window, so an expired certificate is validated again (and
// rejected). It is safe for concurrent use.
type certCache struct {
	mu    sync.RWMutex
	m     map[string]*validated
	order []string // ring of keys in insertion order
	next  int      // slot of order to overwrite next
}

func newCertCache(size int) *certCache {
	return &certCache{m: make(map[string]*validated, size), order: make([]string, size)}
}

// get returns the entry for key if there is one valid at now.
func (c *certCache) get(key string, now time.Time) *validated {
	c.mu.RLock()
	v := c.m[key]
	c.mu.RUnlock()
	if v == nil || now.Before(v.notBefore) || now.After(v.notAfter) {
		return nil
	}
	return v
}

// put stores v under key, evicting the oldest entry when the cache is full.
func (c *certCache) put(key string, v *validated) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.m[key]; ok {
		c.m[key] = v
		return
	}
	if old := c.order[c.next]; old != "" {
		delete(c.m, old)
	}
	c.order[c.next] = key
	c.next = (c.next + 1) % len(c.order)
	c.m[key] = v
}

// len returns the number of entries.
func (c *certCache) len() int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return len(c.m)
}
