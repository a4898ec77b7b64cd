package unionpay

import (
	"context"
	"crypto"
	"crypto/rsa"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/net/idna"

	"github.com/goacp/unionpay/cert"
	"github.com/goacp/unionpay/internal/ascii"
	"github.com/goacp/unionpay/sign"
)

// AccessType is the accessType field: how the merchant is connected to UnionPay.
type AccessType string

// Access types.
const (
	AccessMerchant AccessType = "0" // a merchant connected directly (直连商户)
	AccessAcquirer AccessType = "1" // an acquirer (收单机构) sending for a merchant; needs AcquirerCode
	AccessPlatform AccessType = "2" // a platform merchant (平台类商户) sending for a sub-merchant
)

// SubMerchant identifies the sub-merchant of a platform merchant (AccessPlatform). The three
// fields are required, sent with every request of the Client (accessType 2 with subMerId,
// subMerName and subMerAbbr, as UnionPay requires of a platform), and echoed in answers and
// notifications, so none may hold & { } [ ] or a line break; with Config.Encoding GBK, each must
// be representable in GBK.
//
// The sub-merchant a transaction is for is the one of the request that made it: refund, cancel,
// complete and query it with the Client of that sub-merchant ([Client.WithSubMerchant] of the
// notification's SubMerID). The fake gateway refuses another sub-merchant's refund, cancel or
// completion with 36 (UnionPay's answer to it is not established).
type SubMerchant struct {
	ID   string // subMerId: up to 15 letters or digits (the settlement file's width)
	Name string // subMerName: the full name; no length is checked here (UnionPay's limit is not established)
	Abbr string // subMerAbbr: up to 32 bytes in GBK (16 Chinese characters), the name the settlement file gives
}

// Endpoints are the gateway URLs, one per kind of request.
type Endpoints struct {
	Front string // frontTransReq.do: browser forms (consume, pre-authorisation, card opening)
	Back  string // backTransReq.do: server-to-server transactions
	Query string // queryTrans.do: single transaction query
	Batch string // batchTrans.do: batch submission and batch query
	File  string // file download host: settlement files
	App   string // appTransReq.do: app (控件) consume returning tn
	Card  string // cardTransReq.do: card-present products (not used by this package)
}

// ProductionEndpoints returns UnionPay's production URLs.
func ProductionEndpoints() Endpoints {
	const g = "https://gateway.95516.com/gateway/api/"
	return Endpoints{
		Front: g + "frontTransReq.do", Back: g + "backTransReq.do", Query: g + "queryTrans.do",
		Batch: g + "batchTrans.do", File: "https://filedownload.95516.com/", App: g + "appTransReq.do",
		Card: g + "cardTransReq.do",
	}
}

// production reports whether any of e's URLs is on one of UnionPay's production hosts
// (those of [ProductionEndpoints]).
func (e Endpoints) production() bool { return e.onHostsOf(ProductionEndpoints()) }

// testEnvironment reports whether any of e's URLs is on one of the hosts of UnionPay's test
// environment (those of [TestEndpoints]).
func (e Endpoints) testEnvironment() bool { return e.onHostsOf(TestEndpoints()) }

// onHostsOf reports whether any of e's URLs is on one of the hosts of ref's Back and File URLs,
// however the host is written (dialedHost).
func (e Endpoints) onHostsOf(ref Endpoints) bool {
	hosts := map[string]bool{}
	for _, u := range []string{ref.Back, ref.File} {
		if p, err := url.Parse(u); err == nil {
			hosts[dialedHost(p.Hostname())] = true
		}
	}
	for _, u := range []string{e.Front, e.Back, e.Query, e.Batch, e.File, e.App, e.Card} {
		if p, err := url.Parse(u); err == nil && hosts[dialedHost(p.Hostname())] {
			return true
		}
	}
	return false
}

