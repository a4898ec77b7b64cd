package unionpay

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestIdlePool: the Client's own transport keeps the 32 idle connections per host the doc,
// README and CHANGELOG promise (TestConnectionsReused, with eight
// workers, passes with any pool of eight or more); a caller's client is left as it is.
func TestIdlePool(t *testing.T) {
	t.Parallel()
	tr, ok := newResty(nil).GetClient().Transport.(noReplay).next.(*http.Transport)
	require.True(t, ok)
	assert.Equal(t, 32, tr.MaxIdleConnsPerHost)

	mine := &http.Transport{}
	hc := newResty(&http.Client{Transport: mine}).GetClient()
	assert.Same(t, mine, hc.Transport.(noReplay).next)
	assert.Zero(t, mine.MaxIdleConnsPerHost)
}
