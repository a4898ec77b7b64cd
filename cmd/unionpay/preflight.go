package main

import (
	"crypto/x509"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/goacp/unionpay/cert"
	"github.com/goacp/unionpay/unionpay"
)

const preflightHelp = `
Checks, before a service goes live, the configuration it will run with, without any network
call: it loads the credentials, builds the unionpay.Config and runs unionpay.NewClient on it,
then lists the certificates the client relies on (Client.Expiries). It prints one line per
check to standard output, "ok" or "FAIL", the check's name and what it found:

  ok    merchant PFX -pfx: certId 69903319369
  FAIL  environment: -root is of UnionPay's test environment PKI (CN=CFCA TEST CS CA,...)
  FAIL  unionpay.NewClient: Config.MerchantID: must be 15 letters or digits
  FAIL  certificate signing (merchant) 69903319369: EXPIRED since 2026-11-26T02:31:47Z

and exits 1 when any check failed, with one line on standard error counting them. NewClient
reports the first field it refuses: fix it and run again.

The configuration comes from an acp_sdk.properties of UnionPay's Java SDK (-config, read with
unionpay.LoadJavaConfig, whose URLs must be those of -env), or from the files a service loads
itself: -pfx (with -password or $UNIONPAY_PASSWORD), -root, -middle and optionally -enc
(UnionPay's encryption certificate), with the endpoints of -env (unionpay.TestEndpoints or
ProductionEndpoints; the test owner name 00040000:SIGN accepted only with -env test).
With -env production, no certificate (root, middle, encryption, the merchant's) may be of
UnionPay's test PKI (cert.IsTestEnvironment), and with -env test none may be of its production
PKI (cert.IsProduction). A certificate the client relies on that is not valid now, or expires
within -expires-within (30 days by default), fails; an expired encryption certificate's line
says where the current one comes from (txnType 95, Client.UpdateEncryptionCertificate).
UnionPay's 5.1.0 signing certificate comes in its answers and is not listed (a 5.0.0
configuration's, from acpsdk.validateCert.dir, are). No password, key or secure key is ever
printed.

The acp_sdk.properties "unionpay sandbox" writes fails the URLs check whatever -env: its URLs
are the sandbox's, of neither environment. "unionpay query" and "unionpay download" take it
with -config and no -env.`

// preflightSynopsis is preflight's usage line.
const preflightSynopsis = "-merid MERID -env test|production\n" +
	"       (-config acp_sdk.properties | -pfx FILE [-password P] -root FILE -middle FILE [-enc FILE])\n" +
	"       [-expires-within DURATION]"

// checklist collects preflight's checks in order.
type checklist struct {
	lines  []string
	failed int
	// failures are the failed checks' names and errors, for query and download to report.
	failures []string
}

// err returns the failed checks as one error, nil when none failed.
func (l *checklist) err() error {
	if l.failed == 0 {
		return nil
	}
	return errors.New(strings.Join(l.failures, "; "))
}

// add records a check: passed when err is nil (detail says what was found), else failed with
// err's text, which never holds a password (the loaders' errors do not).
func (l *checklist) add(name string, err error, detail string) {
	if err != nil {
		l.failed++
		l.lines = append(l.lines, "FAIL  "+name+": "+oneLine(err.Error()))
		l.failures = append(l.failures, name+": "+oneLine(err.Error()))
		return
	}
	if detail != "" {
		name += ": " + detail
	}
	l.lines = append(l.lines, "ok    "+oneLine(name))
}

// preflightFiles are the flags naming credential files.
type preflightFiles struct {
	config, pfx, password, root, middle, enc string
	// passwordFrom names where password came from (passwordFrom's "-password" or
	// "$UNIONPAY_PASSWORD"), for a wrong password's error.
	passwordFrom string
}

