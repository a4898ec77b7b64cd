package main

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"time"

	"github.com/emmansun/gmsm/sm2"

	"github.com/goacp/unionpay/cert"
)

const certinfoHelp = `
Prints, one per line, what identifies a certificate or the signing certificate of a PFX:

  certId: <decimal serial number, as UnionPay writes it>
  subject: <distinguished name>
  issuer: <distinguished name>
  notBefore: <RFC 3339, UTC>
  notAfter: <RFC 3339, UTC>
  keyType: <RSA-2048, ...>
  status: <valid | EXPIRED since <notAfter> | NOT YET VALID, from <notBefore>>, at the current time

FILE is a PKCS#12 file (.pfx, .p12: the merchant's signing file, needs -password), a CFCA .sm2
file (the 国密 merchant's SM2 signing file, needs -password) or a certificate in PEM or DER
(.cer, .pem, .crt, .der: UnionPay's root, middle, encryption and signing certificates). Other
names are read as what the content shows (a PFX or .sm2 file under another name included),
else as a certificate. A .pfx holding a .sm2 file, or the reverse, is refused with a hint.

With -expires-within DURATION (e.g. 720h for 30 days, 2160h for 90: units are h, m and s,
there is no d), the exit status is 7 when the certificate is not valid now (expired, or not yet
valid) or expires within DURATION (the lines are still printed, the reason goes to standard
error as one line naming FILE, "unionpay certinfo: FILE: certificate ..."): a cron job can alert
on the exit status alone, one run per file (any status but 0; 7 to renew, 1 or 2 to fix the check):

  for f in /etc/unionpay/*.pfx /etc/unionpay/*.cer; do
    unionpay certinfo -expires-within 720h "$f" >/dev/null || echo "ALERT: $f"
  done

(the PFX password from $UNIONPAY_PASSWORD). Exit status 1 for a file that could not be read: a
wrong password, a file that does not parse or is missing; 2 for a usage error (no password for a
PFX, a DURATION such as 30d).`

// credentialKind is how certinfo reads a file, told by its extension: PKCS#12, CFCA's 国密 .sm2
// credential, or a certificate.
type credentialKind int

const (
	kindCertificate credentialKind = iota
	kindPFX
	kindSM2
)

func kindOf(path string) credentialKind {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".pfx", ".p12":
		return kindPFX
	case ".sm2":
		return kindSM2
	}
	return kindCertificate
}

func runCertinfo(e *env, args []string) error {
	fs := newFlags(e, "certinfo", "[-password P] [-expires-within DURATION] FILE", certinfoHelp)
	pw := fs.String("password", "", "password of a PFX or .sm2 file (default $"+passwordEnv+")"+passwordSeen)
	within := fs.Duration("expires-within", 0, "exit status 7 when the certificate is not valid now or expires within this `DURATION` (720h: 30 days)")
	if err := parseFlags(fs, args, 1); err != nil {
		return err
	}
	if *within < 0 {
		return usagef("-expires-within must not be negative")
	}
	check := false // -expires-within given, 0 included: 0 checks that the certificate is valid now
	fs.Visit(func(f *flag.Flag) { check = check || f.Name == "expires-within" })
	c, err := loadAnyCertificate(e, fs, *pw, "FILE", fs.Arg(0))
	if err != nil {
		return err
	}
	now := e.clock()
	if err := printCertificate(e.stdout, c, now); err != nil {
		return err
	}
	if check {
		if v := validity(c, now); v != "valid" {
			return &hintError{msg: fmt.Sprintf("%s: certificate %s is %s", fs.Arg(0), cert.CertID(c), v), err: errExpiring}
		}
		if now.Add(*within).After(c.NotAfter) {
			return &hintError{msg: fmt.Sprintf("%s: certificate %s expires within %s: notAfter %s", fs.Arg(0), cert.CertID(c),
				*within, c.NotAfter.UTC().Format(time.RFC3339)), err: errExpiring}
		}
	}
	return nil
}

// printCertificate writes the certinfo lines for c, its status at now last.
func printCertificate(w io.Writer, c *x509.Certificate, now time.Time) error {
	_, err := fmt.Fprintf(w, "certId: %s\nsubject: %s\nissuer: %s\nnotBefore: %s\nnotAfter: %s\nkeyType: %s\nstatus: %s\n",
		cert.CertID(c), dn(c.RawSubject, c.Subject), dn(c.RawIssuer, c.Issuer),
		c.NotBefore.UTC().Format(time.RFC3339), c.NotAfter.UTC().Format(time.RFC3339), keyType(c.PublicKey),
		validity(c, now))
	return err
}

// dn renders a distinguished name in RFC 2253 form from its DER bytes, keeping the attributes
// as the certificate groups them (pkix.Name would merge the two OUs of UnionPay's names), with
// control characters and bidirectional overrides escaped: a certificate comes in answers and
// notifications, and its name could write a false "status" line.
func dn(raw []byte, parsed pkix.Name) string {
	var seq pkix.RDNSequence
	if rest, err := asn1.Unmarshal(raw, &seq); err != nil || len(rest) != 0 {
		return oneLineField(parsed.String())
	}
	return oneLineField(seq.String())
}

// oneLineField is printable(s) with its line feeds, CR LF pairs and tabs escaped too (\n, \r,
// \t): a certificate's names are one line each of certinfo's output, and a name that broke it
// could print a line of its choosing ("status: valid").
func oneLineField(s string) string {
	return strings.NewReplacer("\r", `\r`, "\n", `\n`, "\t", `\t`).Replace(printable(s))
}

// keyType names a public key's algorithm and size.
func keyType(pub any) string {
	switch k := pub.(type) {
	case *rsa.PublicKey:
		return fmt.Sprintf("RSA-%d", k.N.BitLen())
	case *ecdsa.PublicKey:
		if sm2.IsSM2PublicKey(k) {
			return "SM2"
		}
		return "ECDSA-" + k.Curve.Params().Name
	case ed25519.PublicKey:
		return "Ed25519"
	}
	return fmt.Sprintf("unknown (%T)", pub)
}
