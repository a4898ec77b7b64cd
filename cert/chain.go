package cert

import (
	"bytes"
	"crypto/rsa"
	"crypto/x509"
	"encoding/asn1"
	"errors"
	"strings"
	"time"

	"github.com/goacp/unionpay/internal/textesc"
)

// Owner names accepted in the third '@'-separated field of the common name
// of a UnionPay signing certificate.
const (
	// OwnerUnionPay is UnionPay's legal name, required in production.
	OwnerUnionPay = "中国银联股份有限公司"
	// OwnerTest is the owner field of test-environment RSA certificates,
	// accepted only with [VerifierConfig.AcceptTestOwner].
	OwnerTest = "00040000:SIGN"
	// OwnerSM2Test is the owner field of test-environment SM2 certificates,
	// which UnionPay's 国密 (gm) SDK also accepts when
	// acpsdk.ifValidateCNName is false; accepted only with
	// [VerifierConfig.AcceptTestOwner].
	OwnerSM2Test = "ZunionpayTest"
)

var oidCommonName = asn1.ObjectIdentifier{2, 5, 4, 3}

// checkValidity reports whether now lies within c's validity period.
func checkValidity(c *x509.Certificate, now time.Time) error {
	const layout = time.RFC3339
	if now.Before(c.NotBefore) {
		return invalid(c, NotYetValid, nil, "valid from %s, checked at %s",
			c.NotBefore.UTC().Format(layout), now.UTC().Format(layout))
	}
	if now.After(c.NotAfter) {
		return invalid(c, Expired, nil, "valid until %s, checked at %s",
			c.NotAfter.UTC().Format(layout), now.UTC().Format(layout))
	}
	return nil
}

// checkCA reports whether c may issue certificates: basic constraints with
// cA set, certificate-signing key usage when key usage is present, and a path
// length that allows subCAs CA certificates below it.
func checkCA(c *x509.Certificate, subCAs int) error {
	if !c.BasicConstraintsValid || !c.IsCA {
		return invalid(c, NotCA, nil, "basic constraints do not mark it as a CA")
	}
	if c.KeyUsage != 0 && c.KeyUsage&x509.KeyUsageCertSign == 0 {
		return invalid(c, NotCA, nil, "key usage does not include certificate signing")
	}
	if c.MaxPathLen >= 0 && c.MaxPathLen < subCAs {
		return invalid(c, NotCA, nil, "path length %d forbids %d CA below it", c.MaxPathLen, subCAs)
	}
	return nil
}

// checkIssued reports whether child was issued by parent: parent is a CA,
// child names it as issuer and parent's key verifies child's signature.
// x509.Certificate.CheckSignatureFrom is not used because it refuses the
// SHA-1 signatures of UnionPay's chain; CheckSignature accepts SHA-1 (and
// still refuses MD5), and the CA checks are done here instead.
func checkIssued(child, parent *x509.Certificate, subCAs int) error {
	return checkIssuedBy(child, parent, subCAs, func() error {
		return parent.CheckSignature(child.SignatureAlgorithm, child.RawTBSCertificate, child.Signature)
	})
}

// checkIssuedBy holds the checks of checkIssued and checkSM2Issued but the
// signature's: parent is a CA allowing subCAs CAs below it, child names it
// as issuer (and as authority key, when both identifiers are present), and
// signature, the algorithm's own check, accepts child's signature.
func checkIssuedBy(child, parent *x509.Certificate, subCAs int, signature func() error) error {
	for _, c := range [...]*x509.Certificate{child, parent} {
		// A critical extension the parser does not know must not be ignored (RFC 5280
		// 4.2; Java's PKIX and x509.Verify refuse it too).
		if len(c.UnhandledCriticalExtensions) > 0 {
			return invalid(c, Malformed, nil, "unhandled critical extension %v", c.UnhandledCriticalExtensions[0])
		}
	}
	if err := checkCA(parent, subCAs); err != nil {
		return err
	}
	if !bytes.Equal(child.RawIssuer, parent.RawSubject) {
		return invalid(child, UnknownAuthority, nil, "issued by %s, not by the configured %q",
			textesc.QuoteShort(child.Issuer.String(), maxShown), parent.Subject.String())
	}
	if len(child.AuthorityKeyId) > 0 && len(parent.SubjectKeyId) > 0 &&
		!bytes.Equal(child.AuthorityKeyId, parent.SubjectKeyId) {
		return invalid(child, UnknownAuthority, nil, "authority key identifier does not match the configured %q",
			parent.Subject.String())
	}
	if err := signature(); err != nil {
		if _, ok := errors.AsType[*InvalidError](err); ok {
			return err
		}
		return invalid(child, BadSignature, err, "signature does not verify with the key of %q",
			parent.Subject.String())
	}
	return nil
}

