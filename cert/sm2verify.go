package cert

import (
	"bytes"
	"crypto/x509"
	"errors"
	"fmt"
	"time"

	"github.com/emmansun/gmsm/sm3"

	"github.com/goacp/unionpay/internal/verifycore"
	"github.com/goacp/unionpay/sign"
)

// sm2Trust is the SM2 (signMethod 21) part of a verifier's configuration:
// an SM2 root and middle for 5.1.0 messages, whose signing certificate comes
// in signPubKeyCert, and SM2 certificates by certId for 5.0.0 and 5.0.1
// messages. Either may be absent; a message needing an absent one is
// refused with [ErrMethod]. It is safe for concurrent use.
type sm2Trust struct {
	chain  *chain // an SM2 chain (newSM2Chain), or nil
	legacy map[string]*x509.Certificate
	cache  *certCache // validated signPubKeyCert values, SM2 only
}

// newSM2Trust builds the SM2 configuration; it returns nil, nil when none of
// root, middle and certs is given. Root and middle go together.
func newSM2Trust(root, middle *x509.Certificate, certs []*x509.Certificate, cacheSize int) (*sm2Trust, error) {
	t := &sm2Trust{}
	switch {
	case root != nil && middle != nil:
		ch, err := newSM2Chain(root, middle)
		if err != nil {
			return nil, withContext(err, chainField(err, root, middle, "SM2Root", "SM2Middle"))
		}
		t.chain = ch
	case root != nil || middle != nil:
		return nil, errors.New("cert: VerifierConfig needs both SM2Root and SM2Middle, or neither")
	}
	if len(certs) > 0 {
		t.legacy = make(map[string]*x509.Certificate, len(certs))
		for i, c := range certs {
			if !isSM2Certificate(c) {
				return nil, fmt.Errorf("cert: VerifierConfig.SM2Certs[%d] is nil or not an SM2 certificate", i)
			}
			if err := legacySigner(c); err != nil {
				return nil, fmt.Errorf("cert: VerifierConfig.SM2Certs[%d]: %w", i, err)
			}
			id := CertID(c)
			if old, dup := t.legacy[id]; dup {
				if bytes.Equal(old.Raw, c.Raw) {
					continue // the same file twice
				}
				return nil, fmt.Errorf("cert: VerifierConfig.SM2Certs has two certificates with certId %s", id)
			}
			t.legacy[id] = c
		}
	}
	if t.chain == nil && t.legacy == nil {
		return nil, nil
	}
	if cacheSize <= 0 {
		cacheSize = defaultCacheSize
	}
	t.cache = newCertCache(cacheSize)
	return t, nil
}

// verify checks a signMethod 21 message. The signing certificate is, for
// version 5.1.0, signPubKeyCert validated against the SM2 chain, and for
// 5.0.0 and 5.0.1 the configured SM2 certificate named by certId; its
// decimal serial is the SM2 user ID.
func (t *sm2Trust) verify(f sign.Fields, signature string, now time.Time, acceptTestOwner bool) (*Signed, error) {
	version := f[sign.FieldVersion]
	var (
		c   *x509.Certificate
		err error
	)
	switch version {
	case sign.Version510:
		c, err = t.signingCert(f, now, acceptTestOwner)
	case sign.Version500, "5.0.1":
		c, err = t.legacyCert(f, version, now)
	default:
		return nil, fmt.Errorf("%w: signMethod 21 with version %q", ErrMethod, quotedID(version))
	}
	if err != nil {
		return nil, err
	}
	id := CertID(c)
	if streamed(f) {
		var sum []byte
		if sum, err = streamSum(sm3.New(), f, nil); err != nil {
			return nil, err
		}
		err = verifycore.SM2(sm2PublicKey(c), id, verifycore.Digest(sum), signature)
	} else {
		var canonical []byte
		if canonical, err = sign.Canonical(f); err != nil {
			return nil, fmt.Errorf("cert: building the string to sign: %w", err)
		}
		err = sign.VerifySM2(sm2PublicKey(c), id, canonical, signature)
	}
	if err != nil {
		return nil, fmt.Errorf("cert: message signed with certId %s: %w", id, err)
	}
	return &Signed{Method: sign.MethodSM2, Version: version, CertID: id, Certificate: c}, nil
}

