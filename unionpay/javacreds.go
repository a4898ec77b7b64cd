package unionpay

import (
	"bytes"
	"crypto/x509"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/goacp/unionpay/cert"
	"github.com/goacp/unionpay/sign"
)

// loadSigner builds Config.Signer (and Decrypter) for acpsdk.signMethod. Passwords and secure
// keys go to the loaders only: no error here quotes them, and the loaders' errors do not.
func (l *javaLoader) loadSigner() error {
	cfg := &l.out.Config
	switch l.method {
	case sign.MethodRSA:
		if t := l.get("acpsdk.signCert.type"); t != "" && !strings.EqualFold(t, "PKCS12") {
			return l.failf("acpsdk.signCert.type", "%q: only PKCS12 (.pfx) files are read here", t)
		}
		if err := l.require("acpsdk.signCert.path"); err != nil {
			return err
		}
		path, err := l.regular("acpsdk.signCert.path")
		if err != nil {
			return err
		}
		pfx, err := cert.LoadPFXFile(path, l.get("acpsdk.signCert.pwd"))
		if errors.Is(err, cert.ErrPassword) {
			return l.failf("acpsdk.signCert.pwd", "%sdoes not open acpsdk.signCert.path: %w", l.absent("acpsdk.signCert.pwd"), err)
		} else if err != nil {
			return l.failf("acpsdk.signCert.path", "%w", err)
		}
		if cfg.Signer, err = pfx.Signer(); err != nil {
			return l.failf("acpsdk.signCert.path", "%w", err)
		}
		if cfg.Decrypter, err = pfx.Decrypter(); err != nil {
			return l.failf("acpsdk.signCert.path", "%w", err)
		}
	case sign.MethodSM2:
		if err := l.require("acpsdk.sm2.signCert.path"); err != nil {
			return err
		}
		path, err := l.regular("acpsdk.sm2.signCert.path")
		if err != nil {
			return err
		}
		cred, err := cert.LoadSM2File(path, l.get("acpsdk.sm2.signCert.pwd"))
		if errors.Is(err, cert.ErrPassword) {
			return l.failf("acpsdk.sm2.signCert.pwd", "%sdoes not open acpsdk.sm2.signCert.path: %w", l.absent("acpsdk.sm2.signCert.pwd"), err)
		} else if err != nil {
			return l.failf("acpsdk.sm2.signCert.path", "%w", err)
		}
		if cfg.Signer, err = cred.Signer(); err != nil {
			return l.failf("acpsdk.sm2.signCert.path", "%w", err)
		}
		if cfg.Decrypter, err = cred.Decrypter(); err != nil {
			return l.failf("acpsdk.sm2.signCert.path", "%w", err)
		}
	default: // 11, 12
		key, err := l.secureKey()
		if err != nil {
			return err
		}
		if key == "" {
			return l.failf("acpsdk.secureKey", "required with acpsdk.signMethod %s", l.method)
		}
		s, err := sign.NewSecureKeySigner(l.method, []byte(l.get(key)))
		if err != nil {
			return l.failf(key, "%w", err)
		}
		cfg.Signer = s
	}
	return nil
}

// secureKey returns the key holding the secure key: acpsdk.secureKey, or acpsdk.sm2.secureKey
// when only it is set; "" when neither is.
func (l *javaLoader) secureKey() (string, error) {
	a, b := l.get("acpsdk.secureKey"), l.get("acpsdk.sm2.secureKey")
	switch {
	case a != "" && b != "" && a != b:
		return "", l.failf("acpsdk.sm2.secureKey", "differs from acpsdk.secureKey: a Verifier holds one secure key")
	case a != "":
		return "acpsdk.secureKey", nil
	case b != "":
		return "acpsdk.sm2.secureKey", nil
	}
	return "", nil
}

// absent is the start of an error about key when the file does not set it (a password that the
// empty one stands for), and "" when it does.
func (l *javaLoader) absent(key string) string {
	if l.has(key) {
		return ""
	}
	return "absent (the empty password was tried), and the empty password "
}

