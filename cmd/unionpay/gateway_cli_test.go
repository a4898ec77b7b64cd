package main

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/unionpay"
	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

// cliPassword is the PFX password of the credentials query and download are given in tests: it
// must never be printed.
const cliPassword = "S3cret-Pw-4711"

// serviceCreds are the fake gateway's credentials as a service keeps them: files for -pfx,
// -root, -middle and -enc, and an acp_sdk.properties naming them with the gateway's URLs.
type serviceCreds struct {
	g                     *gatewayFiles
	pfx, enc, properties  string
	pfxFlags, configFlags []string // the credential flags of each form
}

// newServiceCreds starts a fake gateway of its own (the shared one's settlement file is other
// tests' to check) and writes its root and middle, its merchant PFX (under cliPassword), its
// encryption certificate and an acp_sdk.properties pointing at it. opts come after its own
// (a WithClock among them replaces BusinessDayClock).
func newServiceCreds(t *testing.T, opts ...unionpaytest.Option) *serviceCreds {
	t.Helper()
	srv := unionpaytest.NewServer(append([]unionpaytest.Option{unionpaytest.WithSHA1Chain(), unionpaytest.WithReporter(t),
		unionpaytest.WithClock(unionpaytest.BusinessDayClock())}, opts...)...)
	t.Cleanup(srv.Close)
	dir := t.TempDir()
	g := &gatewayFiles{srv: srv, dir: dir, root: writeTestFile(t, dir, "root.cer", srv.RootPEM()),
		middle: writeTestFile(t, dir, "middle.cer", srv.MiddlePEM())}
	pfx, err := g.srv.MerchantPFX(cliPassword)
	require.NoError(t, err)
	c := &serviceCreds{g: g, pfx: writeTestFile(t, dir, "sign.pfx", pfx),
		enc: writeTestFile(t, dir, "enc.cer", g.srv.EncryptionPEM())}
	ep := g.srv.Endpoints()
	props := "acpsdk.frontTransUrl=" + ep.Front + "\nacpsdk.backTransUrl=" + ep.Back + "\nacpsdk.singleQueryUrl=" + ep.Query +
		"\nacpsdk.fileTransUrl=" + ep.File + "\nacpsdk.version=5.1.0\nacpsdk.signMethod=01\n" +
		"acpsdk.signCert.path=" + filepath.ToSlash(c.pfx) + "\nacpsdk.signCert.pwd=" + cliPassword + "\n" +
		"acpsdk.rootCert.path=" + filepath.ToSlash(g.root) + "\nacpsdk.middleCert.path=" + filepath.ToSlash(g.middle) +
		"\nacpsdk.encryptCert.path=" + filepath.ToSlash(c.enc) + "\n"
	c.properties = writeTestFile(t, dir, "acp_sdk.properties", []byte(props))
	c.pfxFlags = []string{"-merid", g.srv.MerchantID(), "-env", "test", "-pfx", c.pfx, "-root", g.root, "-middle", g.middle, "-enc", c.enc}
	c.configFlags = []string{"-merid", g.srv.MerchantID(), "-config", c.properties}
	return c
}

// toFake is a transport that sends the requests for UnionPay's test environment to the fake
// gateway, and the fake's own as they are, through its TLS client.
type toFake struct {
	urls map[string]string // UnionPay's test URL: the fake's
	next http.RoundTripper
}

// RoundTrip sends r to the fake gateway.
func (f toFake) RoundTrip(r *http.Request) (*http.Response, error) {
	if to, ok := f.urls[r.URL.String()]; ok {
		r = r.Clone(r.Context())
		u, err := r.URL.Parse(to)
		if err != nil {
			return nil, err
		}
		r.URL, r.Host = u, u.Host
	}
	return f.next.RoundTrip(r)
}

// failing is a transport whose every request fails, as a network that is down.
type failing struct{}

// RoundTrip fails.
func (failing) RoundTrip(*http.Request) (*http.Response, error) {
	return nil, errors.New("connection refused (test transport)")
}

// transport returns the transport that reaches the fake gateway, for -config (its URLs) and for
// -env test (UnionPay's test URLs rewritten to it).
func (c *serviceCreds) transport() http.RoundTripper {
	test, fake := unionpay.TestEndpoints(), c.g.srv.Endpoints()
	return toFake{next: c.g.srv.HTTPClient().Transport, urls: map[string]string{
		test.Query: fake.Query, test.File: fake.File, test.Back: fake.Back, test.Front: fake.Front}}
}

// run runs the command line against the fake gateway through transport, with the
// gateway's clock and cliPassword in $UNIONPAY_PASSWORD.
func (c *serviceCreds) run(t *testing.T, transport http.RoundTripper, args ...string) result {
	t.Helper()
	var out, errOut bytes.Buffer
	e := &env{ctx: context.Background(), stdin: strings.NewReader(""), stdout: &out, stderr: &errOut,
		getenv: func(k string) string {
			if k == passwordEnv {
				return cliPassword
			}
			return ""
		}, now: c.g.srv.Now, transport: transport}
	code := e.dispatch(args)
	return result{code, out.String(), errOut.String()}
}

// requireNoSecret fails when r's output holds the PFX password or a full card number.
func requireNoSecret(t *testing.T, r result) {
	t.Helper()
	for _, secret := range []string{cliPassword, unionpaytest.TestCard, unionpaytest.DeclinedCard} {
		require.NotContains(t, r.stdout+r.stderr, secret, "a secret printed")
	}
}
