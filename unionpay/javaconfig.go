package unionpay

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/goacp/unionpay/cert"
	"github.com/goacp/unionpay/sign"
)

// JavaConfig is what [LoadJavaConfig] builds from the acp_sdk.properties file of UnionPay's Java
// SDK, for a merchant moving from it.
type JavaConfig struct {
	// Config has Version, Encoding, Signer, Verifier, Encrypter (when the file names an encryption
	// certificate), Decrypter (the signing key's, for a certificate signMethod) and Endpoints set.
	// MerchantID is not in the file (the Java SDK takes merId per request): set it, and
	// AccessType and its fields when the merchant is not a direct one, before [NewClient].
	// HTTPClient, Now and the other fields are left to their defaults.
	Config Config
	// VerifierConfig is what Config.Verifier was made from: every verification key the file
	// names, as the Java SDK's validate uses whichever one the message's signMethod and version
	// call for. Give it to notify (cert.NewVerifier) or add NextRoot and NextMiddle to it.
	VerifierConfig cert.VerifierConfig
	// Environment is "test" when every gateway URL of the file is one of UnionPay's test
	// environment ([TestEndpoints]), "production" when every one is UnionPay's production
	// ([ProductionEndpoints]), and "" otherwise (a proxy, a fake gateway, an obsolete address).
	Environment string
	// FrontURL, BackURL and FrontFailURL are acpsdk.frontUrl, backUrl and frontFailUrl: the URLs
	// of the merchant's pages that the Java demo puts in each request. Here they are fields of
	// each request (FrontURL, BackURL, Extra["frontFailUrl"]).
	FrontURL, BackURL, FrontFailURL string
	// Dropped lists the keys of the file that the Java SDK reads and this package does not use,
	// each with the reason, in file order.
	Dropped []JavaKey
}

// JavaKey is a key of an acp_sdk.properties file that [LoadJavaConfig] read and did not use.
type JavaKey struct {
	Key    string // e.g. "acpsdk.ifValidateRemoteCert"
	Line   int    // where it is set (the last time, when it is set twice)
	Reason string // why it is not used, and what does its job here if anything
}

// JavaConfigError reports an acp_sdk.properties file that [LoadJavaConfig] cannot use. Its text
// never holds the value of acpsdk.signCert.pwd, acpsdk.sm2.signCert.pwd or a secure key.
type JavaConfigError struct {
	File string // the file, as given to LoadJavaConfig
	Line int    // the line of the key or of the syntax error; 0 for a key that is missing
	Key  string // the key, cut where a secret may start (see LoadJavaConfig); "" for a syntax error before it
	Err  error  // what is wrong
}

// Error names the file, line and key, then the problem.
func (e *JavaConfigError) Error() string {
	s := "unionpay: " + e.File
	if e.Line > 0 {
		s += ":" + strconv.Itoa(e.Line)
	}
	if e.Key != "" {
		s += ": " + e.Key
	}
	if e.Err == nil { // a JavaConfigError made by hand
		return s + ": invalid configuration"
	}
	return s + ": " + e.Err.Error()
}

// Unwrap returns the underlying error (cert.ErrPassword for a wrong password, an *fs.PathError
// for a missing file...).
func (e *JavaConfigError) Unwrap() error { return e.Err }

// Environments of [JavaConfig].
const (
	EnvironmentTest       = "test"
	EnvironmentProduction = "production"
)

// maxPropertiesSize bounds the properties file: UnionPay's is about 4 KB.
const maxPropertiesSize = 1 << 20

