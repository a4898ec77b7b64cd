package cert

import (
	"crypto/x509"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestNewVerifierTestOwnerProductionPKI: NewVerifier refuses AcceptTestOwner with UnionPay's
// production PKI in Root, Middle, NextRoot or NextMiddle, naming both fields: that middle issues
// merchants' certificates too, and only the owner name sets UnionPay's signing certificate apart.
// The test chain and a generated one take it; the production chain takes it false, and
// production LegacyCerts (5.0.0, no owner checked) are not concerned.
func TestNewVerifierTestOwnerProductionPKI(t *testing.T) {
	t.Parallel()
	prodRoot, prodMiddle := loadProdCert(t, "acp_prod_root.cer"), loadProdCert(t, "acp_prod_middle.cer")
	testRoot, testMiddle := loadTestCert(t, "acp_test_root.cer"), loadTestCert(t, "acp_test_middle.cer")
	fake := newTestChain(t, "Fake Gateway", nil)
	for _, tt := range []struct {
		name  string
		cfg   VerifierConfig
		field string // "": accepted
	}{
		{"production chain", VerifierConfig{Root: prodRoot, Middle: prodMiddle, AcceptTestOwner: true}, "Root"},
		{"production next chain", VerifierConfig{Root: testRoot, Middle: testMiddle, NextRoot: prodRoot, NextMiddle: prodMiddle,
			AcceptTestOwner: true}, "NextRoot"},
		{"production chain, owner checked", VerifierConfig{Root: prodRoot, Middle: prodMiddle}, ""},
		{"production legacy certificate", VerifierConfig{LegacyCerts: []*x509.Certificate{loadProdCert(t, "acp_prod_enc.cer")},
			AcceptTestOwner: true}, ""},
		{"test chain", VerifierConfig{Root: testRoot, Middle: testMiddle, AcceptTestOwner: true}, ""},
		{"generated chain (a fake gateway's)", VerifierConfig{Root: fake.root.cert, Middle: fake.middle.cert, AcceptTestOwner: true}, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			v, err := NewVerifier(tt.cfg)
			if tt.field == "" {
				require.NoError(t, err)
				return
			}
			require.Error(t, err, "NewVerifier took AcceptTestOwner with production certificates")
			assert.Nil(t, v)
			msg := err.Error()
			assert.True(t, strings.HasPrefix(msg, "cert: VerifierConfig.AcceptTestOwner "), msg)
			assert.Contains(t, msg, "VerifierConfig."+tt.field+" is UnionPay's production PKI")
		})
	}
}

// TestVerifierTrusts: Trusts tells a Verifier of UnionPay's production PKI from one of its test
// environment's, by any certificate it holds: chain, next chain or legacy certificate. A nil
// Verifier, the zero one and a nil match trust nothing.
func TestVerifierTrusts(t *testing.T) {
	t.Parallel()
	prodRoot, prodMiddle := loadProdCert(t, "acp_prod_root.cer"), loadProdCert(t, "acp_prod_middle.cer")
	testRoot, testMiddle := loadTestCert(t, "acp_test_root.cer"), loadTestCert(t, "acp_test_middle.cer")
	fake := newTestChain(t, "Fake Gateway", nil)
	newVerifier := func(cfg VerifierConfig) *Verifier {
		v, err := NewVerifier(cfg)
		require.NoError(t, err)
		return v
	}
	for _, tt := range []struct {
		name       string
		v          *Verifier
		prod, test bool
	}{
		{"production chain", newVerifier(VerifierConfig{Root: prodRoot, Middle: prodMiddle}), true, false},
		{"test chain", newVerifier(VerifierConfig{Root: testRoot, Middle: testMiddle, AcceptTestOwner: true}), false, true},
		{"test chain, production next", newVerifier(VerifierConfig{Root: testRoot, Middle: testMiddle,
			NextRoot: prodRoot, NextMiddle: prodMiddle}), true, true},
		{"production legacy certificate", newVerifier(VerifierConfig{LegacyCerts: []*x509.Certificate{loadProdCert(t, "acp_prod_enc.cer")}}), true, false},
		{"test legacy certificate", newVerifier(VerifierConfig{LegacyCerts: []*x509.Certificate{loadTestCert(t, "unipayCertPublicKey.cer")}}), false, true},
		{"generated chain", newVerifier(VerifierConfig{Root: fake.root.cert, Middle: fake.middle.cert}), false, false},
		{"secure key alone", newVerifier(VerifierConfig{SecureKey: []byte("k3Y-issued-by-UnionPay")}), false, false},
		{"zero", &Verifier{}, false, false},
		{"nil", nil, false, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tt.prod, tt.v.Trusts(IsProduction), "Trusts(IsProduction)")
			assert.Equal(t, tt.test, tt.v.Trusts(IsTestEnvironment), "Trusts(IsTestEnvironment)")
			assert.False(t, tt.v.Trusts(nil), "Trusts(nil)")
		})
	}
}

// TestVerifierTrustsEachCertificate: Trusts asks match about every certificate the Verifier
// holds, each on its own: Root, Middle, NextRoot, NextMiddle, LegacyCerts, SM2Root, SM2Middle and
// SM2Certs; a certificate it does not hold is not trusted.
func TestVerifierTrustsEachCertificate(t *testing.T) {
	t.Parallel()
	testRoot, testMiddle := loadTestCert(t, "acp_test_root.cer"), loadTestCert(t, "acp_test_middle.cer")
	next := newTestChain(t, "Next", nil)
	other := newTestChain(t, "Other", nil)
	legacy := loadTestPFX(t, "acp_test_sign.pfx").Certificate
	sm2 := newSM2TestChain(t, "Trusts", nil)
	sm2Cert := loadSM2Credential(t).Certificate
	v, err := NewVerifier(VerifierConfig{Root: testRoot, Middle: testMiddle, NextRoot: next.root.cert,
		NextMiddle: next.middle.cert, LegacyCerts: []*x509.Certificate{legacy}, SM2Root: sm2.root.cert,
		SM2Middle: sm2.middle.cert, SM2Certs: []*x509.Certificate{sm2Cert}})
	require.NoError(t, err)
	for _, tt := range []struct {
		name string
		c    *x509.Certificate
		want bool
	}{
		{"Root", testRoot, true},
		{"Middle", testMiddle, true},
		{"NextRoot", next.root.cert, true},
		{"NextMiddle", next.middle.cert, true},
		{"LegacyCerts", legacy, true},
		{"SM2Root", sm2.root.cert, true},
		{"SM2Middle", sm2.middle.cert, true},
		{"SM2Certs", sm2Cert, true},
		{"another root", other.root.cert, false},
		{"another middle", other.middle.cert, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tt.want, v.Trusts(func(c *x509.Certificate) bool { return c.Equal(tt.c) }))
		})
	}
}
