package main

import (
	"crypto/x509"
	"fmt"
	"io"
	"sort"
	"unicode"
	"unicode/utf8"

	"github.com/goacp/unionpay/cert"
	"github.com/goacp/unionpay/sign"
)

const signHelp = `
Reads one message from standard input, signs it as UnionPay's SDK does and writes the signed
message to standard output as one application/x-www-form-urlencoded body (keys sorted, values
percent-encoded in the message charset, space as '+'). The body ends with a line feed only when
standard output is a terminal: written to a file or a pipe it is exactly the bytes to POST, so
"unionpay sign ... | curl --data-binary @- URL" sends it unchanged. In a script, use
"set -o pipefail": otherwise a failed sign (a wrong password, say) leaves the pipeline's status 0
and curl posts an empty body.

Input is either a form body on one line (percent-encoded in the charset of its encoding field) or
key=value lines (split at the first '=', values taken literally; blank lines and # comments are
skipped) in UTF-8, whatever the encoding field: a value not valid UTF-8 (a file saved in GBK) is
refused, naming its line and field; with encoding=GBK the body is written in GBK. As the official SDK does,
fields with blank values are dropped and the others trimmed before signing. Field names must be
ASCII letters, digits or '_': a name with a byte-order mark (a file saved "UTF-8 with BOM") or a
space ("key = value") is refused.

version is set to -version, or kept from the message, or 5.1.0. signMethod is set to
-sign-method; certId to the certificate's serial number for 01 and 21 (none for 11 and 12).
With -canonical, the output is the string that was signed instead (keys sorted, "k=v" joined by
'&', without signature; in UTF-8 whatever the charset), to compare with the string the Java SDK
logs (待签名请求报文串).

  01  RSA with the PFX key (-pfx, -password): SHA-256 for 5.1.0, SHA-1 for 5.0.0
  11  SHA-256 with the secure key (-secure-key, -secure-key-env, or else $UNIONPAY_SECURE_KEY;
      test environment: 88888888); -password is refused with 11 and 12, which sign with no PFX
  12  SM3 with the secure key
  21  SM2 (国密) with the key of a CFCA .sm2 file (-sm2, -password): SM3withSM2 over the SM3 hex
      of the string to sign, with the certId as SM2 user ID
Without -password, the PFX or .sm2 password is taken from $UNIONPAY_PASSWORD.`

// signSynopsis is sign's usage line, and which flags go with which method.
const signSynopsis = "[-pfx FILE | -sm2 FILE] [-password P] [-version 5.1.0|5.0.0] [-sign-method 01|11|12|21]\n" +
	"       [-secure-key K | -secure-key-env] [-canonical]\n" +
	"       (01, the default: -pfx; 21: -sm2; 11 and 12: a secure key, no -pfx, -sm2 or -password)"