// Owner returns the owner field of a UnionPay-style certificate: the third
// '@'-separated part of its one subject common name (中国银联股份有限公司 for
// UnionPay's production signing certificates). A certificate without one is
// an [*InvalidError] with Reason WrongOwner.
func Owner(c *x509.Certificate) (string, error) {
	if c == nil {
		return "", errors.New("cert: Owner: nil certificate")
	}
	var cns []string
	for _, atv := range c.Subject.Names {
		if atv.Type.Equal(oidCommonName) {
			s, _ := atv.Value.(string)
			cns = append(cns, s)
		}
	}
	if len(cns) != 1 {
		return "", invalid(c, WrongOwner, nil, "subject has %d common names, want 1", len(cns))
	}
	if t61NonASCII(c.RawSubject) {
		// Parsers disagree on such a name: crypto/x509 and OpenSSL read T61String as Latin-1,
		// gmsm (SM2 certificates) byte for byte, so UTF-8 bytes in it could pass for 中国银联.
		return "", invalid(c, WrongOwner, nil, "common name is a T61String with bytes outside ASCII")
	}
	parts := strings.Split(cns[0], "@")
	if len(parts) < 3 {
		return "", invalid(c, WrongOwner, nil, "common name %s has no owner field", textesc.QuoteShort(cns[0], maxShown))
	}
	return parts[2], nil
}

// attributeSET is one relative distinguished name of a subject (a SET OF, as
// encoding/asn1 reads a slice type whose name ends in SET), its values raw.
type attributeSET []struct {
	Type  asn1.ObjectIdentifier
	Value asn1.RawValue
}

// t61NonASCII reports whether the subject rawSubject has a common name
// encoded as a T61String holding bytes outside ASCII.
func t61NonASCII(rawSubject []byte) bool {
	var rdns []attributeSET
	if _, err := asn1.Unmarshal(rawSubject, &rdns); err != nil {
		return false // the certificate's parser read it: its names are judged as parsed
	}
	for _, set := range rdns {
		for _, atv := range set {
			if atv.Type.Equal(oidCommonName) && atv.Value.Tag == asn1.TagT61String {
				for _, b := range atv.Value.Bytes {
					if b >= 0x80 {
						return true
					}
				}
			}
		}
	}
	return false
}

// checkOwner checks the owner field of a UnionPay signing certificate: the
// third '@'-separated part of its single common name.
func checkOwner(c *x509.Certificate, testOwner string) error {
	owner, err := Owner(c)
	if err != nil {
		return err
	}
	switch {
	case owner == OwnerUnionPay:
		return nil
	case testOwner != "" && owner == testOwner:
		return nil
	default:
		return invalid(c, WrongOwner, nil, "owner field %s is not %s", textesc.QuoteShort(owner, maxShown), OwnerUnionPay)
	}
}

// checkLeafUsage checks that the leaf's key is RSA and, when key usage is
// present, that it allows one of the wanted usages.
func checkLeafUsage(c *x509.Certificate, want x509.KeyUsage, what string) error {
	if _, ok := c.PublicKey.(*rsa.PublicKey); !ok {
		return invalid(c, Malformed, nil, "public key is %T, want RSA", c.PublicKey)
	}
	if c.KeyUsage != 0 && c.KeyUsage&want == 0 {
		return invalid(c, BadKeyUsage, nil, "key usage does not allow %s", what)
	}
	return nil
}

// chain is a configured middle and root, RSA or SM2; the middle's signature
// by the root is checked once, when the chain is built.
type chain struct {
	root, middle *x509.Certificate
	// sm2 is set for an SM2 chain (newSM2Chain), whose leaves must be SM2
	// certificates, signed SM2-with-SM3 (checkSM2Issued).
	sm2 bool
	// next is the chain UnionPay is moving to (VerifierConfig.NextRoot and
	// NextMiddle, or NextSM2Root and NextSM2Middle), tried for a certificate
	// this one did not issue; or nil.
	next *chain
}

