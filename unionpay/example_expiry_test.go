package unionpay_test

import (
	"context"
	"fmt"
	"time"

	"github.com/goacp/unionpay/unionpay"
	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

// A health check asks the client which certificates expire within its margin, at the client's
// clock. Against the fake gateway, on a fixed date: the merchant's signing certificate (which the signer holds, as
// cert.PFX.Signer's does), UnionPay's encryption certificate as the daily txnType 95 update
// left it, the root and middle, the 5.0.0 signing certificates configured by certId (one of them
// long expired, and forgotten in the configuration), and UnionPay's signing certificate as the
// last answer carried it.
func ExampleClient_ExpiringWithin() {
	now := time.Date(2026, 3, 2, 10, 0, 0, 0, time.FixedZone("CST", 8*3600))
	srv := unionpaytest.NewServer(unionpaytest.WithClock(func() time.Time { return now }))
	defer srv.Close()
	client, err := unionpay.NewClient(srv.Config())
	if err != nil {
		fmt.Println(err)
		return
	}
	if err := srv.RotateEncryptionCert(); err != nil {
		fmt.Println(err)
		return
	}
	if _, err := client.UpdateEncryptionCertificate(context.Background()); err != nil {
		fmt.Println(err)
		return
	}
	for _, e := range client.Expiries() {
		fmt.Println(e.Role, "|", e.CertID, e.Algorithm, "| expires", e.NotAfter.UTC().Format(time.DateOnly))
	}

	soon, err := client.ExpiringWithin(30 * 24 * time.Hour)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, e := range soon {
		fmt.Println("warning:", e.Role, e.CertID, "expired", e.NotAfter.UTC().Format(time.DateOnly))
	}
	// Output:
	// signing (merchant) | 70000000003 RSA | expires 2031-03-02
	// encryption (UnionPay) | 70000000101 RSA | expires 2031-03-02
	// root | 1001 RSA | expires 2036-03-02
	// middle | 1002 RSA | expires 2036-03-02
	// UnionPay signing (5.0.0) | 70000000001 RSA | expires 2031-03-02
	// UnionPay signing (5.0.0) | 70000000004 RSA | expires 2025-03-02
	// UnionPay signing (newest seen) | 70000000001 RSA | expires 2031-03-02
	// warning: UnionPay signing (5.0.0) 70000000004 expired 2025-03-02
}
