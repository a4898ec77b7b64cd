package main

import (
	"bytes"
	"crypto/rsa"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/goacp/unionpay/cert"
	"github.com/goacp/unionpay/internal/ascii"
	"github.com/goacp/unionpay/sign"
)

const verifyHelp = `
Reads one message received from UnionPay from standard input and verifies it as the SDK does.
Prints one line naming what accepted the message and exits 0, or prints the reason to standard
error and exits 1:

  OK <certId> (signMethod 01, 5.1.0, certificate chain -root/-middle)
  OK <certId> (signMethod 01, 5.0.0, certificate -verify-cert)
  OK (signMethod 11, secure key)
  OK <certId> (signMethod 21, 5.1.0, SM2 certificate chain -sm2-root/-sm2-middle)
  OK <certId> (signMethod 21, 5.0.0, SM2 certificate -sm2-verify-cert)

<certId> is the serial number of the certificate that verified the signature. OK says only
that the message is UnionPay's, unaltered, not that the transaction succeeded: a signed answer
of respCode 98 (no file) or a notification of a failed payment is OK too. Read its respCode
(and origRespCode) for the outcome.

Input: with -raw, a synchronous response body in UnionPay's raw format (not URL-decoded; a
final line feed added by a shell is ignored, and a final CR LF added by a Windows editor or
pipe is tried without); otherwise a notification body
(application/x-www-form-urlencoded, as POSTed to backUrl or frontUrl) on one line, or key=value
lines as sign takes them (split at the first '=', values taken literally, blank lines and #
comments skipped): input with two or more lines that all start with a field name and '=' is
read as lines. A multi-line value (signPubKeyCert) cannot be given as lines: use the form body
or -raw. An input that looks like the other format gets a hint in the error.

Trust comes only from the flags, never from the message:
  -root and -middle   5.1.0 signatures: signPubKeyCert must chain to them (UnionPay's
                      acp_prod_root.cer and acp_prod_middle.cer, or acp_test_*)
  -verify-cert FILE   5.0.0 signatures: certificates looked up by certId (repeatable)
  -secure-key K       signMethod 11 and 12
  -secure-key-env     the same, with the key taken from $UNIONPAY_SECURE_KEY (keeps it out of
                      the process list); the variable is never read without this flag
  -sm2-root and -sm2-middle
                      signMethod 21 (SM2, 国密) with 5.1.0: signPubKeyCert must chain to these
                      SM2 certificates (SM2-with-SM3 signatures)
  -sm2-verify-cert FILE
                      signMethod 21 with 5.0.0: SM2 certificates looked up by certId (repeatable)
A message asking for a method that is not configured fails (no downgrade).
` + verifyRequestHelp

// verifySynopsis is verify's usage line.
const verifySynopsis = "[-root FILE -middle FILE] [-test-names] [-at RFC3339] [-raw] [-verify-cert FILE]...\n" +
	"       [-secure-key K | -secure-key-env] [-sm2-root FILE -sm2-middle FILE] [-sm2-verify-cert FILE]...\n" +
	"       [-request [-password P]]"

// fileList collects a repeatable flag.
type fileList []string

// String implements flag.Value.
func (l *fileList) String() string { return strings.Join(*l, ",") }

// Set implements flag.Value: each use of the flag adds a file.
func (l *fileList) Set(v string) error { *l = append(*l, v); return nil }

