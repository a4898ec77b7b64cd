package cert

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/x509"

	"github.com/emmansun/gmsm/sm2"
	"github.com/emmansun/gmsm/smx509"
)

// ParseSM2Certificate parses one X.509 certificate with an SM2 public key,
// such as UnionPay's SM2 root, middle, signing or encryption certificate,
// from PEM text or DER bytes, with gmsm's smx509 (crypto/x509 cannot parse
// SM2 keys). The result is an ordinary *x509.Certificate whose PublicKey is
// an *ecdsa.PublicKey on gmsm's sm2.P256 curve and whose SignatureAlgorithm,
// for SM2-with-SM3 signatures, is smx509.SM2WithSM3. Failures, including a
// certificate whose key is not SM2, are an [*InvalidError] with Reason
// [Malformed].
func ParseSM2Certificate(data []byte) (*x509.Certificate, error) {
	der, err := certificateDER(data)
	if err != nil {
		return nil, err
	}
	return parseSM2DER(der)
}

// parseSM2DER is ParseSM2Certificate for DER bytes only.
func parseSM2DER(der []byte) (*x509.Certificate, error) {
	sc, err := smx509.ParseCertificate(der)
	if err != nil {
		return nil, invalid(nil, Malformed, err, "not an X.509 certificate")
	}
	c := sc.ToX509()
	if sm2Public(c.PublicKey) == nil {
		return nil, invalid(c, Malformed, nil, "public key is %T, not SM2", c.PublicKey)
	}
	return c, nil
}

// isSM2Certificate reports whether c carries an SM2 public key.
func isSM2Certificate(c *x509.Certificate) bool {
	return c != nil && sm2Public(c.PublicKey) != nil
}

// sm2Public returns pub if it is an SM2 public key with a point, else nil.
// gmsm's IsSM2PublicKey dereferences a nil *ecdsa.PublicKey, so that is
// checked first.
func sm2Public(pub crypto.PublicKey) *ecdsa.PublicKey {
	k, ok := pub.(*ecdsa.PublicKey)
	//lint:ignore SA1019 gmsm represents SM2 points as ecdsa.PublicKey X and Y (crypto/ecdh has no SM2); only their presence is read.
	if !ok || k == nil || k.X == nil || k.Y == nil || !sm2.IsSM2PublicKey(k) {
		return nil
	}
	return k
}

// newSM2Chain checks that root and middle are SM2 CAs and that root issued
// middle, and returns them as an SM2 chain: certificate signatures are
// SM2-with-SM3, verified under the default user ID 1234567812345678, as
// GM/T 0015 requires. Validity periods are checked at each use.
func newSM2Chain(root, middle *x509.Certificate) (*chain, error) {
	for _, c := range []*x509.Certificate{root, middle} {
		if !isSM2Certificate(c) {
			return nil, invalid(c, Malformed, nil, "public key is %T, want SM2", c.PublicKey)
		}
	}
	if err := notRoot(middle, "the gm SDK's acpsdk.sm2.middleCert.path"); err != nil {
		return nil, err
	}
	if err := checkSM2Issued(middle, root, 1); err != nil {
		return nil, err
	}
	if err := checkCA(middle, 0); err != nil {
		return nil, err
	}
	return &chain{root: root, middle: middle, sm2: true}, nil
}

// checkSM2Issued reports whether child was issued by parent, an SM2 CA:
// child names parent as issuer and carries an SM2-with-SM3 signature that
// parent's key verifies. No other signature algorithm is accepted.
func checkSM2Issued(child, parent *x509.Certificate, subCAs int) error {
	return checkIssuedBy(child, parent, subCAs, func() error {
		if child.SignatureAlgorithm != smx509.SM2WithSM3 {
			return invalid(child, BadSignature, nil, "signature algorithm is %v, want SM2-with-SM3", child.SignatureAlgorithm)
		}
		p := (*smx509.Certificate)(parent)
		return p.CheckSignature(smx509.SM2WithSM3, child.RawTBSCertificate, child.Signature)
	})
}

// checkSM2LeafUsage checks that the leaf's key is SM2 and, when key usage is
// present, that it allows one of the wanted usages.
func checkSM2LeafUsage(c *x509.Certificate, want x509.KeyUsage, what string) error {
	if !isSM2Certificate(c) {
		return invalid(c, Malformed, nil, "public key is %T, want SM2", c.PublicKey)
	}
	if c.KeyUsage != 0 && c.KeyUsage&want == 0 {
		return invalid(c, BadKeyUsage, nil, "key usage does not allow %s", what)
	}
	return nil
}

// sm2PublicKey returns the SM2 public key of c, which must carry one.
func sm2PublicKey(c *x509.Certificate) *ecdsa.PublicKey {
	return c.PublicKey.(*ecdsa.PublicKey)
}