// dialedHost is host, a URL's Hostname, as the host the HTTP client reaches: a name not in ASCII
// mapped as net/http maps it before dialing (idna.Lookup: full-width letters, the ideographic
// full stop), in lower case, without the final dot of a fully qualified name. So
// GATEWAY.95516.COM, gateway.95516.com. and ｇａｔｅｗａｙ.95516.com are all gateway.95516.com.
func dialedHost(host string) string {
	if !ascii.Is(host) {
		if a, err := idna.Lookup.ToASCII(host); err == nil {
			host = a
		}
	}
	return strings.TrimSuffix(strings.ToLower(host), ".")
}

// TestEndpoints returns the URLs of UnionPay's test environment (入网测试).
func TestEndpoints() Endpoints {
	const g = "https://gateway.test.95516.com/gateway/api/"
	return Endpoints{
		Front: g + "frontTransReq.do", Back: g + "backTransReq.do", Query: g + "queryTrans.do",
		Batch: g + "batchTrans.do", File: "https://filedownload.test.95516.com/", App: g + "appTransReq.do",
		Card: g + "cardTransReq.do",
	}
}

// Config configures a [Client]. A Config must not be modified after it is passed to [NewClient]
// (NewClient copies it, but the pointers it holds are shared).
type Config struct {
	MerchantID   string      // merId: 15 letters or digits; required
	AccessType   AccessType  // accessType; "" = AccessMerchant
	AcquirerCode string      // acqInsCode: up to 11 digits; required with AccessAcquirer, refused otherwise
	SubMerchant  SubMerchant // required with AccessPlatform, refused otherwise
	Version      string      // version: sign.Version510 or sign.Version500; "" = 5.1.0
	Encoding     string      // encoding: "UTF-8" or "GBK" (any case, sent as written); "" = "UTF-8"

	// Signer signs every request (cert.PFX.Signer, sign.NewSecureKeySigner, or an HSM-backed
	// sign.NewRSASigner; for 国密, signMethod 21, cert.SM2Credential.Signer or an HSM-backed
	// sign.NewSM2Signer); required.
	Signer sign.Signer
	// Verifier verifies every synchronous answer before anything in it is believed; required.
	// An answer must moreover be signed with the request's signMethod and version (no downgrade),
	// so NewClient refuses a Verifier that does not accept the Signer's method with Version
	// (cert.Verifier.Accepts): secure-key 11 with a chain-only Verifier, 5.0.0 without LegacyCerts,
	// 5.0.0 with no LegacyCerts (SM2Certs for signMethod 21) certificate valid at the Verifier's
	// time but the Encrypter's (cert.Verifier.CheckLegacyValidityExcept: UnionPay's encryption
	// certificate, which a 5.0.0 verify-cert directory often holds, signs no answer), and 5.1.0
	// with a Root or Middle (SM2Root or SM2Middle) not valid then, nor a next chain
	// (cert.Verifier.CheckChainValidity). With
	// UnionPay's production endpoints, or an Encrypter or Signer certificate of UnionPay's
	// production PKI (cert.IsProduction: a proxy's URLs do not hide production), it also refuses
	// a Verifier that accepts the public test secure key (cert.Verifier.AcceptsPublicTestKey),
	// with which anyone could sign a notification (cert.NewVerifier refuses that key with
	// production certificates already).
	Verifier *cert.Verifier
	// Encrypter encrypts accNo, customerInfo and PINs with UnionPay's encryption certificate; needed
	// only by requests carrying card data. [Client.UpdateEncryptionCertificate] replaces it. Its
	// certificate must be of the Signer's algorithm (SM2 for signMethod 21, RSA for 01).
	Encrypter *cert.Encrypter
	// PlainCardData sends accNo and customerInfo in clear, as UnionPay wants them from a merchant
	// number without the permission to encrypt sensitive data (商户对敏感信息加密权限, set by
	// UnionPay per merchant number): only a PIN is encrypted then, which still needs Encrypter,
	// and encryptCertId goes only with one. false (the default): accNo is encrypted and
	// customerInfo puts phoneNo, cvn2 and expired in encryptedInfo, which needs Encrypter.
	PlainCardData bool
	// Decrypter decrypts accNo returned by queries (encrypted to the merchant's signing key), in
	// [Client.DecryptAccNo]; optional. Its key must be the Signer's (when the Signer is a
	// sign.RSASigner or sign.SM2Signer, whose key NewClient can compare). After a renewal of the
	// PFX, the new key's with the old one as a previous key (cert.Decrypter.WithPrevious, whose
	// Public is the new key's) also decrypts the accNo of orders signed under the old one.
	Decrypter *cert.Decrypter

	// Endpoints are the gateway URLs: ProductionEndpoints(), TestEndpoints() or a fake gateway's.
	// Front, Back and Query are required; a call needing another one that is empty fails. Each URL
	// must be https, except on a loopback host. On UnionPay's production or test hosts (however
	// written: in capitals, with a final dot, in full-width letters), NewClient refuses a Verifier
	// or Encrypter holding the other environment's certificates (cert.IsProduction,
	// cert.IsTestEnvironment). On its production hosts, a request's backUrl
	// on localhost or a literal loopback, link-local or unspecified address, which UnionPay can
	// never reach, is refused with a *RequestError naming BackURL.
	Endpoints Endpoints

	// HTTPClient sends the requests. nil: a client of its own with a 30 s timeout, no cookie jar and
	// TLS verification on, and a connection pool of its own keeping up to 32 idle connections per
	// host, each for at most 30 s, below a load balancer's usual idle timeout (share one
	// HTTPClient between many Clients; give its *http.Transport a
	// MaxIdleConnsPerHost as large as the calls made at once, as net/http keeps only two and
	// every call beyond them opens a connection of its own; to bound the TLS handshakes a burst
	// of calls starts towards UnionPay, give it a MaxConnsPerHost too, beyond which calls wait
	// for a connection, within their ctx). Requests carry the User-Agent "goacp-unionpay/<version>
	// (+https://github.com/goacp/unionpay)", the module's version as the build recorded it
	// (without "/<version>" when it recorded none, as under go test). A given client must have no
	// cookie jar and must not skip TLS verification; it is copied, and redirects are never
	// followed. A given client without a Timeout gets the 30 s one (a ctx deadline still ends a
	// call sooner; set Timeout for a longer limit): a call must never wait as long as a connection
	// stays open. Give a Transport of your own a dialer with a Timeout and a TLSHandshakeTimeout
	// (the nil client's are 30 s and 10 s): net/http finishes a dial or a handshake a call has
	// given up on in the background (to pool the connection), and an &http.Transport{} has no
	// bound on the handshake, so a peer that stalls it keeps a goroutine per cancelled call.
	// With a Transport other than an *http.Transport (a wrapper: OpenTelemetry's otelhttp, a
	// retry layer), which cannot say through httptrace whether a failed request had left, a
	// failure is "not sent" ([ErrNotSent]) only if the transport read none of the request's body,
	// which holds every signed field (a refused connection, a DNS or TLS failure, a ctx that ended
	// first), and the body can no longer be read once that is reported; any other failure of a
	// call that moves money is pending, and so is every failure of a transport that reads the
	// body before sending it (one that buffers it to retry or to log it). To name spans or label
	// metrics by call, read [CallInfoFrom] of the request's context, not its body. A given
	// client without Transport sends through http.DefaultTransport as it is at each call, and
	// is judged by that one: replaced by such a wrapper after NewClient, it is treated as one.
	//
	// Behind an egress proxy: the nil client speaks HTTP/1.1, sends through the proxy that
	// HTTPS_PROXY names (NO_PROXY excepted; net/http reads them once per process) with CONNECT,
	// and trusts the system's roots (SSL_CERT_FILE, SSL_CERT_DIR). A CONNECT the proxy refuses
	// (407, 502...) is "request not sent"; the proxy's own status to a request it received is
	// pending. Behind a TLS-intercepting proxy, add its CA to the system's roots or to the
	// RootCAs of a given client's Transport: answers still verify, as UnionPay signs them. A
	// request must reach UnionPay once: turn off retries for UnionPay's hosts in a service
	// mesh or proxy that could resend a POST (Istio's VirtualService retries.attempts: 0):
	// UnionPay answers a second copy 12 (duplicate), reported pending, and the first copy's
	// answer is lost.
	HTTPClient *http.Client
	// Now is the clock for txnTime, for QueryUntilFinal's schedules and for the margin of
	// [Client.ExpiringWithin]; nil: time.Now. Certificates are checked at the Verifier's clock
	// (cert.VerifierConfig.Now), not this one. A call that reads it and gets the zero time, or a
	// year of other than four digits in Beijing time, fails with a *[ConfigError] naming Config.Now
	// before anything is signed.
	Now func() time.Time
	// Sleep waits between queries in [Client.QueryUntilFinal]; it must return ctx.Err() when ctx
	// ends first. d is never negative (0 when a query's time has passed). nil: a timer. Tests
	// inject a fake one.
	Sleep func(ctx context.Context, d time.Duration) error
	// OnCall, if not nil, is told of the end of every call of a Client method that takes a ctx
	// (Refund, BackConsume, Query, DownloadFile, UpdateEncryptionCertificate...): once per call,
	// a call the SDK refused before sending included (OutcomeRefused), after its outcome was
	// classified and before the method returns, on the calling goroutine. It is given the call's
	// ctx (context.Background() for a nil one) and a [CallEnd]: the call's [CallInfo], its
	// Duration, its [Outcome], the verified answer's RespCode and the error the method returns.
	// It is for counting and timing calls by Op and Outcome (a metrics counter, a histogram, a
	// log line, a span event) without wrapping each method. It never sees card data.
	//
	// [Client.QueryUntilFinal] does not report itself: each query it asks reports as a
	// [Client.Query] does (Op "query"), its waits aside. Only when it refuses its request before
	// asking anything does it report, once, a refused query. ([Backoff.OnQuery] tells of its
	// queries with their place in the schedule.)
	//
	// The calls of one Client, and of the clients [Client.WithSubMerchant] derives from it, call
	// it at once from their goroutines: it must be safe for concurrent use, and quick (the
	// caller waits for it; a call of the Client's that it makes reports to it too). A panic in
	// it is recovered and logged with slog's default logger, with its stack, at Error (a panic of
	// that logger's is dropped): the call returns what it would have returned without OnCall, as
	// the outcome of a payment must reach its caller whatever happens to a metric. nil: nothing
	// is observed, at no cost.
	OnCall func(ctx context.Context, e CallEnd)
	// MaxResponseBytes bounds a synchronous answer's body; 0: 16 MiB. It bounds
	// [Client.DownloadFile]'s answer too, which holds the settlement file's zip in base64, 4/3 of
	// its size: 16 MiB is a zip of about 12 MiB. A merchant whose busiest day's file may be
	// larger raises it (MaxFileBytes, which bounds the zip itself, is 256 MiB).
	MaxResponseBytes int64
	// MaxFileBytes bounds a file decoded from fileContent (after inflating), against
	// decompression bombs; 0: 256 MiB.
	MaxFileBytes int64
}

