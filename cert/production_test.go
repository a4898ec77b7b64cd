package cert

import (
	"crypto/rand"
	"crypto/x509"
	"encoding/hex"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// prodCertDir holds UnionPay's public production root, middle and an encryption certificate the
// production middle issued.
var prodCertDir = filepath.Join("..", "testdata", "acp-prod-certs")

func loadProdCert(t testing.TB, name string) *x509.Certificate {
	t.Helper()
	c, err := LoadCertificateFile(filepath.Join(prodCertDir, name))
	require.NoError(t, err)
	return c
}

// TestIsProduction: UnionPay's production root and middle (by key, also re-issued by another
// CA) and what the production root or middle issued (by authority key identifier) are
// production; the test environment's certificates, a generated chain (a fake gateway's) and nil
// are not. Each of the four signals is needed: the key alone for a re-issued certificate, the
// root's key identifier for a new middle.
func TestIsProduction(t *testing.T) {
	t.Parallel()
	prodMiddleID, err := hex.DecodeString(prodMiddleKeyID)
	require.NoError(t, err)
	// A CA of its own key naming itself with the production middle's key identifier: what it
	// issues claims the production middle as issuer.
	claiming := issue(t, certSpec{cn: "Claiming Middle", ca: true, keyUsage: caSpec("").keyUsage, maxPathLen: -1, keyID: prodMiddleID}, nil)
	fake := newTestChain(t, "Fake Gateway", nil)
	// A CA naming itself with the production root's key identifier: what it issues claims the
	// production root as issuer, as a new production middle would.
	prodRootID, err := hex.DecodeString(prodRootKeyID)
	require.NoError(t, err)
	claimingRoot := issue(t, certSpec{cn: "Claiming Root", ca: true, keyUsage: caSpec("").keyUsage, maxPathLen: -1, keyID: prodRootID}, nil)
	for _, tt := range []struct {
		name string
		c    *x509.Certificate
		want bool
	}{
		{"issued by the production root (another middle)", issue(t, caSpec("Another Middle"), claimingRoot).cert, true},
		{"production root's key, issued by another CA", reissued(t, loadProdCert(t, "acp_prod_root.cer"), fake.middle), true},
		{"production middle's key, issued by another CA", reissued(t, loadProdCert(t, "acp_prod_middle.cer"), fake.middle), true},
		{"production root", loadProdCert(t, "acp_prod_root.cer"), true},
		{"production middle", loadProdCert(t, "acp_prod_middle.cer"), true},
		{"issued by the production middle", loadProdCert(t, "acp_prod_enc.cer"), true},
		{"naming the production middle's key as issuer", issue(t, leafSpec(), claiming).cert, true},
		{"test root", loadTestCert(t, "acp_test_root.cer"), false},
		{"test middle", loadTestCert(t, "acp_test_middle.cer"), false},
		{"test signing certificate, owner 中国银联股份有限公司", loadTestCert(t, "unipayCertPublicKey.cer"), false},
		{"test encryption certificate", loadTestCert(t, "acp_test_enc.cer"), false},
		{"generated root", fake.root.cert, false},
		{"generated middle", fake.middle.cert, false},
		{"generated signing certificate", fake.leaf.cert, false},
		{"nil", nil, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tt.want, IsProduction(tt.c))
		})
	}
}

// reissued returns a CA certificate holding prod's public key, issued by parent: a production
// root or middle re-issued with the same key, which names another authority key identifier.
func reissued(t *testing.T, prod *x509.Certificate, parent *issued) *x509.Certificate {
	t.Helper()
	tmpl := caSpec("Re-issued " + prod.Subject.Organization[0]).template()
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent.cert, prod.PublicKey, parent.key)
	require.NoError(t, err)
	c, err := x509.ParseCertificate(der)
	require.NoError(t, err)
	require.NotEqual(t, prod.AuthorityKeyId, c.AuthorityKeyId)
	return c
}

