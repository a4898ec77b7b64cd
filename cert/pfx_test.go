package cert

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"software.sslmate.com/src/go-pkcs12"

	"github.com/goacp/unionpay/sign"
)

func TestLoadPFXTestFiles(t *testing.T) {
	t.Parallel()
	tests := []struct {
		file    string
		certID  string
		cn      string
		caCerts int
	}{
		// acp_test_sign.pfx: 3DES key bag, RC2-40 certificate bag, one certificate.
		{"acp_test_sign.pfx", "69629715588", "041@Z2014-11-11@700000000000001:SIGN@00000002", 0},
		// unipayAppCert.pfx: three certificates (leaf, CFCA TEST CS CA, CFCA TEST OCA1).
		{"unipayAppCert.pfx", "69903319369", "041@Z2014-11-11@700000000000001:SIGN@00000003", 2},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			t.Parallel()
			p := loadTestPFX(t, tt.file)
			assert.Equal(t, tt.certID, p.CertID())
			assert.Equal(t, tt.cn, p.Certificate.Subject.CommonName)
			assert.Len(t, p.CACerts, tt.caCerts)
			key, ok := p.Key.(*rsa.PrivateKey)
			require.True(t, ok)
			assert.True(t, key.PublicKey.Equal(p.Certificate.PublicKey))
			for _, c := range p.CACerts {
				assert.True(t, c.IsCA, "CA certificate %s", c.Subject)
			}
			s, err := p.Signer()
			require.NoError(t, err)
			assert.Equal(t, tt.certID, s.CertID())
			_, err = p.Decrypter()
			require.NoError(t, err)
		})
	}
}

// The PFX signer must reproduce the official SDK's signatures byte for byte.
func TestPFXSignerMatchesOfficialSDK(t *testing.T) {
	t.Parallel()
	vectors := filepath.Join("..", "testdata", "official-sdk-vectors")
	tests := []struct{ pfx, signed string }{
		{"acp_test_sign.pfx", "consume_request.signed-5.1.0-acp_test_sign.kv"},
		{"acp_test_sign.pfx", "consume_request.signed-5.0.0-acp_test_sign.kv"},
		{"unipayAppCert.pfx", "consume_request.signed-5.1.0-unipayAppCert.kv"},
	}
	for _, tt := range tests {
		t.Run(tt.signed, func(t *testing.T) {
			t.Parallel()
			want := readKV(t, filepath.Join(vectors, tt.signed))
			s, err := loadTestPFX(t, tt.pfx).Signer()
			require.NoError(t, err)
			f := want.Clone()
			delete(f, sign.FieldSignature)
			delete(f, sign.FieldCertID)
			require.NoError(t, sign.Sign(s, f))
			assert.Equal(t, want, f)
		})
	}
}