func runPreflight(e *env, args []string) error {
	fs := newFlags(e, "preflight", preflightSynopsis, preflightHelp)
	sf := addServiceFlags(fs)
	within := fs.Duration("expires-within", 30*24*time.Hour, "fail for a certificate that expires within this `DURATION`")
	if err := parseFlags(fs, args, 0); err != nil {
		return err
	}
	if err := sf.check(fs, false); err != nil {
		return err
	}
	if *within < 0 {
		return usagef("-expires-within must not be negative")
	}
	f, merID, envName := sf.files(e, fs), &sf.merID, &sf.envName
	var l checklist
	cfg, certs, ok := preflightConfig(e, &l, f, *envName)
	if ok {
		envErr := pkiMismatch(certs, *envName == unionpay.EnvironmentProduction)
		l.add("environment", envErr, *envName)
		if envErr != nil {
			// Reported: NewClient, which refuses one environment's certificates with the other's
			// endpoints, checks the rest at endpoints of neither.
			cfg.Endpoints = neutralEndpoints()
		}
		cfg.MerchantID = *merID
		cfg.Now = e.clock
		client, err := unionpay.NewClient(cfg)
		if ce, isConfig := errors.AsType[*unionpay.ConfigError](err); isConfig {
			err = fmt.Errorf("%s: %s", ce.Field, ce.Reason)
		}
		l.add("unionpay.NewClient", err, "")
		if err == nil {
			encFrom := "as -enc"
			if f.config != "" {
				encFrom = "in the file -config names"
			}
			checkExpiries(&l, client, e.clock(), *within, encFrom)
		}
	}
	for _, line := range l.lines {
		if _, err := fmt.Fprintln(e.stdout, line); err != nil {
			return err
		}
	}
	if l.failed > 0 {
		return fmt.Errorf("%d of %d checks failed", l.failed, len(l.lines))
	}
	return nil
}

// namedCert is a certificate of the configuration with the flag or key that gave it.
type namedCert struct {
	name string
	c    *x509.Certificate
}

// preflightConfig loads the credentials, adding a check for each, and returns the Config and
// the certificates in it; ok is false when one failed to load.
func preflightConfig(e *env, l *checklist, f preflightFiles, envName string) (unionpay.Config, []namedCert, bool) {
	if f.config != "" {
		jc, err := unionpay.LoadJavaConfig(f.config)
		l.add("acp_sdk.properties -config", err, "")
		if err != nil {
			return unionpay.Config{}, nil, false
		}
		if envName != "" && jc.Environment != envName { // "": query and download without -env take the file's URLs
			got := jc.Environment
			if got == "" {
				got = "neither UnionPay's test nor production set"
			}
			l.add("URLs -config", fmt.Errorf("-env %s, but the file's URLs are %s", envName, got), "")
		}
		vc := jc.VerifierConfig
		vc.Now = e.clock // the Verifier checks validity at preflight's clock
		v, err := cert.NewVerifier(vc)
		l.add("verifier", err, "")
		if err != nil {
			return unionpay.Config{}, nil, false
		}
		cfg := jc.Config
		cfg.Verifier = v
		certs := []namedCert{{"the root", vc.Root}, {"the middle", vc.Middle}}
		if cfg.Encrypter != nil {
			certs = append(certs, namedCert{"the encryption certificate", cfg.Encrypter.Certificate()})
		}
		if s, ok := cfg.Signer.(interface{ Certificate() *x509.Certificate }); ok {
			certs = append(certs, namedCert{"the signing certificate", s.Certificate()})
		}
		return cfg, certs, true
	}
	cfg := unionpay.Config{Endpoints: unionpay.TestEndpoints()}
	if envName == unionpay.EnvironmentProduction {
		cfg.Endpoints = unionpay.ProductionEndpoints()
	}
	var certs []namedCert
	ok := true
	pfx, err := cert.LoadPFXFile(f.pfx, f.password)
	err = wrongPassword(credentialError(err, "-pfx", f.pfx, f.password, kindPFX, map[credentialKind]string{
		kindSM2:         "a .sm2 merchant is given with -config, its acp_sdk.properties naming it (acpsdk.sm2.signCert.path)",
		kindCertificate: "-pfx takes the merchant's signing PFX, with its private key"}), f.passwordFrom)
	if err == nil {
		if cfg.Signer, err = pfx.Signer(); err == nil {
			cfg.Decrypter, err = pfx.Decrypter()
		}
	}
	if err == nil {
		certs = append(certs, namedCert{"-pfx", pfx.Certificate})
		l.add("merchant PFX -pfx", nil, "certId "+cert.CertID(pfx.Certificate))
	} else {
		name := "merchant PFX -pfx"
		if strings.HasPrefix(err.Error(), "-pfx") { // the error names the flag already
			name = "merchant PFX"
		}
		l.add(name, err, "")
		ok = false
	}
	vc := cert.VerifierConfig{Now: e.clock}
	for _, c := range []struct {
		flag, path string
		to         **x509.Certificate
	}{{"-root", f.root, &vc.Root}, {"-middle", f.middle, &vc.Middle}, {"-enc", f.enc, nil}} {
		if c.path == "" {
			continue
		}
		x, err := loadCertificate(c.flag, c.path)
		if err != nil {
			l.add("certificate", err, "") // err names the flag
			ok = false
			continue
		}
		l.add("certificate "+c.flag, nil, "certId "+cert.CertID(x))
		certs = append(certs, namedCert{c.flag, x})
		if c.to != nil {
			*c.to = x
		} else if cfg.Encrypter, err = cert.NewEncrypter(x); err != nil {
			l.add("encrypter -enc", err, "")
			ok = false
		}
	}
	if !ok {
		return cfg, nil, false
	}
	// The test owner goes with the test chain: cert.NewVerifier refuses it with production's, which
	// the environment check reports.
	vc.AcceptTestOwner = envName == unionpay.EnvironmentTest && !cert.IsProduction(vc.Root) && !cert.IsProduction(vc.Middle)
	cfg.Verifier, err = cert.NewVerifier(vc)
	l.add("verifier -root -middle", flagNames(err), "")
	return cfg, certs, err == nil
}