// newChain checks that middle is a CA issued by root, which is a CA too.
// Validity periods are checked later, at the time of each use.
func newChain(root, middle *x509.Certificate) (*chain, error) {
	for _, c := range []*x509.Certificate{root, middle} { // the likeliest mistake: UnionPay's SM2 chain
		if isSM2Certificate(c) {
			return nil, invalid(c, Malformed, nil, "an SM2 certificate: configure it as SM2Root or SM2Middle")
		}
	}
	if err := notRoot(middle, "acp_prod_middle.cer, acp_test_middle.cer"); err != nil {
		return nil, err
	}
	if err := checkIssued(middle, root, 1); err != nil {
		return nil, err
	}
	if err := checkCA(middle, 0); err != nil {
		return nil, err
	}
	return &chain{root: root, middle: middle}, nil
}

// notRoot refuses, as the middle of a chain, a certificate that issued itself (its subject is its
// issuer): a root, usually the root itself given twice (the Java SDK's middleCert.path pointing
// at the root file), which would pass as issued by the root while every UnionPay signing
// certificate, issued by the real middle, failed. files names the middle's file for the chain's
// algorithm.
func notRoot(middle *x509.Certificate, files string) error {
	if len(middle.RawSubject) > 0 && bytes.Equal(middle.RawSubject, middle.RawIssuer) {
		return invalid(middle, UnknownAuthority, nil, "a self-issued certificate (a root, %q): the middle is the "+
			"intermediate that issues UnionPay's signing certificates (%s)",
			middle.Subject.CommonName, files)
	}
	return nil
}

// chainField names, for an error of newChain or newSM2Chain, the
// VerifierConfig field that holds the certificate at fault: rootField or
// middleField, or both when it cannot tell.
func chainField(err error, root, middle *x509.Certificate, rootField, middleField string) string {
	inv, ok := err.(*InvalidError)
	switch {
	case !ok || root == middle:
	case inv.Cert == root:
		return "VerifierConfig." + rootField
	case inv.Cert == middle:
		return "VerifierConfig." + middleField
	}
	return "VerifierConfig." + rootField + " and VerifierConfig." + middleField
}

// verify checks that leaf (an SM2 certificate, for an SM2 chain) was issued
// by the middle and that the leaf, middle and root are all valid at now. It
// returns the window within which the result stays true.
//
// With a next chain, a leaf this one does not verify is tried with it: one
// the next middle issued (a new middle, or the current one renewed under its
// name and key, whose leaves both verify) is valid if that chain is. The
// error is the next chain's when the leaf is its certificate (its middle alone
// issued it, or it names that middle alone), else this chain's.
func (ch *chain) verify(leaf *x509.Certificate, now time.Time) (notBefore, notAfter time.Time, err error) {
	if ch.sm2 && !isSM2Certificate(leaf) {
		return notBefore, notAfter, invalid(leaf, Malformed, nil, "public key is %T, want SM2", leaf.PublicKey)
	}
	issued, notBefore, notAfter, err := ch.verifyOne(leaf, now)
	if err == nil || ch.next == nil {
		return notBefore, notAfter, err
	}
	nextIssued, nb, na, nextErr := ch.next.verifyOne(leaf, now)
	if nextErr == nil || !issued && (nextIssued || namesOnly(leaf, ch.next.middle, ch.middle)) {
		return nb, na, nextErr
	}
	return notBefore, notAfter, err
}

// namesOnly reports whether leaf names middle as its issuer, and not other.
func namesOnly(leaf, middle, other *x509.Certificate) bool {
	return bytes.Equal(leaf.RawIssuer, middle.RawSubject) && !bytes.Equal(leaf.RawIssuer, other.RawSubject)
}

// verifyOne is verify for this chain alone; issued reports whether its
// middle issued leaf.
func (ch *chain) verifyOne(leaf *x509.Certificate, now time.Time) (issued bool, notBefore, notAfter time.Time, err error) {
	check := checkIssued
	if ch.sm2 {
		check = checkSM2Issued
	}
	if err := check(leaf, ch.middle, 0); err != nil {
		return false, notBefore, notAfter, err
	}
	notBefore, notAfter, err = validWindow(now, leaf, ch.middle, ch.root)
	return true, notBefore, notAfter, err
}

// validWindow checks that every certificate of a chain is valid at now and
// returns the window within which that stays true: the intersection of
// their validity periods.
func validWindow(now time.Time, certs ...*x509.Certificate) (notBefore, notAfter time.Time, err error) {
	notBefore, notAfter = certs[0].NotBefore, certs[0].NotAfter
	for _, c := range certs {
		if err := checkValidity(c, now); err != nil {
			return notBefore, notAfter, err
		}
		if c.NotBefore.After(notBefore) {
			notBefore = c.NotBefore
		}
		if c.NotAfter.Before(notAfter) {
			notAfter = c.NotAfter
		}
	}
	return notBefore, notAfter, nil
}