// LoadJavaConfig reads the acp_sdk.properties file of UnionPay's Java SDK at path and builds the
// Config it describes, with this module's loaders: [cert.LoadPFXFile] for acpsdk.signCert.path
// (the PKCS#12 type its template fixes), [cert.LoadSM2File] for acpsdk.sm2.signCert.path,
// [sign.NewSecureKeySigner] for acpsdk.secureKey, [cert.LoadCertificateFile] and
// [cert.NewEncrypter] for the encryption certificate and [cert.NewVerifier] for the rest.
// docs/MIGRATION.md maps every key.
//
// The file is read with the syntax of java.util.Properties (comments, '=', ':' or white space
// between key and value, backslash continuations, \uXXXX escapes), as UTF-8 when it is valid UTF-8
// and as ISO-8859-1 otherwise; values are trimmed and a blank one is absent, as the Java SDK
// takes them. Keys outside acpsdk.* are ignored (the file may hold the application's own); an
// acpsdk.* key that the Java SDK's SDKConfig and GmSDKConfig do not name is an error, so that a
// misspelt key is not lost (acpsdk.encoding, which they do not name, sets Config.Encoding).
// Absent acpsdk.signMethod and acpsdk.version are 01 and 5.0.0, the Java SDK's defaults.
//
// acpsdk.frontTransUrl, backTransUrl and singleQueryUrl are required. When every URL of the file
// is UnionPay's, of one environment, Config.Endpoints is that environment's whole set
// ([TestEndpoints] or [ProductionEndpoints]), the URLs the file leaves out included; a URL of
// UnionPay's under the wrong key, or test and production URLs mixed, is an error. Other URLs (a
// proxy's, a fake gateway's) are taken key by key. acpsdk.ifValidateCNName=false (the test
// environment's owner accepted, VerifierConfig.AcceptTestOwner) is refused with UnionPay's
// production URLs, or whatever the URLs with its production root or middle, and so is
// UnionPay's public test secure key ([cert.PublicTestSecureKey]) in acpsdk.secureKey or
// acpsdk.sm2.secureKey, whatever the signMethod: [NewClient] would refuse
// Config.Verifier, but a notify Verifier made from VerifierConfig would take notifications that
// anyone can sign. That key is refused too, whatever the URLs (a proxy's), when the root, the
// middle, a certificate of acpsdk.validateCert.dir, the encryption certificate or the signing
// PFX's is of UnionPay's production PKI ([cert.IsProduction]). With UnionPay's production URLs,
// a root, middle, acpsdk.validateCert.dir or encryption certificate of UnionPay's test
// environment (acp_test_*.cer, issued by CFCA TEST CS CA or CFCA TEST OCA1) is refused: every
// answer would fail verification. The signing PFX and the encryption certificate may have expired:
// that is not checked here (see [Client.ExpiringWithin]).
//
// A relative path is taken from the directory of the properties file, not from the working
// directory as the Java SDK opens it (whose template asks for absolute paths): a Go service has
// no servlet container's working directory to keep, and the file's directory is where the
// certificates are found in a copied kit. acpsdk.validateCert.dir loads each file of the
// directory whose name ends in .cer, in any case, as the Java SDK does, and refuses a CA
// certificate (UnionPay's root or middle, often kept beside the others), naming the file:
// 5.0.0 messages are verified with UnionPay's signing certificates alone. Every file named (the
// properties file too) and every .cer file of such a directory must be a regular file (symbolic
// links followed; a named pipe, which would keep the loader waiting, or a device is refused
// before it is opened) of at most 1 MiB, and a directory may hold at most 1000 entries, 64 of
// them .cer files.
//
// Errors are a *[JavaConfigError] naming the key and, when it is in the file, its line (an
// unknown key, or the key of a line with a malformed escape, only up to where it may hold a
// secret value: acpsdk.signCert.pwd＝000000, with a full-width ＝, is one key to
// java.util.Properties, named as acpsdk.signCert.pwd); the Java SDK's keys that this module does
// not use are listed in JavaConfig.Dropped, with the reason.
func LoadJavaConfig(path string) (*JavaConfig, error) {
	l := &javaLoader{file: path, dir: filepath.Dir(path), props: map[string]property{}, out: &JavaConfig{}}
	if err := l.read(); err != nil {
		return nil, err
	}
	if err := l.load(); err != nil {
		return nil, err
	}
	return l.out, nil
}

// javaLoader holds the state of one LoadJavaConfig.
type javaLoader struct {
	file, dir string
	props     map[string]property // acpsdk.* keys, the last setting of each, blank ones left out
	out       *JavaConfig
	method    string
	version   string
}

