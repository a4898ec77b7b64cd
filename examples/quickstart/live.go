package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/goacp/unionpay/cert"
	"github.com/goacp/unionpay/examples/internal/livepfx"
	"github.com/goacp/unionpay/reconcile"
	"github.com/goacp/unionpay/unionpay"
)

// liveConfig says where UnionPay's public test credentials are and who the merchant is.
type liveConfig struct {
	certDir  string // holds acp_test_root.cer, acp_test_middle.cer, acp_test_enc.cer and the PFX
	pfx      string // the merchant's signing PFX, in certDir
	password string // opens pfx; never printed
	merID    string
	form     string // where to save the consume form page; "": in a new temporary directory
}

// UnionPay's test environment serves a sample settlement file for this merchant and date only
// (official demo, Form_6_6_FileTransfer).
const (
	liveFileMerID = "700000000000001"
	liveFileMonth = time.January
	liveFileDay   = 19
)

// runLive runs the steps that need no shopper against UnionPay's test environment, reporting
// to w and warning on warn. It needs internet access to gateway.test.95516.com and
// filedownload.test.95516.com.
func runLive(ctx context.Context, w, warn io.Writer, lc liveConfig) error {
	p := &printer{w: w}
	p.say("Against UnionPay's test environment (入网测试环境), with UnionPay's certificates in %s", lc.certDir)
	p.say("and merchant %s signing with %s.", lc.merID, lc.pfx)
	cfg, err := liveClientConfig(lc, warn, time.Now())
	if err != nil {
		return err
	}
	client, err := unionpay.NewClient(cfg)
	if err != nil {
		return err
	}
	var form *unionpay.Form
	steps := []struct {
		title string
		run   func() error
	}{
		{"The shop builds the signed front consume form", func() error {
			var path string
			form, path, err = liveForm(client, lc.form)
			if err == nil {
				p.ok("order %s saved as %s: open it in a browser to pay on UnionPay's test cashier", form.OrderID, path)
				p.say("(test cards, SMS codes and passwords: open.unionpay.com's test card list. The return and")
				p.say("notification URLs point at 127.0.0.1, which UnionPay cannot reach: for those, serve")
				p.say("examples/webshop at a public address.)")
			}
			return err
		}},
		{"A status query asks UnionPay about the order", func() error {
			tx, err := client.Query(ctx, form.QueryRequest()) // with TxnType, Amount and Currency: the answer must be about this form
			if err == nil {
				p.ok("the answer verified: %s (respCode %s %s)", tx.State, tx.RespCode, tx.RespMsg)
			}
			return err
		}},
		{"The shop downloads the test environment's sample settlement file", func() error {
			return liveFile(ctx, p, cfg)
		}},
	}
	for _, s := range steps {
		p.step(s.title)
		if err := s.run(); err != nil {
			p.say("FAILED: %v", err)
			return fmt.Errorf("step %d (%s): %w", p.n, s.title, err)
		}
	}
	fmt.Fprintln(w, "\nEvery step checked out.")
	return nil
}

// liveClientConfig loads the test credentials: the merchant's signing PFX (warning on warn if its
// certificate is not valid at now), UnionPay's root and middle certificates (trust for the 5.1.0
// signing certificate) and its encryption certificate.
func liveClientConfig(lc liveConfig, warn io.Writer, now time.Time) (unionpay.Config, error) {
	pfx, err := livepfx.Load(warn, lc.certDir, lc.pfx, lc.password, now)
	if err != nil {
		return unionpay.Config{}, err
	}
	signer, err := pfx.Signer()
	if err != nil {
		return unionpay.Config{}, err
	}
	decrypter, err := pfx.Decrypter()
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
	verifier, err := cert.NewVerifier(cert.VerifierConfig{Root: root, Middle: middle, AcceptTestOwner: true})
	if err != nil {
		return unionpay.Config{}, err
	}
	encCert, err := cert.LoadCertificateFile(filepath.Join(lc.certDir, "acp_test_enc.cer"))
	if err != nil {
		return unionpay.Config{}, err
	}
	encrypter, err := cert.NewEncrypter(encCert)
	if err != nil {
		return unionpay.Config{}, err
	}
	return unionpay.Config{MerchantID: lc.merID, Signer: signer, Verifier: verifier, Encrypter: encrypter,
		Decrypter: decrypter, Endpoints: unionpay.TestEndpoints()}, nil
}

// liveForm builds the consume form and saves its page at path, or, if path is "", in a new
// temporary directory (not the current one, which may be a checkout of this repository); it
// returns the form and where it saved it.
func liveForm(client *unionpay.Client, path string) (*unionpay.Form, string, error) {
	now := time.Now()
	form, err := client.FrontConsume(&unionpay.ConsumeRequest{
		OrderID:    "QS" + now.In(reconcile.Beijing()).Format("20060102150405") + "01",
		Amount:     1,
		FrontURL:   "http://127.0.0.1:8080/unionpay/return",
		BackURL:    "http://127.0.0.1:8080/unionpay/notify",
		PayTimeout: now.Add(15 * time.Minute),
	})
	if err != nil {
		return nil, "", err
	}
	if path == "" {
		dir, err := os.MkdirTemp("", "quickstart-live-")
		if err != nil {
			return nil, "", err
		}
		path = filepath.Join(dir, "form.html")
	}
	return form, path, os.WriteFile(path, form.HTML(), 0o600)
}

// liveFileDate is the last 19 January, Beijing time, up to now: a settle date must be within the
// last year and not in the future.
func liveFileDate(now time.Time) time.Time {
	now = now.In(reconcile.Beijing())
	d := time.Date(now.Year(), liveFileMonth, liveFileDay, 0, 0, 0, 0, reconcile.Beijing())
	if d.After(now) {
		d = d.AddDate(-1, 0, 0)
	}
	return d
}

// liveFile downloads the sample settlement file the test environment keeps for merchant
// 700000000000001 on settle date 0119, and reads its records.
func liveFile(ctx context.Context, p *printer, cfg unionpay.Config) error {
	cfg.MerchantID = liveFileMerID
	client, err := unionpay.NewClient(cfg)
	if err != nil {
		return err
	}
	f, err := client.DownloadFile(ctx, &unionpay.FileRequest{SettleDate: liveFileDate(time.Now())})
	if err != nil {
		return err
	}
	p.ok("%s, %d bytes; the answer verified", f.Name, len(f.Content))
	arc, err := reconcile.Open(f.Content)
	if err != nil {
		return err
	}
	zm := arc.First(reconcile.KindZM)
	if zm == nil {
		return errors.New("the zip has no ZM member")
	}
	var t reconcile.Tally
	for rec, err := range arc.Records(zm.SettleDate, cfg.MerchantID) { // the merchant's records of every ZM member
		if err != nil {
			return err
		}
		t.Add(&rec)
	}
	p.ok("%d records, net %s yuan", t.Total.Count, yuan(t.Total.NetCredit-t.Total.NetDebit))
	return nil
}
