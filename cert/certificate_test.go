package cert

import (
	"bytes"
	"encoding/pem"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseCertificateForms(t *testing.T) {
	t.Parallel()
	pemLF, err := os.ReadFile(filepath.Join(testCertDir, "unipayCertPublicKey.cer"))
	require.NoError(t, err)
	block, _ := pem.Decode(pemLF)
	require.NotNil(t, block)
	pemCRLF := bytes.ReplaceAll(pemLF, []byte("\n"), []byte("\r\n"))
	tests := map[string][]byte{
		"PEM LF":                  pemLF,
		"PEM CRLF":                pemCRLF,
		"PEM with BOM and space":  append([]byte("\xef\xbb\xbf \r\n"), pemLF...),
		"PEM without final break": bytes.TrimRight(pemCRLF, "\r\n"),
		"DER":                     block.Bytes,
	}
	for name, data := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			c, err := ParseCertificate(data)
			require.NoError(t, err)
			assert.Equal(t, "69678957876", CertID(c))
			assert.Equal(t, block.Bytes, c.Raw)
		})
	}
}

func TestParseCertificateMalformed(t *testing.T) {
	t.Parallel()
	pemLF, err := os.ReadFile(filepath.Join(testCertDir, "acp_test_root.cer"))
	require.NoError(t, err)
	key := "-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----\n"
	tests := map[string][]byte{
		"empty":            nil,
		"garbage":          []byte("hello"),
		"bad PEM":          []byte("-----BEGIN CERTIFICATE-----\n!!!\n-----END CERTIFICATE-----\n"),
		"other PEM type":   []byte(key),
		"two certificates": append(append([]byte{}, pemLF...), pemLF...),
		"truncated PEM":    pemLF[:len(pemLF)-40],
		"PEM body not DER": []byte("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"),
		"DER with trailing data": func() []byte {
			b, _ := pem.Decode(pemLF)
			return append(b.Bytes, 0)
		}(),
	}
	for name, data := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			_, err := ParseCertificate(data)
			var inv *InvalidError
			require.ErrorAs(t, err, &inv)
			assert.Equal(t, Malformed, inv.Reason)
			assert.True(t, strings.HasPrefix(err.Error(), "cert: malformed"), err.Error())
		})
	}
}

func TestLoadCertificateFile(t *testing.T) {
	t.Parallel()
	tests := []struct{ file, certID string }{
		{"unipayCertPublicKey.cer", "69678957876"},
		{"acp_test_enc.cer", "69683525138"},
		{"acp_test_middle.cer" /* 0x18D0F3FC7F7D1DDFC2C6 */, "117191299423423768281798"},
		{"acp_test_root.cer" /* 0x52137ECC1D7D85B73AE6 */, "387593676442880368392934"},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			t.Parallel()
			c := loadTestCert(t, tt.file)
			assert.Equal(t, tt.certID, CertID(c))
		})
	}
	_, err := LoadCertificateFile(filepath.Join(testCertDir, "acp_test_sign.pfx"))
	var inv *InvalidError
	require.ErrorAs(t, err, &inv)
	assert.Contains(t, err.Error(), "acp_test_sign.pfx")
	_, err = LoadCertificateFile(filepath.Join(testCertDir, "missing.cer"))
	require.ErrorIs(t, err, os.ErrNotExist)
	assert.Empty(t, CertID(nil))
}

// TestParseCertificateNestedPEM: a PEM block whose content is itself PEM text is read when the
// inner certificate is SM2 (ParseCertificate hands the block's bytes to ParseSM2Certificate,
// which strips PEM again), and refused when it is RSA: the same wrapping is accepted or not by
// key type, and signPubKeyCert is read in a form UnionPay never sends.
func TestParseCertificateNestedPEM(t *testing.T) {
	wrap := func(b []byte) []byte {
		return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: b})
	}
	rsaCert := loadTestCert(t, "acp_test_root.cer")
	sm2Cert := loadSM2Credential(t).Certificate
	if _, err := ParseCertificate(wrap(wrap(rsaCert.Raw))); err == nil {
		t.Error("RSA certificate in nested PEM accepted")
	}
	if c, err := ParseCertificate(wrap(wrap(sm2Cert.Raw))); err == nil {
		t.Errorf("SM2 certificate in nested PEM accepted (certId %s)", CertID(c))
	}
	if c, err := ParseCertificate(wrap(sm2Cert.Raw)[:0:0]); err == nil { // sanity: empty input refused
		t.Errorf("empty input read as %v", c.Subject)
	}
	if _, err := ParseCertificate(wrap(sm2Cert.Raw)); err != nil {
		t.Errorf("SM2 certificate in PEM: %v", err)
	}
}