// signingCert returns the validated SM2 certificate of signPubKeyCert.
func (t *sm2Trust) signingCert(f sign.Fields, now time.Time, acceptTestOwner bool) (*x509.Certificate, error) {
	if t.chain == nil {
		return nil, fmt.Errorf("%w: version 5.1.0 signMethod 21 (no SM2Root and SM2Middle configured)", ErrMethod)
	}
	pemText := f[FieldSignPubKeyCert]
	if pemText == "" {
		return nil, missingFieldError(FieldSignPubKeyCert)
	}
	if e := t.cache.get(pemText, now); e != nil {
		return e.cert, nil
	}
	c, err := ParseSM2Certificate([]byte(pemText))
	if err != nil {
		return nil, withContext(err, FieldSignPubKeyCert)
	}
	if e := t.cache.getCert(c.Raw, now); e != nil { // validated already, written otherwise
		t.cache.put(pemText, e)
		return e.cert, nil
	}
	e, err := t.validateSigning(c, now, acceptTestOwner)
	if err != nil {
		return nil, withContext(err, FieldSignPubKeyCert)
	}
	t.cache.put(pemText, e)
	return c, nil
}

// validateSigning checks an SM2 signing certificate: issued by the SM2
// middle (itself issued by the SM2 root), all three valid at now, key usage
// allowing signatures, and UnionPay's owner name.
func (t *sm2Trust) validateSigning(c *x509.Certificate, now time.Time, acceptTestOwner bool) (*validated, error) {
	if t.chain == nil {
		return nil, errNoSM2Chain()
	}
	nb, na, err := t.chain.verify(c, now)
	if err != nil {
		return nil, err
	}
	if err := checkSM2LeafUsage(c, x509.KeyUsageDigitalSignature|x509.KeyUsageContentCommitment, "digital signature"); err != nil {
		return nil, err
	}
	testOwner := ""
	if acceptTestOwner {
		testOwner = OwnerSM2Test
	}
	if err := checkOwner(c, testOwner); err != nil {
		return nil, err
	}
	return &validated{cert: c, certID: CertID(c), notBefore: nb, notAfter: na}, nil
}

// validateEncryption checks an SM2 encryption certificate (such as the
// encryptPubKeyCert of a txnType 95 response): issued by the SM2 middle
// (itself issued by the SM2 root), all three valid at now, and key usage, if
// present, allowing encryption or key agreement.
func (t *sm2Trust) validateEncryption(c *x509.Certificate, now time.Time) error {
	if t.chain == nil {
		return errNoSM2Chain()
	}
	if _, _, err := t.chain.verify(c, now); err != nil {
		return err
	}
	return checkSM2LeafUsage(c, x509.KeyUsageKeyEncipherment|x509.KeyUsageDataEncipherment|x509.KeyUsageKeyAgreement,
		"encryption")
}

// legacyCert returns the configured SM2 certificate for the message's
// certId (versions 5.0.0 and 5.0.1), which must be valid at now.
func (t *sm2Trust) legacyCert(f sign.Fields, version string, now time.Time) (*x509.Certificate, error) {
	if t.legacy == nil {
		return nil, fmt.Errorf("%w: version %s signMethod 21 (no SM2Certs configured)", ErrMethod, version)
	}
	id := f[sign.FieldCertID]
	if id == "" {
		return nil, missingFieldError(sign.FieldCertID)
	}
	c := t.legacy[id]
	if c == nil {
		return nil, fmt.Errorf("%w: %q", ErrNoCertificate, quotedID(id))
	}
	if err := checkValidity(c, now); err != nil {
		return nil, err
	}
	return c, nil
}