// sameAlgorithms refuses RSA and SM2 material mixed up: UnionPay's encryption certificate of the
// other algorithm than the signature (an SM2 merchant, signMethod 21, encrypts to UnionPay's SM2
// certificate, an RSA one to its RSA certificate), and a Decrypter whose key is not the signing
// key (UnionPay encrypts what it returns, accNo, to the merchant's signing certificate). A Signer
// of another type than sign.RSASigner and sign.SM2Signer (an HSM's) has no key to compare.
func (cfg *Config) sameAlgorithms() error {
	var pub interface{ Equal(crypto.PublicKey) bool }
	switch s := cfg.Signer.(type) {
	case *sign.RSASigner:
		if p := s.Public(); p != nil {
			pub = p
		}
	case *sign.SM2Signer:
		if p := s.Public(); p != nil {
			pub = p
		}
	}
	if e := cfg.Encrypter; e != nil {
		_, rsaCert := e.Certificate().PublicKey.(*rsa.PublicKey)
		switch m := cfg.Signer.Method(); {
		case m == sign.MethodSM2 && rsaCert:
			return &ConfigError{Field: "Config.Encrypter", Reason: "an RSA certificate, while Config.Signer signs with SM2 " +
				"(signMethod 21): an SM2 merchant encrypts to UnionPay's SM2 encryption certificate"}
		case m == sign.MethodRSA && !rsaCert:
			return &ConfigError{Field: "Config.Encrypter", Reason: "an SM2 certificate, while Config.Signer signs with RSA " +
				"(signMethod 01): use UnionPay's RSA encryption certificate"}
		}
	}
	if d := cfg.Decrypter; d != nil && pub != nil && !pub.Equal(d.Public()) {
		return &ConfigError{Field: "Config.Decrypter", Reason: "its key is not the signing key of Config.Signer: " +
			"UnionPay encrypts accNo to the merchant's signing certificate"}
	}
	return nil
}

