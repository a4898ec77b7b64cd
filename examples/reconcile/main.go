// Reconcile downloads one day's settlement file (对账文件) from UnionPay and reconciles it against
// the merchant's own orders, kept in a CSV file (see the orders file format in orders.go):
// every order must be in the file for the same amount and transaction type, and every record of
// the file must be an order. The report (package reconcile's CSV or JSON) goes to standard
// output, a summary to standard error; the exit status is 0 only if everything matched.
//
// With no flags it plays a day on the fake gateway of package unionpaytest, writes the shop's
// orders to a CSV file and reconciles that:
//
//	go run ./examples/reconcile
//
// Against a file already downloaded (the decoded fileContent, or "unionpay filecontent"):
//
//	go run ./examples/reconcile -zip 777290058110048_20261125.zip -orders orders.csv
//
// Against UnionPay's test environment (needs internet access), with UnionPay's public root and
// middle certificates from -certs and your own test merchant's signing PFX (-merid, -pfx, its
// password in $UNIONPAY_PASSWORD or -password; the PFX is a file in -certs, or an absolute path). The public unipayAppCert.pfx, the
// default, expired on 2026-11-26 and the gateway can be expected to refuse it; a signing
// certificate that is expired or not yet valid is warned about on standard error, and used anyway.
// -date YYYYMMDD is a settle date within the last year and not in the future (only its month and
// day are sent; UnionPay keeps a sample file there for merchant 700000000000001, the default
// -merid, on settle date 0119, so give the last 19 January for it):
//
//	read -rs UNIONPAY_PASSWORD && export UNIONPAY_PASSWORD  # not -password: shell history, ps
//	go run ./examples/reconcile -live -date YYYYMMDD -orders orders.csv \
//		-merid YOUR_MERID -pfx YOUR.pfx
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"time"

	"github.com/goacp/unionpay/cert"
	"github.com/goacp/unionpay/examples/internal/livepfx"
	"github.com/goacp/unionpay/reconcile"
	"github.com/goacp/unionpay/unionpay"
	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

// options are the command line.
type options struct {
	orders   string // orders CSV
	zip      string // settlement zip already downloaded
	date     string // settle date, YYYYMMDD
	live     bool
	certs    string // UnionPay's certificates and the PFX (-live)
	pfx      string // the merchant's signing PFX, in certs
	password string // opens pfx; never printed
	merID    string
	zipMerID string // with -zip, the merchant whose records are read ("" all): -merid when given
	format   string
	all      bool
}

func main() {
	o := parseFlags(os.Args[1:])
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	c, err := run(ctx, o, os.Stdout, os.Stderr)
	if err != nil {
		fmt.Fprintln(os.Stderr, "reconcile:", err)
		stop()
		os.Exit(2)
	}
	if !c.OK() {
		stop()
		os.Exit(1)
	}
}

// parseFlags reads the command line; a bad one exits with the usage.
func parseFlags(args []string) (o options) {
	fs := flag.NewFlagSet("reconcile", flag.ExitOnError)
	fs.StringVar(&o.orders, "orders", "", "the merchant's orders for the day (CSV); demo: a new file to write them to")
	fs.StringVar(&o.zip, "zip", "", "reconcile this settlement zip instead of downloading one")
	fs.StringVar(&o.date, "date", "", "settle date YYYYMMDD (with -live or -zip; refused without them)")
	fs.BoolVar(&o.live, "live", false, "download from UnionPay's test environment")
	fs.StringVar(&o.certs, "certs", "testdata/acp-test-certs", "UnionPay's public test certificates (-live)")
	fs.StringVar(&o.pfx, "pfx", "unipayAppCert.pfx", "merchant signing PFX: a file in -certs, or an absolute path (-live)")
	fs.StringVar(&o.password, "password", "", "PFX password (-live; default $"+livepfx.PasswordEnv+", else 000000, UnionPay's test PFX's)")
	fs.StringVar(&o.merID, "merid", "700000000000001", "merchant number (-live; with -zip, only its records are read)")
	fs.StringVar(&o.format, "format", "csv", "report format: csv or json")
	fs.BoolVar(&o.all, "all", true, "report matched transactions too, not only discrepancies")
	_ = fs.Parse(args) // ExitOnError: Parse exits rather than return an error
	o.password = livepfx.Password(o.password, os.Getenv)
	fs.Visit(func(f *flag.Flag) {
		if f.Name == "merid" { // a group's zip holds its stores' records: read the one given
			o.zipMerID = o.merID
		}
	})
	return o
}

