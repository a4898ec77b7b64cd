// Webshop is a small merchant site that takes UnionPay payments: a product page with PC and
// mobile (WAP) pay buttons, the checkout that hands the shopper's browser to UnionPay, the
// notification handler (backUrl), the return page (frontUrl) and a query fallback for orders
// whose notification does not come.
//
// By default UnionPay is the fake gateway of package unionpaytest, run in the same process
// over plain HTTP so that a real browser can open its cashier page:
//
//	go run ./examples/webshop
//	# open http://127.0.0.1:8080 and pay with the card the cashier offers
//
// With -live the shop talks to UnionPay's test environment with the public test certificates
// in testdata/acp-test-certs. UnionPay must then reach the shop's backUrl: give its public URL
// with -public (for example a tunnel to -addr).
//
//	go run ./examples/webshop -live -public https://shop.example.net
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/goacp/unionpay/cert"
	"github.com/goacp/unionpay/unionpay"
	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:8080", "address the shop listens on")
	public := flag.String("public", "", "public URL of the shop, for UnionPay's notifications (default http://ADDR)")
	live := flag.Bool("live", false, "use UnionPay's test environment instead of the fake gateway")
	certs := flag.String("certs", "testdata/acp-test-certs", "UnionPay's public test certificates (-live)")
	merID := flag.String("merid", "777290058110048", "test merchant number (-live)")
	flag.Parse()
	log := slog.New(slog.NewTextHandler(os.Stderr, nil))
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := serve(ctx, log, *addr, *public, *live, *certs, *merID); err != nil {
		log.Error("webshop", "err", err)
		stop()
		os.Exit(1)
	}
}

func serve(ctx context.Context, log *slog.Logger, addr, public string, live bool, certs, merID string) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	if public == "" {
		public = "http://" + ln.Addr().String()
	}
	var cfg unionpay.Config
	if live {
		if cfg, err = liveConfig(certs, merID); err != nil {
			return err
		}
		fmt.Printf("Tea shop at %s, on UnionPay's test environment (notifications to %s).\n", ln.Addr(), public)
	} else {
		srv := unionpaytest.NewServer(unionpaytest.WithPlainHTTP())
		defer srv.Close()
		cfg = srv.Config()
		fmt.Printf("Tea shop at %s; UnionPay is the fake gateway at %s (test card %s).\n", public, srv.URL,
			unionpaytest.TestCard)
	}
	client, err := unionpay.NewClient(cfg)
	if err != nil {
		return err
	}
	shop := NewShop(client, cfg.Verifier, public, nil, log)
	go shop.watchPending(ctx, time.Minute)
	hs := &http.Server{Handler: shop.Handler(), ReadHeaderTimeout: 10 * time.Second}
	go func() {
		<-ctx.Done()
		shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = hs.Shutdown(shutdown)
	}()
	if err := hs.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// liveConfig configures the client for UnionPay's test environment with its public test
// certificates: the merchant's signing PFX (password 000000), UnionPay's root and middle
// certificates, and the test owner name accepted.
func liveConfig(dir, merID string) (unionpay.Config, error) {
	pfx, err := cert.LoadPFXFile(filepath.Join(dir, "unipayAppCert.pfx"), "000000")
	if err != nil {
		return unionpay.Config{}, err
	}
	signer, err := pfx.Signer()
	if err != nil {
		return unionpay.Config{}, err
	}
	root, err := cert.LoadCertificateFile(filepath.Join(dir, "acp_test_root.cer"))
	if err != nil {
		return unionpay.Config{}, err
	}
	middle, err := cert.LoadCertificateFile(filepath.Join(dir, "acp_test_middle.cer"))
	if err != nil {
		return unionpay.Config{}, err
	}
	v, err := cert.NewVerifier(cert.VerifierConfig{Root: root, Middle: middle, AcceptTestOwner: true})
	if err != nil {
		return unionpay.Config{}, err
	}
	return unionpay.Config{MerchantID: merID, Signer: signer, Verifier: v, Endpoints: unionpay.TestEndpoints()}, nil
}