func runSign(e *env, args []string) error {
	fs := newFlags(e, "sign", signSynopsis, signHelp)
	pfxPath := fs.String("pfx", "", "merchant signing PFX file, for -sign-method 01")
	sm2Path := fs.String("sm2", "", "merchant CFCA .sm2 signing file, for -sign-method 21")
	pw := fs.String("password", "", "PFX or .sm2 password (default $"+passwordEnv+"); refused with -sign-method 11 and 12"+passwordSeen)
	version := fs.String("version", "", "message version: 5.1.0 or 5.0.0 (default: the message's, else 5.1.0)")
	method := fs.String("sign-method", sign.MethodRSA, "signMethod: 01 (RSA certificate), 11 (SHA-256 key), 12 (SM3 key) or 21 (SM2 certificate)")
	key := fs.String("secure-key", "", "secure key, for -sign-method 11 and 12 (default with those: $"+secureKeyEnv+")")
	keyEnv := fs.Bool("secure-key-env", false, "read the secure key from $"+secureKeyEnv+" (for -sign-method 11 and 12)")
	canonical := fs.Bool("canonical", false, "write the string to sign (in UTF-8) instead of the signed body")
	if err := parseFlags(fs, args, 0); err != nil {
		return err
	}
	switch *version {
	case "", sign.Version510, sign.Version500:
	default:
		return usagef("-version must be 5.1.0 or 5.0.0, not %q", *version)
	}
	// -sign-method 11 or 12 asks for a secure key: then (only) the environment may supply it.
	k, err := e.secureKey(*key, *keyEnv)
	if err != nil {
		return err
	}
	if *method == sign.MethodSHA256Key || *method == sign.MethodSM3Key {
		if k == "" {
			k = e.getenv(secureKeyEnv)
		}
		// A password here means the user thinks a PFX signs: say so rather than ignore it.
		if flagGiven(fs, "password") {
			return usagef("-password is for -sign-method 01 and 21 (a PFX or .sm2 file), not %s (a secure key)", *method)
		}
	}
	keyFlag := "-secure-key"
	if *keyEnv {
		keyFlag = "-secure-key-env"
	}
	signer, c, err := signerFor(signFlags{method: *method, methodGiven: flagGiven(fs, "sign-method"), pfxPath: *pfxPath,
		sm2Path: *sm2Path, password: e.password(fs, *pw), key: k, keyFlag: keyFlag})
	if err != nil {
		return wrongPassword(err, passwordFrom(fs))
	}
	if c != nil {
		// Signing old vectors is legitimate: warn, do not fail.
		if v := validity(c, e.clock()); v != "valid" {
			fmt.Fprintf(e.stderr, "unionpay sign: warning: the signing certificate (certId %s) is %s: UnionPay will refuse the signature\n",
				cert.CertID(c), v)
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
	if err := checkFieldNames(f); err != nil {
		return err
	}
	out, err := signFields(signer, f, *version, *canonical)
	if err != nil {
		return err
	}
	if e.stdoutTTY {
		out += "\n" // for the prompt's sake; a line feed in a file or pipe would end up in the last value
	}
	_, err = io.WriteString(e.stdout, out)
	return err
}

// signFlags is what sign's flags ask for.
type signFlags struct {
	method      string
	methodGiven bool // -sign-method was given; else method is 01, the default
	pfxPath     string
	sm2Path     string
	password    string
	key         string // the secure key
	keyFlag     string // the flag that gave it, named in errors: -secure-key or -secure-key-env
}

// notMethod ends an error saying that a flag does not go with the method: it names the method,
// and says that it is the default when -sign-method was not given.
func (f signFlags) notMethod() string {
	if !f.methodGiven {
		return ", and without -sign-method signMethod is " + f.method
	}
	return ", not " + f.method
}

// signerFor builds the signer for the method from the flags, with its certificate (nil for a
// secure key). Its errors name the flags the user gave.
func signerFor(f signFlags) (sign.Signer, *x509.Certificate, error) {
	if f.sm2Path != "" && f.method != sign.MethodSM2 && validMethod(f.method) {
		return nil, nil, usagef("-sm2 is for -sign-method 21%s", f.notMethod())
	}
	switch f.method {
	case sign.MethodRSA:
		switch {
		case f.pfxPath == "" && !f.methodGiven:
			return nil, nil, usagef("-pfx is required for signMethod 01, the default " +
				"(-sign-method 11 or 12 signs with a secure key, 21 with -sm2)")
		case f.pfxPath == "":
			return nil, nil, usagef("-sign-method 01 needs -pfx")
		case f.key != "":
			return nil, nil, usagef("%s is for -sign-method 11 and 12%s", f.keyFlag, f.notMethod())
		}
		pfx, err := cert.LoadPFXFile(f.pfxPath, f.password)
		if err != nil {
			return nil, nil, credentialError(err, "-pfx", f.pfxPath, f.password, kindPFX, map[credentialKind]string{
				kindSM2: "use -sign-method 21 -sm2 FILE", kindCertificate: "-pfx takes the merchant's signing PFX, with its private key"})
		}
		s, err := pfx.Signer()
		return s, pfx.Certificate, err
	case sign.MethodSHA256Key, sign.MethodSM3Key:
		if f.key == "" {
			return nil, nil, usagef("-sign-method %s needs a secure key: -secure-key K, -secure-key-env or $%s",
				f.method, secureKeyEnv)
		}
		if f.pfxPath != "" {
			return nil, nil, usagef("-pfx is for -sign-method 01%s", f.notMethod())
		}
		s, err := sign.NewSecureKeySigner(f.method, []byte(f.key))
		if err != nil { // a key from $UNIONPAY_SECURE_KEY that is not ASCII (flags are checked earlier)
			return nil, nil, usagef("$%s: %v", secureKeyEnv, err)
		}
		return s, nil, nil
	case sign.MethodSM2:
		switch {
		case f.sm2Path == "":
			return nil, nil, usagef("-sign-method 21 needs -sm2")
		case f.pfxPath != "":
			return nil, nil, usagef("-pfx is for -sign-method 01%s", f.notMethod())
		case f.key != "":
			return nil, nil, usagef("%s is for -sign-method 11 and 12%s", f.keyFlag, f.notMethod())
		}
		cred, err := cert.LoadSM2File(f.sm2Path, f.password)
		if err != nil {
			return nil, nil, credentialError(err, "-sm2", f.sm2Path, f.password, kindSM2, map[credentialKind]string{
				kindPFX: "use -sign-method 01 -pfx FILE", kindCertificate: "-sm2 takes the merchant's CFCA .sm2 signing file, with its private key"})
		}
		s, err := cred.Signer()
		return s, cred.Certificate, err
	}
	return nil, nil, usagef("-sign-method must be 01, 11, 12 or 21, not %q", f.method)
}

// validMethod reports whether method is one sign knows.
func validMethod(method string) bool {
	switch method {
	case sign.MethodRSA, sign.MethodSHA256Key, sign.MethodSM3Key, sign.MethodSM2:
		return true
	}
	return false
}

// signFields prepares f as the official SDK does before sending, sets the version and signs it,
// and returns the form body to send, or with canonical the string that was signed (in UTF-8, as
// the Java SDK logs it: 待签名请求报文串).
func signFields(s sign.Signer, f sign.Fields, version string, canonical bool) (string, error) {
	f = sign.Prepare(f)
	switch {
	case version != "":
		f[sign.FieldVersion] = version
	case f[sign.FieldVersion] == "":
		f[sign.FieldVersion] = sign.Version510
	}
	// sign.Sign sets signMethod and certId from the signer (and drops certId for a secure key).
	if err := sign.Sign(s, f); err != nil {
		return "", err
	}
	if canonical {
		return string(sign.AppendCanonical(nil, f)), nil
	}
	return sign.Encode(f)
}

// checkFieldNames refuses field names that UnionPay cannot know: anything but ASCII letters,
// digits and '_', such as a byte-order mark left by an editor or a space of "key = value". They
// would be signed and sent, and refused far from the cause.
func checkFieldNames(f sign.Fields) error {
	keys := make([]string, 0, len(f))
	for k := range f {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		for _, c := range k {
			if c == '_' || c < utf8.RuneSelf && (unicode.IsLetter(c) || unicode.IsDigit(c)) {
				continue
			}
			hint := ""
			switch c {
			case '\ufeff':
				hint = " (a byte-order mark: save the file as UTF-8 without BOM)"
			case ' ', '\t':
				hint = " (a space: write key=value without spaces around '=')"
			}
			return fmt.Errorf("field name %q holds %q, not a letter or digit%s: %w", keyShown(k), c, hint,
				sign.ErrMalformed)
		}
	}
	return nil
}

// nameShown returns what an error shows of field name k, whose first character not allowed, c,
// is at byte i: k up to and including c, followed by "..." when more follows, since the rest of
// such a name may be a value run into it ("accNo 6216261000000000018" from a line with a space
// for '=', "phoneNo 13552535506 cvn2" from a form body); the part before c only when it starts
// with an ASCII letter or '_', as a field name does, else "..." alone (a card number written
// first is not shown).
func nameShown(k string, i int, c rune) string {
	head := k[:i]
	if head != "" && head[0] != '_' && !('a' <= head[0] && head[0] <= 'z' || 'A' <= head[0] && head[0] <= 'Z') {
		return "..."
	}
	shown := head + string(c)
	if end := i + utf8.RuneLen(c); end < len(k) {
		shown += "..."
	}
	return shown
}
