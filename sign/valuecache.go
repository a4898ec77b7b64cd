package sign

import "sync/atomic"

// A ValueCache parses forms as ParseFormCanonical does, remembering how the
// value of one field was decoded: when a later body carries that value
// again, byte for byte, the decoded text is copied instead of decoded
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
type cachedValue struct{ encoded, decoded string }

// maxCachedValue bounds the values a ValueCache keeps.
const maxCachedValue = 16 << 10

// NewValueCache returns a cache for the values of the field named key.
func NewValueCache(key string) *ValueCache { return &ValueCache{key: key} }

// ParseFormCanonical is [ParseFormCanonical], with c's field decoded
// through the cache. body is consumed as by ParseFormInPlace.
func (c *ValueCache) ParseFormCanonical(body, dst []byte) (Fields, []byte, error) {
	return parseFormCanonical(body, dst, c)
}

// unescape is unescapeInPlace for the value of c's field.
func (c *ValueCache) unescape(buf []byte, w, r, end int) (int, bool) {
	encoded := buf[r:end]
	if v := c.last.Load(); v != nil && v.encoded == string(encoded) {
		// The decoded text is no longer than the encoded one and w <= r:
		// it ends at or before end, overwriting nothing still to be read.
		return w + copy(buf[w:], v.decoded), true
	}
	if len(encoded) > maxCachedValue {
		return unescapeInPlace(buf, w, r, end)
	}
	kept := string(encoded) // before decoding overwrites it
	w0 := w
	w, ok := unescapeInPlace(buf, w, r, end)
	if ok {
		c.last.Store(&cachedValue{encoded: kept, decoded: string(buf[w0:w])})
	}
	return w, ok
}
