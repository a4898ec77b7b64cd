package main

import (
	"context"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/goacp/unionpay/cert"
	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

const sandboxHelp = `
Runs the fake UnionPay gateway of package unionpaytest as a standalone server over plain HTTP,
for integrators writing in any language: point your UnionPay SDK's endpoints at the URLs it
prints, sign with the PFX (or its key as PEM) it writes, and trust the root and middle
certificates it writes.
It is a test double, not UnionPay: never send real card data to it.

It prints "key: value" lines (merId, each endpoint, the files written, the PFX password and
certId, the secure key for signMethod 11/12, with -sm2 the sm2* ones of the .sm2 file and the
SM2 certificates, the test card and the declined card), then
"ready: ..." once it accepts requests.
Requests that the real gateway would reject for a protocol mistake are also reported on standard
error. It runs until interrupted (Ctrl-C or SIGTERM).

Files written to DIR (a new temporary directory, removed when the sandbox stops, when -dir is not given):
  sandbox_root.cer, sandbox_middle.cer  the gateway's root and middle certificates (PEM), signed
                                        with SHA-1 like UnionPay's (-sha256 for SHA-256)
  sandbox_verify.cer                    its signing certificate, for version 5.0.0 clients (which
                                        look it up by certId instead of reading signPubKeyCert)
  sandbox_enc.cer                       its encryption certificate (encryptCertId)
  sandbox_sign.pfx                      the test merchant's signing PFX, in the legacy format of
                                        UnionPay's own (3DES, SHA-1 MAC)
  sandbox_sign.key                      the same private key, unencrypted PKCS#8 PEM, for a client
                                        whose crypto reads no PKCS#12 (Node.js's); with a real PFX,
                                        "openssl pkcs12 -in FILE -nocerts -nodes" gives it
                                        (OpenSSL 3: add -legacy for a PFX with RC2-40, as
                                        acp_test_sign.pfx is), a key anyone who reads the file
                                        signs with: keep it as a secret (mode 0600, never in a
                                        repository or an image), or give Node.js the key
                                        encrypted ("-nodes" left out)
  acp_sdk.properties                    these files, the PFX's password and the endpoints, in the
                                        keys of UnionPay's Java SDK, for "unionpay query -config"
                                        (a -dir holding one the sandbox did not write, a
                                        service's own, is refused: it is left as it is)
With -sm2, the test merchant is a 国密 (SM2) one, as UnionPay's gm SDK configures it, and also:
  sandbox_sign.sm2                      its CFCA .sm2 file (SM2 key and certificate), under the
                                        PFX's password
  sandbox_sm2_root.cer,                 the gateway's SM2 root and middle (PEM), its SM2 signing
  sandbox_sm2_middle.cer,               certificate (sm2VerifyCertId, for 5.0.0) and its SM2
  sandbox_sm2_verify.cer,               encryption certificate (sm2EncryptCertId)
  sandbox_sm2_enc.cer
and acp_sdk.properties names them (acpsdk.signMethod=21, the acpsdk.sm2.* keys), not the PFX:
"unionpay query -config" then signs with signMethod 21. Requests signed with the PFX or the
secure key are still answered, with their own method.

What a client must know:
  - txnTime is Beijing time (UTC+8), within minutes of now, as at UnionPay.
  - Front transactions land on a cashier page. Without a browser, POST the signed form to the
    front URL ("unionpay sign ... < order.kv | curl --data-binary @- URL": sign writes no final
    line feed into a pipe; in a script, "set -o pipefail", or a failed sign goes unseen), take
    the hidden "session" value from the page, and POST
    session=...&cardNo=<the test card>&action=pay to /cashier/pay: the answer is the auto-post
    form back to frontUrl. Its values are HTML-escaped (signPubKeyCert's CR LF as &#13;&#10;):
    decode the entities, as a browser does, before verifying. The declinedCard is refused with
    respCode 64 (signed, sent back to frontUrl, no notification: UnionPay notifies a front
    transaction's success only); the order may be paid again, on the same session with another
    card, until its payTimeout. A form the gateway refuses (a stale txnTime, a bad signature...)
    gets an unsigned error page instead of the cashier, as a browser would at UnionPay, its
    respCode and message in <p id="result" data-respcode="...">; action=cancel gets one too,
    with data-respcode="", and leaves the order unpaid.
  - Notifications go to backUrl at once, then again after waits of 1, 2, 4 and 5 minutes (12
    minutes in all, real time) until one is answered 200 or 302, as at UnionPay. The first
    failed attempt to each backUrl (connection refused, a DNS failure, a status other than 200
    or 302, no answer within 10s) is reported on standard error, once, with the order, the
    reason and the retries left; later ones to that backUrl are not (the latest 1000 backUrls
    are remembered).
  - reqReserved (and the other echoed fields) holding '&' or an unbalanced { or [ is refused
    (respCode 10): UnionPay echoes such a value in a way that breaks its answer's format.
  - The file URL answers a signed file-download request (txnType=76, txnSubType=01,
    bizType=000000, accessType=0, fileType=00, merId, settleDate MMDD, txnTime) with the day's
    settlement file of the payments made on the sandbox, at once, or respCode 98 for a day with
    none. Ask for the settleDate the notifications and queries report: the settle day ends at
    23:00 Beijing time, as UnionPay's does, so a payment at 23:30 is in the next day's file.
    "unionpay filecontent -o day.zip < answer" then "unionpay reconcile -orders orders.csv
    day.zip" decode and check it (README, "The command-line tool": the nightly job).
  - Notifications, front returns and query answers of a paid order carry accNo, encrypted to the
    merchant's key (RSA PKCS#1 v1.5, as UnionPay's): "unionpay decrypt -pfx" reads it; with
    -sm2, SM2 (C1C3C2) to the .sm2 file's key, whatever the order was signed with: "unionpay
    decrypt -sm2" reads it. Node.js
    18.19.1, 20.11.1, 21.6.2 and later refuse that padding in crypto.privateDecrypt unless their
    OpenSSL does implicit rejection (CVE-2023-46809).
  - -script ORDERID=CODE[,CODE...] fixes the outcome of the order sent later under ORDERID, as
    Server.Script of package unionpaytest does: the first code is the synchronous respCode (for a
    front order, the cashier's result, whatever the card), each later query of the order moves
    to the next code and reports it as origRespCode, the last one staying. "-script
    ORDER0003=00,05" is a payment accepted and pending (05) at every query; "ORDER0004=00,05,00"
    is pending at the first query and succeeded from the second; "ORDER0005=00,64" fails after
    it was accepted. Give it once per order.
  - -fail ORDERID=FAULT[,FAULT...] makes the order sent later under ORDERID show faults, as
    Server.FailOrder of package unionpaytest does, to rehearse a gateway outage: each response
    fault is taken by the next request carrying the orderId (the payment itself, then its
    queries), each notification fault by its next notification. Response faults: drop (the
    connection closed without an answer), truncate (half the answer), delay (no answer until the
    client gives up, or a minute), bad-gateway (a proxy's 502 page), wrong-key, expired-cert,
    wrong-name (an answer a client must refuse), pending (answered 05, the first query 05 too,
    the next 00): all after the payment took effect, so that a query finds it; 5xx alone (a 503)
    comes before it, the payment never made. Notification faults: late-notify (the first attempt
    after the whole 12-minute schedule), duplicate-notify, notify-first (before the answer),
    forged-notify (a copy with txnAmt altered first), notify-wrong-key, notify-expired-cert,
    notify-wrong-name. none lets one request through: "-fail ORDER0006=none,drop,drop" pays, its
    first two queries get no answer. Give it once per order.
  - It keeps the latest 10000 transactions (-history N), and as many requests and notification
    attempts: an older order is forgotten as if it was never sent (a query of it answers 34, a
    refund or cancel of it is refused, its orderId may be used again, its day's settlement file
    leaves it out, its notification is no longer retried), so that a sandbox left running for
    days holds bounded memory. It says so on standard error, once, when it forgets the first.
    -history 0 keeps everything.
  - acp_sdk.properties, written to DIR, names the endpoints (on 127.0.0.1 or ::1 when -addr
    listens on every address), the PFX, its password and the certificates (absolute paths):
    "unionpay query -config DIR/acp_sdk.properties -merid MERID" and "unionpay download -config
    ..." use it, as UnionPay's Java SDK does.
  - App orders (tn) cannot be paid from outside: that needs the Go API (Server.Complete), as do
    faults aimed at an endpoint or drawn at a rate (Server.FailEndpoint, WithFaultRates) and a
    query's own respCode (Server.ScriptQuery).`

const (
	sandboxPassword  = "000000"   // like UnionPay's test PFX
	sandboxSecureKey = "88888888" // like UnionPay's test environment
	// sandboxHistory is -history's default: the transactions (and requests, and notification
	// attempts) the sandbox keeps. Days of a developer's orders, and a load test's latest; each
	// transaction keeps its request, a few kilobytes, so tens of megabytes at most.
	sandboxHistory = 10000
)

func runSandbox(e *env, args []string) error {
	fs := newFlags(e, "sandbox", "[-addr 127.0.0.1:0] [-dir DIR] [-sha256] [-sm2] [-history N] [-script ORDERID=CODE[,CODE...]]... [-fail ORDERID=FAULT[,FAULT...]]...", sandboxHelp)
	addr := fs.String("addr", "127.0.0.1:0", "address to listen on, HOST:PORT (one that does not parse is a usage error, exit status 2)")
	dir := fs.String("dir", "", "directory for the certificates, the PFX and its key (default: a new temporary directory)")
	sha256 := fs.Bool("sha256", false, "sign the certificate chain with SHA-256 instead of SHA-1 (UnionPay's)")
	sm2 := fs.Bool("sm2", false, "a 国密 (SM2, signMethod 21) merchant: write its .sm2 file and an acp_sdk.properties naming it")
	history := fs.Int("history", sandboxHistory, "keep the latest `N` transactions, and as many requests and notification attempts: "+
		"an older order is forgotten (a query of it answers 34, a refund of it is refused); 0 keeps everything, in memory that grows without bound")
	var scripts sandboxScripts
	fs.Var(&scripts, "script", "`ORDERID=CODE[,CODE...]`: the respCodes the order sent later under ORDERID goes through (00,05 pending; 00,64 failed), once per order")
	var fails sandboxFails
	fs.Var(&fails, "fail", "`ORDERID=FAULT[,FAULT...]`: the faults the order sent later under ORDERID shows, one per request or notification of it "+
		"(drop, 5xx, bad-gateway, truncate, delay, pending, late-notify, duplicate-notify...; none lets one request through), once per order")
	if err := parseFlags(fs, args, 0); err != nil {
		return err
	}
	if *history < 0 {
		return usagef("-history %d: want a number of transactions, or 0 to keep everything", *history)
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		// An address that does not parse or resolve is a mistake on the command line; a busy
		// port or a refused bind is not.
		var addrErr *net.AddrError
		var dnsErr *net.DNSError
		if errors.As(err, &addrErr) || errors.As(err, &dnsErr) {
			return usagef("-addr: want HOST:PORT such as 127.0.0.1:8080: %v", err)
		}
		return err
	}
	defer ln.Close()
	if *dir == "" {
		if *dir, err = os.MkdirTemp("", "unionpay-sandbox-"); err != nil {
			return err
		}
		// Its keys are this run's only, and it holds a private key: gone when the sandbox stops.
		defer os.RemoveAll(*dir)
	} else if err := os.MkdirAll(*dir, 0o700); err != nil {
		return fmt.Errorf("-dir %s: cannot create it: %w", *dir, err)
	} else if err := checkSandboxDir(*dir); err != nil {
		return err
	} else if err := checkSandboxConfig(*dir); err != nil {
		return err
	}

	rep := &lockedReporter{w: e.stderr}
	opts := []unionpaytest.Option{unionpaytest.WithPlainHTTP(), unionpaytest.WithReporter(rep),
		unionpaytest.WithSecureKey([]byte(sandboxSecureKey)), unionpaytest.WithBackURLFailures(backURLNotice(rep)),
		// Left running for days: what it remembers is bounded, the latest transactions kept.
		unionpaytest.WithHistoryLimit(*history), unionpaytest.WithLedgerLimit(*history)}
	if !*sha256 {
		opts = append(opts, unionpaytest.WithSHA1Chain())
	}
	if *sm2 {
		opts = append(opts, unionpaytest.WithSM2())
	}
	srv := unionpaytest.NewServer(opts...)
	defer srv.Close()
	for _, sc := range scripts {
		srv.Script(sc.orderID, sc.steps...)
	}
	for _, f := range fails {
		srv.FailOrder(f.orderID, f.faults...)
	}
	files, err := writeSandboxFiles(srv, *dir)
	if err != nil {
		return err
	}
	target, err := url.Parse(srv.URL)
	if err != nil {
		return err
	}
	// The gateway listens on a loopback port of its own choosing; a reverse proxy puts it on -addr.
	// The proxy's and the server's own complaints (a client gone mid-answer, say) go through the
	// reporter too, prefixed like every other line of the sandbox's, not to the log package's stderr.
	errLog := log.New(rep, "", 0)
	proxy := &httputil.ReverseProxy{Rewrite: func(r *httputil.ProxyRequest) { r.SetURL(target) },
		ErrorLog: log.New(faultQuietLog{rep}, "", 0), ErrorHandler: proxyError(errLog)}
	hs := &http.Server{Handler: forgetNotice(watchBody(proxy), srv, *history, rep), ReadHeaderTimeout: 10 * time.Second, ErrorLog: errLog}
	base := "http://" + ln.Addr().String()
	if files.config, err = writeSandboxConfig(*dir, loopbackBase(ln.Addr()), files); err != nil {
		return err
	}
	printSandbox(e.stdout, srv, base, files)

	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-e.ctx.Done():
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if err := hs.Shutdown(ctx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		// A client still holds a request open (half a body, say): cut it, so that the gateway
		// behind the proxy can close and the files be removed.
		_ = hs.Close()
	}
	return nil
}

// forgetNotice serves h, and says once to rep, after the request that made the gateway srv
// forget its first transaction under -history limit, that it now forgets the oldest ones and
// which flag keeps more: a client's query of an old order answering 34, or its refund refused,
// is otherwise a mystery. It forgets requests and notification attempts first, but no client
// sees those lists: they are not told. With limit 0 it serves h alone.
func forgetNotice(h http.Handler, srv *unionpaytest.Server, limit int, rep unionpaytest.Reporter) http.Handler {
	if limit == 0 {
		return h
	}
	var told atomic.Bool
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.ServeHTTP(w, r)
		if !told.Load() && srv.Dropped().Transactions > 0 && told.CompareAndSwap(false, true) {
			rep.Errorf("-history %d reached: the oldest transactions are now forgotten (a query of one answers 34, "+
				"a refund or cancel of it is refused, its orderId may be used again, its notifications are no longer "+
				"retried); raise -history, or give -history 0 to keep everything", limit)
		}
	})
}

