package cert

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/pem"
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestInvalidErrorShortParserText: an *InvalidError's text shows 512 bytes of its Detail and of
// its Err's text, then their length, for what a forged signPubKeyCert chooses besides names and
// serial: crypto/x509 quotes a SAN URI it cannot parse whole in its error (twice: its own text and
// net/url's), and the OID of an unhandled critical extension can have thousands of arcs. Whole,
// a certificate of 20 to 40 KB made an error, logged for every refused notification, of twice its
// size. Err itself stays whole. Found by fuzzing (FuzzParseCertificate's error-length property).
func TestInvalidErrorShortParserText(t *testing.T) {
	t.Parallel()
	good := newTestChain(t, "ParserText", nil)
	v := good.verifier(t, timeGenerated)

	longOID, uri := longTextNames(20_000)
	spec := leafSpec()
	spec.extra = []pkix.Extension{{Id: longOID, Critical: true, Value: []byte{0x05, 0x00}}}
	criticalOID := (&testChain{leaf: issue(t, spec, good.middle)}).notification(t)
	badURI := good.notification(t)
	badURI[FieldSignPubKeyCert] = string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE",
		Bytes: createWithExtension(t, sanURI(t, uri), good.middle, good.leaf.key)}))

	for _, tt := range []struct {
		name     string
		f        map[string]string
		longPart string // in the Detail or Err, whole
	}{
		{"unhandled critical extension", criticalOID, longOID.String()},
		{"SAN URI crypto/x509 quotes", badURI, uri},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := v.Verify(tt.f)
			requireReason(t, err, Malformed)
			assert.Less(t, len(err.Error()), 1400, "%.2000s", err.Error())
			assert.Contains(t, err.Error(), " bytes)")
			ie, ok := errors.AsType[*InvalidError](err)
			require.True(t, ok)
			whole := ie.Detail
			if ie.Err != nil {
				whole += ie.Err.Error()
			}
			assert.Contains(t, whole, tt.longPart, "Detail and Err whole")
		})
	}
	t.Run("short text whole", func(t *testing.T) {
		t.Parallel()
		detail := strings.Repeat("d", 512)
		err := &InvalidError{Reason: Malformed, Detail: detail, Err: errors.New(strings.Repeat("e", 512))}
		assert.Equal(t, "cert: malformed: "+detail+": "+strings.Repeat("e", 512), err.Error())
	})
	t.Run("a byte more cut at 512", func(t *testing.T) {
		t.Parallel()
		err := &InvalidError{Reason: Malformed, Detail: strings.Repeat("d", 513), Err: errors.New(strings.Repeat("e", 513))}
		assert.Equal(t, "cert: malformed: "+strings.Repeat("d", 512)+"… (513 bytes): "+strings.Repeat("e", 512)+"… (513 bytes)",
			err.Error())
	})
}

// longTextNames returns an OID of n arcs and a URI of about n bytes that net/url refuses (a bad
// escape at its end).
func longTextNames(n int) (asn1.ObjectIdentifier, string) {
	oid := asn1.ObjectIdentifier{1, 2}
	for len(oid) < n {
		oid = append(oid, 1)
	}
	return oid, "http://" + strings.Repeat("a", n) + "%zz"
}

// sanURI is a subjectAltName extension of one URI.
func sanURI(t testing.TB, uri string) pkix.Extension {
	t.Helper()
	san, err := asn1.Marshal([]asn1.RawValue{{Class: asn1.ClassContextSpecific, Tag: 6, Bytes: []byte(uri)}})
	require.NoError(t, err)
	return pkix.Extension{Id: asn1.ObjectIdentifier{2, 5, 29, 17}, Value: san}
}

// createWithExtension returns the DER of a UnionPay leaf with ext issued by parent (self-signed
// when parent is nil) for key, which crypto/x509 need not parse back (issue does).
func createWithExtension(t testing.TB, ext pkix.Extension, parent *issued, key *rsa.PrivateKey) []byte {
	t.Helper()
	tmpl := leafSpec().template()
	tmpl.ExtraExtensions = []pkix.Extension{ext}
	parentCert, parentKey := tmpl, key
	if parent != nil {
		parentCert, parentKey = parent.cert, parent.key
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parentCert, &key.PublicKey, parentKey)
	require.NoError(t, err)
	return der
}
