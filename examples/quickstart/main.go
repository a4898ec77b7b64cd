// Quickstart walks one business day of a shop that takes UnionPay payments, step by step, and
// checks every step:
//
//  1. the shop builds the signed front consume form (PC gateway);
//  2. the shopper's browser opens it, pays on UnionPay's cashier page and comes back to the shop;
//  3. UnionPay's back notification arrives at the shop's notify.Handler and verifies;
//  4. a status query confirms the payment;
//  5. the shop refunds part of it;
//  6. the shop downloads the day's settlement file;
//  7. and reconciles it against its own orders.
//
// By default everything runs in this process against the fake gateway of package unionpaytest:
// no network, no certificates to install. The browser is played over real HTTP.
//
//	go run ./examples/quickstart
//
// With -live it runs the steps that need no shopper against UnionPay's test environment
// (gateway.test.95516.com), with UnionPay's public root, middle and encryption certificates from
// -certs and your own test merchant's signing PFX (-merid, -pfx, its password in $UNIONPAY_PASSWORD
// or -password; the PFX is a file in -certs, or an absolute path). The public unipayAppCert.pfx, the default, expired on 2026-11-26
// and the gateway can be expected to refuse it; a signing certificate that is expired or not yet
// valid is warned about on standard error, and used anyway. It builds the consume form and saves it
// as an HTML page you can open to pay with a test card (in a new temporary directory, whose path
// it prints, or at -form), queries the order, and downloads and reads the test environment's
// sample settlement file. It needs internet access:
//
//	read -rs UNIONPAY_PASSWORD && export UNIONPAY_PASSWORD  # not -password: shell history, ps
//	go run ./examples/quickstart -live -merid YOUR_MERID -pfx YOUR.pfx
//
// The exit status is 0 only if every step checked out.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"

	"github.com/goacp/unionpay/examples/internal/livepfx"
)

func main() {
	live, lc := parseFlags(os.Args[1:])
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	var err error
	if live {
		err = runLive(ctx, os.Stdout, os.Stderr, lc)
	} else {
		err = runDay(ctx, os.Stdout)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "quickstart:", err)
		stop()
		os.Exit(1)
	}
}

// parseFlags reads the command line; a bad one exits with the usage.
func parseFlags(args []string) (live bool, lc liveConfig) {
	fs := flag.NewFlagSet("quickstart", flag.ExitOnError)
	fs.BoolVar(&live, "live", false, "run the unattended steps against UnionPay's test environment")
	fs.StringVar(&lc.certDir, "certs", "testdata/acp-test-certs", "directory of UnionPay's public test certificates (-live)")
	fs.StringVar(&lc.pfx, "pfx", "unipayAppCert.pfx", "merchant signing PFX: a file in -certs, or an absolute path (-live)")
	fs.StringVar(&lc.password, "password", "", "PFX password (-live; default $"+livepfx.PasswordEnv+", else 000000, UnionPay's test PFX's)")
	fs.StringVar(&lc.merID, "merid", "777290058110048", "test merchant number (-live)")
	fs.StringVar(&lc.form, "form", "", "where -live saves the consume form page (default: in a new temporary directory)")
	_ = fs.Parse(args) // ExitOnError: Parse exits rather than return an error
	lc.password = livepfx.Password(lc.password, os.Getenv)
	return live, lc
}
