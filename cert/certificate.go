package cert

import (
	"bytes"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"io"
	"os"

	"github.com/goacp/unionpay/internal/textesc"
)

// maxFileSize bounds the certificate and PFX files this package reads; real
// ones are a few kilobytes.
const maxFileSize = 1 << 20

// certificateDER returns the DER bytes of data: the single CERTIFICATE block
// of PEM text (optionally surrounded by white space or after a UTF-8 BOM), or
// data itself when it is not PEM.
func certificateDER(data []byte) ([]byte, error) {
	der := data
	trimmed := bytes.TrimLeft(bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")), " \t\r\n")
	if bytes.HasPrefix(trimmed, []byte("-----BEGIN")) {
		block, rest := pem.Decode(trimmed)
		switch {
		case block == nil && escapedPEM(trimmed):
			return nil, invalid(nil, Malformed, nil, `PEM text does not decode: its line breaks are written `+
				`as \n, two characters (as an environment variable or a JSON value escapes them): make them line breaks first`)
		case block == nil:
			return nil, invalid(nil, Malformed, nil, "PEM text does not decode")
		case block.Type != "CERTIFICATE":
			return nil, invalid(nil, Malformed, nil, "PEM block is %s, want CERTIFICATE",
				textesc.QuoteShort(block.Type, maxShown))
		case len(bytes.TrimSpace(rest)) != 0:
			return nil, invalid(nil, Malformed, nil, "unexpected data after the PEM certificate")
		}
		der = block.Bytes
	}
	return der, nil
}

// ParseCertificate parses one X.509 certificate from PEM text (the form of
// UnionPay's .cer files and of the signPubKeyCert field; CRLF or LF line
// ends) or from DER bytes. PEM input must hold a single CERTIFICATE block,
// optionally surrounded by white space. Certificates with an SM2 key (国密),
// which crypto/x509 cannot parse, are parsed as by [ParseSM2Certificate].
// Failures are an [*InvalidError] with Reason [Malformed].
//
// Base64 text of a certificate without the PEM armor (as a secret store
// or an environment variable may hold the file) is not read: its error says
// so, as it says of PEM text whose line breaks were escaped as \n.
func ParseCertificate(data []byte) (*x509.Certificate, error) {
	c, err := parseCertificate(data)
	if err != nil && !bytes.HasPrefix(bytes.TrimSpace(data), []byte("-----BEGIN")) {
		if decoded, ok := base64Text(data); ok {
			if _, derr := parseCertificate(decoded); derr == nil {
				return nil, invalid(nil, Malformed, nil, "%s", hintBase64)
			}
		}
	}
	return c, err
}

// parseCertificate is ParseCertificate without its hint for base64 text.
func parseCertificate(data []byte) (*x509.Certificate, error) {
	der, err := certificateDER(data)
	if err != nil {
		return nil, err
	}
	c, err := x509.ParseCertificate(der)
	if err != nil {
		if sm2c, sm2err := parseSM2DER(der); sm2err == nil { // der, not PEM inside the PEM
			return sm2c, nil
		}
		return nil, invalid(nil, Malformed, err, "not an X.509 certificate")
	}
	return c, nil
}

// LoadCertificateFile reads and parses a PEM or DER certificate file, such as
// acp_prod_middle.cer.
func LoadCertificateFile(path string) (*x509.Certificate, error) {
	data, err := readFile(path)
	if err != nil {
		return nil, err
	}
	c, err := ParseCertificate(data)
	if err != nil {
		return nil, withContext(err, path)
	}
	return c, nil
}

// CertID returns the certId of c: its serial number in decimal, as UnionPay
// writes it. It returns "" for a nil certificate.
func CertID(c *x509.Certificate) string {
	if c == nil || c.SerialNumber == nil {
		return ""
	}
	return c.SerialNumber.String()
}

// readFile reads a small file, refusing anything larger than maxFileSize.
func readFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("cert: %w", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("cert: reading %s: %w", path, err)
	}
	if len(data) > maxFileSize {
		return nil, fmt.Errorf("cert: %s is larger than %d bytes", path, maxFileSize)
	}
	return data, nil
}
