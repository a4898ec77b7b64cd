package cert_test

import (
	"encoding/base64"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/cert"
)

// A PFX or certificate taken from a secret store or an environment variable, as a serverless
// function gets them, comes as text: base64 of the file, or PEM whose line breaks were written as
// the two characters \n. Each is refused, as before, but its error says what the bytes are and to
// decode them first; the file's own bytes load. A password that ends with a line break (a secret
// written with echo) is still a wrong password, and its error says so, without the password.
func TestSecretTextHints(t *testing.T) {
	t.Parallel()
	pfx, err := os.ReadFile(filepath.Join("..", "testdata", "acp-test-certs", "acp_test_sign.pfx"))
	require.NoError(t, err)
	cer, err := os.ReadFile(filepath.Join("..", "testdata", "acp-test-certs", "acp_test_root.cer"))
	require.NoError(t, err)
	root, err := cert.ParseCertificate(cer)
	require.NoError(t, err)
	b64 := func(b []byte) []byte { return []byte(base64.StdEncoding.EncodeToString(b)) }

	t.Run("PFX", func(t *testing.T) {
		_, err := cert.LoadPFX(pfx, "000000")
		require.NoError(t, err)
		for name, data := range map[string][]byte{
			"base64":                  b64(pfx),
			"base64 and a line break": append(b64(pfx), '\n'),
		} {
			_, err := cert.LoadPFX(data, "000000")
			require.Error(t, err, name)
			assert.False(t, errors.Is(err, cert.ErrPassword), name)
			assert.Contains(t, err.Error(), "base64 text", name)
			assert.Contains(t, err.Error(), "decode it", name)
		}
		_, err = cert.LoadPFX([]byte("not a PFX at all"), "000000")
		require.Error(t, err)
		assert.NotContains(t, err.Error(), "base64", "text that is no base64 PFX gets no hint")
	})

	t.Run("password", func(t *testing.T) {
		for _, pw := range []string{"000000\n", "000000\r\n", "000000 ", " 000000"} {
			_, err := cert.LoadPFX(pfx, pw)
			require.ErrorIs(t, err, cert.ErrPassword, "%q", pw)
			assert.Contains(t, err.Error(), "white space", "%q", pw)
			assert.NotContains(t, err.Error(), "000000", "the password is never in the error")
		}
		_, err := cert.LoadPFX(pfx, "111111")
		require.ErrorIs(t, err, cert.ErrPassword)
		assert.NotContains(t, err.Error(), "white space", "a wrong password without white space gets no hint")
	})

	t.Run("certificate", func(t *testing.T) {
		for name, data := range map[string][]byte{
			"base64 of the DER":             b64(root.Raw),
			"base64 of the PEM file":        b64(cer),
			"base64 of the DER, wrapped":    []byte(strings.Join(splitEvery(string(b64(root.Raw)), 64), "\n") + "\n"),
			"PEM with \\n as two chars":     []byte(strings.ReplaceAll(string(cer), "\n", `\n`)),
			"PEM with \\r\\n as four chars": []byte(strings.ReplaceAll(strings.ReplaceAll(string(cer), "\r", ""), "\n", `\r\n`)),
		} {
			_, err := cert.ParseCertificate(data)
			var ie *cert.InvalidError
			require.ErrorAs(t, err, &ie, name)
			assert.Equal(t, cert.Malformed, ie.Reason, name)
			assert.Contains(t, err.Error(), "decode", name)
			if strings.HasPrefix(name, "PEM") {
				assert.Contains(t, err.Error(), `\n`, name)
			} else {
				assert.Contains(t, err.Error(), "base64 text", name)
			}
		}
		_, err := cert.ParseCertificate([]byte("-----BEGIN CERTIFICATE-----\nAAAA\n"))
		require.Error(t, err)
		assert.NotContains(t, err.Error(), `\n`, "a truncated PEM gets no hint")
		_, err = cert.ParseCertificate([]byte("hello"))
		require.Error(t, err)
		assert.NotContains(t, err.Error(), "base64", "bytes that are no base64 certificate get no hint")
	})
}

// splitEvery cuts s into pieces of n bytes, the last one shorter.
func splitEvery(s string, n int) []string {
	var out []string
	for len(s) > n {
		out = append(out, s[:n])
		s = s[n:]
	}
	return append(out, s)
}