// neutralEndpoints are on neither of UnionPay's environments' hosts, for NewClient to check a
// configuration whose certificates are known to be of the other environment (a failed check
// already); preflight makes no network call.
func neutralEndpoints() unionpay.Endpoints {
	const g = "https://preflight.invalid/gateway/api/"
	return unionpay.Endpoints{Front: g + "frontTransReq.do", Back: g + "backTransReq.do", Query: g + "queryTrans.do"}
}

// pkiMismatch reports the first certificate of certs that is of the other environment's PKI than
// the one asked for: UnionPay's test PKI (cert.IsTestEnvironment) when production is true, its
// production PKI (cert.IsProduction) otherwise. Only what is known to be of the other
// environment fails (a renewed root, a merchant certificate of another CA, SM2 certificates are
// not known to either).
func pkiMismatch(certs []namedCert, production bool) error {
	wrong, other := cert.IsTestEnvironment, "test environment"
	if !production {
		wrong, other = cert.IsProduction, "production"
	}
	for _, n := range certs {
		if n.c != nil && wrong(n.c) {
			return fmt.Errorf("%s is of UnionPay's %s PKI (%s)", n.name, other, dn(n.c.RawSubject, n.c.Subject))
		}
	}
	return nil
}

// checkExpiries adds a check for each certificate the client relies on: failed when it is not
// valid at now or expires within the margin. An expired encryption certificate's says where its
// successor comes from and where it goes (encFrom: "as -enc", or in -config's file).
func checkExpiries(l *checklist, client *unionpay.Client, now time.Time, within time.Duration, encFrom string) {
	soon, err := client.ExpiringWithin(within)
	if err != nil {
		l.add("certificate expiries", err, "")
		return
	}
	for _, x := range client.Expiries() {
		name := fmt.Sprintf("certificate %s %s", x.Role, x.CertID)
		notAfter := x.NotAfter.UTC().Format(time.RFC3339)
		switch {
		case now.After(x.NotAfter) && x.Role == cert.RoleEncryption:
			l.add(name, errors.New("EXPIRED since "+notAfter+": UnionPay has replaced it: give its current encryption "+
				"certificate "+encFrom+" (a running service's Client.UpdateEncryptionCertificate fetches it, "+
				"txnType 95; or download it from open.unionpay.com)"), "")
		case now.After(x.NotAfter):
			l.add(name, errors.New("EXPIRED since "+notAfter), "")
		case now.Before(x.NotBefore):
			l.add(name, errors.New("NOT YET VALID, from "+x.NotBefore.UTC().Format(time.RFC3339)), "")
		case slices.ContainsFunc(soon, func(s cert.Expiry) bool { return s.Role == x.Role && s.CertID == x.CertID }):
			l.add(name, fmt.Errorf("expires within %s: notAfter %s", within, notAfter), "")
		default:
			l.add(name, nil, "valid until "+notAfter)
		}
	}
}
