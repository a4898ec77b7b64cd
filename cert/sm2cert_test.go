package cert

import (
	"crypto/x509"
	"encoding/pem"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/emmansun/gmsm/smx509"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseSM2Certificate(t *testing.T) {
	t.Parallel()
	cred := loadSM2Credential(t)
	der := cred.Certificate.Raw
	p := string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}))
	for name, data := range map[string]string{
		"DER":         string(der),
		"PEM":         p,
		"PEM CRLF":    strings.ReplaceAll(p, "\n", "\r\n"),
		"PEM padded":  "\r\n  " + p + "\r\n",
		"PEM and BOM": "\xef\xbb\xbf" + p,
	} {
		c, err := ParseSM2Certificate([]byte(data))
		if assert.NoError(t, err, name) {
			assert.Equal(t, sm2CredentialCertID, CertID(c), name)
			assert.Equal(t, smx509.SM2WithSM3, c.SignatureAlgorithm, name)
		}
	}
	rsaPEM := readTestFile(t, "../testdata/acp-test-certs/acp_test_enc.cer")
	for name, data := range map[string][]byte{
		"RSA certificate": rsaPEM,
		"empty":           nil,
		"garbage":         []byte("hello"),
		"truncated":       der[:len(der)-1],
		"trailing data":   append(append([]byte(nil), der...), 0),
		"PEM key":         []byte("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"),
		"two PEM":         []byte(p + p),
		"bad PEM":         []byte("-----BEGIN CERTIFICATE-----\n!!"),
	} {
		c, err := ParseSM2Certificate(data)
		assert.Nil(t, c, name)
		var ie *InvalidError
		if assert.ErrorAs(t, err, &ie, name) {
			assert.Equal(t, Malformed, ie.Reason, name)
		}
	}
}

// reasonOf returns the Reason of an *InvalidError, or 0.
func reasonOf(err error) Reason {
	if ie, ok := errors.AsType[*InvalidError](err); ok {
		return ie.Reason
	}
	return 0
}

func TestSM2Chain(t *testing.T) {
	t.Parallel()
	good := newSM2TestChain(t, "Good", nil)
	other := newSM2TestChain(t, "Other", nil)
	now := time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)
	ch, err := newSM2Chain(good.root.cert, good.middle.cert)
	require.NoError(t, err)

	nb, na, err := ch.verify(good.leaf.cert, now)
	require.NoError(t, err)
	assert.Equal(t, good.leaf.cert.NotBefore, nb)
	assert.Equal(t, good.leaf.cert.NotAfter, na)

	// A certificate naming the middle (subject and key ID) as its issuer,
	// signed by another key.
	forgedSpec := caSpec("Good SM2 Middle")
	forgedSpec.keyID = good.middle.cert.SubjectKeyId
	forged := issueSM2(t, leafSpec(), issueSM2(t, forgedSpec, other.root))
	// Issued by the root directly, skipping the middle.
	fromRoot := issueSM2(t, leafSpec(), good.root)
	expired := certSpec{cn: unionPayCN, notAfter: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)}
	future := certSpec{cn: unionPayCN, notBefore: time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)}
	rsaLeaf := newTestChain(t, "RSA", nil).leaf.cert

	tests := []struct {
		name string
		leaf *x509.Certificate
		want Reason
	}{
		{"other chain", other.leaf.cert, UnknownAuthority},
		{"forged signature", forged.cert, BadSignature},
		{"issued by the root", fromRoot.cert, UnknownAuthority},
		{"expired", issueSM2(t, expired, good.middle).cert, Expired},
		{"not yet valid", issueSM2(t, future, good.middle).cert, NotYetValid},
		{"RSA certificate", rsaLeaf, Malformed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, _, err := ch.verify(tt.leaf, now)
			assert.Equal(t, tt.want, reasonOf(err), "%v", err)
		})
	}
	_, _, err = ch.verify(good.leaf.cert, time.Date(2031, 1, 1, 0, 0, 0, 0, time.UTC))
	assert.Equal(t, Expired, reasonOf(err), "root and middle expire in 2030")
}

func TestNewSM2ChainErrors(t *testing.T) {
	t.Parallel()
	good := newSM2TestChain(t, "Good", nil)
	other := newSM2TestChain(t, "Other", nil)
	notCA := issueSM2(t, certSpec{cn: "Not a CA"}, good.root)
	rsa := newTestChain(t, "RSA", nil)
	tests := []struct {
		name         string
		root, middle *x509.Certificate
		want         Reason
	}{
		{"middle of another root", good.root.cert, other.middle.cert, UnknownAuthority},
		{"middle not a CA", good.root.cert, notCA.cert, NotCA},
		{"root not a CA", good.leaf.cert, good.middle.cert, NotCA},
		{"RSA root", rsa.root.cert, good.middle.cert, Malformed},
		{"RSA middle", good.root.cert, rsa.middle.cert, Malformed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ch, err := newSM2Chain(tt.root, tt.middle)
			assert.Nil(t, ch)
			assert.Equal(t, tt.want, reasonOf(err), "%v", err)
		})
	}
}

// A leaf whose certificate signature is ECDSA-with-SHA256 by the SM2 middle
// key is refused although the key is right: only SM2-with-SM3 is accepted.
func TestSM2ChainRefusesOtherSignatureAlgorithms(t *testing.T) {
	t.Parallel()
	good := newSM2TestChain(t, "Good", nil)
	ch, err := newSM2Chain(good.root.cert, good.middle.cert)
	require.NoError(t, err)
	leaf := *good.leaf.cert
	leaf.SignatureAlgorithm = x509.ECDSAWithSHA256
	_, _, err = ch.verify(&leaf, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	assert.Equal(t, BadSignature, reasonOf(err), "%v", err)
}
