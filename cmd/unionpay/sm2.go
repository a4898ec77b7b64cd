package main

import (
	"github.com/goacp/unionpay/cert"
)

// sm2Flags are verify's SM2 (signMethod 21) trust flags.
type sm2Flags struct {
	root, middle string
	legacy       fileList
}

// empty reports whether no SM2 trust was given.
func (s sm2Flags) empty() bool { return s.root == "" && len(s.legacy) == 0 }

// apply loads the SM2 certificates into cfg.
func (s sm2Flags) apply(cfg *cert.VerifierConfig) error {
	var err error
	if s.root != "" {
		if cfg.SM2Root, err = loadCertificate("-sm2-root", s.root); err != nil {
			return err
		}
		if cfg.SM2Middle, err = loadCertificate("-sm2-middle", s.middle); err != nil {
			return err
		}
	}
	for _, path := range s.legacy {
		c, err := loadCertificate("-sm2-verify-cert", path)
		if err != nil {
			return err
		}
		if kt := keyType(c.PublicKey); kt != "SM2" {
			return usagef("-sm2-verify-cert %s: a %s certificate, not SM2 (an RSA certificate goes to -verify-cert)", path, kt)
		}
		cfg.SM2Certs = append(cfg.SM2Certs, c)
	}
	return nil
}

// decrypterFor loads the merchant key from a PFX file or, for an SM2 merchant, a .sm2 file, and
// returns it with its certificate's certId.
func decrypterFor(pfxPath, sm2Path, password string) (*cert.Decrypter, string, error) {
	if sm2Path != "" {
		cred, err := cert.LoadSM2File(sm2Path, password)
		if err != nil {
			return nil, "", credentialError(err, "-sm2", sm2Path, password, kindSM2, map[credentialKind]string{
				kindPFX: "use -pfx FILE", kindCertificate: "-sm2 takes the merchant's CFCA .sm2 file, with its private key"})
		}
		d, err := cred.Decrypter()
		return d, cert.CertID(cred.Certificate), err
	}
	pfx, err := cert.LoadPFXFile(pfxPath, password)
	if err != nil {
		return nil, "", credentialError(err, "-pfx", pfxPath, password, kindPFX, map[credentialKind]string{
			kindSM2: "use -sm2 FILE", kindCertificate: "-pfx takes the merchant's signing PFX, with its private key"})
	}
	d, err := pfx.Decrypter()
	return d, pfx.CertID(), err
}