// watchBody returns h with each request's body noted as read to its end (bodyRead), so that
// proxyError tells a client that gave up waiting from one gone in the middle of its request.
func watchBody(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Body != nil && r.Body != http.NoBody {
			b := &watchedBody{ReadCloser: r.Body, want: r.ContentLength}
			r = r.Clone(context.WithValue(r.Context(), watchedBodyKey{}, b)) // the proxy's own request keeps its context
			r.Body = b
		}
		h.ServeHTTP(w, r)
	})
}

// watchedBody is a request body that notes whether it was read to its end: as many bytes as
// its Content-Length (a body cut short may still end in io.EOF once its connection is closed),
// or, without one, to io.EOF.
type watchedBody struct {
	io.ReadCloser
	want int64 // Content-Length, or -1
	got  int64
	done atomic.Bool
}

// Read implements io.Reader.
func (b *watchedBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	b.got += int64(n)
	if b.want >= 0 && b.got >= b.want || b.want < 0 && err == io.EOF {
		b.done.Store(true)
	}
	return n, err
}

// watchedBodyKey is the context key of a request's watchedBody.
type watchedBodyKey struct{}

// bodyRead reports whether the body of r (the client's request, or the proxy's request made
// from it) was read to its end: true for a request without one.
func bodyRead(r *http.Request) bool {
	b, ok := r.Context().Value(watchedBodyKey{}).(*watchedBody)
	return !ok || b.done.Load()
}

