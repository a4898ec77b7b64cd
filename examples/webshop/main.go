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
// With -live the shop talks to UnionPay's test environment, with UnionPay's public root and middle
// certificates from -certs and your own test merchant's signing PFX (-merid, -pfx, its password in
// $UNIONPAY_PASSWORD or -password; the PFX is a file in -certs, or an absolute path). The public unipayAppCert.pfx, the default, expired
// on 2026-11-26 and the gateway can be expected to refuse it; a signing certificate that is expired
// or not yet valid is warned about on standard error, and used anyway. UnionPay must reach the
// shop's backUrl: give its public URL with -public (for example a tunnel to -addr).
//
//	read -rs UNIONPAY_PASSWORD && export UNIONPAY_PASSWORD  # not -password: shell history, ps
//	go run ./examples/webshop -live -public https://shop.example.net \
//		-merid YOUR_MERID -pfx YOUR.pfx
//
// The shop keeps its orders in memory, for one process: see Shop for what a production shop
// does instead.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/goacp/unionpay/cert"
	"github.com/goacp/unionpay/examples/internal/livepfx"
	"github.com/goacp/unionpay/unionpay"
	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

// options are the command line.
type options struct {
	addr, public string
	live         bool
	lc           liveConfig
}

// liveConfig says where the test credentials are and who the merchant is (-live).
type liveConfig struct {
	certDir  string // holds acp_test_root.cer, acp_test_middle.cer and the PFX
	pfx      string // the merchant's signing PFX, in certDir
	password string // opens pfx; never printed
	merID    string
}

func main() {
	o := parseFlags(os.Args[1:])
	log := slog.New(slog.NewTextHandler(os.Stderr, nil))
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := serve(ctx, log, o); err != nil {
		log.Error("webshop", "err", err)
		stop()
		os.Exit(1)
	}
}

// parseFlags reads the command line; a bad one exits with the usage.
func parseFlags(args []string) (o options) {
	fs := flag.NewFlagSet("webshop", flag.ExitOnError)
	fs.StringVar(&o.addr, "addr", "127.0.0.1:8080", "address the shop listens on")
	fs.StringVar(&o.public, "public", "", "public URL of the shop, for UnionPay's notifications (default http://ADDR)")
	fs.BoolVar(&o.live, "live", false, "use UnionPay's test environment instead of the fake gateway")
	fs.StringVar(&o.lc.certDir, "certs", "testdata/acp-test-certs", "UnionPay's public test certificates (-live)")
	fs.StringVar(&o.lc.pfx, "pfx", "unipayAppCert.pfx", "merchant signing PFX: a file in -certs, or an absolute path (-live)")
	fs.StringVar(&o.lc.password, "password", "", "PFX password (-live; default $"+livepfx.PasswordEnv+", else 000000, UnionPay's test PFX's)")
	fs.StringVar(&o.lc.merID, "merid", "777290058110048", "test merchant number (-live)")
	_ = fs.Parse(args) // ExitOnError: Parse exits rather than return an error
	o.lc.password = livepfx.Password(o.lc.password, os.Getenv)
	return o
}

func serve(ctx context.Context, log *slog.Logger, o options) error {
	ln, err := net.Listen("tcp", o.addr)
	if err != nil {
		return err
	}
	public := o.public
	if public == "" {
		public = "http://" + ln.Addr().String()
	}
	var cfg unionpay.Config
	if o.live {
		if cfg, err = liveClientConfig(o.lc, os.Stderr, time.Now()); err != nil {
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
	// WriteTimeout is above the client's 30 s answer timeout: the query button's handler asks
	// UnionPay before it answers.
	hs := &http.Server{Handler: shop.Handler(), ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 15 * time.Second,
		WriteTimeout: 45 * time.Second, IdleTimeout: 2 * time.Minute}
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

// liveClientConfig configures the client for UnionPay's test environment: the merchant's
// signing PFX (warning on warn if its certificate is not valid at now), UnionPay's root and
// middle certificates, and the test owner name accepted.
func liveClientConfig(lc liveConfig, warn io.Writer, now time.Time) (unionpay.Config, error) {
	pfx, err := livepfx.Load(warn, lc.certDir, lc.pfx, lc.password, now)
	if err != nil {
		return unionpay.Config{}, err
	}
	signer, err := pfx.Signer()
	if err != nil {
		return unionpay.Config{}, err
	}
	root, err := cert.LoadCertificateFile(filepath.Join(lc.certDir, "acp_test_root.cer"))
	if err != nil {
		return unionpay.Config{}, err
	}
	middle, err := cert.LoadCertificateFile(filepath.Join(lc.certDir, "acp_test_middle.cer"))
	if err != nil {
		return unionpay.Config{}, err
	}
	v, err := cert.NewVerifier(cert.VerifierConfig{Root: root, Middle: middle, AcceptTestOwner: true})
	if err != nil {
		return unionpay.Config{}, err
	}
	return unionpay.Config{MerchantID: lc.merID, Signer: signer, Verifier: v, Endpoints: unionpay.TestEndpoints()}, nil
}
