package sign

import (
	"crypto"
	"crypto/x509"
	"errors"
	"fmt"
)

// WithCertificate returns a copy of s that also holds c, the merchant's signing certificate, so
// that the certificate s signs under, and when it expires, can be reported
// (unionpay.Client.Expiries lists it); s itself is not changed. cert.PFX.Signer returns a signer
// holding the PFX's certificate; one made by [NewRSASigner] (a key in an HSM, say) holds none
// until given one here. c's serial number must be s's certId, and its key s's key: either
// mismatch is an error, and so is a nil c or an unusable s.
func (s *RSASigner) WithCertificate(c *x509.Certificate) (*RSASigner, error) {
	if err := s.check(); err != nil {
		return nil, err
	}
	if err := matchCertificate("RSA signer", c, s.certID, s.Public()); err != nil {
		return nil, err
	}
	out := *s
	out.cert = c
	return &out, nil
}

// Certificate returns the certificate given to [RSASigner.WithCertificate], or nil: none was
// given, or s is not usable.
func (s *RSASigner) Certificate() *x509.Certificate {
	if s.check() != nil {
		return nil
	}
	return s.cert
}

// WithCertificate is [RSASigner.WithCertificate] for an SM2 signer (cert.SM2Credential.Signer
// returns one holding the .sm2 file's certificate).
func (s *SM2Signer) WithCertificate(c *x509.Certificate) (*SM2Signer, error) {
	if err := s.check(); err != nil {
		return nil, err
	}
	if err := matchCertificate("SM2 signer", c, s.certID, s.pub); err != nil {
		return nil, err
	}
	out := *s
	out.cert = c
	return &out, nil
}

// Certificate returns the certificate given to [SM2Signer.WithCertificate], or nil: none was
// given, or s is not usable.
func (s *SM2Signer) Certificate() *x509.Certificate {
	if s.check() != nil {
		return nil
	}
	return s.cert
}

// matchCertificate checks that c is the certificate of a signer sending certID with key pub.
func matchCertificate(what string, c *x509.Certificate, certID string, pub interface{ Equal(crypto.PublicKey) bool }) error {
	switch {
	case c == nil || c.SerialNumber == nil:
		return fmt.Errorf("sign: %s: WithCertificate: no certificate", what)
	case c.SerialNumber.String() != certID:
		return fmt.Errorf("sign: %s: WithCertificate: the certificate's serial %s is not the certId %s", what,
			c.SerialNumber.String(), certID)
	case !pub.Equal(c.PublicKey):
		return errors.New("sign: " + what + ": WithCertificate: the certificate's key is not the signer's")
	}
	return nil
}
