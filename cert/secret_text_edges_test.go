package cert_test

import (
	"encoding/base64"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/cert"
)

// TestSecretTextHintsEdges: base64 text read from a file saved with a UTF-8 BOM still gets the
// hint, and base64 text that decodes to something other than a certificate or a PFX (a secret
// store's other value) gets none: the hint says what the bytes are, not what they might be.
func TestSecretTextHintsEdges(t *testing.T) {
	t.Parallel()
	pfx, err := os.ReadFile(filepath.Join("..", "testdata", "acp-test-certs", "acp_test_sign.pfx"))
	require.NoError(t, err)
	cer, err := os.ReadFile(filepath.Join("..", "testdata", "acp-test-certs", "acp_test_root.cer"))
	require.NoError(t, err)
	const bom = "\xef\xbb\xbf"

	_, err = cert.LoadPFX([]byte(bom+base64.StdEncoding.EncodeToString(pfx)), "000000")
	require.Error(t, err)
	assert.Contains(t, err.Error(), "base64 text", "a PFX's base64 behind a BOM")
	_, err = cert.ParseCertificate([]byte(bom + base64.StdEncoding.EncodeToString(cer)))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "base64 text", "a certificate's base64 behind a BOM")

	other := []byte(base64.StdEncoding.EncodeToString([]byte("a database password, not a certificate")))
	_, err = cert.ParseCertificate(other)
	require.Error(t, err)
	assert.NotContains(t, err.Error(), "base64", "base64 of no certificate gets no hint")
	_, err = cert.LoadPFX(other, "000000")
	require.Error(t, err)
	assert.NotContains(t, err.Error(), "base64", "base64 of no PFX gets no hint")
}