// proxyError returns the reverse proxy's ErrorHandler. The client sees what the gateway did: a
// connection the gateway closed unanswered (a -fail drop) is closed unanswered, not turned into
// the proxy's own 502, and a client that gave up waiting (a -fail delay) is owed nothing; neither
// is reported, the client having got the fault it was told to show. Another failure (a client
// gone mid-request) is reported to errLog and answered 502, as the proxy's default does.
func proxyError(errLog *log.Logger) func(http.ResponseWriter, *http.Request, error) {
	return func(w http.ResponseWriter, r *http.Request, err error) {
		switch {
		case errors.Is(err, io.EOF) && r.Context().Err() == nil:
			panic(http.ErrAbortHandler) // the server closes the connection, quietly
		case errors.Is(err, context.Canceled) && r.Context().Err() != nil && bodyRead(r):
			return // the client is gone after its whole request: it gave up waiting
		}
		errLog.Printf("http: proxy error: %v", err)
		w.WriteHeader(http.StatusBadGateway)
	}
}

// faultQuietLog passes the reverse proxy's log lines on to w but the one about the gateway's
// answer cut short, which a -fail truncate makes: the client gets the truncated answer (the proxy
// aborts the connection), as told, and nothing is reported.
type faultQuietLog struct{ w io.Writer }

