package cert

import (
	"crypto/x509"
	"fmt"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestVerifierCacheSize: a huge CacheSize panicked in NewVerifier
// (makeslice: len out of range) and a large one allocated the whole cache up
// front, then copied it for each new certificate. Found in the bad-input
// review (section 6). Sizes above MaxCacheSize are refused, naming the
// field, and the cache grows with its entries.
func TestVerifierCacheSize(t *testing.T) {
	t.Parallel()
	root, middle := loadTestCert(t, "acp_test_root.cer"), loadTestCert(t, "acp_test_middle.cer")
	sm2 := loadSM2Credential(t).Certificate
	tests := []struct {
		size int
		want string // "" for no error
		kept int    // the entries kept: VerifierConfig.CacheSize's doc, "0 means 64"
	}{
		{0, "", 64},
		{1, "", 1},
		{MaxCacheSize, "", MaxCacheSize},
		{-1, "cert: VerifierConfig.CacheSize -1 is negative", 0},
		{MaxCacheSize + 1, fmt.Sprintf("cert: VerifierConfig.CacheSize %d exceeds %d (MaxCacheSize)", MaxCacheSize+1, MaxCacheSize), 0},
		{1 << 30, fmt.Sprintf("cert: VerifierConfig.CacheSize %d exceeds %d (MaxCacheSize)", 1<<30, MaxCacheSize), 0},
		{math.MaxInt, fmt.Sprintf("cert: VerifierConfig.CacheSize %d exceeds %d (MaxCacheSize)", math.MaxInt, MaxCacheSize), 0},
		{math.MinInt, fmt.Sprintf("cert: VerifierConfig.CacheSize %d is negative", math.MinInt), 0},
	}
	for _, tt := range tests {
		for name, cfg := range map[string]VerifierConfig{
			"RSA chain": {Root: root, Middle: middle},
			"SM2Certs":  {SM2Certs: []*x509.Certificate{sm2}},
		} {
			t.Run(fmt.Sprintf("%s %d", name, tt.size), func(t *testing.T) {
				t.Parallel()
				cfg.CacheSize = tt.size
				var v *Verifier
				var err error
				require.NotPanics(t, func() { v, err = NewVerifier(cfg) })
				if tt.want != "" {
					require.EqualError(t, err, tt.want)
					return
				}
				require.NoError(t, err)
				assert.Zero(t, cap(v.cache.snap.Load().order), "nothing allocated up front")
				assert.Equal(t, tt.kept, v.cache.size)
				if v.sm2 != nil {
					assert.Zero(t, cap(v.sm2.cache.snap.Load().order), "nothing allocated up front")
					assert.Equal(t, tt.kept, v.sm2.cache.size, "SM2's cache")
				}
			})
		}
	}
}

// TestCertCacheEviction: the cache keeps the size most recent entries,
// evicting the oldest first, and its ring grows only as entries arrive.
func TestCertCacheEviction(t *testing.T) {
	t.Parallel()
	tests := []struct {
		size, puts int
		kept       []int // indexes of the keys still cached
	}{
		{size: 1, puts: 1, kept: []int{0}},
		{size: 1, puts: 3, kept: []int{2}},
		{size: 3, puts: 2, kept: []int{0, 1}},
		{size: 3, puts: 3, kept: []int{0, 1, 2}},
		{size: 3, puts: 7, kept: []int{4, 5, 6}},
		{size: MaxCacheSize, puts: 5, kept: []int{0, 1, 2, 3, 4}},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("size %d puts %d", tt.size, tt.puts), func(t *testing.T) {
			t.Parallel()
			c := newCertCache(tt.size)
			for i := range tt.puts {
				c.put(fmt.Sprint("key", i), &validated{notBefore: timeValid, notAfter: timeValid})
				c.put(fmt.Sprint("key", i), &validated{notBefore: timeValid, notAfter: timeValid}) // again: no new slot
				assert.LessOrEqual(t, len(c.snap.Load().order), min(i+1, tt.size))
			}
			assert.Equal(t, len(tt.kept), c.len())
			for _, i := range tt.kept {
				assert.NotNil(t, c.get(fmt.Sprint("key", i), timeValid), "key%d", i)
			}
		})
	}
}
