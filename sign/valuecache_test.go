package sign_test

import (
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/goacp/unionpay/sign"
)

// A ValueCache parses every body exactly as ParseFormCanonical does,
// whether its field's value is new, repeated or replaced.
func TestValueCache(t *testing.T) {
	t.Parallel()
	cert := "-----BEGIN+CERTIFICATE-----%0D%0AMIIB%2Bx%2F%3D%3D%0D%0A-----END+CERTIFICATE-----"
	other := strings.Replace(cert, "MIIB", "MIIC", 1)
	c := sign.NewValueCache("signPubKeyCert")
	for i, body := range []string{
		"a=1&signPubKeyCert=" + cert + "&z=2", // decoded, remembered
		"a=1&signPubKeyCert=" + cert + "&z=3", // copied
		"signPubKeyCert=" + cert,              // copied, no other field
		"b=%41&signPubKeyCert=" + other,       // decoded, replaces
		"a=1&signPubKeyCert=" + other + "&z=2",
		"a=1&signPubKeyCert=" + cert + "%2",    // invalid: refused, not remembered
		"a=1&signPubKeyCert=" + other + "&z=2", // still the other value
		"a=1&signPubKeyCert=&z=2",              // empty value
		"a=1&signPubKeyCert=" + cert[:20],      // a prefix of a remembered value
		"x=" + cert,                            // another field: not cached
	} {
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			want, wantCanonical, wantErr := sign.ParseFormCanonical([]byte(body), nil)
			buf := []byte(body)
			got, canonical, err := c.ParseFormCanonical(buf, nil)
			scribble(buf) // the caller may reuse it
			assert.Equal(t, wantErr, err)
			assert.Equal(t, want, got)
			assert.Equal(t, string(wantCanonical), string(canonical))
		})
	}
}

// Concurrent parses through one cache, with values replacing each other,
// give every goroutine its own body's fields (run with -race).
func TestValueCacheConcurrent(t *testing.T) {
	t.Parallel()
	c := sign.NewValueCache("k")
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			for i := range 200 {
				v := fmt.Sprintf("%d%%2B%s", (g+i)%3, strings.Repeat("x%3D", 50))
				f, _, err := c.ParseFormCanonical([]byte("a=1&k="+v), nil)
				if !assert.NoError(t, err) {
					return
				}
				assert.Equal(t, fmt.Sprintf("%d+%s", (g+i)%3, strings.Repeat("x=", 50)), f["k"])
			}
		})
	}
	wg.Wait()
}