// Write implements io.Writer; p is one log line.
func (l faultQuietLog) Write(p []byte) (int, error) {
	if strings.HasPrefix(string(p), "httputil: ReverseProxy read error during body copy: unexpected EOF") {
		return len(p), nil
	}
	return l.w.Write(p)
}

// backURLNotice returns what tells rep, one line, of the first failed attempt to deliver a
// notification to a backUrl (unionpaytest.WithBackURLFailures): a merchant whose notify route
// is wrong (a port, a path, a host the sandbox cannot reach) otherwise sees nothing, its
// notifications retried in silence. Later failures to the same backUrl are not told.
func backURLNotice(rep unionpaytest.Reporter) func(unionpaytest.BackURLFailure) {
	return func(f unionpaytest.BackURLFailure) {
		retries := "no retry is left"
		if len(f.Left) > 0 {
			waits := make([]string, len(f.Left))
			for i, w := range f.Left {
				waits[i] = w.String()
			}
			retries = "retried after " + strings.Join(waits, ", ") + ", as UnionPay retries"
		}
		rep.Errorf("notification for %s to backUrl %s failed: %s; %s, later failures to this backUrl not shown: "+
			"it must be reachable from the sandbox and answer 200; \"unionpay query -config\" tells the order's status meanwhile",
			f.OrderID, f.URL, f.Reason, retries)
	}
}

