package main

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/goacp/unionpay/cert"
	"github.com/goacp/unionpay/unionpay"
)

// serviceFlags are the flags naming a service's credentials and environment, as preflight,
// query and download take them.
type serviceFlags struct {
	f              preflightFiles
	pw             string
	merID, envName string
	timeout        time.Duration
	timeoutDefined bool // whether -timeout is defined (query, download; not preflight)
	// maxResponse is the client's Config.MaxResponseBytes; 0 keeps the SDK's default (16 MiB).
	maxResponse int64
	// acqInsCode and sub are the service's access, as -acq-ins-code and -sub-mer-id, -name and
	// -abbr give it (query, download; addAccess): an acquirer's (accessType 1), a platform's
	// sub-merchant (accessType 2), neither for a merchant connected directly (0).
	acqInsCode string
	sub        unionpay.SubMerchant
}

// addServiceFlags defines on fs the flags of a service's credentials: -config, or -pfx,
// -password, -root, -middle and -enc, with -merid and -env.
func addServiceFlags(fs *flagSet) *serviceFlags {
	s := &serviceFlags{}
	fs.StringVar(&s.f.config, "config", "", "acp_sdk.properties of UnionPay's Java SDK (instead of -pfx, -root, -middle, -enc)")
	fs.StringVar(&s.f.pfx, "pfx", "", "merchant signing PFX file")
	fs.StringVar(&s.pw, "password", "", "PFX password (default $"+passwordEnv+")"+passwordSeen)
	fs.StringVar(&s.f.root, "root", "", "UnionPay root certificate (acp_prod_root.cer)")
	fs.StringVar(&s.f.middle, "middle", "", "UnionPay middle certificate (acp_prod_middle.cer)")
	fs.StringVar(&s.f.enc, "enc", "", "UnionPay encryption certificate (acp_prod_enc.cer), if the service sends card data")
	fs.StringVar(&s.merID, "merid", "", "merchant number (merId) the service sends as")
	fs.StringVar(&s.envName, "env", "", "the environment the service is configured for: test or production")
	return s
}

// addTimeout defines -timeout, the deadline of a call to UnionPay.
func (s *serviceFlags) addTimeout(fs *flagSet) {
	fs.DurationVar(&s.timeout, "timeout", maxCallTimeout,
		"give up on UnionPay's answer after this `DURATION`, at most 30s (the SDK's HTTP client's own limit)")
	s.timeoutDefined = true
}

// addAccess defines -acq-ins-code and -sub-mer-id, -sub-mer-name and -sub-mer-abbr: the fields
// an acquirer (accessType 1) or a platform merchant (accessType 2) sends with every request, as
// Config.AcquirerCode and Config.SubMerchant do. Without them, the service sends as a merchant
// connected directly (accessType 0).
func (s *serviceFlags) addAccess(fs *flagSet) {
	fs.StringVar(&s.acqInsCode, "acq-ins-code", "",
		"an acquirer's acqInsCode, `CODE` (up to 11 digits): send as one (accessType 1) for merchant -merid")
	fs.StringVar(&s.sub.ID, "sub-mer-id", "",
		"a platform merchant's sub-merchant (subMerId), `ID`: send for it (accessType 2), with -sub-mer-name and -sub-mer-abbr")
	fs.StringVar(&s.sub.Name, "sub-mer-name", "", "with -sub-mer-id: the sub-merchant's full name (subMerName), `NAME`")
	fs.StringVar(&s.sub.Abbr, "sub-mer-abbr", "", "with -sub-mer-id: the sub-merchant's abbreviation (subMerAbbr), `ABBR`")
}

// accessFlag names the flag of addAccess's that gives Config field field, if one does.
func accessFlag(field string) (string, bool) {
	switch field {
	case "Config.AcquirerCode":
		return "-acq-ins-code", true
	case "Config.SubMerchant", "Config.SubMerchant.ID":
		return "-sub-mer-id", true
	case "Config.SubMerchant.Name":
		return "-sub-mer-name", true
	case "Config.SubMerchant.Abbr":
		return "-sub-mer-abbr", true
	}
	return "", false
}

// checkAccess refuses a combination of addAccess's flags that names no access: an acquirer's
// and a platform's at once, an empty one given, or a sub-merchant without all three of its
// fields (UnionPay requires each of a platform's requests to carry them).
func checkAccess(fs *flagSet) error {
	sub := flagGiven(fs, "sub-mer-id") || flagGiven(fs, "sub-mer-name") || flagGiven(fs, "sub-mer-abbr")
	switch {
	case flagGiven(fs, "acq-ins-code") && sub:
		return usagef("-acq-ins-code (an acquirer, accessType 1) excludes -sub-mer-id, -sub-mer-name and -sub-mer-abbr (a platform, accessType 2)")
	case sub && !(flagGiven(fs, "sub-mer-id") && flagGiven(fs, "sub-mer-name") && flagGiven(fs, "sub-mer-abbr")):
		return usagef("-sub-mer-id, -sub-mer-name and -sub-mer-abbr go together: a platform sends all three (accessType 2)")
	}
	for _, name := range [...]string{"acq-ins-code", "sub-mer-id", "sub-mer-name", "sub-mer-abbr"} {
		if f := fs.Lookup(name); f != nil && flagGiven(fs, name) && f.Value.String() == "" {
			return usagef("-%s: empty", name)
		}
	}
	return nil
}

