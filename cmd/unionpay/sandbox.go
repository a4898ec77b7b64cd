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
	"sync"
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
certId, the secure key for signMethod 11/12, the test card and the declined card), then
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
    minutes in all, real time) until one is answered 200 or 302, as at UnionPay.
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
    merchant's key (RSA PKCS#1 v1.5, as UnionPay's): "unionpay decrypt -pfx" reads it. Node.js
    18.19.1, 20.11.1, 21.6.2 and later refuse that padding in crypto.privateDecrypt unless their
    OpenSSL does implicit rejection (CVE-2023-46809).
  - App orders (tn) cannot be paid from outside: that needs the Go API (Server.Complete), as do
    scripted outcomes and faults.`

const (
	sandboxPassword  = "000000"   // like UnionPay's test PFX
	sandboxSecureKey = "88888888" // like UnionPay's test environment
)

func runSandbox(e *env, args []string) error {
	fs := newFlags(e, "sandbox", "[-addr 127.0.0.1:0] [-dir DIR] [-sha256]", sandboxHelp)
	addr := fs.String("addr", "127.0.0.1:0", "address to listen on, HOST:PORT (one that does not parse is a usage error, exit status 2)")
	dir := fs.String("dir", "", "directory for the certificates, the PFX and its key (default: a new temporary directory)")
	sha256 := fs.Bool("sha256", false, "sign the certificate chain with SHA-256 instead of SHA-1 (UnionPay's)")
	if err := parseFlags(fs, args, 0); err != nil {
		return err
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
	}

	rep := &lockedReporter{w: e.stderr}
	opts := []unionpaytest.Option{unionpaytest.WithPlainHTTP(), unionpaytest.WithReporter(rep),
		unionpaytest.WithSecureKey([]byte(sandboxSecureKey))}
	if !*sha256 {
		opts = append(opts, unionpaytest.WithSHA1Chain())
	}
	srv := unionpaytest.NewServer(opts...)
	defer srv.Close()
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
	proxy := &httputil.ReverseProxy{Rewrite: func(r *httputil.ProxyRequest) { r.SetURL(target) }, ErrorLog: errLog}
	hs := &http.Server{Handler: proxy, ReadHeaderTimeout: 10 * time.Second, ErrorLog: errLog}
	base := "http://" + ln.Addr().String()
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

type sandboxFiles struct{ root, middle, verify, enc, pfx, key string }

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
	enc := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.EncryptionCertificate().Raw})
	for _, w := range []struct {
		path string
		data []byte
	}{{f.root, srv.RootPEM()}, {f.middle, srv.MiddlePEM()}, {f.verify, srv.SigningPEM()}, {f.enc, enc}, {f.pfx, pfx}, {f.key, key}} {
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
		{"certId", cert.CertID(srv.MerchantCertificate())},
		{"secureKey", sandboxSecureKey},
		{"testCard", unionpaytest.TestCard},
		{"declinedCard", unionpaytest.DeclinedCard},
	}
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
