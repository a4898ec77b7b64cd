package cert

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// TestSecureKeyLegacyVersions: a secure-key message of version 5.0.1 or 1.0.0 is refused
// too (those versions are RSA-only in the official SDK): the table tested 6.0.0 and "" only, so
// letting 5.0.1 through went unnoticed.
func TestSecureKeyLegacyVersions(t *testing.T) {
	t.Parallel()
	v, err := NewVerifier(VerifierConfig{SecureKey: []byte("88888888"), SecureKeyMethods: []string{"11", "12"}})
	require.NoError(t, err)
	for _, method := range []string{"11", "12"} {
		for _, version := range []string{"5.0.1", "1.0.0", "5.1.1", "5.1.0 "} {
			require.ErrorIs(t, v.Accepts(method, version), ErrMethod, "%s %q", method, version)
		}
		require.NoError(t, v.Accepts(method, "5.1.0"))
		require.NoError(t, v.Accepts(method, "5.0.0"))
	}
}