// maxCallTimeout is the SDK's HTTP client's timeout: a longer -timeout would not be kept.
const maxCallTimeout = 30 * time.Second

// check refuses a combination of the flags that names no credentials. -env is required, but
// with -config when envOptional is true: the file's URLs are then used as they are (a proxy's
// or a fake gateway's are of neither environment), and a -env given must be theirs.
func (s *serviceFlags) check(fs *flagSet, envOptional bool) error {
	f := s.f
	envGiven := s.envName != "" || !envOptional || f.config == ""
	switch {
	case envGiven && s.envName == "" && !flagGiven(fs, "env"):
		return usagef("-env is required (test or production)")
	case envGiven && s.envName != unionpay.EnvironmentTest && s.envName != unionpay.EnvironmentProduction:
		if envOptional {
			return usagef("-env must be test or production (optional with -config)")
		}
		return usagef("-env must be test or production")
	case s.merID == "":
		return usagef("-merid is required")
	case f.config != "" && (f.pfx != "" || f.root != "" || f.middle != "" || f.enc != "" || flagGiven(fs, "password")):
		return usagef("-config excludes -pfx, -password, -root, -middle and -enc (the file names them)")
	case f.config == "" && (f.pfx == "" || f.root == "" || f.middle == ""):
		return usagef("give -config, or -pfx, -root and -middle")
	}
	if err := checkAccess(fs); err != nil {
		return err
	}
	if s.timeoutDefined && (s.timeout <= 0 || s.timeout > maxCallTimeout) {
		return usagef("-timeout must be more than 0 and at most %s, not %s", maxCallTimeout, s.timeout)
	}
	return nil
}

// files returns the credential files with the password of -password or $UNIONPAY_PASSWORD.
func (s *serviceFlags) files(e *env, fs *flagSet) preflightFiles {
	f := s.f
	f.password = e.password(fs, s.pw)
	f.passwordFrom = passwordFrom(fs)
	return f
}

// client checks the flags (check, -env optional with -config: a usage error), loads the
// credentials as preflight does (preflightConfig) and returns the Client they make, with the
// endpoints of -env or, for -config, of the file. A failed load, a certificate of
// the other environment's PKI than -env's, and NewClient's refusal are errors matching
// errRefused (exit status 6).
func (s *serviceFlags) client(e *env, fs *flagSet) (*unionpay.Client, error) {
	if err := s.check(fs, true); err != nil {
		return nil, err
	}
	var l checklist
	cfg, certs, ok := preflightConfig(e, &l, s.files(e, fs), s.envName)
	if err := l.err(); err != nil || !ok {
		if err == nil {
			err = errors.New("the credentials did not load")
		}
		return nil, fmt.Errorf("%w (unionpay preflight checks the same configuration): %w", err, errRefused)
	}
	if s.envName != "" {
		if err := pkiMismatch(certs, s.envName == unionpay.EnvironmentProduction); err != nil {
			return nil, fmt.Errorf("environment %s: %w: %w", s.envName, err, errRefused)
		}
	}
	cfg.MerchantID = s.merID
	switch {
	case s.acqInsCode != "":
		cfg.AccessType, cfg.AcquirerCode = unionpay.AccessAcquirer, s.acqInsCode
	case s.sub != unionpay.SubMerchant{}:
		cfg.AccessType, cfg.SubMerchant = unionpay.AccessPlatform, s.sub
	}
	cfg.Now = e.clock
	if s.maxResponse > 0 {
		cfg.MaxResponseBytes = s.maxResponse
	}
	if e.transport != nil {
		cfg.HTTPClient = &http.Client{Transport: e.transport, Timeout: maxCallTimeout}
	}
	client, err := unionpay.NewClient(cfg)
	if ce, isConfig := errors.AsType[*unionpay.ConfigError](err); isConfig {
		if name, ok := accessFlag(ce.Field); ok {
			return nil, usagef("%s: %s", name, ce.Reason) // a flag's value, not the credentials
		}
		return nil, fmt.Errorf("unionpay.NewClient: %s: %s: %w", ce.Field, ce.Reason, errRefused)
	}
	if err != nil {
		return nil, fmt.Errorf("unionpay.NewClient: %w: %w", err, errRefused)
	}
	warnSigningValidity(e, fs.Name(), client)
	return client, nil
}