// sameSecureKey refuses, for a secure-key Signer (signMethod 11, 12), a Verifier holding another
// key: UnionPay signs its answers with the merchant's own secure key, so none would verify, and
// every money-moving call would be pending after the money moved. A probe message is signed and
// verified, without I/O (the keys themselves are not exposed). A Signer that fails to sign is
// not refused here: it fails at the first call.
func (cfg *Config) sameSecureKey(version string) error {
	if m := cfg.Signer.Method(); m != sign.MethodSHA256Key && m != sign.MethodSM3Key {
		return nil
	}
	probe := sign.Fields{sign.FieldVersion: version, sign.FieldEncoding: "UTF-8", "txnType": "00", "merId": cfg.MerchantID}
	if sign.Sign(cfg.Signer, probe) != nil {
		return nil
	}
	if _, err := cfg.Verifier.Verify(probe); errors.Is(err, sign.ErrSignature) {
		return &ConfigError{Field: "Config.Verifier", Err: err, Reason: "its SecureKey is not Config.Signer's: UnionPay " +
			"signs its answers with the merchant's own secure key, so no answer would verify"}
	}
	return nil
}

// validateSubMerchant checks cfg.SubMerchant, for AccessPlatform.
func (cfg *Config) validateSubMerchant() error {
	s := cfg.SubMerchant
	if sign.Blank(s.ID) && sign.Blank(s.Name) && sign.Blank(s.Abbr) {
		return badConfig("SubMerchant", "required with AccessPlatform: ID, Name and Abbr (subMerId, subMerName, subMerAbbr)")
	}
	fields := []struct{ name, wire, value string }{{"ID", "subMerId", s.ID}, {"Name", "subMerName", s.Name}, {"Abbr", "subMerAbbr", s.Abbr}}
	for _, v := range fields {
		if sign.Blank(v.value) { // a blank one would not be sent
			return badConfig("SubMerchant."+v.name, "required with AccessPlatform ("+v.wire+")")
		}
	}
	for _, v := range fields {
		if !utf8.ValidString(v.value) {
			return badConfig("SubMerchant."+v.name, "not valid UTF-8")
		}
		if reason := echoedReason(v.value); reason != "" { // echoed in answers and notifications
			return badConfig("SubMerchant."+v.name, reason)
		}
		if hasControl(v.value) { // subMerAbbr is a field of the CRLF-delimited settlement file
			return badConfig("SubMerchant."+v.name, "must not contain control characters or line breaks")
		}
		if strings.EqualFold(cfg.Encoding, sign.CharsetGBK) && !inGBK(v.value) {
			return badConfig("SubMerchant."+v.name, notGBK) // sent with every request
		}
	}
	// The settlement file gives subMerId 15 bytes and subMerAbbr 32 (GBK): longer ones
	// would come back cut, and two sub-merchants could read as one.
	if len(s.ID) > 15 || !ascii.IsAlnum(s.ID) {
		return badConfig("SubMerchant.ID", "must be up to 15 letters or digits (the settlement file's width)")
	}
	if gbkWidth(s.Abbr) > 32 {
		return badConfig("SubMerchant.Abbr", "must be up to 32 bytes in GBK, 16 Chinese characters (the settlement file's width)")
	}
	return nil
}