func runVerify(e *env, args []string) error {
	fs := newFlags(e, "verify", verifySynopsis, verifyHelp)
	root := fs.String("root", "", "UnionPay root certificate (PEM or DER)")
	middle := fs.String("middle", "", "UnionPay middle certificate (PEM or DER)")
	testNames := fs.Bool("test-names", false, "also accept the test environment's owner name 00040000:SIGN")
	at := fs.String("at", "", "check certificate validity at this RFC 3339 time instead of now")
	raw := fs.Bool("raw", false, "the input is a synchronous response in UnionPay's raw format")
	var legacy fileList
	fs.Var(&legacy, "verify-cert", "certificate `FILE` for 5.0.0 messages, by certId (repeatable); with -request, the merchant's or its PFX")
	key := fs.String("secure-key", "", "secure key for signMethod 11 and 12")
	keyEnv := fs.Bool("secure-key-env", false, "read the secure key from $"+secureKeyEnv+" (instead of -secure-key)")
	var sm2 sm2Flags
	fs.StringVar(&sm2.root, "sm2-root", "", "UnionPay SM2 root certificate, for signMethod 21 (PEM or DER)")
	fs.StringVar(&sm2.middle, "sm2-middle", "", "UnionPay SM2 middle certificate, for signMethod 21 (PEM or DER)")
	fs.Var(&sm2.legacy, "sm2-verify-cert", "SM2 certificate `FILE` for 5.0.0 signMethod 21, by certId (repeatable); with -request, the merchant's or .sm2")
	request := fs.Bool("request", false, "the input is a request a merchant signed (see \"With -request\" above)")
	pw := fs.String("password", "", "with -request: password of a PFX or .sm2 file given (default $"+passwordEnv+")"+passwordSeen)
	if err := parseFlags(fs, args, 0); err != nil {
		return err
	}
	// The environment is a source for a key asked for with -secure-key-env, never an implicit
	// extra trust: an exported variable must not make a forged secure-key message pass a check
	// meant to be against the certificate chain.
	k, err := e.secureKey(*key, *keyEnv)
	if err != nil {
		return err
	}
	if *request {
		return runVerifyRequest(e, fs, *pw, *at, legacy, sm2.legacy, k)
	}
	if flagGiven(fs, "password") {
		return usagef("-password goes with -request (a PFX or .sm2 file as -verify-cert); UnionPay's messages are checked with certificates")
	}
	cfg, err := verifierConfig(*root, *middle, *testNames, *at, legacy, k, sm2)
	if err != nil {
		return err
	}
	v, err := cert.NewVerifier(cfg)
	if err != nil {
		if cfg.Middle != nil && bytes.Equal(cfg.Middle.RawIssuer, cfg.Middle.RawSubject) {
			err = fmt.Errorf("%w (the -middle certificate is self-signed, a root: -root and -middle swapped?)", err)
		}
		return flagNames(err)
	}
	in, err := readInput(e.stdin, maxMessageBytes)
	if err != nil {
		return err
	}
	f, err := parseMessage(in, *raw)
	if err != nil {
		return withFormatHint(err, in, *raw)
	}
	// As notify.Verify does: key=value lines are taken literally, so two genuine fields could be
	// given as one line (respCode "61&respMsg=...") and still verify.
	if err := sign.Unambiguous(f); err != nil {
		return err
	}
	signed, err := v.Verify(f)
	if err != nil && *raw {
		if s, ok := verifyWithoutFinalCRLF(v, in); ok {
			signed, err = s, nil
		}
	}
	if err != nil {
		return withFormatHint(alteredHint(flagNames(err), f, in, *raw), in, *raw)
	}
	_, err = fmt.Fprintln(e.stdout, verifiedBy(signed))
	return err
}

// verifyWithoutFinalCRLF verifies a raw answer that failed as given once more without its final
// CR LF, reporting whether that verified. A final CR LF is kept as part of the last value (a PEM
// holds CR LFs), but one that a Windows editor or PowerShell's pipe appended makes the signature
// fail. Only that CR LF is dropped: parseRaw, not parseMessage, which would also drop an LF
// before it.
func verifyWithoutFinalCRLF(v *cert.Verifier, in []byte) (*cert.Signed, bool) {
	body, ok := bytes.CutSuffix(in, []byte("\r\n"))
	if !ok {
		return nil, false
	}
	f, err := parseRaw(body)
	if err != nil || sign.Unambiguous(f) != nil {
		return nil, false
	}
	signed, err := v.Verify(f)
	return signed, err == nil
}

// verifiedBy is verify's output line: the certId and which configured trust accepted the message.
func verifiedBy(s *cert.Signed) string {
	var how string
	switch {
	case s.Method == sign.MethodSHA256Key || s.Method == sign.MethodSM3Key:
		how = "secure key"
	case s.Method == sign.MethodSM2 && s.Version == sign.Version510:
		how = sign.Version510 + ", SM2 certificate chain -sm2-root/-sm2-middle"
	case s.Method == sign.MethodSM2:
		how = s.Version + ", SM2 certificate -sm2-verify-cert"
	case s.Version == sign.Version510:
		how = sign.Version510 + ", certificate chain -root/-middle"
	default:
		how = s.Version + ", certificate -verify-cert"
	}
	id := ""
	if s.CertID != "" {
		id = " " + s.CertID
	}
	return fmt.Sprintf("OK%s (signMethod %s, %s)", id, s.Method, how)
}