// warnSigningValidity warns on stderr, as sign does, when the certificate client signs with is
// not valid at e's clock: UnionPay refuses the request (respCode 11, whose answer says nothing
// of the date), which a query reports as not known, to query again later. It is a warning, not a
// refusal, as sign's: the request is still sent.
func warnSigningValidity(e *env, command string, client *unionpay.Client) {
	now := e.clock()
	for _, x := range client.Expiries() {
		var v string
		switch {
		case x.Role != cert.RoleSigning || x.NotAfter.IsZero():
			continue
		case now.After(x.NotAfter):
			v = "EXPIRED since " + x.NotAfter.UTC().Format(time.RFC3339)
		case now.Before(x.NotBefore):
			v = "NOT YET VALID, from " + x.NotBefore.UTC().Format(time.RFC3339)
		default:
			continue
		}
		fmt.Fprintln(e.stderr, oneLine(fmt.Sprintf("%s: warning: the signing certificate (certId %s) is %s: "+
			"UnionPay will refuse the request: renew it (unionpay preflight checks the configuration)", command, x.CertID, v)))
	}
}

// callContext returns the context of one call to UnionPay: e's, ending after -timeout.
func (s *serviceFlags) callContext(e *env) (context.Context, context.CancelFunc) {
	return context.WithTimeout(e.ctx, s.timeout)
}

// callFailed is the error of a call to UnionPay that failed (query's Client.Query, download's
// Client.DownloadFile), for its exit status: a usage error naming the flag when the SDK refused a
// request field a flag gave (requestFlag); an error matching errRefused for a
// *unionpay.ConfigError (nothing was asked of UnionPay); else what, err and again: what went
// wrong (a timeout, a refused or reset connection, a DNS failure, an HTTP status other than 200,
// an answer that could not be read or verified, and for query a rejected one) says nothing
// final, and again (errQueryAgain, errTryAgain) tells to try later. An answer that did not
// verify says which flags to check: -root and -middle of another PKI fail every answer so, and
// the tool cannot tell them from an answer that is not UnionPay's. (UnionPay's refusal of the
// request's signature, respCode 11, is signatureRefused's.)
func callFailed(err error, flags map[string]string, what string, again error) error {
	if err = requestFlag(err, flags); isUsage(err) {
		return err
	}
	if _, isConfig := errors.AsType[*unionpay.ConfigError](err); isConfig {
		return fmt.Errorf("%w: %w", err, errRefused)
	}
	if errors.Is(err, unionpay.ErrUnverified) {
		return fmt.Errorf("%s: %w (check that -root and -middle (acpsdk.rootCert.path, acpsdk.middleCert.path) are "+
			"UnionPay's of this environment, as unionpay preflight and certinfo show them; if they are, the answer "+
			"may not be UnionPay's): %w", what, err, again)
	}
	return fmt.Errorf("%s: %w: %w", what, err, again)
}

// isSignatureRefused reports whether err is UnionPay's refusal of the request's signature,
// respCode 11 (验证签名失败): a verified answer saying the signature does not verify, its certId
// is not one UnionPay holds for the merchant, or the merchant may not use its signMethod.
func isSignatureRefused(err error) bool {
	re, ok := errors.AsType[*unionpay.Error](err)
	return ok && re.RespCode == "11"
}

// signatureRefused is the error of a call UnionPay answered respCode 11 (isSignatureRefused),
// matching errRefused (exit status 6), with what to check, and what (the transaction's state not
// known, nothing written) that it says; nil for another err. Asked again with the same
// credentials, UnionPay refuses it again: "query again later" (status 5) had a cron job retry for
// ever, and download's status 1 read as a failure of the day's file.
func (s *serviceFlags) signatureRefused(err error, what string) error {
	if !isSignatureRefused(err) {
		return nil
	}
	return fmt.Errorf("UnionPay refused the request's signature (respCode 11): check that -pfx (acpsdk.signCert.path; "+
		"acpsdk.sm2.signCert.path for signMethod 21, acpsdk.secureKey for 11 and 12) is the signing certificate or key "+
		"UnionPay holds for merchant %s in this environment (not a test PFX in production, not a renewed certificate "+
		"before UnionPay has it), and that acpsdk.signMethod is one UnionPay enabled for the merchant: %s: %w: %w",
		s.merID, what, err, errRefused)
}

// requestFlag turns a *unionpay.RequestError about a field a flag gave into a usage error naming
// the flag; other errors are returned as they are.
func requestFlag(err error, flags map[string]string) error {
	re, ok := errors.AsType[*unionpay.RequestError](err)
	if !ok {
		return err
	}
	if name, ok := flags[re.Field]; ok {
		return usagef("%s: %s", name, re.Reason)
	}
	return err
}