// require fails when key is absent, naming signMethod and version.
func (l *javaLoader) require(key string) error {
	if l.has(key) {
		return nil
	}
	version := "acpsdk.version " + l.version
	if !l.has("acpsdk.version") {
		version += " (acpsdk.version is absent: the Java SDK then sends 5.0.0)"
	}
	return l.failf(key, "required with acpsdk.signMethod %s and %s", l.method, version)
}

// loadEncrypter builds Config.Encrypter from the encryption certificate of signMethod's algorithm.
func (l *javaLoader) loadEncrypter() error {
	key := "acpsdk.encryptCert.path"
	if l.method == sign.MethodSM2 {
		key = "acpsdk.sm2.encryptCert.path"
	}
	if !l.has(key) {
		return nil
	}
	path, err := l.regular(key)
	if err != nil {
		return err
	}
	c, err := cert.LoadCertificateFile(path)
	if err != nil {
		return l.failf(key, "%w", err)
	}
	if l.out.Config.Encrypter, err = cert.NewEncrypter(c); err != nil {
		return l.failf(key, "%w", err)
	}
	return nil
}

// loadVerifier builds VerifierConfig from every verification key of the file and checks that
// signMethod and version have theirs, then makes Config.Verifier.
func (l *javaLoader) loadVerifier() error {
	vc := &l.out.VerifierConfig
	vc.AcceptTestOwner = l.get("acpsdk.ifValidateCNName") == "false" // the Java SDK's test: anything else is true
	if vc.AcceptTestOwner && l.out.Environment == EnvironmentProduction {
		return l.failf("acpsdk.ifValidateCNName", "false with UnionPay's production URLs: it would accept "+
			"certificates of the test environment's owner in production")
	}
	var err error
	if vc.Root, vc.Middle, err = l.chain("acpsdk.rootCert.path", "acpsdk.middleCert.path", false); err != nil {
		return err
	}
	if vc.AcceptTestOwner && (cert.IsProduction(vc.Root) || cert.IsProduction(vc.Middle)) {
		return l.failf("acpsdk.ifValidateCNName", "false with UnionPay's production root or middle, whatever the URLs: "+
			"it would accept certificates of the test environment's owner in production (cert.NewVerifier refuses it)")
	}
	if vc.SM2Root, vc.SM2Middle, err = l.chain("acpsdk.sm2.rootCert.path", "acpsdk.sm2.middleCert.path", true); err != nil {
		return err
	}
	if vc.LegacyCerts, err = l.certDir("acpsdk.validateCert.dir", false); err != nil {
		return err
	}
	if vc.SM2Certs, err = l.certDir("acpsdk.sm2.validateCert.dir", true); err != nil {
		return err
	}
	key, err := l.secureKey()
	if err != nil {
		return err
	}
	if key != "" {
		if l.get(key) == cert.PublicTestSecureKey && l.out.Environment == EnvironmentProduction {
			return l.failf(key, "UnionPay's public test secure key with UnionPay's production URLs: anyone could "+
				"sign a notification with it; use the key UnionPay issued for production")
		}
		if prod := l.productionKey(); prod != "" && l.get(key) == cert.PublicTestSecureKey {
			return l.failf(key, "UnionPay's public test secure key with a certificate of UnionPay's production PKI "+
				"in %s, whatever the URLs: anyone could sign a notification with it; use the key UnionPay issued "+
				"for production", prod)
		}
		vc.SecureKey = []byte(l.get(key))
		if _, err := cert.NewVerifier(cert.VerifierConfig{SecureKey: vc.SecureKey}); err != nil {
			return l.failf(key, "%w", err)
		}
	}
	if err := l.requireVerification(); err != nil {
		return err
	}
	if test := l.testKey(); test != "" && l.out.Environment == EnvironmentProduction {
		return l.failf(test, "a certificate of UnionPay's test environment (issued by CFCA TEST CS CA or CFCA TEST "+
			"OCA1, as acp_test_*.cer are) with UnionPay's production URLs: every answer would fail verification, or "+
			"UnionPay could not decrypt the card data; use UnionPay's production files (acp_prod_*.cer)")
	}
	if l.out.Config.Verifier, err = cert.NewVerifier(*vc); err != nil {
		return l.failf("acpsdk.signMethod", "%w", err) // each part was accepted alone: not reached
	}
	return nil
}