// sandboxFiles are the paths of the files the sandbox writes; the sm2 ones "" but with -sm2.
type sandboxFiles struct {
	root, middle, verify, enc, pfx, key, config string
	sm2, sm2Root, sm2Middle, sm2Verify, sm2Enc  string
}

// sandboxScripts is -script, given once per order: the steps of unionpaytest.Server.Script.
type sandboxScripts []sandboxScript

// sandboxScript is one -script: an orderId and the respCodes it goes through.
type sandboxScript struct {
	orderID string
	steps   []unionpaytest.Outcome
}

// String implements flag.Value.
func (s *sandboxScripts) String() string { return "" }

// Set implements flag.Value: v is ORDERID=CODE[,CODE...], each CODE a respCode (two digits or
// capital letters), as Server.Script takes them (it panics on another).
func (s *sandboxScripts) Set(v string) error {
	id, codes, ok := strings.Cut(v, "=")
	if !ok || id == "" || codes == "" {
		return errors.New("want ORDERID=CODE[,CODE...], such as ORDER0003=00,05")
	}
	for _, sc := range *s {
		if sc.orderID == id {
			return fmt.Errorf("orderId %s given twice: give all its codes in one -script", id)
		}
	}
	sc := sandboxScript{orderID: id}
	for c := range strings.SplitSeq(codes, ",") {
		if !isRespCode(c) {
			return fmt.Errorf("%q is not a respCode (two digits or capital letters, as 00, 05 or A6)", c)
		}
		sc.steps = append(sc.steps, unionpaytest.Outcome(c))
	}
	*s = append(*s, sc)
	return nil
}

