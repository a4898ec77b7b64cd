package cert

import (
	"crypto/x509"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestNewVerifierNamesBadChainField: NewVerifier said "VerifierConfig Root
// and Middle" whichever of the two was wrong, and a certificate without a
// serial number read as "certificate :". Found in the bad-input review
// (section 15). The error now names the field holding the certificate at
// fault, and "<no serial>".
func TestNewVerifierNamesBadChainField(t *testing.T) {
	t.Parallel()
	root, middle := loadTestCert(t, "acp_test_root.cer"), loadTestCert(t, "acp_test_middle.cer")
	leaf := loadTestCert(t, "unipayCertPublicKey.cer")
	sm2A, sm2B := newSM2TestChain(t, "Field A", nil), newSM2TestChain(t, "Field B", nil)
	empty := &x509.Certificate{}
	tests := []struct {
		name   string
		cfg    VerifierConfig
		prefix string // the start of the error
		reason Reason
	}{
		{"empty Root", VerifierConfig{Root: &x509.Certificate{}, Middle: middle},
			"cert: VerifierConfig.Root: certificate <no serial>: issuer is not a CA", NotCA},
		{"empty Middle", VerifierConfig{Root: root, Middle: &x509.Certificate{}},
			"cert: VerifierConfig.Middle: certificate <no serial>: unknown authority", UnknownAuthority},
		{"the same empty certificate", VerifierConfig{Root: empty, Middle: empty},
			"cert: VerifierConfig.Root and VerifierConfig.Middle: certificate <no serial>: issuer is not a CA", NotCA},
		{"a leaf as Root", VerifierConfig{Root: leaf, Middle: middle},
			"cert: VerifierConfig.Root: certificate " + CertID(leaf) + " (CN=", NotCA},
		{"a leaf as Middle", VerifierConfig{Root: root, Middle: leaf},
			"cert: VerifierConfig.Middle: certificate " + CertID(leaf) + " (CN=", UnknownAuthority},
		{"Root and Middle swapped", VerifierConfig{Root: middle, Middle: root},
			"cert: VerifierConfig.Middle: certificate " + CertID(root) + " (CN=", UnknownAuthority},
		// The Java SDK's middleCert.path pointing at the root file: a root issues itself, so
		// only the self-issued check tells it from UnionPay's middle.
		{"the root file as Middle", VerifierConfig{Root: root, Middle: loadTestCert(t, "acp_test_root.cer")},
			"cert: VerifierConfig.Middle: certificate " + CertID(root) + " (CN=", UnknownAuthority},
		{"the root as SM2Middle", VerifierConfig{SM2Root: sm2A.root.cert, SM2Middle: sm2A.root.cert},
			"cert: VerifierConfig.SM2Root and VerifierConfig.SM2Middle: certificate " + CertID(sm2A.root.cert) + " (CN=", UnknownAuthority},
		{"RSA SM2Root", VerifierConfig{SM2Root: root, SM2Middle: sm2A.middle.cert},
			"cert: VerifierConfig.SM2Root: certificate " + CertID(root) + " (CN=", Malformed},
		{"RSA SM2Middle", VerifierConfig{SM2Root: sm2A.root.cert, SM2Middle: middle},
			"cert: VerifierConfig.SM2Middle: certificate " + CertID(middle) + " (CN=", Malformed},
		{"SM2Middle of another root", VerifierConfig{SM2Root: sm2A.root.cert, SM2Middle: sm2B.middle.cert},
			"cert: VerifierConfig.SM2Middle: certificate " + CertID(sm2B.middle.cert) + " (CN=", UnknownAuthority},
		{"a leaf as SM2Root", VerifierConfig{SM2Root: sm2A.leaf.cert, SM2Middle: sm2A.middle.cert},
			"cert: VerifierConfig.SM2Root: certificate " + CertID(sm2A.leaf.cert) + " (CN=", NotCA},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := NewVerifier(tt.cfg)
			require.Error(t, err)
			assert.True(t, strings.HasPrefix(err.Error(), tt.prefix), "error %q, want prefix %q", err, tt.prefix)
			requireReason(t, err, tt.reason)
		})
	}
}

// TestSelfIssuedMiddleNamesItsFile: a root given as the middle is told which file the middle is,
// for the chain's algorithm (the SM2 chain's error named the RSA files).
func TestSelfIssuedMiddleNamesItsFile(t *testing.T) {
	t.Parallel()
	root := loadTestCert(t, "acp_test_root.cer")
	sm2A, sm2B := newSM2TestChain(t, "Self A", nil), newSM2TestChain(t, "Self B", nil)
	tests := []struct {
		name      string
		cfg       VerifierConfig
		want, not string
	}{
		{"RSA", VerifierConfig{Root: root, Middle: loadTestCert(t, "acp_test_root.cer")},
			"(acp_prod_middle.cer, acp_test_middle.cer)", "acpsdk.sm2"},
		{"SM2", VerifierConfig{SM2Root: sm2A.root.cert, SM2Middle: sm2B.root.cert},
			"(the gm SDK's acpsdk.sm2.middleCert.path)", "acp_prod_middle.cer"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := NewVerifier(tt.cfg)
			require.Error(t, err)
			assert.Contains(t, err.Error(), "a self-issued certificate")
			assert.Contains(t, err.Error(), tt.want)
			assert.NotContains(t, err.Error(), tt.not)
		})
	}
}
