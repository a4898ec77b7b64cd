package unionpay

import (
	"crypto/x509"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/cert"
)

// TestIsTestPKI: a certificate of UnionPay's test PKI is known by its key (the root's or the
// middle's) or by its issuer's key identifier, each alone; the production PKI is not test.
func TestIsTestPKI(t *testing.T) {
	t.Parallel()
	load := func(path string) *x509.Certificate {
		c, err := cert.LoadCertificateFile(path)
		require.NoError(t, err, path)
		return c
	}
	root := load("../testdata/acp-test-certs/acp_test_root.cer")
	middle := load("../testdata/acp-test-certs/acp_test_middle.cer")
	without := func(c *x509.Certificate) *x509.Certificate { // the key alone, no issuer's key identifier
		d := *c
		d.AuthorityKeyId = nil
		return &d
	}
	issuedBy := func(c, issuer *x509.Certificate) *x509.Certificate { // another key, named issued by issuer
		d := *c
		d.AuthorityKeyId = issuer.SubjectKeyId
		return &d
	}
	prodRoot := load("../testdata/acp-prod-certs/acp_prod_root.cer")
	prodMiddle := load("../testdata/acp-prod-certs/acp_prod_middle.cer")
	tests := []struct {
		name string
		c    *x509.Certificate
		want bool
	}{
		{"test root", root, true},
		{"test middle", middle, true},
		{"test encryption certificate", load("../testdata/acp-test-certs/acp_test_enc.cer"), true},
		{"test root's key alone", without(root), true},
		{"test middle's key alone", without(middle), true},
		{"issued by the test root", issuedBy(prodMiddle, root), true},
		{"issued by the test middle", issuedBy(prodMiddle, middle), true},
		{"production root", prodRoot, false},
		{"production middle", prodMiddle, false},
		{"production encryption certificate", load("../testdata/acp-prod-certs/acp_prod_enc.cer"), false},
		{"nil", nil, false},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, isTestPKI(tt.c), tt.name)
	}
}
