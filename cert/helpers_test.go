package cert

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/pem"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/sign"
)

// Paths of UnionPay's public test certificates.
var testCertDir = filepath.Join("..", "testdata", "acp-test-certs")

const testPFXPassword = "000000"

// Times at which UnionPay's test signing certificate (2020-07-31 ..
// 2025-07-31) is valid and expired.
var (
	timeValid   = time.Date(2024, 1, 5, 12, 0, 0, 0, time.UTC)
	timeExpired = time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)
)

func fixedNow(t time.Time) func() time.Time { return func() time.Time { return t } }

func loadTestCert(t testing.TB, name string) *x509.Certificate {
	t.Helper()
	c, err := LoadCertificateFile(filepath.Join(testCertDir, name))
	require.NoError(t, err)
	return c
}

func loadTestPFX(t testing.TB, name string) *PFX {
	t.Helper()
	p, err := LoadPFXFile(filepath.Join(testCertDir, name), testPFXPassword)
	require.NoError(t, err)
	return p
}

// testKeys caches generated RSA keys: generating them is slow and the tests
// need only a few distinct ones.
var testKeys = struct {
	sync.Mutex
	m map[string]*rsa.PrivateKey
}{m: map[string]*rsa.PrivateKey{}}

func testKey(t testing.TB, name string) *rsa.PrivateKey {
	t.Helper()
	testKeys.Lock()
	defer testKeys.Unlock()
	if k := testKeys.m[name]; k != nil {
		return k
	}
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	require.NoError(t, err)
	testKeys.m[name] = k
	return k
}

// issued is a generated certificate with its key and PEM text.
type issued struct {
	cert *x509.Certificate
	key  *rsa.PrivateKey
	pem  string // CRLF line ends, as UnionPay sends signPubKeyCert
}

// certSpec describes one generated certificate; zero values give a sensible
// default (valid 2020..2030, CA for roots and middles, a UnionPay leaf).
type certSpec struct {
	cn         string
	notBefore  time.Time
	notAfter   time.Time
	ca         bool
	noBasic    bool // omit basic constraints entirely
	keyUsage   x509.KeyUsage
	maxPathLen int
	keyName    string // name of the cached key to use; default cn
	serial     int64
	keyID      []byte // SubjectKeyId; default derived from the key
	extra      []pkix.Extension
}

func (s certSpec) template() *x509.Certificate {
	nb, na := s.notBefore, s.notAfter
	if nb.IsZero() {
		nb = time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	if na.IsZero() {
		na = time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	serial := s.serial
	if serial == 0 {
		serial = int64(len(s.cn))*1000003 + 69678957876
	}
	t := &x509.Certificate{
		SerialNumber:    big.NewInt(serial),
		Subject:         pkix.Name{Country: []string{"CN"}, Organization: []string{"Test CA"}, CommonName: s.cn},
		NotBefore:       nb,
		NotAfter:        na,
		KeyUsage:        s.keyUsage,
		SubjectKeyId:    s.keyID,
		ExtraExtensions: s.extra,
	}
	if !s.noBasic {
		t.BasicConstraintsValid = true
		t.IsCA = s.ca
		t.MaxPathLen = s.maxPathLen
		t.MaxPathLenZero = s.ca && s.maxPathLen == 0
	}
	return t
}

// issue creates the certificate of spec signed by parent (self-signed when
// parent is nil).
func issue(t testing.TB, spec certSpec, parent *issued) *issued {
	t.Helper()
	keyName := spec.keyName
	if keyName == "" {
		keyName = spec.cn
	}
	key := testKey(t, keyName)
	tmpl := spec.template()
	parentCert, parentKey := tmpl, key
	if parent != nil {
		parentCert, parentKey = parent.cert, parent.key
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parentCert, &key.PublicKey, parentKey)
	require.NoError(t, err)
	c, err := x509.ParseCertificate(der)
	require.NoError(t, err)
	p := string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}))
	return &issued{cert: c, key: key, pem: strings.ReplaceAll(p, "\n", "\r\n")}
}

// testChain is a generated root, middle and UnionPay signing leaf.
type testChain struct {
	root, middle, leaf *issued
}

const unionPayCN = "041@8310000000083040@" + OwnerUnionPay + "@00016495"

// caSpec returns the spec of a CA certificate named cn.
func caSpec(cn string) certSpec {
	return certSpec{cn: cn, ca: true, keyUsage: x509.KeyUsageCertSign | x509.KeyUsageCRLSign, maxPathLen: -1}
}

// leafSpec returns the spec of a UnionPay signing certificate.
func leafSpec() certSpec {
	return certSpec{cn: unionPayCN, keyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageContentCommitment}
}

// newTestChain builds root -> middle -> leaf named after prefix; leaf, if
// non-nil, overrides the leaf's spec.
func newTestChain(t testing.TB, prefix string, leaf *certSpec) *testChain {
	t.Helper()
	root := issue(t, caSpec(prefix+" Root"), nil)
	middle := issue(t, caSpec(prefix+" Middle"), root)
	ls := leafSpec()
	if leaf != nil {
		ls = *leaf
	}
	return &testChain{root: root, middle: middle, leaf: issue(t, ls, middle)}
}

// readKV reads an official vector file: key=value lines with \r \n \t \\
// escapes in values.
func readKV(t testing.TB, path string) sign.Fields {
	t.Helper()
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	f := sign.Fields{}
	unescape := strings.NewReplacer(`\r`, "\r", `\n`, "\n", `\t`, "\t", `\\`, `\`)
	for line := range strings.SplitSeq(strings.TrimRight(string(data), "\n"), "\n") {
		k, v, ok := strings.Cut(line, "=")
		require.True(t, ok, "line %q", line)
		f[k] = unescape.Replace(v)
	}
	return f
}

func der64(der []byte) []byte {
	out := make([]byte, base64.StdEncoding.EncodedLen(len(der)))
	base64.StdEncoding.Encode(out, der)
	return out
}