// sandboxFails is -fail, given once per order: the faults of unionpaytest.Server.FailOrder.
type sandboxFails []sandboxFail

// sandboxFail is one -fail: an orderId and the faults its requests and notifications show.
type sandboxFail struct {
	orderID string
	faults  []unionpaytest.Fault
}

// String implements flag.Value.
func (s *sandboxFails) String() string { return "" }

// Set implements flag.Value: v is ORDERID=FAULT[,FAULT...], each FAULT a name Fault.UnmarshalText
// reads ("drop", "5xx", "late-notify"...).
func (s *sandboxFails) Set(v string) error {
	id, names, ok := strings.Cut(v, "=")
	if !ok || id == "" || names == "" {
		return errors.New("want ORDERID=FAULT[,FAULT...], such as ORDER0003=drop or ORDER0004=none,5xx")
	}
	for _, f := range *s {
		if f.orderID == id {
			return fmt.Errorf("orderId %s given twice: give all its faults in one -fail", id)
		}
	}
	f := sandboxFail{orderID: id}
	for name := range strings.SplitSeq(names, ",") {
		var fault unionpaytest.Fault
		if fault.UnmarshalText([]byte(name)) != nil {
			return fmt.Errorf("fault %q is not one of %s", name, strings.Join(faultNames(), ", "))
		}
		f.faults = append(f.faults, fault)
	}
	*s = append(*s, f)
	return nil
}

// faultNames returns the names of unionpaytest's faults, in the order of their constants, as
// Fault.String gives them ("Fault(N)" past the last).
func faultNames() []string {
	var names []string
	for f := unionpaytest.FaultNone; !strings.HasPrefix(f.String(), "Fault("); f++ {
		names = append(names, f.String())
	}
	return names
}

// isRespCode reports whether c is two digits or capital letters, as respCodes are.
func isRespCode(c string) bool {
	if len(c) != 2 {
		return false
	}
	for _, r := range c {
		if (r < '0' || r > '9') && (r < 'A' || r > 'Z') {
			return false
		}
	}
	return true
}

// sandboxConfigName is the name of the file writeSandboxConfig writes, UnionPay's Java SDK's.
const sandboxConfigName = "acp_sdk.properties"

// sandboxConfigHeader is the first line of the acp_sdk.properties the sandbox writes: a file
// without it is not the sandbox's to replace.
const sandboxConfigHeader = "# unionpay sandbox: its endpoints and test credentials, never UnionPay's\n"

// checkSandboxConfig refuses a -dir holding an acp_sdk.properties the sandbox did not write: it
// may be a service's own configuration directory, whose file (UnionPay's URLs, its PFX and
// password) must not be replaced by one naming the sandbox and its test key.
func checkSandboxConfig(dir string) error {
	old, err := os.ReadFile(filepath.Join(dir, sandboxConfigName))
	if err != nil || strings.HasPrefix(string(old), sandboxConfigHeader) {
		return nil // none (another error is writeSandboxConfig's to report), or the sandbox's own
	}
	return fmt.Errorf("-dir %s holds an %s the sandbox did not write (a service's own?): "+
		"it is left as it is: give another -dir", dir, sandboxConfigName)
}