// TestNewVerifierPublicTestKeyProductionPKI: NewVerifier refuses UnionPay's public test secure
// key with a certificate of UnionPay's production PKI in Root, Middle, NextRoot, NextMiddle or
// LegacyCerts, naming SecureKey and that field, never the key. The test environment's chain (with
// the production owner required or not: UnionPay's test signing certificate carries the
// production owner name too), a generated chain (a fake gateway's) and the key alone are taken
// with it, and the production chain with another key.
func TestNewVerifierPublicTestKeyProductionPKI(t *testing.T) {
	t.Parallel()
	prodRoot, prodMiddle := loadProdCert(t, "acp_prod_root.cer"), loadProdCert(t, "acp_prod_middle.cer")
	testRoot, testMiddle := loadTestCert(t, "acp_test_root.cer"), loadTestCert(t, "acp_test_middle.cer")
	fake := newTestChain(t, "Fake Gateway", nil)
	public := []byte(PublicTestSecureKey)
	for _, tt := range []struct {
		name  string
		cfg   VerifierConfig
		field string // "": accepted
	}{
		{"production chain", VerifierConfig{Root: prodRoot, Middle: prodMiddle, SecureKey: public}, "Root"},
		{"production chain, method 12 only", VerifierConfig{Root: prodRoot, Middle: prodMiddle, SecureKey: public,
			SecureKeyMethods: []string{"12"}}, "Root"},
		{"production next chain", VerifierConfig{Root: testRoot, Middle: testMiddle, NextRoot: prodRoot, NextMiddle: prodMiddle,
			AcceptTestOwner: true, SecureKey: public}, "NextRoot"},
		{"production legacy certificate", VerifierConfig{LegacyCerts: []*x509.Certificate{loadTestCert(t, "unipayCertPublicKey.cer"),
			loadProdCert(t, "acp_prod_enc.cer")}, SecureKey: public}, "LegacyCerts[1]"},
		{"production chain, issued key", VerifierConfig{Root: prodRoot, Middle: prodMiddle, SecureKey: []byte("k3Y-issued-by-UnionPay")}, ""},
		{"test chain, test owner", VerifierConfig{Root: testRoot, Middle: testMiddle, AcceptTestOwner: true, SecureKey: public}, ""},
		{"test chain, production owner only", VerifierConfig{Root: testRoot, Middle: testMiddle, SecureKey: public}, ""},
		{"generated chain (a fake gateway's)", VerifierConfig{Root: fake.root.cert, Middle: fake.middle.cert,
			LegacyCerts: []*x509.Certificate{fake.leaf.cert}, SecureKey: public}, ""},
		{"key alone", VerifierConfig{SecureKey: public}, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			v, err := NewVerifier(tt.cfg)
			if tt.field == "" {
				require.NoError(t, err)
				assert.Equal(t, string(tt.cfg.SecureKey) == PublicTestSecureKey, v.AcceptsPublicTestKey())
				return
			}
			require.Error(t, err, "NewVerifier took the public test key with production certificates")
			assert.Nil(t, v)
			msg := err.Error()
			assert.True(t, strings.HasPrefix(msg, "cert: VerifierConfig.SecureKey "), msg)
			assert.Contains(t, msg, "VerifierConfig."+tt.field+" is UnionPay's production PKI")
			assert.NotContains(t, msg, PublicTestSecureKey, "the key is never printed")
		})
	}
}

// TestIsTestEnvironment: a certificate of UnionPay's test PKI is known by its key (the root's or
// the middle's) or by its issuer's key identifier, each alone; production's and a generated
// chain's are not.
func TestIsTestEnvironment(t *testing.T) {
	t.Parallel()
	root, middle := loadTestCert(t, "acp_test_root.cer"), loadTestCert(t, "acp_test_middle.cer")
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
	prodMiddle := loadProdCert(t, "acp_prod_middle.cer")
	fake := newTestChain(t, "Fake Gateway", nil)
	for _, tt := range []struct {
		name string
		c    *x509.Certificate
		want bool
	}{
		{"test root", root, true},
		{"test middle", middle, true},
		{"test encryption certificate", loadTestCert(t, "acp_test_enc.cer"), true},
		{"test signing certificate", loadTestCert(t, "unipayCertPublicKey.cer"), true},
		{"test root's key alone", without(root), true},
		{"test middle's key alone", without(middle), true},
		{"issued by the test root", issuedBy(prodMiddle, root), true},
		{"issued by the test middle", issuedBy(prodMiddle, middle), true},
		{"production root", loadProdCert(t, "acp_prod_root.cer"), false},
		{"production middle", prodMiddle, false},
		{"production encryption certificate", loadProdCert(t, "acp_prod_enc.cer"), false},
		{"generated middle", fake.middle.cert, false},
		{"nil", nil, false},
	} {
		assert.Equal(t, tt.want, IsTestEnvironment(tt.c), tt.name)
	}
	for _, c := range []*x509.Certificate{root, middle, loadTestCert(t, "acp_test_enc.cer")} {
		assert.False(t, IsProduction(c), "%s: production too", c.Subject.CommonName)
	}
}