// productionKey names the first key of the file whose certificate is of UnionPay's production PKI
// (cert.IsProduction), loaded by then: the root, the middle, a certificate of the validation
// directory, the encryption certificate or the signing PFX's; "" if none is.
func (l *javaLoader) productionKey() string { return l.keyHolding(cert.IsProduction, true) }

// testKey names the first key of the file holding a certificate of UnionPay's test environment
// (cert.IsTestEnvironment) among UnionPay's own: the root, the middle, a certificate of the
// validation directory or the encryption certificate; "" if none is. The merchant's PFX is not
// looked at: UnionPay answers a request signed with the wrong one respCode 11, which says so.
func (l *javaLoader) testKey() string { return l.keyHolding(cert.IsTestEnvironment, false) }

// keyHolding names the first key of the file whose certificate is: the root, the middle, a
// certificate of the validation directory, the encryption certificate and, with signer, the
// signing PFX's, in that order; "" if none is.
func (l *javaLoader) keyHolding(is func(*x509.Certificate) bool, signer bool) string {
	vc := &l.out.VerifierConfig
	if is(vc.Root) {
		return "acpsdk.rootCert.path"
	}
	if is(vc.Middle) {
		return "acpsdk.middleCert.path"
	}
	for _, c := range vc.LegacyCerts {
		if is(c) {
			return "acpsdk.validateCert.dir"
		}
	}
	if e := l.out.Config.Encrypter; e != nil && is(e.Certificate()) {
		return "acpsdk.encryptCert.path"
	}
	if c, ok := l.out.Config.Signer.(certified); signer && ok && is(c.Certificate()) {
		return "acpsdk.signCert.path"
	}
	return ""
}

// requireVerification fails when the keys that verify answers to signMethod and version are absent.
func (l *javaLoader) requireVerification() error {
	var keys []string
	switch {
	case l.method == sign.MethodRSA && l.version == sign.Version510:
		keys = []string{"acpsdk.middleCert.path", "acpsdk.rootCert.path"}
	case l.method == sign.MethodRSA:
		keys = []string{"acpsdk.validateCert.dir"}
	case l.method == sign.MethodSM2 && l.version == sign.Version510:
		keys = []string{"acpsdk.sm2.middleCert.path", "acpsdk.sm2.rootCert.path"}
	case l.method == sign.MethodSM2:
		keys = []string{"acpsdk.sm2.validateCert.dir"}
	}
	for _, k := range keys {
		if err := l.require(k); err != nil {
			return err
		}
	}
	return nil
}

// chain loads a root and middle pair (both or neither) and checks that the root issued the middle.
func (l *javaLoader) chain(rootKey, middleKey string, sm2 bool) (root, middle *x509.Certificate, err error) {
	switch {
	case !l.has(rootKey) && !l.has(middleKey):
		return nil, nil, nil
	case !l.has(rootKey):
		return nil, nil, l.failf(rootKey, "required with %s", middleKey)
	case !l.has(middleKey):
		return nil, nil, l.failf(middleKey, "required with %s", rootKey)
	}
	for _, k := range []string{rootKey, middleKey} {
		path, err := l.regular(k)
		if err != nil {
			return nil, nil, err
		}
		c, err := cert.LoadCertificateFile(path)
		if err != nil {
			return nil, nil, l.failf(k, "%w", err)
		}
		if k == rootKey {
			root = c
		} else {
			middle = c
		}
	}
	vc := cert.VerifierConfig{Root: root, Middle: middle}
	if sm2 {
		vc = cert.VerifierConfig{SM2Root: root, SM2Middle: middle}
	}
	if _, err := cert.NewVerifier(vc); err != nil {
		return nil, nil, l.failf(middleKey, "with %s: %w", rootKey, err)
	}
	return root, middle, nil
}

