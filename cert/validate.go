package cert

import (
	"crypto/rsa"
	"crypto/x509"
	"errors"
	"time"
)

// ValidateCertificate checks a UnionPay signing certificate as [Verifier.Verify]
// does for signPubKeyCert: issued by the configured Middle (itself issued by
// Root), or by NextMiddle (issued by NextRoot) when those are set, all three
// valid at the configured time, digital-signature key usage
// and UnionPay's owner name. Failures are an [*InvalidError]; a Verifier
// without Root and Middle returns an error matching [ErrNoChain] (a nil or
// zero one, [ErrMethod]).
//
// An SM2 certificate is checked against SM2Root and SM2Middle instead.
func (v *Verifier) ValidateCertificate(c *x509.Certificate) error {
	if err := v.Check(); err != nil {
		return err
	}
	sm2 := isSM2Certificate(c)
	if err := v.needChain(sm2); err != nil {
		return err
	}
	if sm2 {
		_, err := v.sm2.validateSigning(c, v.now(), v.acceptTestOwner)
		return err
	}
	if c == nil {
		return errors.New("cert: ValidateCertificate: nil certificate")
	}
	_, err := v.validateSigning(c, v.now())
	return err
}

func (v *Verifier) validateSigning(c *x509.Certificate, now time.Time) (*validated, error) {
	nb, na, err := v.chain.verify(c, now)
	if err != nil {
		return nil, err
	}
	if err := checkLeafUsage(c, x509.KeyUsageDigitalSignature|x509.KeyUsageContentCommitment, "digital signature"); err != nil {
		return nil, err
	}
	testOwner := ""
	if v.acceptTestOwner {
		testOwner = OwnerTest
	}
	if err := checkOwner(c, testOwner); err != nil {
		return nil, err
	}
	return &validated{cert: c, pub: c.PublicKey.(*rsa.PublicKey), certID: CertID(c), notBefore: nb, notAfter: na}, nil
}

// ValidateEncryptionCertificate checks a UnionPay encryption certificate,
// such as the encryptPubKeyCert of a txnType 95 response, before it is used:
// issued by the configured Middle (itself issued by Root), or by NextMiddle
// (issued by NextRoot) when those are set, all three valid at the configured time, an RSA key whose key usage (if present) allows key
// encipherment. The owner name is not checked. Failures are an
// [*InvalidError]; a Verifier without the chain the certificate needs returns
// an error matching [ErrNoChain] (a nil or zero one, [ErrMethod]).
//
// An SM2 certificate is checked against SM2Root and SM2Middle instead, and
// its key usage may also be key agreement.
func (v *Verifier) ValidateEncryptionCertificate(c *x509.Certificate) error {
	if err := v.Check(); err != nil {
		return err
	}
	sm2 := isSM2Certificate(c)
	if err := v.needChain(sm2); err != nil {
		return err
	}
	if sm2 {
		return v.sm2.validateEncryption(c, v.now())
	}
	if c == nil {
		return errors.New("cert: ValidateEncryptionCertificate: nil certificate")
	}
	if _, _, err := v.chain.verify(c, v.now()); err != nil {
		return err
	}
	return checkLeafUsage(c, x509.KeyUsageKeyEncipherment|x509.KeyUsageDataEncipherment, "key encipherment")
}
