package cert

import (
	"math/big"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestInvalidErrorSerialLengths: an *InvalidError shows a serial number of up to RFC 5280's 20
// octets (160 bits) in decimal, whole; from 161 bits on, only its length in bytes; none, as
// "<no serial>".
func TestInvalidErrorSerialLengths(t *testing.T) {
	t.Parallel()
	ch := newTestChain(t, "Serials", nil)
	pow2 := func(n uint) *big.Int { return new(big.Int).Lsh(big.NewInt(1), n) }
	max160 := new(big.Int).Sub(pow2(160), big.NewInt(1))
	tests := []struct {
		name   string
		serial *big.Int
		want   string
	}{
		{"none", nil, "certificate <no serial> (CN="},
		{"small", big.NewInt(1), "certificate 1 (CN="},
		{"negative", big.NewInt(-5), "certificate -5 (CN="},
		{"159 bits", pow2(158), "certificate " + pow2(158).String() + " (CN="},
		{"160 bits, 20 bytes", max160, "certificate " + max160.String() + " (CN="},
		{"161 bits, 21 bytes", pow2(160), "certificate <a serial number of 21 bytes, longer than RFC 5280's 20> (CN="},
		{"168 bits, 21 bytes", new(big.Int).Sub(pow2(168), big.NewInt(1)), "certificate <a serial number of 21 bytes, longer than RFC 5280's 20> (CN="},
		{"169 bits, 22 bytes", pow2(168), "certificate <a serial number of 22 bytes, longer than RFC 5280's 20> (CN="},
	}
	for _, tt := range tests {
		c := *ch.leaf.cert
		c.SerialNumber = tt.serial
		err := &InvalidError{Cert: &c, Reason: Expired}
		assert.Contains(t, err.Error(), tt.want, tt.name)
	}
}