// badConfig is the *ConfigError for Config field (without "Config.").
func badConfig(field, reason string) error {
	return &ConfigError{Field: "Config." + field, Reason: reason}
}

// badConfigErr is badConfig for a refusal by another package's check: err stays matchable
// (errors.Is, As).
func badConfigErr(field string, err error) error {
	return &ConfigError{Field: "Config." + field, Reason: err.Error(), Err: err}
}

// validate checks cfg as given to NewClient, before its defaults are filled in, and reports the
// first field refused as a *ConfigError.
func (cfg *Config) validate() error {
	if err := cfg.validateMerchant(); err != nil {
		return err
	}
	switch cfg.Version {
	case "", sign.Version510, sign.Version500:
	default:
		return badConfig("Version", "must be 5.1.0 or 5.0.0")
	}
	switch strings.ToUpper(cfg.Encoding) {
	case "", "UTF-8", "GBK":
	default:
		return badConfig("Encoding", "must be UTF-8 or GBK")
	}
	if err := cfg.validateKeys(); err != nil {
		return err
	}
	if err := cfg.validateVerifier(); err != nil {
		return err
	}
	if err := cfg.Endpoints.validate(); err != nil {
		return err
	}
	if err := cfg.validatePublicTestKey(); err != nil {
		return err
	}
	if err := cfg.validateEnvironment(); err != nil {
		return err
	}
	return cfg.validateTransport()
}

