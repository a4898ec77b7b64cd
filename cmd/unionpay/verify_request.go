package main

import (
	"crypto/ecdsa"
	"crypto/rsa"
	"crypto/x509"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/goacp/unionpay/cert"
	"github.com/goacp/unionpay/sign"
)

const verifyRequestHelp = `
With -request, the input is a request a merchant signed, as this SDK's client or UnionPay's
official SDKs send it (the form body, or key=value lines as sign takes them and sign -canonical
explains), and it is checked as UnionPay's gateway would check it:
  signMethod 01   with the merchant certificate whose serial number is the request's certId,
                  from -verify-cert: the certificate, or the merchant's PFX (its signing
                  certificate is used; the password from -password or $UNIONPAY_PASSWORD, one
                  for all the files given: give the others as certificates)
  signMethod 21   the same with -sm2-verify-cert (the SM2 certificate or the .sm2 file); the
                  SM2 user ID is the certId
  signMethod 11, 12
                  with -secure-key or -secure-key-env
The certificate must be valid at -at, or now; it is not checked against UnionPay's chain (merchant
certificates are UnionPay's to check). Prints, for example:

  OK <certId> (signMethod 01, 5.1.0, merchant request, certificate -verify-cert)`

// requestOnlyExcluded are verify's flags for messages from UnionPay, which -request refuses.
var requestOnlyExcluded = [...]string{"root", "middle", "sm2-root", "sm2-middle", "raw", "test-names"}

// requestTrust is what -request checks a merchant's request with: certificates by certId, and
// the secure key.
type requestTrust struct {
	rsa, sm2 map[string]*x509.Certificate
	key      []byte
	now      time.Time
}

// runVerifyRequest is verify -request.
func runVerifyRequest(e *env, fs *flagSet, password, at string, rsaFiles, sm2Files []string, key string) error {
	for _, name := range requestOnlyExcluded {
		if flagGiven(fs, name) {
			return usagef("-request: -%s is for messages from UnionPay; a merchant's request is checked with "+
				"-verify-cert, -sm2-verify-cert or -secure-key", name)
		}
	}
	if len(rsaFiles) == 0 && len(sm2Files) == 0 && key == "" {
		return usagef("-request: nothing to check with: give -verify-cert, -sm2-verify-cert or -secure-key (or -secure-key-env)")
	}
	trust := requestTrust{rsa: map[string]*x509.Certificate{}, sm2: map[string]*x509.Certificate{}, now: e.clock()}
	if at != "" {
		t, err := time.Parse(time.RFC3339, at)
		if err != nil {
			return usagef("-at: want an RFC 3339 time such as 2024-01-05T12:00:00+08:00, got %q", at)
		}
		trust.now = t
	}
	if key != "" {
		trust.key = []byte(key)
	}
	for _, set := range []struct {
		flag  string
		files []string
		sm2   bool
		certs map[string]*x509.Certificate
	}{{"-verify-cert", rsaFiles, false, trust.rsa}, {"-sm2-verify-cert", sm2Files, true, trust.sm2}} {
		for _, path := range set.files {
			c, err := loadAnyCertificate(e, fs, password, set.flag, path)
			if err != nil {
				return err
			}
			kt := keyType(c.PublicKey)
			if _, isRSA := c.PublicKey.(*rsa.PublicKey); !isRSA && kt != "SM2" {
				return usagef("%s %s: the certificate's key is %s: merchants sign with RSA (-verify-cert) or SM2 (-sm2-verify-cert)",
					set.flag, path, kt)
			}
			if (kt == "SM2") != set.sm2 {
				other := "-verify-cert"
				if kt == "SM2" {
					other = "-sm2-verify-cert"
				}
				return usagef("%s %s: the certificate's key is %s: give it as %s", set.flag, path, kt, other)
			}
			set.certs[cert.CertID(c)] = c
		}
	}
	in, err := readInput(e.stdin, maxMessageBytes)
	if err != nil {
		return err
	}
	f, err := parseFields(in)
	if err != nil {
		return err
	}
	line, err := trust.verify(f)
	if err != nil {
		return err
	}
	_, err = fmt.Fprintln(e.stdout, line)
	return err
}

