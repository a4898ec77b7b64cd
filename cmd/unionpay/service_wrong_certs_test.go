package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/reconcile"
	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

// TestServiceWrongCertificates: what an operator sees when query or download is given the wrong
// certificates. A signing certificate UnionPay does not hold for the merchant (another merchant's,
// a test PFX in production, a renewed one not yet registered) is answered respCode 11, every
// time: status 6, the credentials refused, with what to check (-pfx, and -merid and the
// environment it is registered for), never status 5, "query again later", which a cron job
// retried for ever (query), nor 1, a failure of the download (download). A root and middle of
// another PKI (consistent with each other) leave the answer unverified: status 5, as it may be an
// answer that is not UnionPay's, but the line says to check -root and -middle. A middle that is
// not the root's is refused before anything is sent, naming -middle (status 6).
func TestServiceWrongCertificates(t *testing.T) {
	// The gateway refuses the foreign signing certificate's requests (respCode 11): expected.
	c := newServiceCreds(t, unionpaytest.WithReporter(refusalsExpected{t}))
	other := newServiceCreds(t)
	orderID, txnTime := backConsume(t, c.g, 1500, unionpaytest.Succeed)
	day := c.g.srv.Now().In(reconcile.Beijing()).Format("20060102")
	creds := func(pfx, root, middle string) []string {
		return []string{"-merid", c.g.srv.MerchantID(), "-env", "test", "-pfx", pfx, "-root", root, "-middle", middle,
			"-enc", c.enc}
	}
	wrongPFX := creds(other.pfx, c.g.root, c.g.middle)
	wrongPKI := creds(c.pfx, other.g.root, other.g.middle)
	wrongMiddle := creds(c.pfx, c.g.root, other.g.middle)
	const signHint = "UnionPay refused the request's signature (respCode 11): check that -pfx (acpsdk.signCert.path; " +
		"acpsdk.sm2.signCert.path for signMethod 21, acpsdk.secureKey for 11 and 12) is the signing certificate or key " +
		"UnionPay holds for merchant "
	const chainHint = "check that -root and -middle (acpsdk.rootCert.path, acpsdk.middleCert.path) are UnionPay's " +
		"of this environment"
	query := []string{"query", "-order", orderID, "-txn-time", txnTime}
	download := []string{"download", "-settle-date", day}
	tests := []struct {
		name string
		args []string
		code int
		err  []string // parts of the one line on stderr
	}{
		{"query, a signing certificate UnionPay does not hold", append(query, wrongPFX...), exitRefused,
			[]string{"unionpay query: " + signHint + c.g.srv.MerchantID(), "the transaction's state is not known",
				"11 验证签名失败", "credentials or configuration refused"}},
		{"query -json, a signing certificate UnionPay does not hold", append(append(query, "-json"), wrongPFX...), exitRefused,
			[]string{signHint}},
		{"download, a signing certificate UnionPay does not hold", append(download, wrongPFX...), exitRefused,
			[]string{"unionpay download: " + signHint + c.g.srv.MerchantID(), "nothing was written",
				"credentials or configuration refused"}},
		{"query, root and middle of another PKI", append(query, wrongPKI...), exitQueryAgain,
			[]string{"response failed verification", chainHint, "the answer may not be UnionPay's", "query again later"}},
		{"query -json, root and middle of another PKI", append(append(query, "-json"), wrongPKI...), exitQueryAgain,
			[]string{chainHint}},
		{"download, root and middle of another PKI", append(download, wrongPKI...), exitQueryAgain,
			[]string{"response failed verification", chainHint, "try again later"}},
		{"query, a middle not the root's", append(query, wrongMiddle...), exitRefused,
			[]string{"-middle: certificate", "unknown authority", "credentials or configuration refused"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Chdir(t.TempDir())
			args := tt.args
			if args[0] == "download" {
				args = append(args, "-o", filepath.Join(t.TempDir(), "day.zip"))
			}
			r := c.run(t, c.transport(), args...)
			require.Equal(t, tt.code, r.code, "stdout %q stderr %q", r.stdout, r.stderr)
			assert.Equal(t, 1, strings.Count(r.stderr, "\n"), "one line on stderr: %q", r.stderr)
			for _, want := range tt.err {
				assert.Contains(t, r.stderr, want)
			}
			if strings.Contains(tt.name, "-json") {
				var v map[string]any
				require.NoError(t, json.Unmarshal([]byte(r.stdout), &v), "one JSON object: %q", r.stdout)
				assert.Equal(t, "unknown", v["state"])
				assert.Contains(t, v["error"], tt.err[0], "the object's error is the stderr line's text")
			}
			requireNoSecret(t, r)
		})
	}
}