// verifierConfig turns the flags into what the verifier trusts.
func verifierConfig(root, middle string, testNames bool, at string, legacy []string, key string, sm2 sm2Flags) (cert.VerifierConfig, error) {
	var cfg cert.VerifierConfig
	if (root == "") != (middle == "") {
		return cfg, usagef("-root and -middle go together")
	}
	if (sm2.root == "") != (sm2.middle == "") {
		return cfg, usagef("-sm2-root and -sm2-middle go together")
	}
	if root == "" && len(legacy) == 0 && key == "" && sm2.empty() {
		return cfg, usagef("nothing to trust: give -root and -middle, -verify-cert, -secure-key (or -secure-key-env), " +
			"-sm2-root and -sm2-middle, or -sm2-verify-cert")
	}
	if err := sm2.apply(&cfg); err != nil {
		return cfg, err
	}
	if at != "" {
		t, err := time.Parse(time.RFC3339, at)
		if err != nil {
			return cfg, usagef("-at: want an RFC 3339 time such as 2024-01-05T12:00:00+08:00, got %q", at)
		}
		cfg.Now = func() time.Time { return t }
	}
	var err error
	if root != "" {
		if cfg.Root, err = loadCertificate("-root", root); err != nil {
			return cfg, err
		}
		if cfg.Middle, err = loadCertificate("-middle", middle); err != nil {
			return cfg, err
		}
	}
	for _, path := range legacy {
		c, err := loadCertificate("-verify-cert", path)
		if err != nil {
			return cfg, err
		}
		if _, ok := c.PublicKey.(*rsa.PublicKey); !ok {
			return cfg, usagef("-verify-cert %s: a %s certificate, not RSA (an SM2 certificate goes to -sm2-verify-cert)",
				path, keyType(c.PublicKey))
		}
		cfg.LegacyCerts = append(cfg.LegacyCerts, c)
	}
	cfg.AcceptTestOwner = testNames
	if key != "" {
		cfg.SecureKey = []byte(key)
	}
	return cfg, nil
}

// parseMessage parses a received message: a raw synchronous response (re-read in GBK when its
// encoding field says so), key=value lines or a form-encoded notification.
func parseMessage(b []byte, raw bool) (sign.Fields, error) {
	text := strings.TrimSpace(string(b))
	if text == "" {
		return nil, errors.New("no message on standard input")
	}
	if !raw {
		if isKeyValueLines(text) {
			return parseFields(b)
		}
		return sign.ParseForm(text)
	}
	return parseRaw(trimFinalNewline(b))
}

// parseRaw parses a raw synchronous response exactly as given (no final newline dropped),
// re-read in GBK when its encoding field says so. A body that is not valid UTF-8 can only be
// GBK, and is decoded before it is parsed: the second byte of a GBK character may be a '{' or
// '[' (獅 is AA 7B, 擺 is 94 5B), which a parse of the bytes would take for a region's opening,
// refusing the answer or hiding its encoding field in another value. A valid UTF-8 body whose
// parse fails or shows no encoding field is read in GBK when that reading declares GBK.
func parseRaw(b []byte) (sign.Fields, error) {
	if !utf8.Valid(b) {
		text, err := sign.DecodeBody(b, sign.CharsetGBK)
		if err != nil {
			return nil, fmt.Errorf("%w (nor valid UTF-8)", err)
		}
		f, err := sign.ParseRaw(text)
		if err == nil && !strings.EqualFold(f[sign.FieldEncoding], sign.CharsetGBK) {
			err = fmt.Errorf("%w: the body is not valid UTF-8, and its encoding field is %q, not GBK",
				sign.ErrCharset, f[sign.FieldEncoding])
		}
		if err != nil {
			return nil, err
		}
		return f, nil
	}
	f, err := sign.ParseRaw(string(b))
	if err == nil && strings.EqualFold(f[sign.FieldEncoding], sign.CharsetGBK) {
		text, err := sign.DecodeBody(b, sign.CharsetGBK)
		if err != nil {
			return nil, err
		}
		return sign.ParseRaw(text)
	}
	// GBK text may be valid UTF-8 too (涓亄 is E4 B8 81 7B, 丁{ in UTF-8): a trail byte taken
	// for a region's opening fails the parse of the bytes, or hides the encoding field. The body
	// is then read in GBK, as a client configured for GBK decodes it, when that reading says GBK.
	if (err != nil || f[sign.FieldEncoding] == "") && !ascii.Is(b) {
		if text, derr := sign.DecodeBody(b, sign.CharsetGBK); derr == nil {
			if g, gerr := sign.ParseRaw(text); gerr == nil && strings.EqualFold(g[sign.FieldEncoding], sign.CharsetGBK) {
				return g, nil
			}
		}
	}
	return f, err
}