// loopbackBase is the sandbox's base URL as a client on the same machine reaches it: on the
// loopback address when it listens on all addresses (-addr 0.0.0.0:PORT or [::]:PORT), since
// the SDK takes plain http only on a loopback host.
func loopbackBase(addr net.Addr) string {
	host, port, err := net.SplitHostPort(addr.String())
	if err != nil {
		return "http://" + addr.String()
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsUnspecified() {
		host = "127.0.0.1"
		if ip.To4() == nil {
			host = "::1"
		}
	}
	return "http://" + net.JoinHostPort(host, port)
}

// writeSandboxConfig writes DIR/acp_sdk.properties, in the keys of UnionPay's Java SDK, naming
// the sandbox's endpoints at base and the files f with absolute paths (the Java SDK opens them
// from its working directory), and returns its path.
func writeSandboxConfig(dir, base string, f sandboxFiles) (string, error) {
	abs := func(path string) (string, error) {
		p, err := filepath.Abs(path)
		return filepath.ToSlash(p), err // a backslash is an escape in a properties file
	}
	path := filepath.Join(dir, sandboxConfigName)
	var b strings.Builder
	b.WriteString(sandboxConfigHeader)
	for _, kv := range [][2]string{
		{"frontTransUrl", base + string(unionpaytest.EndpointFront)},
		{"backTransUrl", base + string(unionpaytest.EndpointBack)},
		{"singleQueryUrl", base + string(unionpaytest.EndpointQuery)},
		{"batchTransUrl", base + string(unionpaytest.EndpointBatch)},
		{"fileTransUrl", base + string(unionpaytest.EndpointFile)},
		{"appTransUrl", base + string(unionpaytest.EndpointApp)},
		{"cardTransUrl", base + string(unionpaytest.EndpointCard)},
		{"version", "5.1.0"},
	} {
		fmt.Fprintf(&b, "acpsdk.%s=%s\n", kv[0], kv[1])
	}
	// An SM2 merchant's keys, as UnionPay's gm SDK's acp_sdk.properties has them: the file is
	// that of one merchant, signing with one method.
	creds, paths := [][2]string{{"signMethod", "01"}, {"signCert.type", "PKCS12"}, {"signCert.pwd", sandboxPassword}},
		[][2]string{{"signCert.path", f.pfx}, {"rootCert.path", f.root}, {"middleCert.path", f.middle}, {"encryptCert.path", f.enc}}
	if f.sm2 != "" {
		creds, paths = [][2]string{{"signMethod", "21"}, {"sm2.signCert.pwd", sandboxPassword}},
			[][2]string{{"sm2.signCert.path", f.sm2}, {"sm2.rootCert.path", f.sm2Root}, {"sm2.middleCert.path", f.sm2Middle},
				{"sm2.encryptCert.path", f.sm2Enc}}
	}
	for _, kv := range creds {
		fmt.Fprintf(&b, "acpsdk.%s=%s\n", kv[0], kv[1])
	}
	for _, kv := range paths {
		p, err := abs(kv[1])
		if err != nil {
			return "", err
		}
		fmt.Fprintf(&b, "acpsdk.%s=%s\n", kv[0], p)
	}
	return path, writeFileAtomic(path, func(out io.Writer) error {
		_, err := io.WriteString(out, b.String())
		return err
	})
}

func writeSandboxFiles(srv *unionpaytest.Server, dir string) (sandboxFiles, error) {
	f := sandboxFiles{
		root: filepath.Join(dir, "sandbox_root.cer"), middle: filepath.Join(dir, "sandbox_middle.cer"),
		verify: filepath.Join(dir, "sandbox_verify.cer"), enc: filepath.Join(dir, "sandbox_enc.cer"),
		pfx: filepath.Join(dir, "sandbox_sign.pfx"), key: filepath.Join(dir, "sandbox_sign.key"),
	}
	pfx, err := srv.MerchantPFX(sandboxPassword)
	if err != nil {
		return f, err
	}
	// The PFX's key again, as PEM: Node.js's crypto, among others, has no PKCS#12 reader.
	der, err := x509.MarshalPKCS8PrivateKey(srv.MerchantKey())
	if err != nil {
		return f, err
	}
	key := pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})
	enc := pemCert(srv.EncryptionCertificate())
	type file struct {
		path string
		data []byte
	}
	files := []file{{f.root, srv.RootPEM()}, {f.middle, srv.MiddlePEM()}, {f.verify, srv.SigningPEM()}, {f.enc, enc}, {f.pfx, pfx}, {f.key, key}}
	if srv.SM2() {
		sm2, err := srv.MerchantSM2File(sandboxPassword)
		if err != nil {
			return f, err
		}
		f.sm2, f.sm2Root, f.sm2Middle = filepath.Join(dir, "sandbox_sign.sm2"), filepath.Join(dir, "sandbox_sm2_root.cer"),
			filepath.Join(dir, "sandbox_sm2_middle.cer")
		f.sm2Verify, f.sm2Enc = filepath.Join(dir, "sandbox_sm2_verify.cer"), filepath.Join(dir, "sandbox_sm2_enc.cer")
		files = append(files, file{f.sm2, sm2}, file{f.sm2Root, pemCert(srv.SM2RootCertificate())},
			file{f.sm2Middle, pemCert(srv.SM2MiddleCertificate())}, file{f.sm2Verify, pemCert(srv.SM2SigningCertificate())},
			file{f.sm2Enc, pemCert(srv.SM2EncryptionCertificate())})
	}
	for _, w := range files {
		// A new file (mode 0600) renamed over the name: a symlink planted there is replaced,
		// not followed, and an old file's looser mode is not kept for the key.
		err := writeFileAtomic(w.path, func(out io.Writer) error {
			_, err := out.Write(w.data)
			return err
		})
		if err != nil {
			return f, err
		}
	}
	return f, nil
}

