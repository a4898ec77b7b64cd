package cert

import (
	"crypto/x509"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestNewEncrypterKeyUsage: a certificate may encrypt when one of its key usages allows it (key
// encipherment, data encipherment or key agreement, each alone suffices) or when it lists none;
// one whose usages allow only signing (a CA's, a signing-only leaf's) is refused.
func TestNewEncrypterKeyUsage(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		usage x509.KeyUsage
		ok    bool
	}{
		{"no key usage", 0, true},
		{"key encipherment", x509.KeyUsageKeyEncipherment, true},
		{"data encipherment", x509.KeyUsageDataEncipherment, true},
		{"key agreement", x509.KeyUsageKeyAgreement, true},
		{"UnionPay's encryption certificate", x509.KeyUsageDigitalSignature | x509.KeyUsageContentCommitment |
			x509.KeyUsageKeyEncipherment | x509.KeyUsageKeyAgreement, true},
		{"CA", x509.KeyUsageCertSign | x509.KeyUsageCRLSign, false},
		{"signing only", x509.KeyUsageDigitalSignature | x509.KeyUsageContentCommitment, false},
	}
	for _, tt := range tests {
		c := issue(t, certSpec{cn: "042@KeyUsage@" + OwnerUnionPay + "@" + tt.name, keyName: "keyusage", keyUsage: tt.usage}, nil).cert
		_, err := NewEncrypter(c)
		if tt.ok {
			require.NoError(t, err, tt.name)
			continue
		}
		require.Error(t, err, tt.name)
		assert.Contains(t, err.Error(), "does not allow encryption", tt.name)
	}
}
