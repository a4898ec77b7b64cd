package unionpay_test

import (
	"sync"
	"testing"

	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

// gatewayKeys are the fake gateways' RSA keys, generated once per test binary: five 2048-bit
// keys per unionpaytest.NewServer were about 80% of this package's test CPU. A Keys is
// immutable (the rotations generate keys of their own), so tests running at once can share it.
// A test whose gateways must not share a key (a merchant key of another gateway, a new root)
// starts those gateways without WithKeys.
var gatewayKeys = sync.OnceValues(unionpaytest.NewKeys)

// sharedKeys returns gatewayKeys, failing t if they could not be generated.
func sharedKeys(t testing.TB) *unionpaytest.Keys {
	t.Helper()
	k, err := gatewayKeys()
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// withSharedKeys is the unionpaytest.WithKeys option for gatewayKeys.
func withSharedKeys(t testing.TB) unionpaytest.Option {
	t.Helper()
	return unionpaytest.WithKeys(sharedKeys(t))
}
