package verifycore

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestSecureKeyPrintsNoDigest: a SecureKey printed with fmt, by pointer or by value, in any
// verb, or inside a map as cert's Verifier holds them, shows its method, never the key's digest,
// which signs as well as the key itself (sign.SecureKeySigner, which cert held before, printed so).
func TestSecureKeyPrintsNoDigest(t *testing.T) {
	t.Parallel()
	for _, method := range []string{"11", "12"} {
		k, err := NewSecureKey(method, []byte("88888888"))
		require.NoError(t, err)
		for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x"} {
			for _, v := range []any{k, *k, map[string]*SecureKey{method: k}, struct{ k SecureKey }{*k}} {
				out := fmt.Sprintf(verb, v)
				assert.NotContains(t, strings.ToLower(out), *k.keyHash, "%s of %T", verb, v)
				assert.NotContains(t, out, (*k.keyHash)[:16], "%s of %T", verb, v)
			}
		}
		assert.Equal(t, "verifycore.SecureKey("+method+")", fmt.Sprint(k))
	}
}
