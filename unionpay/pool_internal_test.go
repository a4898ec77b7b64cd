package unionpay

import (
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestIdlePool: the Client's own transport keeps the 32 idle connections per host the doc,
// README and CHANGELOG promise (TestConnectionsReused, with eight
// workers, passes with any pool of eight or more), each for 30 s, below a load balancer's usual
// idle timeout (net/http's default is 90 s); a caller's client is left as it is.
func TestIdlePool(t *testing.T) {
	t.Parallel()
	tr, ok := newResty(nil).GetClient().Transport.(noReplay).next.(*http.Transport)
	require.True(t, ok)
	assert.Equal(t, 32, tr.MaxIdleConnsPerHost)
	assert.Equal(t, 30*time.Second, tr.IdleConnTimeout)

	mine := &http.Transport{}
	hc := newResty(&http.Client{Transport: mine}).GetClient()
	assert.Same(t, mine, hc.Transport.(noReplay).next)
	assert.Zero(t, mine.MaxIdleConnsPerHost)
	assert.Zero(t, mine.IdleConnTimeout)
}