// verify checks a merchant's signed request and returns the OK line.
func (t *requestTrust) verify(f sign.Fields) (string, error) {
	method, version, id, sig := f[sign.FieldSignMethod], f[sign.FieldVersion], f[sign.FieldCertID], f[sign.FieldSignature]
	if sig == "" {
		return "", errors.New("the request has no signature")
	}
	canonical, err := sign.Canonical(f)
	if err != nil {
		return "", err
	}
	switch method {
	case sign.MethodRSA, sign.MethodSM2:
		certs, flag := t.rsa, "-verify-cert"
		if method == sign.MethodSM2 {
			certs, flag = t.sm2, "-sm2-verify-cert"
		}
		if id == "" {
			return "", fmt.Errorf("signMethod %s: the request has no certId", method)
		}
		c := certs[id]
		if c == nil {
			return "", fmt.Errorf("certId %s: no %s certificate has this serial number (given: %s)", id, flag, givenIDs(certs))
		}
		if t.now.Before(c.NotBefore) || t.now.After(c.NotAfter) {
			return "", fmt.Errorf("certificate %s is not valid at %s: %s (-at checks at another time)",
				id, t.now.UTC().Format(time.RFC3339Nano), validity(c, t.now))
		}
		if method == sign.MethodRSA {
			err = sign.VerifyRSA(c.PublicKey.(*rsa.PublicKey), version, canonical, sig)
		} else {
			err = sign.VerifySM2(c.PublicKey.(*ecdsa.PublicKey), id, canonical, sig)
		}
		if err != nil {
			return "", err
		}
		return fmt.Sprintf("OK %s (signMethod %s, %s, merchant request, certificate %s)", id, method, version, flag), nil
	case sign.MethodSHA256Key, sign.MethodSM3Key:
		if t.key == nil {
			return "", fmt.Errorf("signMethod %s: give -secure-key or -secure-key-env", method)
		}
		if err := sign.VerifySecureKey(method, t.key, canonical, sig); err != nil {
			return "", err
		}
		return fmt.Sprintf("OK (signMethod %s, merchant request, secure key)", method), nil
	}
	return "", fmt.Errorf("signMethod %q: merchants sign with 01, 11, 12 or 21", method)
}

// givenIDs lists the certIds of certs, sorted, or "none".
func givenIDs(certs map[string]*x509.Certificate) string {
	if len(certs) == 0 {
		return "none"
	}
	ids := make([]string, 0, len(certs))
	for id := range certs {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return strings.Join(ids, ", ")
}

// loadAnyCertificate reads the certificate of FILE as certinfo does: a PKCS#12 file's or a .sm2
// file's signing certificate (with the password given or $UNIONPAY_PASSWORD), or a certificate in
// PEM or DER, told by the extension or, for other names, by the content. flagName names the
// argument in errors.
func loadAnyCertificate(e *env, fs *flagSet, password, flagName, path string) (*x509.Certificate, error) {
	kind := kindOf(path)
	if got, ok := sniffKind(path); ok && kind == kindCertificate {
		kind = got // a PFX or .sm2 file under another name is read as what it is
	}
	switch kind {
	case kindPFX:
		password = e.password(fs, password)
		pfx, err := cert.LoadPFXFile(path, password)
		if err != nil {
			return nil, wrongPassword(credentialError(err, flagName, path, password, kindPFX, map[credentialKind]string{
				kindSM2: "name it .sm2", kindCertificate: "name it .cer"}), passwordFrom(fs))
		}
		return pfx.Certificate, nil
	case kindSM2:
		password = e.password(fs, password)
		cred, err := cert.LoadSM2File(path, password)
		if err != nil {
			return nil, wrongPassword(credentialError(err, flagName, path, password, kindSM2, map[credentialKind]string{
				kindPFX: "name it .pfx", kindCertificate: "name it .cer"}), passwordFrom(fs))
		}
		return cred.Certificate, nil
	}
	c, err := cert.LoadCertificateFile(path)
	if herr := unrecognisedFile(err, flagName, path, kindCertificate); err != nil && herr != err {
		return nil, herr // an empty file
	}
	if err != nil && strings.HasPrefix(flagName, "-") {
		return nil, fmt.Errorf("%s: %w", flagName, err)
	}
	return c, err // certinfo's FILE: the error names the path already
}
