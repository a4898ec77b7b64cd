package cert

import (
	"crypto/x509"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestChainPairsGoTogether pins VerifierConfig's "Set both or neither" of Root and Middle and of
// SM2Root and SM2Middle: one without the other is an error naming the pair, even when another
// method (LegacyCerts here) is configured, where dropping the lone certificate silently would leave
// a merchant believing 5.1.0 messages verified. TestNextChainConfig pins the next chains'.
func TestChainPairsGoTogether(t *testing.T) {
	t.Parallel()
	rsa := newTestChain(t, "Pairs", nil)
	sm2 := newSM2TestChain(t, "Pairs", nil)
	legacy := []*x509.Certificate{rsa.leaf.cert}
	for _, tt := range []struct {
		name string
		cfg  VerifierConfig
		want string
	}{
		{"Root alone", VerifierConfig{Root: rsa.root.cert, LegacyCerts: legacy}, "needs both Root and Middle, or neither"},
		{"Middle alone", VerifierConfig{Middle: rsa.middle.cert, LegacyCerts: legacy}, "needs both Root and Middle, or neither"},
		{"SM2Root alone", VerifierConfig{SM2Root: sm2.root.cert, LegacyCerts: legacy}, "needs both SM2Root and SM2Middle, or neither"},
		{"SM2Middle alone", VerifierConfig{SM2Middle: sm2.middle.cert, LegacyCerts: legacy}, "needs both SM2Root and SM2Middle, or neither"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			v, err := NewVerifier(tt.cfg)
			require.Error(t, err, "%v", v)
			assert.Contains(t, err.Error(), tt.want)
		})
	}
}
