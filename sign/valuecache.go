package sign

import "sync/atomic"

// A ValueCache parses forms as ParseFormCanonical does, remembering how the
// value of one field was decoded: when a later body carries that value
// again, byte for byte, the remembered text is used instead of decoding it
// again. The signPubKeyCert of UnionPay's notifications is about 2 KB of
// percent-encoded text, the same in every notification until UnionPay
// renews its certificate, and decoding it is most of the cost of parsing
// one.
//
// The cache holds one value (the most recent of its field that decoded
// well, up to 16 KiB); the mapping from encoded to decoded text is fixed,
// so what a body finds in the cache is exactly what decoding would have
// produced. A ValueCache is safe for concurrent use.
type ValueCache struct {
	key  string
	last atomic.Pointer[cachedValue]
}

// cachedValue is one encoded value and its decoding.
type cachedValue struct {
	encoded, decoded string
	plain            bool // decoded holds none of '&', '{' and '[' (see ParseForm's rule)
}

// maxCachedValue bounds the values a ValueCache keeps.
const maxCachedValue = 16 << 10

// NewValueCache returns a cache for the values of the field named key.
func NewValueCache(key string) *ValueCache { return &ValueCache{key: key} }

// ParseFormCanonical is [ParseFormCanonical], with c's field decoded
// through the cache; the Fields hold the cache's copy of its value. body
// is overwritten, and may be reused once ParseFormCanonical returns.
func (c *ValueCache) ParseFormCanonical(body, dst []byte) (Fields, []byte, error) {
	return parseFormCanonical(body, dst, c)
}

// decode returns the decoding of buf[r:end], the value of c's field: the
// remembered one if it has the same encoding, or a new one, remembered
// if it decodes and is not too long. buf may be overwritten from r on.
func (c *ValueCache) decode(buf []byte, r, end int) (*cachedValue, bool) {
	encoded := buf[r:end]
	if v := c.last.Load(); v != nil && v.encoded == string(encoded) {
		return v, true
	}
	var v cachedValue
	keep := len(encoded) <= maxCachedValue
	if keep {
		v.encoded = string(encoded) // before decoding overwrites it
	}
	n, ok := unescapeInPlace(buf, r, r, end)
	if !ok {
		return nil, false
	}
	v.decoded = string(buf[r:n])
	v.plain = plainValue(v.decoded)
	if keep {
		c.last.Store(&v)
	}
	return &v, true
}