// pemCert is c as PEM.
func pemCert(c *x509.Certificate) []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.Raw})
}

// checkSandboxDir refuses a -dir that anyone may write to without the sticky bit: another user
// could swap the files written there (the merchant key among them) for their own.
func checkSandboxDir(dir string) error {
	if runtime.GOOS == "windows" {
		return nil // ACLs, not mode bits, decide there: Go shows every directory as 0777
	}
	fi, err := os.Stat(dir)
	if err != nil {
		return err
	}
	if fi.Mode().Perm()&0o002 != 0 && fi.Mode()&os.ModeSticky == 0 {
		return fmt.Errorf("-dir %s: anyone may write to it (mode %v): give a directory of your own", dir, fi.Mode().Perm())
	}
	return nil
}

func printSandbox(w io.Writer, srv *unionpaytest.Server, base string, f sandboxFiles) {
	lines := [][2]string{
		{"merId", srv.MerchantID()},
		{"front", base + string(unionpaytest.EndpointFront)},
		{"back", base + string(unionpaytest.EndpointBack)},
		{"query", base + string(unionpaytest.EndpointQuery)},
		{"batch", base + string(unionpaytest.EndpointBatch)},
		{"file", base + string(unionpaytest.EndpointFile)},
		{"app", base + string(unionpaytest.EndpointApp)},
		{"card", base + string(unionpaytest.EndpointCard)},
		{"root", f.root},
		{"middle", f.middle},
		{"verifyCert", f.verify},
		{"verifyCertId", cert.CertID(srv.SigningCertificate())},
		{"encryptCert", f.enc},
		{"encryptCertId", cert.CertID(srv.EncryptionCertificate())},
		{"pfx", f.pfx},
		{"pfxPassword", sandboxPassword},
		{"signKey", f.key},
		{"config", f.config},
		{"certId", cert.CertID(srv.MerchantCertificate())},
		{"secureKey", sandboxSecureKey},
	}
	if f.sm2 != "" {
		lines = append(lines, [][2]string{
			{"sm2", f.sm2},
			{"sm2Password", sandboxPassword},
			{"sm2CertId", cert.CertID(srv.SM2MerchantCertificate())},
			{"sm2Root", f.sm2Root},
			{"sm2Middle", f.sm2Middle},
			{"sm2VerifyCert", f.sm2Verify},
			{"sm2VerifyCertId", cert.CertID(srv.SM2SigningCertificate())},
			{"sm2EncryptCert", f.sm2Enc},
			{"sm2EncryptCertId", cert.CertID(srv.SM2EncryptionCertificate())},
		}...)
	}
	lines = append(lines, [][2]string{
		{"testCard", unionpaytest.TestCard},
		{"declinedCard", unionpaytest.DeclinedCard},
	}...)
	for _, l := range lines {
		fmt.Fprintf(w, "%s: %s\n", l[0], l[1])
	}
	fmt.Fprintln(w, "ready: serving until interrupted (Ctrl-C)")
}

// lockedReporter writes the gateway's protocol-violation reports to stderr, one line each.
type lockedReporter struct {
	mu sync.Mutex
	w  io.Writer
}

// Write writes p, a log line, as one report line (for a log.Logger).
func (r *lockedReporter) Write(p []byte) (int, error) {
	r.Errorf("%s", p)
	return len(p), nil
}

// Errorf writes one report line (unionpaytest.Reporter).
func (r *lockedReporter) Errorf(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	fmt.Fprintf(r.w, "unionpay sandbox: %s\n", oneLine(fmt.Sprintf(format, args...)))
}
