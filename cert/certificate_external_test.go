package cert_test

import (
	"bytes"
	"encoding/pem"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/cert"
)

// Certificates as Windows tools save them: CR LF line endings, a UTF-8 BOM (Notepad), or the
// base64 body without armor.
func TestPortCertificateWindowsText(t *testing.T) {
	raw, err := os.ReadFile("../testdata/acp-test-certs/acp_test_root.cer")
	require.NoError(t, err)
	c0, err := cert.ParseCertificate(raw)
	require.NoError(t, err)
	p := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c0.Raw})
	crlf := bytes.ReplaceAll(p, []byte("\n"), []byte("\r\n"))
	for name, b := range map[string][]byte{
		"crlf": crlf, "bom+crlf": append([]byte("\xef\xbb\xbf"), crlf...),
		"crlf, no final newline": bytes.TrimSuffix(crlf, []byte("\r\n")),
		"leading blank line":     append([]byte("\r\n"), crlf...),
	} {
		path := filepath.Join(t.TempDir(), "x.cer")
		require.NoError(t, os.WriteFile(path, b, 0o600))
		c, err := cert.LoadCertificateFile(path)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		require.Equal(t, c0.Raw, c.Raw, name)
	}
}
