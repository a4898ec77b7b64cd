package soak

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"fmt"
	"testing"
	"time"

	"github.com/goacp/unionpay/unionpay"
	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

// BenchmarkFrontFormVsRSA puts the front form (build a 5.1.0 PC consume, sign it with RSA-2048,
// render the auto-submitting page) next to its raw limit, one rsa.SignPKCS1v15 with the same
// key over a SHA-256 digest, in the same run: the ratio raw ns / sdk ns is the share of the
// form's time that the RSA operation it cannot avoid takes.
func BenchmarkFrontFormVsRSA(b *testing.B) {
	now := time.Date(2026, 11, 25, 10, 0, 0, 0, beijing)
	srv := unionpaytest.NewServer(unionpaytest.WithClock(func() time.Time { return now }))
	defer srv.Close()
	c, err := unionpay.NewClient(srv.Config())
	if err != nil {
		b.Fatal(err)
	}
	b.Run("sdk-form", func(b *testing.B) {
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			i++
			f, err := c.FrontConsume(&unionpay.ConsumeRequest{OrderID: fmt.Sprintf("BENCH%08d", i), Amount: 1000,
				FrontURL: "https://shop.example.com/unionpay/return", BackURL: "https://shop.example.com/unionpay/notify",
				OrderDesc: "测试商品", PayTimeout: now.Add(15 * time.Minute)})
			if err != nil {
				b.Fatal(err)
			}
			if len(f.HTML()) == 0 {
				b.Fatal("empty page")
			}
		}
	})
	b.Run("raw-rsa-sign", func(b *testing.B) {
		key := srv.MerchantKey()
		d := sha256.Sum256([]byte("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"))
		b.ReportAllocs()
		for b.Loop() {
			if _, err := rsa.SignPKCS1v15(rand.Reader, key, crypto.SHA256, d[:]); err != nil {
				b.Fatal(err)
			}
		}
	})
}