// certDir loads the .cer files of the directory key names, as UnionPay's 5.0.0 signing
// certificates: a CA certificate (the root or middle) is refused, naming the file.
func (l *javaLoader) certDir(key string, sm2 bool) ([]*x509.Certificate, error) {
	if !l.has(key) {
		return nil, nil
	}
	dir := l.path(key)
	files, err := l.cerFiles(key, dir)
	if err != nil {
		return nil, err
	}
	var certs []*x509.Certificate
	var names []string
	seen := map[string]int{} // certId: index in certs
	for _, e := range files {
		c, err := l.legacyCert(key, filepath.Join(dir, e.Name()), sm2)
		if err != nil {
			return nil, err
		}
		id := cert.CertID(c)
		if i, dup := seen[id]; dup {
			if bytes.Equal(certs[i].Raw, c.Raw) {
				continue // a copy of the same certificate
			}
			return nil, l.failf(key, "%s and %s are two certificates with certId %s", names[i], e.Name(), id)
		}
		seen[id] = len(certs)
		certs, names = append(certs, c), append(names, e.Name())
	}
	if len(certs) == 0 {
		return nil, l.failf(key, "no .cer file in %s", dir)
	}
	return certs, nil
}

// Bounds of a validateCert directory: UnionPay's holds a few certificates (its kit, the
// signing and encryption certificates, the root and middle, some earlier ones), so a directory
// past them is not one (the wrong key's value: "/", a home directory), and its every file must
// not be read.
const (
	maxCertDirEntries = 1000 // entries of any kind
	maxCertDirFiles   = 64   // .cer files
)

// cerFiles lists the files of dir whose name ends in .cer, in any case (as the Java SDK takes
// them), sorted by name: at most maxCertDirFiles of them among at most maxCertDirEntries
// entries, and every one a regular file (symbolic links followed). dir must be a directory
// before it is opened: opening a named pipe would wait for a writer.
func (l *javaLoader) cerFiles(key, dir string) ([]fs.DirEntry, error) {
	fi, err := os.Stat(dir)
	if err != nil {
		return nil, l.failPath(key, err)
	}
	if !fi.IsDir() {
		return nil, l.failf(key, "%s is not a directory (%s)", dir, fileKind(fi.Mode()))
	}
	d, err := os.Open(dir)
	if err != nil {
		return nil, l.failf(key, "%w", err)
	}
	defer d.Close()
	var files []fs.DirEntry
	for seen := 0; ; {
		batch, err := d.ReadDir(100)
		seen += len(batch)
		if seen > maxCertDirEntries {
			return nil, l.failf(key, "%s has more than %d entries: not a directory of UnionPay's certificates", dir, maxCertDirEntries)
		}
		for _, e := range batch {
			if e.IsDir() || !strings.HasSuffix(strings.ToLower(e.Name()), ".cer") {
				continue
			}
			if err := regularFile(filepath.Join(dir, e.Name())); err != nil {
				return nil, l.failf(key, "%w", err)
			}
			if files = append(files, e); len(files) > maxCertDirFiles {
				return nil, l.failf(key, "%s has more than %d .cer files: not a directory of UnionPay's certificates", dir, maxCertDirFiles)
			}
		}
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, l.failf(key, "%w", err)
		}
	}
	slices.SortFunc(files, func(a, b fs.DirEntry) int { return strings.Compare(a.Name(), b.Name()) })
	return files, nil
}

// legacyCert loads one file of a validateCert directory and checks it on its own.
func (l *javaLoader) legacyCert(key, file string, sm2 bool) (*x509.Certificate, error) {
	name := filepath.Base(file)
	c, err := cert.LoadCertificateFile(file)
	if err != nil {
		return nil, l.failf(key, "%s: %w", name, err)
	}
	if c.BasicConstraintsValid && c.IsCA {
		return nil, l.failf(key, "%s is a CA certificate (%s), not one of UnionPay's signing certificates: "+
			"move it out of the directory (the root and middle go in rootCert.path and middleCert.path)", name, c.Subject.CommonName)
	}
	vc := cert.VerifierConfig{LegacyCerts: []*x509.Certificate{c}}
	if sm2 {
		vc = cert.VerifierConfig{SM2Certs: []*x509.Certificate{c}}
	}
	if _, err := cert.NewVerifier(vc); err != nil {
		return nil, l.failf(key, "%s: %w", name, err)
	}
	return c, nil
}
