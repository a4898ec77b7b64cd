package main

import (
	"bytes"
	"crypto/x509"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"regexp"
	"strings"

	"github.com/goacp/unionpay/cert"
)

// hintError replaces an error's text by a clearer one for the command line, keeping the error
// for errors.Is and errors.As.
type hintError struct {
	msg string
	err error
}

// Error returns the clearer message.
func (h *hintError) Error() string { return h.msg }

// Unwrap returns the original error.
func (h *hintError) Unwrap() error { return h.err }

// sm2OID is the DER of the CFCA .sm2 structure's type OID, 1.2.156.10197.6.1.4.2.1.
var sm2OID = []byte{0x06, 0x0a, 0x2a, 0x81, 0x1c, 0xcf, 0x55, 0x06, 0x01, 0x04, 0x02, 0x01}

// sniffKind tells what a credential file holds from its first bytes, whatever its name: a
// PKCS#12 PFX (DER SEQUENCE, then INTEGER 3), a CFCA .sm2 file (base64 of a structure naming
// its OID) or a certificate (PEM, or DER SEQUENCE, then SEQUENCE). ok is false when it cannot
// tell.
func sniffKind(path string) (kind credentialKind, ok bool) {
	f, err := os.Open(path)
	if err != nil {
		return 0, false
	}
	defer f.Close()
	head := make([]byte, 512)
	n, _ := io.ReadFull(f, head)
	head = head[:n]
	if bytes.Contains(head, []byte("-----BEGIN CERTIFICATE")) {
		return kindCertificate, true
	}
	if len(head) > 8 && head[0] == 0x30 {
		// Skip the outer SEQUENCE's length (short or long form).
		i := 2
		if head[1]&0x80 != 0 {
			i += int(head[1] & 0x7f)
		}
		switch {
		case i+3 <= len(head) && bytes.Equal(head[i:i+3], []byte{0x02, 0x01, 0x03}):
			return kindPFX, true
		case i < len(head) && head[i] == 0x30:
			return kindCertificate, true
		}
		return 0, false
	}
	text := strings.Join(strings.Fields(string(head)), "")
	text = text[:len(text)/4*4]
	if der, err := base64.StdEncoding.DecodeString(text); err == nil && bytes.Contains(der, sm2OID) {
		return kindSM2, true
	}
	return 0, false
}

// kindNames names each kind of credential file for the user.
var kindNames = map[credentialKind]string{
	kindPFX:         "a PKCS#12 (.pfx) file",
	kindSM2:         "a CFCA .sm2 file",
	kindCertificate: "a certificate",
}

// credentialError explains a failure to load flagName's file as want: when the file is of
// another kind, it says which and what to use instead (fix[kind]). A missing file is named by
// its flag (a flag, "-pfx", not the argument "FILE"), in the system's words; a missing password
// and a wrong password are left as they are.
func credentialError(err error, flagName, path, password string, want credentialKind, fix map[credentialKind]string) error {
	if err == nil {
		return nil
	}
	if perr := noPassword(err, password); perr != err {
		return perr
	}
	if errors.Is(err, fs.ErrNotExist) && strings.HasPrefix(flagName, "-") {
		return fmt.Errorf("%s: %w", flagName, err)
	}
	if errors.Is(err, cert.ErrPassword) || errors.Is(err, fs.ErrNotExist) {
		return err
	}
	got, ok := sniffKind(path)
	if !ok {
		return unrecognisedFile(err, flagName, path, want)
	}
	if got == want {
		return err
	}
	msg := fmt.Sprintf("%s %s: not %s but %s", flagName, path, kindNames[want], kindNames[got])
	if fix[got] != "" {
		msg += ": " + fix[got]
	}
	return &hintError{msg: msg, err: err}
}

// unrecognisedFile explains a failure to load flagName's file as want when its content is of no
// kind sniffKind knows: an empty file is named as such, and a PFX's parser errors (ASN.1 tags
// and offsets) are replaced by what the file is not. err is kept for errors.Is.
func unrecognisedFile(err error, flagName, path string, want credentialKind) error {
	fi, serr := os.Stat(path)
	if serr != nil || !fi.Mode().IsRegular() {
		return err // a directory, a device: the error says so
	}
	if fi.Size() == 0 {
		return &hintError{msg: fmt.Sprintf("%s %s: the file is empty, not %s (a copy or a download cut short?)",
			flagName, path, kindNames[want]), err: err}
	}
	if want == kindPFX {
		return &hintError{msg: fmt.Sprintf("%s %s: not %s, nor a CFCA .sm2 file or a certificate (the right "+
			"file, copied whole?)", flagName, path, kindNames[want]), err: err}
	}
	return err
}

// verifierField maps the cert package's VerifierConfig field names in its errors to verify's
// flags, and says which flag is missing when a message's method is not configured.
var verifierField = []struct {
	re   *regexp.Regexp
	flag string
}{
	{regexp.MustCompile(`VerifierConfig[ .]SM2Root\b`), "-sm2-root"},
	{regexp.MustCompile(`VerifierConfig[ .]SM2Middle\b`), "-sm2-middle"},
	{regexp.MustCompile(`VerifierConfig[ .]SM2Certs(\[\d+\])?`), "-sm2-verify-cert"},
	{regexp.MustCompile(`VerifierConfig[ .]Root\b`), "-root"},
	{regexp.MustCompile(`VerifierConfig[ .]Middle\b`), "-middle"},
	{regexp.MustCompile(`VerifierConfig[ .]LegacyCerts(\[\d+\])?`), "-verify-cert"},
	{regexp.MustCompile(`no Root and Middle configured`), "no -root/-middle given"},
	{regexp.MustCompile(`no LegacyCerts configured`), "no -verify-cert given"},
	{regexp.MustCompile(`no SM2Root and SM2Middle configured`), "no -sm2-root/-sm2-middle given"},
	{regexp.MustCompile(`no SM2Certs configured`), "no -sm2-verify-cert given"},
	{regexp.MustCompile(`no SM2Root and SM2Middle, nor SM2Certs, configured`), "no -sm2-root/-sm2-middle or -sm2-verify-cert given"},
	{regexp.MustCompile(`configure it as SM2Root or SM2Middle`), "give it as -sm2-root or -sm2-middle"},
	// A secure-key message refused outright (not one whose signature fails): no key was given.
	{regexp.MustCompile(`(not accepted: secure-key signMethod \d+)`), "$1 (no -secure-key or -secure-key-env given)"},
}

// flagNames rewrites the cert package's configuration field names in err into verify's flags.
func flagNames(err error) error {
	if err == nil {
		return nil
	}
	msg := err.Error()
	for _, f := range verifierField {
		msg = f.re.ReplaceAllString(msg, f.flag)
	}
	if msg == err.Error() {
		return err
	}
	return &hintError{msg: msg, err: err}
}

// loadCertificate loads the certificate file given to flagName; a file of another kind (a PFX, a
// .sm2 key file) is named as what it is.
func loadCertificate(flagName, path string) (*x509.Certificate, error) {
	c, err := cert.LoadCertificateFile(path)
	if err == nil {
		return c, nil
	}
	herr := credentialError(err, flagName, path, "", kindCertificate, map[credentialKind]string{
		kindPFX: "give UnionPay's certificate (a .cer file), not a merchant's PFX",
		kindSM2: "give UnionPay's certificate (a .cer file), not a merchant's .sm2 key file",
	})
	if herr != err {
		return nil, herr
	}
	return nil, fmt.Errorf("%s: %w", flagName, err)
}
