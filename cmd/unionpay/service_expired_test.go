package main

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/goacp/unionpay/reconcile"
	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

// TestServiceWarnsExpiredSigningCertificate: query and download with a signing certificate not
// valid now warn on stderr, as sign does, before UnionPay refuses the request. They said only
// what UnionPay answered (respCode 11, the signature refused), which query then reported as
// "query again later" (status 5; now status 6, see TestServiceWrongCertificates): a cron job
// retried, and its log never named the expired certificate.
// A valid one gets no warning.
func TestServiceWarnsExpiredSigningCertificate(t *testing.T) {
	const warning = "warning: the signing certificate (certId 69629715588) is EXPIRED since 2021-11-26T03:54:31Z: " +
		"UnionPay will refuse the request: renew it (unionpay preflight checks the configuration)"
	// The gateway refuses the expired certificate's requests (respCode 11): expected, not a
	// mistake of the test's to report.
	c := newServiceCreds(t, unionpaytest.WithReporter(refusalsExpected{t}))
	orderID, txnTime := frontPay(t, c.g, 1500, unionpaytest.TestCard)
	day := c.g.srv.Now().In(reconcile.Beijing()).Format("20060102")
	expired := []string{"-merid", c.g.srv.MerchantID(), "-env", "test", "-pfx", testPFX, "-password", "000000",
		"-root", c.g.root, "-middle", c.g.middle}
	for _, tt := range []struct {
		name string
		args []string
	}{
		{"query", []string{"query", "-order", orderID, "-txn-time", txnTime}},
		{"download", []string{"download", "-settle-date", day, "-o", t.TempDir() + "/day.zip"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := c.run(t, c.transport(), append(tt.args, expired...)...)
			assert.NotEqual(t, exitOK, r.code)
			assert.Contains(t, r.stderr, "unionpay "+tt.name+": "+warning+"\n")
			r = c.run(t, c.transport(), append(tt.args, c.pfxFlags...)...)
			assert.NotContains(t, r.stderr, "warning")
		})
	}
}

// refusalsExpected is a unionpaytest.Reporter that logs the requests the gateway refuses.
type refusalsExpected struct{ t *testing.T }

// Errorf logs the refusal.
func (r refusalsExpected) Errorf(format string, args ...any) { r.t.Logf(format, args...) }
