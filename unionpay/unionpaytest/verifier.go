package unionpaytest

import (
	"crypto"
	"crypto/x509"
	"fmt"

	"github.com/goacp/unionpay/cert"
	"github.com/goacp/unionpay/sign"
)

// VerifierConfig returns the configuration of a verifier that trusts this gateway and nothing
// else, as it is now: its current root and middle for 5.1.0 (after [Server.RotateRoot], the new
// ones only), its signing certificates for 5.0.0 (looked up by certId: the current one, those
// [Server.RotateSigningCert] and RotateRoot replaced, and the expired one FaultExpiredCert signs
// with, as a merchant that kept them), the secure key when WithSecureKey was given, and the
// gateway clock. The expired one is listed by cert.Verifier.Expiries, so that a health check on
// it alerts: [Server.Config] shows how to leave it out.
func (s *Server) VerifierConfig() cert.VerifierConfig {
	s.mu.Lock()
	defer s.mu.Unlock()
	cfg := cert.VerifierConfig{
		Root:   s.pki.root.cert,
		Middle: s.pki.middle.cert,
		// 5.0.0: the signing certificates rotated out, the current one, and the expired one
		// UnionPay used before them, as a merchant that has not removed them has
		// (FaultExpiredCert is then refused as expired).
		LegacyCerts: append(append([]*x509.Certificate(nil), s.pki.retired...), s.pki.signing.cert, s.pki.expired.cert),
		Now:         s.opts.now,
	}
	if s.opts.secureKey != nil {
		cfg.SecureKey = append([]byte(nil), s.opts.secureKey...)
	}
	if s.sm2 != nil {
		s.sm2Trust(&cfg)
	}
	return cfg
}

// NotifyVerifier returns a new verifier built from [Server.VerifierConfig]: what a notification
// handler (or a client) needs to accept this gateway's messages.
func (s *Server) NotifyVerifier() (*cert.Verifier, error) {
	v, err := cert.NewVerifier(s.VerifierConfig())
	if err != nil {
		return nil, fmt.Errorf("unionpaytest: %w", err)
	}
	return v, nil
}

// MerchantSigner returns a signer for the test merchant (signMethod 01 with its certificate,
// which it holds), as cert.LoadPFX(MerchantPFX(...)).Signer() would.
func (s *Server) MerchantSigner() (*sign.RSASigner, error) {
	rs, err := sign.NewRSASigner(s.pki.merchant.key, s.MerchantCertID())
	if err == nil {
		rs, err = rs.WithCertificate(s.pki.merchant.cert)
	}
	if err != nil {
		return nil, fmt.Errorf("unionpaytest: %w", err)
	}
	return rs, nil
}

// Encrypter returns an encrypter for the gateway's current (RSA) encryption certificate, also on a
// gateway made [WithSM2]: an SM2 merchant's is cert.NewEncrypter of
// [Server.SM2EncryptionCertificate], which [Server.Config] hands out then.
func (s *Server) Encrypter() (*cert.Encrypter, error) {
	e, err := cert.NewEncrypter(s.EncryptionCertificate())
	if err != nil {
		return nil, fmt.Errorf("unionpaytest: %w", err)
	}
	return e, nil
}

// Decrypter returns a decrypter with the test merchant's key, for accNo in notifications and
// query answers: its SM2 key on a gateway made WithSM2 (which encrypts accNo to the merchant's
// SM2 certificate), its RSA key otherwise.
func (s *Server) Decrypter() (*cert.Decrypter, error) {
	var key crypto.Decrypter = s.pki.merchant.key
	if s.sm2 != nil {
		key = s.sm2.merchant.key
	}
	d, err := cert.NewDecrypter(key)
	if err != nil {
		return nil, fmt.Errorf("unionpaytest: %w", err)
	}
	return d, nil
}