// validatePublicTestKey refuses a Verifier that accepts UnionPay's public test secure key in a
// configuration meant for production: one of the Endpoints on UnionPay's production hosts, or,
// whatever the URLs (an egress proxy's, a gateway of the merchant's own), an Encrypter or a
// Signer's certificate of UnionPay's production PKI (cert.IsProduction). The key is never printed.
func (cfg *Config) validatePublicTestKey() error {
	if !cfg.Verifier.AcceptsPublicTestKey() {
		return nil
	}
	const fix = ", where anyone could sign a notification with it: give VerifierConfig.SecureKey the key UnionPay issued"
	if cfg.Endpoints.production() {
		return badConfig("Verifier", "accepts UnionPay's public test secure key with UnionPay's production endpoints"+fix)
	}
	if field := cfg.productionField(); field != "" {
		return badConfig("Verifier", "accepts UnionPay's public test secure key, and Config."+field+
			" holds a certificate of UnionPay's production PKI"+fix)
	}
	return nil
}

// validateEnvironment refuses UnionPay's certificates of one of its environments with the
// Endpoints of the other (cert.IsProduction, cert.IsTestEnvironment), as LoadJavaConfig refuses
// test certificates with production URLs: a Verifier trusting the other environment's chain
// refuses every answer (each call that moves money pending) and every notification, and an
// Encrypter of the other's encrypts card data UnionPay cannot decrypt. The merchant's own
// certificate is not looked at: UnionPay answers a request signed with the wrong one 11.
func (cfg *Config) validateEnvironment() error {
	other, env, want := cert.IsTestEnvironment, "test environment's", "production"
	switch {
	case cfg.Endpoints.production():
	case cfg.Endpoints.testEnvironment():
		other, env, want = cert.IsProduction, "production", "test environment's"
	default: // a fake gateway, or a proxy: either may be meant
		return nil
	}
	const files = " (acp_prod_*.cer in production, acp_test_*.cer in the test environment)"
	if cfg.Verifier.Trusts(other) {
		return badConfig("Verifier", "trusts UnionPay's "+env+" certificates with Endpoints of UnionPay's "+want+
			" hosts: every answer would fail verification and every notification be refused; give it the "+want+" ones"+files)
	}
	if cfg.Encrypter != nil && other(cfg.Encrypter.Certificate()) {
		return badConfig("Encrypter", "holds UnionPay's "+env+" encryption certificate with Endpoints of UnionPay's "+want+
			" hosts: UnionPay could not decrypt the card data; give it the "+want+" one"+files)
	}
	return nil
}