// run reconciles the day described by o, writing the report to out and a summary to log.
func run(ctx context.Context, o options, out, log io.Writer) (*checked, error) {
	if o.format != "csv" && o.format != "json" {
		return nil, fmt.Errorf("-format must be csv or json")
	}
	var (
		zipBytes []byte
		settle   time.Time
		name     string
		err      error
	)
	if o.date != "" {
		if settle, err = time.ParseInLocation("20060102", o.date, reconcile.Beijing()); err != nil {
			return nil, fmt.Errorf("-date: want YYYYMMDD, got %q", o.date)
		}
	}
	switch {
	case o.zip != "":
		if o.orders == "" {
			return nil, errors.New("-zip needs -orders")
		}
		name = filepath.Base(o.zip)
		if zipBytes, err = os.ReadFile(o.zip); err != nil {
			return nil, err
		}
	case o.live:
		if o.orders == "" || settle.IsZero() {
			return nil, errors.New("-live needs -orders and -date")
		}
		cfg, err := liveClientConfig(o, log, time.Now())
		if err != nil {
			return nil, err
		}
		client, err := unionpay.NewClient(cfg)
		if err != nil {
			return nil, err
		}
		if name, zipBytes, err = download(ctx, client, settle); err != nil {
			return nil, err
		}
	default:
		if o.date != "" {
			// Most likely a forgotten -live: the demo plays its own day, and never reads -orders.
			return nil, errors.New("-date needs -live or -zip (without them, the demo plays a day of its own)")
		}
		// The gateway's clock starts at 10:00 Beijing time today, so the demo falls on one settle date.
		srv := unionpaytest.NewServer(unionpaytest.WithClock(unionpaytest.BusinessDayClock()))
		defer srv.Close()
		client, day, orders, err := demoDay(ctx, srv)
		if err != nil {
			return nil, err
		}
		settle = day
		if o.orders, err = writeDemoOrders(o.orders, day, orders); err != nil {
			return nil, err
		}
		fmt.Fprintf(log, "demo: played a day on the fake gateway; the shop's orders are in %s\n", o.orders)
		if name, zipBytes, err = download(ctx, client, settle); err != nil {
			return nil, err
		}
	}
	f, err := os.Open(o.orders)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	merID := o.zipMerID
	if o.live {
		merID = o.merID
	}
	report, err := reconcileZip(zipBytes, settle, merID, f, out, o.format, o.all)
	if err != nil {
		return nil, err
	}
	c := &checked{File: name, Report: report}
	summarize(log, c)
	return c, nil
}

func download(ctx context.Context, client *unionpay.Client, settle time.Time) (string, []byte, error) {
	f, err := downloadDay(ctx, client, settle)
	if err != nil || f == nil {
		return "", nil, err
	}
	return f.Name, f.Content, nil
}

// writeDemoOrders writes the demo's orders of settle date day to a new file, readable by its
// owner only, and returns its name: path, which must not exist (the demo never overwrites a file:
// with -live or -zip forgotten, -orders names the merchant's own orders), or a new temporary file
// when path is "" (a fixed name in a shared /tmp could be someone's symlink).
func writeDemoOrders(path string, day time.Time, orders []reconcile.Order) (string, error) {
	var f *os.File
	var err error
	if path == "" {
		f, err = os.CreateTemp("", "orders-"+day.Format("20060102")+"-*.csv")
	} else {
		f, err = os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	}
	if errors.Is(err, os.ErrExist) {
		return "", fmt.Errorf("demo (no -live or -zip): -orders %s exists; the demo writes its own orders there "+
			"and never over a file: %w", path, err)
	}
	if err != nil {
		return "", err
	}
	if err := writeOrders(f, orders); err != nil {
		f.Close()
		return "", err
	}
	return f.Name(), f.Close()
}

// summarize writes one line per class with a count, then the verdict.
func summarize(w io.Writer, c *checked) {
	if c.File == "" {
		fmt.Fprintln(w, "UnionPay has no settlement file for the day (respCode 98): nothing settled, or the file is not")
		fmt.Fprintln(w, "published yet; a 98 proves nothing about an order: download again later before acting on one")
	} else {
		fmt.Fprintf(w, "settlement file %s\n", c.File)
	}
	for _, cl := range reconcile.Classes() {
		if t := c.Report.Totals[cl]; t.Count > 0 {
			fmt.Fprintf(w, "  %-20s %3d  UnionPay %10s  orders %10s  fees %8s  net %10s\n", cl, t.Count,
				yuan(t.Amount), yuan(t.OrderAmount), yuan(t.Fees), yuan(t.Net))
		}
	}
	for _, err := range c.Report.Errors {
		fmt.Fprintf(w, "  error: %v\n", err)
	}
	if c.OK() {
		fmt.Fprintln(w, "reconciled: every order matched a record of the file")
	} else {
		fmt.Fprintf(w, "NOT reconciled: %d discrepancies, %d errors\n", c.Report.Discrepancies(), c.Report.ErrorCount)
	}
}

func yuan(fen int64) string {
	sign := ""
	if fen < 0 {
		sign, fen = "-", -fen
	}
	return fmt.Sprintf("%s%d.%02d", sign, fen/100, fen%100)
}

// liveClientConfig configures the client for UnionPay's test environment: the merchant's
// signing PFX (warning on warn if its certificate is not valid at now), UnionPay's root and
// middle certificates, and the test owner name accepted.
func liveClientConfig(o options, warn io.Writer, now time.Time) (unionpay.Config, error) {
	pfx, err := livepfx.Load(warn, o.certs, o.pfx, o.password, now)
	if err != nil {
		return unionpay.Config{}, err
	}
	signer, err := pfx.Signer()
	if err != nil {
		return unionpay.Config{}, err
	}
	root, err := cert.LoadCertificateFile(filepath.Join(o.certs, "acp_test_root.cer"))
	if err != nil {
		return unionpay.Config{}, err
	}
	middle, err := cert.LoadCertificateFile(filepath.Join(o.certs, "acp_test_middle.cer"))
	if err != nil {
		return unionpay.Config{}, err
	}
	v, err := cert.NewVerifier(cert.VerifierConfig{Root: root, Middle: middle, AcceptTestOwner: true})
	if err != nil {
		return unionpay.Config{}, err
	}
	return unionpay.Config{MerchantID: o.merID, Signer: signer, Verifier: v, Endpoints: unionpay.TestEndpoints()}, nil
}
