package cert

import (
	"fmt"

	"github.com/goacp/unionpay/internal/verifycore"
	"github.com/goacp/unionpay/sign"
)

// This file holds the verification of signMethod 01 (RSA) messages: 5.1.0
// ones by their signPubKeyCert, validated against the configured chain, and
// 5.0.0 (5.0.1, 1.0.0) ones by the configured legacy certificate with their
// certId.

func (v *Verifier) verifyRSA(f sign.Fields, version, signature string, canonical []byte) (*Signed, error) {
	var (
		k   *validated
		err error
	)
	switch version {
	case sign.Version510:
		k, err = v.signingCert(f)
	case sign.Version500, "5.0.1", "1.0.0":
		k, err = v.legacyCert(f, version)
		version = sign.Version500 // same algorithm
	default:
		return nil, fmt.Errorf("%w: signMethod 01 with version %q", ErrMethod, quotedID(version))
	}
	if err != nil {
		return nil, err
	}
	buf, canonical, stream, err := v.canonical(f, canonical)
	if err != nil {
		return nil, err
	}
	if stream {
		h, _ := verifycore.RSAHash(version) // a version of signMethod 01, checked above
		var sum []byte
		if sum, err = streamSum(h.New(), f, nil); err != nil {
			return nil, err
		}
		err = verifycore.RSA(k.pub, version, verifycore.Digest(sum), signature)
	} else {
		err = sign.VerifyRSA(k.pub, version, canonical, signature)
		v.release(buf)
	}
	if err != nil {
		return nil, fmt.Errorf("cert: message signed with certId %s: %w", k.certID, err)
	}
	return &Signed{Method: sign.MethodRSA, Version: f[sign.FieldVersion], CertID: k.certID, Certificate: k.cert}, nil
}

// signingCert returns the validated certificate of signPubKeyCert (5.1.0).
func (v *Verifier) signingCert(f sign.Fields) (*validated, error) {
	if v.chain == nil {
		return nil, fmt.Errorf("%w: version 5.1.0 signMethod 01 (no Root and Middle configured)", ErrMethod)
	}
	pemText := f[FieldSignPubKeyCert]
	if pemText == "" {
		return nil, missingFieldError(FieldSignPubKeyCert)
	}
	now := v.now()
	if k := v.cache.get(pemText, now); k != nil {
		return k, nil
	}
	c, err := parseCertificate([]byte(pemText)) // a message's field: no advice about secret stores
	if err != nil {
		return nil, withContext(err, FieldSignPubKeyCert)
	}
	if k := v.cache.getCert(c.Raw, now); k != nil { // validated already, written otherwise
		v.cache.put(pemText, k)
		return k, nil
	}
	k, err := v.validateSigning(c, now)
	if err != nil {
		return nil, withContext(err, FieldSignPubKeyCert)
	}
	v.cache.put(pemText, k)
	return k, nil
}

// legacyCert returns the configured certificate for the message's certId,
// if it is valid now.
func (v *Verifier) legacyCert(f sign.Fields, version string) (*validated, error) {
	if v.legacy == nil {
		return nil, fmt.Errorf("%w: version %s signMethod 01 (no LegacyCerts configured)", ErrMethod, version)
	}
	id := f[sign.FieldCertID]
	if id == "" {
		return nil, missingFieldError(sign.FieldCertID)
	}
	k := v.legacy[id]
	if k == nil {
		return nil, fmt.Errorf("%w: %q", ErrNoCertificate, quotedID(id))
	}
	if err := checkValidity(k.cert, v.now()); err != nil {
		return nil, err
	}
	return k, nil
}