// read reads and parses the file and checks its acpsdk.* keys.
func (l *javaLoader) read() error {
	if err := regularFile(l.file); err != nil {
		return &JavaConfigError{File: l.file, Err: err}
	}
	f, err := os.Open(l.file)
	if err != nil {
		return &JavaConfigError{File: l.file, Err: err}
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxPropertiesSize+1))
	if err != nil {
		return &JavaConfigError{File: l.file, Err: err}
	}
	if len(data) > maxPropertiesSize {
		return &JavaConfigError{File: l.file, Err: fmt.Errorf("larger than %d bytes: not an acp_sdk.properties", maxPropertiesSize)}
	}
	props, err := parseProperties(decodeProperties(data))
	if se, ok := errors.AsType[*propertySyntaxError](err); ok {
		// The key is named as an unknown key is, here and in Err: acpsdk.signCert.pwd＝000000 is
		// one key.
		shown := *se
		shown.key, _ = shownKey(se.key)
		return &JavaConfigError{File: l.file, Line: se.line, Key: shown.key, Err: &shown}
	} else if err != nil {
		return &JavaConfigError{File: l.file, Err: err}
	}
	for _, p := range props {
		if !strings.HasPrefix(p.key, "acpsdk.") {
			continue
		}
		if _, ok := javaKey(p.key); !ok {
			return unknownKey(l.file, p)
		}
		p.value = javaTrim(p.value)
		if p.value == "" {
			delete(l.props, p.key) // blank: absent, as the Java SDK takes it
			continue
		}
		l.props[p.key] = p
	}
	return nil
}

// secretKeys are the keys whose values are secrets: an unknown key that starts with one of them
// may hold its value (acpsdk.signCert.pwd＝000000, written with a full-width ＝ by a Chinese input
// method, is one key for java.util.Properties), so an error names no more of it.
var secretKeys = []string{"acpsdk.signCert.pwd", "acpsdk.sm2.signCert.pwd", "acpsdk.secureKey", "acpsdk.sm2.secureKey"}