// productionField names the field of cfg, other than Endpoints, holding a certificate of
// UnionPay's production PKI (cert.IsProduction): Encrypter (UnionPay's encryption certificate) or
// Signer (the merchant's certificate, when UnionPay's production middle issued it); "" if neither
// does.
func (cfg *Config) productionField() string {
	if cfg.Encrypter != nil && cert.IsProduction(cfg.Encrypter.Certificate()) {
		return "Encrypter"
	}
	if c, ok := cfg.Signer.(certified); ok && cert.IsProduction(c.Certificate()) {
		return "Signer"
	}
	return ""
}

// validateMerchant checks MerchantID and the access type with the fields it requires or refuses
// (AcquirerCode, SubMerchant).
func (cfg *Config) validateMerchant() error {
	if cfg.MerchantID == "" { // most often a Config from LoadJavaConfig, whose file has no merId
		return badConfig("MerchantID", "required: the merId, 15 letters or digits (acp_sdk.properties does not hold it)")
	}
	if len(cfg.MerchantID) != 15 || !ascii.IsAlnum(cfg.MerchantID) {
		return badConfig("MerchantID", "must be 15 letters or digits")
	}
	switch cfg.AccessType {
	case "", AccessMerchant:
	case AccessAcquirer:
		if cfg.AcquirerCode == "" || len(cfg.AcquirerCode) > 11 || !isDigits(cfg.AcquirerCode) {
			return badConfig("AcquirerCode", "required with AccessAcquirer: up to 11 digits (the settlement file's width)")
		}
	case AccessPlatform:
		if err := cfg.validateSubMerchant(); err != nil {
			return err
		}
	default:
		return badConfig("AccessType", "must be \"0\", \"1\" or \"2\"")
	}
	if cfg.AccessType != AccessAcquirer && cfg.AcquirerCode != "" {
		return badConfig("AcquirerCode", "only with AccessAcquirer")
	}
	if cfg.AccessType != AccessPlatform && cfg.SubMerchant != (SubMerchant{}) {
		return badConfig("SubMerchant", "only with AccessPlatform")
	}
	return nil
}

// validateKeys checks the Signer, Encrypter and Decrypter, each on its own and then together.
func (cfg *Config) validateKeys() error {
	if cfg.Signer == nil {
		return badConfig("Signer", "required")
	}
	if err := sign.CheckSigner(cfg.Signer); err != nil {
		return badConfigErr("Signer", err)
	}
	if m := cfg.Signer.Method(); (m == sign.MethodRSA || m == sign.MethodSM2) && cfg.Signer.CertID() == "" {
		return badConfig("Signer", "signMethod "+m+" needs the certId of the signing certificate")
	}
	if cfg.Encrypter != nil {
		if err := cfg.Encrypter.Check(); err != nil {
			return badConfigErr("Encrypter", err)
		}
	}
	if cfg.Decrypter != nil {
		if err := cfg.Decrypter.Check(); err != nil {
			return badConfigErr("Decrypter", err)
		}
	}
	return cfg.sameAlgorithms()
}

