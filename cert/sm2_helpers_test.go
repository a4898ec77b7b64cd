package cert

import (
	"bytes"
	"crypto/rand"
	"crypto/x509"
	"encoding/asn1"
	"encoding/pem"
	"errors"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/emmansun/gmsm/sm2"
	"github.com/emmansun/gmsm/smx509"
	"github.com/stretchr/testify/require"
)

// The SM2 test credential of UnionPay's gm SDK (testdata/sm2/README.md).
var sm2CredentialPath = filepath.Join("..", "testdata", "sm2", "cfca_test.sm2")

const (
	sm2CredentialPassword = "cfca1234"
	sm2CredentialCertID   = "69629716832"
)

func loadSM2Credential(t testing.TB) *SM2Credential {
	t.Helper()
	c, err := LoadSM2File(sm2CredentialPath, sm2CredentialPassword)
	require.NoError(t, err)
	return c
}

// sm2Issued is a generated SM2 certificate with its key and PEM text.
type sm2Issued struct {
	cert *x509.Certificate
	key  *sm2.PrivateKey
	pem  string // CRLF line ends, as UnionPay sends signPubKeyCert
}

// issueSM2 creates the SM2 certificate of spec (see certSpec) signed with
// SM2-with-SM3 by parent (self-signed when parent is nil), with a new key.
func issueSM2(t testing.TB, spec certSpec, parent *sm2Issued) *sm2Issued {
	t.Helper()
	key, err := sm2.GenerateKey(rand.Reader)
	require.NoError(t, err)
	tmpl := spec.template()
	parentCert, parentKey := tmpl, key
	if parent != nil {
		parentCert, parentKey = parent.cert, parent.key
	}
	der, err := smx509.CreateCertificate(rand.Reader, tmpl, parentCert, &key.PublicKey, parentKey)
	require.NoError(t, err)
	c, err := ParseSM2Certificate(der)
	require.NoError(t, err)
	p := string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}))
	return &sm2Issued{cert: c, key: key, pem: strings.ReplaceAll(p, "\n", "\r\n")}
}

// sm2TestChain is a generated SM2 root, middle and UnionPay signing leaf.
type sm2TestChain struct {
	root, middle, leaf *sm2Issued
}

// newSM2TestChain builds root -> middle -> leaf; leaf, if non-nil, overrides
// the leaf's spec.
func newSM2TestChain(t testing.TB, prefix string, leaf *certSpec) *sm2TestChain {
	t.Helper()
	root := issueSM2(t, caSpec(prefix+" SM2 Root"), nil)
	middle := issueSM2(t, caSpec(prefix+" SM2 Middle"), root)
	ls := leafSpec()
	if leaf != nil {
		ls = *leaf
	}
	return &sm2TestChain{root: root, middle: middle, leaf: issueSM2(t, ls, middle)}
}

// encodeSM2File builds a CFCA .sm2 file (base64 text with CRLF line breaks) for
// the private scalar d and certificate DER under password.
func encodeSM2File(t testing.TB, d, certDER []byte, password string) []byte {
	t.Helper()
	b, err := marshalSM2(d, certDER, password)
	require.NoError(t, err)
	return bytes.ReplaceAll(b, []byte("\n"), []byte("\r\n"))
}

// scalar returns the 32-byte private scalar of key.
func scalar(key *sm2.PrivateKey) []byte {
	return key.D.FillBytes(make([]byte, 32))
}

func readTestFile(t testing.TB, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	return b
}

// parseTestDER splits an ASN.1 SM2 signature into 32-byte r and s.
func parseTestDER(der []byte) (r, s []byte, err error) {
	var sig struct{ R, S *big.Int }
	rest, err := asn1.Unmarshal(der, &sig)
	if err != nil || len(rest) != 0 {
		return nil, nil, errors.New("not a DER signature")
	}
	return sig.R.FillBytes(make([]byte, 32)), sig.S.FillBytes(make([]byte, 32)), nil
}