// shownKey returns what an error may quote of key, a key as read from the file, and the number
// of characters it leaves out: the key up to its first character that no key of the SDK has (a
// separator other than '=', ':' or white space, such as the full-width ＝ and ：, starts the
// value) and no further than a secret key it starts with, whatever the case: what follows may be
// a password or a secure key.
func shownKey(key string) (shown string, hidden int) {
	shown = key
	if i := strings.IndexFunc(shown, func(r rune) bool {
		return !(r == '.' || r == '_' || r == '-' || '0' <= r && r <= '9' || 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z')
	}); i >= 0 {
		shown = shown[:i]
	}
	for _, s := range secretKeys {
		if len(shown) >= len(s) && strings.EqualFold(shown[:len(s)], s) {
			shown = shown[:len(s)]
			break
		}
	}
	return shown, utf8.RuneCountInString(key[len(shown):])
}

// unknownKey is the error for p, an acpsdk.* key that the Java SDK does not name, quoted as
// shownKey allows.
func unknownKey(file string, p property) error {
	key, n := shownKey(p.key)
	msg := "not a key of UnionPay's Java SDK (SDKConfig, GmSDKConfig): misspelt? Keys are case-sensitive (see docs/MIGRATION.md)"
	if n > 0 {
		chars := "characters"
		if n == 1 {
			chars = "character"
		}
		msg = fmt.Sprintf("followed by %d more %s, not shown as they may hold a secret: no key of UnionPay's "+
			"Java SDK (SDKConfig, GmSDKConfig) is written so; separate a key from its value with '=', ':' or white "+
			"space (not a full-width ＝ or ：); keys are case-sensitive (see docs/MIGRATION.md)", n, chars)
	}
	return &JavaConfigError{File: file, Line: p.line, Key: key, Err: errors.New(msg)}
}

// javaTrim trims s as Java's String.trim does: the characters up to U+0020 at either end.
func javaTrim(s string) string {
	return strings.TrimFunc(s, func(r rune) bool { return r <= ' ' })
}

// get returns the value of key, "" when absent.
func (l *javaLoader) get(key string) string { return l.props[key].value }

// has reports whether key is set.
func (l *javaLoader) has(key string) bool { _, ok := l.props[key]; return ok }

// fail is the *JavaConfigError for key.
func (l *javaLoader) fail(key string, err error) error {
	return &JavaConfigError{File: l.file, Line: l.props[key].line, Key: key, Err: err}
}

// failf is fail with a formatted error (%w allowed).
func (l *javaLoader) failf(key, format string, args ...any) error {
	return l.fail(key, fmt.Errorf(format, args...))
}

// path returns the path key names, relative to the properties file's directory.
func (l *javaLoader) path(key string) string {
	p := l.get(key)
	if p == "" || filepath.IsAbs(p) {
		return p
	}
	return filepath.Join(l.dir, p)
}

// regular returns the path key names, as path does, once regularFile accepts it.
func (l *javaLoader) regular(key string) (string, error) {
	p := l.path(key)
	if err := regularFile(p); err != nil {
		return "", l.failPath(key, err)
	}
	return p, nil
}

// failPath is the *JavaConfigError for key, whose path could not be used. When it is not there
// and not absolute, err is followed by what to change: a Windows drive path (the Java SDK's
// template writes D:/certs/...) copied to a host that has none, or a relative path, taken from
// the properties file's directory where the Java SDK takes the working directory's.
func (l *javaLoader) failPath(key string, err error) error {
	raw := l.get(key)
	switch {
	case !errors.Is(err, fs.ErrNotExist) || filepath.IsAbs(raw):
		return l.failf(key, "%w", err)
	case windowsDrive(raw):
		return l.failf(key, "%w: %s is a Windows path: give this host's path, absolute or relative to the properties file's directory", err, raw)
	}
	return l.failf(key, "%w (a relative path is taken from the properties file's directory, not the working directory)", err)
}

// windowsDrive reports whether p starts with a drive letter and a separator, as D:/certs or
// D:\certs.
func windowsDrive(p string) bool {
	return len(p) >= 3 && ('a' <= p[0]|0x20 && p[0]|0x20 <= 'z') && p[1] == ':' && (p[2] == '/' || p[2] == '\\')
}

// regularFile refuses a path that is not a regular file (symbolic links followed) before it is
// opened: opening a named pipe waits for a writer, for ever, and a device (/dev/zero, a terminal)
// is no key or certificate file.
func regularFile(path string) error {
	fi, err := os.Stat(path)
	if err != nil {
		return err
	}
	if !fi.Mode().IsRegular() {
		return fmt.Errorf("%s is not a regular file (%s)", path, fileKind(fi.Mode()))
	}
	return nil
}

// fileKind names the type of a file that is not a regular one.
func fileKind(m fs.FileMode) string {
	switch {
	case m.IsDir():
		return "a directory"
	case m.IsRegular():
		return "a regular file"
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeDevice != 0:
		return "a device"
	}
	return "mode " + m.Type().String()
}

// drop lists key in Dropped.
func (l *javaLoader) drop(key, reason string) {
	if p, ok := l.props[key]; ok {
		l.out.Dropped = append(l.out.Dropped, JavaKey{Key: key, Line: p.line, Reason: reason})
	}
}

// load builds the JavaConfig from the keys read.
func (l *javaLoader) load() error {
	for _, step := range []func() error{l.loadMessage, l.loadEndpoints, l.loadSigner, l.loadEncrypter, l.loadVerifier} {
		if err := step(); err != nil {
			return err
		}
	}
	l.out.FrontURL, l.out.BackURL, l.out.FrontFailURL = l.get("acpsdk.frontUrl"), l.get("acpsdk.backUrl"), l.get("acpsdk.frontFailUrl")
	l.dropUnused()
	return nil
}

// loadMessage reads acpsdk.version, signMethod and encoding.
func (l *javaLoader) loadMessage() error {
	l.version = sign.Version500 // the Java SDK's default
	if v := l.get("acpsdk.version"); v != "" {
		if v != sign.Version510 && v != sign.Version500 {
			return l.failf("acpsdk.version", "%q: this module sends 5.1.0 or 5.0.0", v)
		}
		l.version = v
	}
	l.method = sign.MethodRSA // the Java SDK's default
	if m := l.get("acpsdk.signMethod"); m != "" {
		switch m {
		case sign.MethodRSA, sign.MethodSHA256Key, sign.MethodSM3Key, sign.MethodSM2:
		default:
			return l.failf("acpsdk.signMethod", "%q: want 01, 11, 12 or 21", m)
		}
		l.method = m
	}
	l.out.Config.Version = l.version
	if e := l.get("acpsdk.encoding"); e != "" {
		if !strings.EqualFold(e, "UTF-8") && !strings.EqualFold(e, sign.CharsetGBK) {
			return l.failf("acpsdk.encoding", "%q: want UTF-8 or GBK", e)
		}
		l.out.Config.Encoding = e
	}
	return nil
}

// loadEndpoints reads the gateway URLs. UnionPay's are recognised by field, and the fields the
// file leaves out are then filled from the same environment.
func (l *javaLoader) loadEndpoints() error {
	e := &l.out.Config.Endpoints
	test, prod := TestEndpoints(), ProductionEndpoints()
	envs := map[string]bool{}
	for _, u := range endpointKeys(e, &test, &prod) {
		v := l.get(u.key)
		if v == "" {
			if u.required {
				return l.failf(u.key, "required (Config.Endpoints.%s)", u.field)
			}
			continue
		}
		if err := checkURL(v, true); err != nil {
			return l.failf(u.key, "%w", err)
		}
		env := ""
		switch {
		case sameURL(v, *u.test):
			env, v = EnvironmentTest, *u.test
		case sameURL(v, *u.prod):
			env, v = EnvironmentProduction, *u.prod
		default:
			if other := unionPayURLField(v, test, prod); other != "" {
				return l.failf(u.key, "is UnionPay's URL for Endpoints.%s, not for Endpoints.%s", other, u.field)
			}
		}
		envs[env] = true
		if len(envs) > 1 && envs[EnvironmentTest] && envs[EnvironmentProduction] {
			return l.failf(u.key, "mixes UnionPay's test and production environments with the keys before it")
		}
		*u.dst = v
	}
	if len(envs) == 1 && !envs[""] {
		for env := range envs {
			l.out.Environment = env
		}
		full := test
		if l.out.Environment == EnvironmentProduction {
			full = prod
		}
		*e = full
	}
	return nil
}

// endpointKey ties a URL key to its Endpoints field and UnionPay's two values of it.
type endpointKey struct {
	key, field      string
	dst, test, prod *string
	required        bool
}

func endpointKeys(e, test, prod *Endpoints) []endpointKey {
	return []endpointKey{
		{"acpsdk.frontTransUrl", "Front", &e.Front, &test.Front, &prod.Front, true},
		{"acpsdk.backTransUrl", "Back", &e.Back, &test.Back, &prod.Back, true},
		{"acpsdk.singleQueryUrl", "Query", &e.Query, &test.Query, &prod.Query, true},
		{"acpsdk.batchTransUrl", "Batch", &e.Batch, &test.Batch, &prod.Batch, false},
		{"acpsdk.fileTransUrl", "File", &e.File, &test.File, &prod.File, false},
		{"acpsdk.appTransUrl", "App", &e.App, &test.App, &prod.App, false},
		{"acpsdk.cardTransUrl", "Card", &e.Card, &test.Card, &prod.Card, false},
	}
}

// sameURL compares two URLs ignoring the case of the whole, a trailing slash, the scheme's default
// port and how the host is written (dialedHost: with a final dot, in full-width letters), as the
// HTTP client would reach them.
func sameURL(a, b string) bool {
	return strings.EqualFold(urlKey(a), urlKey(b))
}

// urlKey is u without its trailing slashes, its host as dialedHost reads it and its scheme's
// default port left out; u itself when it does not parse as a URL with a host.
func urlKey(u string) string {
	u = strings.TrimRight(u, "/")
	p, err := url.Parse(u)
	if err != nil || p.Host == "" {
		return u
	}
	host := dialedHost(p.Hostname())
	if strings.Contains(host, ":") {
		host = "[" + host + "]"
	}
	if port := p.Port(); port != "" && !(port == "443" && strings.EqualFold(p.Scheme, "https") || port == "80" && strings.EqualFold(p.Scheme, "http")) {
		host += ":" + port
	}
	p.Host = host
	return p.String()
}

// unionPayURLField names the Endpoints field whose UnionPay URL (test or production) u is, or "".
func unionPayURLField(u string, test, prod Endpoints) string {
	var none Endpoints
	for _, k := range endpointKeys(&none, &test, &prod) {
		if sameURL(u, *k.test) || sameURL(u, *k.prod) {
			return k.field
		}
	}
	return ""
}