// validateVerifier checks that the Verifier can verify every answer to the Signer's requests
// (see send): one that cannot would fail every call, after the money moved.
func (cfg *Config) validateVerifier() error {
	if cfg.Verifier == nil {
		return badConfig("Verifier", "required")
	}
	if err := cfg.Verifier.Check(); err != nil {
		return badConfigErr("Verifier", err)
	}
	version := cfg.Version
	if version == "" {
		version = sign.Version510
	}
	if err := cfg.Verifier.Accepts(cfg.Signer.Method(), version); err != nil {
		return &ConfigError{Field: "Config.Verifier", Err: err, Reason: fmt.Sprintf("cannot verify answers signed "+
			"as the requests are (signMethod %q of Config.Signer, version %s): %v", cfg.Signer.Method(), version, err)}
	}
	if err := cfg.sameSecureKey(version); err != nil {
		return err
	}
	// 5.0.0 answers are verified with a configured certificate (LegacyCerts, SM2Certs), 5.1.0
	// ones with the configured chain: one of them must be valid now.
	if m := cfg.Signer.Method(); m == sign.MethodRSA || m == sign.MethodSM2 {
		if version == sign.Version500 {
			// UnionPay's encryption certificate, which a 5.0.0 verify-cert directory often holds
			// too, signs no answer: it does not count (nil without an Encrypter, and ignored).
			if err := cfg.Verifier.CheckLegacyValidityExcept(m, cfg.Encrypter.Certificate()); err != nil {
				return &ConfigError{Field: "Config.Verifier", Err: err, Reason: "cannot verify 5.0.0 answers: " + err.Error()}
			}
		} else if err := cfg.Verifier.CheckChainValidity(m == sign.MethodSM2); err != nil {
			return &ConfigError{Field: "Config.Verifier", Err: err, Reason: "cannot verify answers: " + err.Error()}
		}
	}
	return nil
}

// validateTransport checks HTTPClient and the size limits.
func (cfg *Config) validateTransport() error {
	if hc := cfg.HTTPClient; hc != nil {
		if hc.Jar != nil {
			return badConfig("HTTPClient", "must have no cookie jar")
		}
		if t, ok := hc.Transport.(*http.Transport); ok && t.TLSClientConfig != nil && t.TLSClientConfig.InsecureSkipVerify {
			return badConfig("HTTPClient", "must not skip TLS verification")
		}
	}
	if cfg.MaxResponseBytes < 0 {
		return badConfig("MaxResponseBytes", "must not be negative")
	}
	if cfg.MaxFileBytes < 0 {
		return badConfig("MaxFileBytes", "must not be negative")
	}
	return nil
}

func (e *Endpoints) validate() error {
	for _, ep := range []struct {
		name, url string
		required  bool
	}{
		{"Front", e.Front, true}, {"Back", e.Back, true}, {"Query", e.Query, true},
		{"Batch", e.Batch, false}, {"File", e.File, false}, {"App", e.App, false}, {"Card", e.Card, false},
	} {
		if ep.url == "" && !ep.required {
			continue
		}
		if err := checkURL(ep.url, true); err != nil {
			return &ConfigError{Field: "Config.Endpoints." + ep.name, Reason: err.Error()}
		}
	}
	return nil
}

// checkURL accepts an absolute http or https URL; with httpsOnly, http only on a loopback host.
func checkURL(s string, httpsOnly bool) error {
	if s == "" {
		return errorString("required")
	}
	u, err := url.Parse(s)
	if err != nil || u.Host == "" {
		return errorString("must be an absolute URL")
	}
	switch u.Scheme {
	case "https":
		return nil
	case "http":
		if !httpsOnly {
			return nil
		}
		if ip := net.ParseIP(u.Hostname()); (ip != nil && ip.IsLoopback()) || u.Hostname() == "localhost" {
			return nil
		}
		return errorString("must be https (http only on a loopback host)")
	}
	return errorString("must be an http or https URL")
}

type errorString string

func (e errorString) Error() string { return string(e) }

const (
	defaultTimeout          = 30 * time.Second
	defaultMaxResponseBytes = 16 << 20
	defaultMaxFileBytes     = 256 << 20
)
