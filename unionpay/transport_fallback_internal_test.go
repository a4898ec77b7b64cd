package unionpay

import (
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// wrappedTransport is a program's own http.DefaultTransport: not an *http.Transport.
type wrappedTransport struct{ next http.RoundTripper }

func (w wrappedTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	return w.next.RoundTrip(r)
}

// TestOwnTransportBoundsDialAndHandshake: the Client's own transport bounds its dials and TLS
// handshakes (net/http finishes one a cancelled call gave up on in the background), whether it
// clones http.DefaultTransport or, a program having replaced that with a wrapper, starts afresh.
// It swaps http.DefaultTransport, so it does not call t.Parallel.
func TestOwnTransportBoundsDialAndHandshake(t *testing.T) { //nolint:paralleltest // swaps http.DefaultTransport
	orig := http.DefaultTransport
	t.Cleanup(func() { http.DefaultTransport = orig })
	tests := []struct {
		name string
		def  http.RoundTripper
	}{
		{"net/http's DefaultTransport", orig},
		{"a program's wrapper", wrappedTransport{next: orig}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			http.DefaultTransport = tt.def
			nr, ok := newResty(nil).GetClient().Transport.(noReplay)
			require.True(t, ok)
			tr, ok := nr.next.(*http.Transport)
			require.True(t, ok)
			assert.Equal(t, 10*time.Second, tr.TLSHandshakeTimeout)
			assert.NotNil(t, tr.DialContext, "a dialer with a timeout")
			assert.NotNil(t, tr.Proxy, "HTTPS_PROXY honoured")
		})
	}
}