func TestLoadPFXErrors(t *testing.T) {
	t.Parallel()
	data, err := os.ReadFile(filepath.Join(testCertDir, "acp_test_sign.pfx"))
	require.NoError(t, err)

	t.Run("wrong password", func(t *testing.T) {
		t.Parallel()
		_, err := LoadPFX(data, "123456")
		require.ErrorIs(t, err, ErrPassword)
		require.ErrorIs(t, err, pkcs12.ErrIncorrectPassword)
		assert.NotContains(t, err.Error(), "123456")
	})
	t.Run("wrong password from file", func(t *testing.T) {
		t.Parallel()
		_, err := LoadPFXFile(filepath.Join(testCertDir, "unipayAppCert.pfx"), "")
		require.ErrorIs(t, err, ErrPassword)
	})
	corrupt := map[string][]byte{
		"empty":     nil,
		"garbage":   []byte("not a pfx file"),
		"truncated": data[:len(data)/2],
		"PEM":       []byte("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"),
	}
	// A damaged header is a structural error. (Damage inside the MAC-protected
	// content cannot be told from a wrong password: both fail the MAC.)
	flipped := append([]byte(nil), data...)
	flipped[4] ^= 0xFF
	corrupt["damaged header"] = flipped
	for name, in := range corrupt {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			_, err := LoadPFX(in, testPFXPassword)
			require.Error(t, err)
			assert.NotErrorIs(t, err, ErrPassword)
			assert.Contains(t, err.Error(), "cert: ")
		})
	}
	// A .cer given where the .pfx goes (acpsdk.signCert.path, -pfx) is named as a certificate,
	// PEM or DER, not left to the PKCS#12 decoder's ASN.1 message.
	root, err := os.ReadFile(filepath.Join(testCertDir, "acp_test_root.cer"))
	require.NoError(t, err)
	rootCert, err := ParseCertificate(root)
	require.NoError(t, err)
	for name, in := range map[string][]byte{"certificate PEM": root, "certificate DER": rootCert.Raw} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			_, err := LoadPFX(in, testPFXPassword)
			require.ErrorContains(t, err, `cert: not a PKCS#12 (.pfx) file but a certificate (CN="CFCA TEST CS CA"), which holds no private key`)
			assert.NotErrorIs(t, err, ErrPassword)
			assert.Error(t, errors.Unwrap(err), "the decoder's error stays wrapped")
		})
	}
	t.Run("EC key", func(t *testing.T) {
		t.Parallel()
		key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		require.NoError(t, err)
		tmpl := certSpec{cn: "ec"}.template()
		der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
		require.NoError(t, err)
		c, err := x509.ParseCertificate(der)
		require.NoError(t, err)
		pfxData, err := pkcs12.Modern2023.Encode(key, c, nil, "pw")
		require.NoError(t, err)
		_, err = LoadPFX(pfxData, "pw")
		require.ErrorContains(t, err, "want an RSA key")
	})
	t.Run("missing file", func(t *testing.T) {
		t.Parallel()
		_, err := LoadPFXFile(filepath.Join(testCertDir, "nope.pfx"), testPFXPassword)
		require.ErrorIs(t, err, os.ErrNotExist)
	})
}

// A PFX whose first certificate is not the key's must still yield the
// matching one.
func TestLoadPFXPicksMatchingLeaf(t *testing.T) {
	t.Parallel()
	ch := newTestChain(t, "PFX", nil)
	other := issue(t, certSpec{cn: "other leaf", keyName: "other"}, ch.middle)
	tests := []struct {
		name    string
		enc     *pkcs12.Encoder
		first   *x509.Certificate
		cas     []*x509.Certificate
		wantErr bool
	}{
		{"leaf first, modern", pkcs12.Modern2023, ch.leaf.cert, []*x509.Certificate{ch.middle.cert, ch.root.cert}, false},
		{"leaf last, legacy RC2", pkcs12.LegacyRC2, ch.root.cert, []*x509.Certificate{ch.middle.cert, ch.leaf.cert}, false},
		{"leaf middle, legacy DES", pkcs12.LegacyDES, ch.middle.cert, []*x509.Certificate{ch.leaf.cert, ch.root.cert}, false},
		{"no matching certificate", pkcs12.LegacyDES, other.cert, []*x509.Certificate{ch.root.cert}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			pfxData, err := tt.enc.WithRand(rand.Reader).Encode(ch.leaf.key, tt.first, tt.cas, "secret")
			require.NoError(t, err)
			p, err := LoadPFX(pfxData, "secret")
			if tt.wantErr {
				require.Error(t, err)
				assert.Contains(t, err.Error(), "matches its private key")
				return
			}
			require.NoError(t, err)
			assert.Equal(t, ch.leaf.cert.Raw, p.Certificate.Raw)
			assert.Len(t, p.CACerts, 2)
			for _, c := range p.CACerts {
				assert.NotEqual(t, ch.leaf.cert.Raw, c.Raw)
			}
		})
	}
}