// fieldLine is a key=value line: a field name, then '='.
var fieldLine = regexp.MustCompile(`^[A-Za-z0-9_]+=`)

// isKeyValueLines reports whether text is key=value lines: two or more non-blank lines (not
// counting # comments), each starting with a field name and '='. A raw answer whose
// signPubKeyCert spans lines is not: its PEM lines do not start so.
func isKeyValueLines(text string) bool {
	n := 0
	for line := range strings.SplitSeq(text, "\n") {
		line = strings.TrimSuffix(line, "\r")
		if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if !fieldLine.MatchString(line) {
			return false
		}
		n++
	}
	return n >= 2
}

// alteredHint adds to a verification failure of the message f, read from in, what usually
// causes it: a space in a base64 value (signature, signPubKeyCert) of a form body is a '+' that
// was URL-decoded once too often; a signature that does not verify, a message changed after it
// was signed. Input in the other format is left to withFormatHint.
func alteredHint(err error, f sign.Fields, in []byte, raw bool) error {
	// Only a form body decodes '+' as a space: not key=value lines, nor a raw answer (given
	// without -raw too), which have literal spaces or line breaks.
	form := !raw && !strings.ContainsAny(strings.TrimSpace(string(in)), " \r\n")
	pem := strings.NewReplacer("-----BEGIN CERTIFICATE-----", "", "-----END CERTIFICATE-----", "").
		Replace(f["signPubKeyCert"])
	switch {
	case form && (strings.Contains(f["signature"], " ") || strings.Contains(pem, " ")):
		return fmt.Errorf("%w (a base64 value holds spaces: its '+' were decoded as spaces, the body URL-decoded "+
			"twice on its way; give the body exactly as received)", err)
	case errors.Is(err, sign.ErrSignature) && !errors.Is(err, cert.ErrMissingField):
		key := ""
		if m := f[sign.FieldSignMethod]; m == sign.MethodSHA256Key || m == sign.MethodSM3Key {
			key = ", or signed with another secure key"
		}
		return fmt.Errorf("%w (the message was changed after it was signed: a proxy or framework re-encoding the "+
			"body, a value trimmed or re-cased, the body cut short%s; give it exactly as received)", err, key)
	}
	return err
}

// keyValueLinesWithPEM reports whether text is key=value lines (two or more lines starting with a
// field name and '=', not joined by '&' as a raw answer's fields are) in which a PEM certificate
// spans lines, which isKeyValueLines therefore does not take.
func keyValueLinesWithPEM(text string) bool {
	if !strings.Contains(text, "-----BEGIN") {
		return false
	}
	n := 0
	for line := range strings.SplitSeq(text, "\n") {
		if fieldLine.MatchString(line) && !strings.Contains(line, "&") {
			n++
		}
	}
	return n >= 2
}

// withFormatHint adds to a parse or verification failure a hint at the other input format when
// the input looks like it: a raw answer (literal spaces, line breaks or {...} in a value) given
// without -raw, or a percent-encoded form body given with -raw.
func withFormatHint(err error, in []byte, raw bool) error {
	text := strings.TrimSpace(string(in))
	switch {
	case text == "":
	case !raw && keyValueLinesWithPEM(text):
		return fmt.Errorf("%w (key=value lines cannot hold signPubKeyCert, whose PEM spans lines: give the body "+
			"as received, the form body on one line)", err)
	case !raw && !isKeyValueLines(text) && strings.ContainsAny(text, " \r\n{"):
		return fmt.Errorf("%w (is this a synchronous answer in raw format? use -raw)", err)
	case raw && !strings.ContainsAny(text, " \r\n{") && strings.Contains(text, "%"):
		return fmt.Errorf("%w (is this a form-encoded notification? leave out -raw)", err)
	}
	return err
}
