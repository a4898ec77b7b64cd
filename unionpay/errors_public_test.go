package unionpay_test

// API review (helper "review-api"): every documented sentinel and error type, reached through the
// public API as a merchant reaches it, checked with errors.Is / errors.As.

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/goacp/unionpay/cert"
	"github.com/goacp/unionpay/sign"
	"github.com/goacp/unionpay/unionpay"
	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

func arServer(t *testing.T, opts ...unionpaytest.Option) (*unionpaytest.Server, *unionpay.Client) {
	t.Helper()
	now := func() time.Time { return time.Date(2024, 1, 5, 10, 30, 0, 0, time.FixedZone("CST", 8*3600)) }
	srv := unionpaytest.NewServer(append([]unionpaytest.Option{withSharedKeys(t), unionpaytest.WithClock(now)}, opts...)...)
	t.Cleanup(srv.Close)
	cfg := srv.Config()
	cfg.Sleep = func(ctx context.Context, d time.Duration) error { return ctx.Err() }
	c, err := unionpay.NewClient(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return srv, c
}

const arBack = "https://shop.example/notify"

// arPaid makes a paid consume and returns its queryId.
func arPaid(t *testing.T, srv *unionpaytest.Server, c *unionpay.Client, id string) string {
	t.Helper()
	f, err := c.FrontConsume(&unionpay.ConsumeRequest{OrderID: id, Amount: 1000, FrontURL: arBack, BackURL: arBack})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := srv.Pay(context.Background(), f.Fields, ""); err != nil {
		t.Fatal(err)
	}
	tx, _ := srv.Transaction(id)
	return tx.QueryID
}

func TestPublicErrorsMatchAsDocumented(t *testing.T) {
	srv, c := arServer(t)
	ctx := context.Background()
	qid := arPaid(t, srv, c, "PAID0000000001")

	refund := func(id string) error {
		_, err := c.Refund(ctx, &unionpay.FollowUpRequest{OrderID: id, OrigQueryID: qid, Amount: 1, BackURL: arBack})
		return err
	}

	t.Run("pending respCode", func(t *testing.T) {
		srv.Script("REFUND00000001", unionpaytest.Pending)
		err := refund("REFUND00000001")
		var pe *unionpay.PendingError
		if !errors.Is(err, unionpay.ErrPending) || !errors.As(err, &pe) || pe.OrderID != "REFUND00000001" || pe.TxnTime.IsZero() || pe.RespCode != "05" {
			t.Fatalf("%v %+v", err, pe)
		}
		if _, ok := errors.AsType[*unionpay.Error](err); ok {
			t.Fatal("pending also matches *Error")
		}
	})
	t.Run("rejection", func(t *testing.T) {
		_, err := c.Refund(ctx, &unionpay.FollowUpRequest{OrderID: "REFUND00000002", OrigQueryID: "999999999999999999999", Amount: 1, BackURL: arBack})
		var rej *unionpay.Error
		if !errors.As(err, &rej) || errors.Is(err, unionpay.ErrPending) || rej.OrderID != "REFUND00000002" {
			t.Fatalf("%v", err)
		}
	})
	t.Run("duplicate is pending", func(t *testing.T) {
		if err := refund("REFUND00000003"); err != nil {
			t.Fatal(err)
		}
		err := refund("REFUND00000003")
		if !errors.Is(err, unionpay.ErrPending) {
			t.Fatalf("%v", err)
		}
	})
	t.Run("wrong key", func(t *testing.T) {
		srv.FailOrder("REFUND00000004", unionpaytest.FaultWrongKey)
		err := refund("REFUND00000004")
		var ve *unionpay.VerifyError
		var pe *unionpay.PendingError
		if !errors.Is(err, unionpay.ErrPending) || !errors.Is(err, unionpay.ErrUnverified) || !errors.As(err, &ve) || !errors.As(err, &pe) || !errors.Is(err, sign.ErrSignature) {
			t.Fatalf("%v", err)
		}
	})
	t.Run("expired cert", func(t *testing.T) {
		srv.FailOrder("REFUND00000005", unionpaytest.FaultExpiredCert)
		err := refund("REFUND00000005")
		var ie *cert.InvalidError
		if !errors.Is(err, unionpay.ErrPending) || !errors.As(err, &ie) || ie.Reason != cert.Expired {
			t.Fatalf("%v", err)
		}
	})
	t.Run("wrong name", func(t *testing.T) {
		srv.FailOrder("REFUND00000006", unionpaytest.FaultWrongName)
		err := refund("REFUND00000006")
		var ie *cert.InvalidError
		if !errors.Is(err, unionpay.ErrPending) || !errors.As(err, &ie) || ie.Reason != cert.WrongOwner {
			t.Fatalf("%v", err)
		}
	})
	t.Run("5xx money", func(t *testing.T) {
		srv.FailOrder("REFUND00000007", unionpaytest.Fault5xx)
		err := refund("REFUND00000007")
		var se *unionpay.StatusError
		if !errors.Is(err, unionpay.ErrPending) || !errors.As(err, &se) || se.StatusCode != http.StatusServiceUnavailable {
			t.Fatalf("%v", err)
		}
	})
	t.Run("drop money", func(t *testing.T) {
		srv.FailOrder("REFUND00000008", unionpaytest.FaultDrop)
		if err := refund("REFUND00000008"); !errors.Is(err, unionpay.ErrPending) {
			t.Fatalf("%v", err)
		}
	})
	t.Run("truncate money", func(t *testing.T) {
		srv.FailOrder("REFUND00000009", unionpaytest.FaultTruncate)
		if err := refund("REFUND00000009"); !errors.Is(err, unionpay.ErrPending) {
			t.Fatalf("%v", err)
		}
	})
	t.Run("5xx query", func(t *testing.T) {
		srv.FailOrder("PAID0000000001", unionpaytest.Fault5xx)
		_, err := c.Query(ctx, &unionpay.QueryRequest{OrderID: "PAID0000000001", TxnTime: srv.Now()})
		var se *unionpay.StatusError
		if errors.Is(err, unionpay.ErrPending) || !errors.As(err, &se) || se.StatusCode != http.StatusServiceUnavailable {
			t.Fatalf("%v", err)
		}
	})
	t.Run("query unverified", func(t *testing.T) {
		srv.FailOrder("PAID0000000001", unionpaytest.FaultWrongKey)
		_, err := c.Query(ctx, &unionpay.QueryRequest{OrderID: "PAID0000000001", TxnTime: srv.Now()})
		var ve *unionpay.VerifyError
		if !errors.Is(err, unionpay.ErrUnverified) || !errors.As(err, &ve) || errors.Is(err, unionpay.ErrPending) {
			t.Fatalf("%v", err)
		}
	})
	t.Run("txnTime not current", func(t *testing.T) {
		_, err := c.Refund(ctx, &unionpay.FollowUpRequest{OrderID: "REFUND00000010", OrigQueryID: qid, Amount: 1, BackURL: arBack, TxnTime: srv.Now().Add(-time.Hour)})
		var re *unionpay.RequestError
		if !errors.Is(err, unionpay.ErrTxnTimeNotCurrent) || !errors.As(err, &re) || errors.Is(err, unionpay.ErrPending) {
			t.Fatalf("%v", err)
		}
	})
	t.Run("nil ctx", func(t *testing.T) {
		//lint:ignore SA1012 on purpose
		_, err := c.Refund(nil, &unionpay.FollowUpRequest{OrderID: "REFUND00000011", OrigQueryID: qid, Amount: 1, BackURL: arBack}) //nolint:staticcheck
		var re *unionpay.RequestError
		if !errors.As(err, &re) || re.Field != "ctx" {
			t.Fatalf("%v", err)
		}
	})
	t.Run("no file", func(t *testing.T) {
		_, err := c.DownloadFile(ctx, &unionpay.FileRequest{SettleDate: srv.Now().AddDate(0, 0, -3)})
		var rej *unionpay.Error
		if !errors.Is(err, unionpay.ErrNoFile) || !errors.As(err, &rej) || rej.RespCode != "98" {
			t.Fatalf("%v", err)
		}
	})
	t.Run("file too large", func(t *testing.T) {
		cfg := srv.Config()
		cfg.MaxFileBytes = 10
		c2, err := unionpay.NewClient(cfg)
		if err != nil {
			t.Fatal(err)
		}
		_, err = c2.DownloadFile(ctx, &unionpay.FileRequest{SettleDate: srv.Now()})
		if !errors.Is(err, unionpay.ErrFileTooLarge) {
			t.Fatalf("%v", err)
		}
		// Said once: it read "unionpay: file download: unionpay: decoded file exceeds ...".
		if n := strings.Count(err.Error(), "unionpay: "); n != 1 {
			t.Errorf("%q says unionpay: %d times", err, n)
		}
	})
	t.Run("no accNo", func(t *testing.T) {
		_, err := c.DecryptAccNo(nil)
		if !errors.Is(err, unionpay.ErrNoAccNo) {
			t.Fatalf("%v", err)
		}
		_, err = c.DecryptAccNo(&unionpay.Transaction{})
		if !errors.Is(err, unionpay.ErrNoAccNo) {
			t.Fatalf("%v", err)
		}
	})
	t.Run("config", func(t *testing.T) {
		cfg := srv.Config()
		cfg.Signer = nil
		_, err := unionpay.NewClient(cfg)
		var ce *unionpay.ConfigError
		if !errors.As(err, &ce) || ce.Field != "Config.Signer" {
			t.Fatalf("%v", err)
		}
		cfg = srv.Config()
		cfg.Verifier = &cert.Verifier{}
		_, err = unionpay.NewClient(cfg)
		if !errors.As(err, &ce) || !errors.Is(err, cert.ErrMethod) {
			t.Fatalf("%v", err)
		}
	})
	t.Run("zero client", func(t *testing.T) {
		var zc unionpay.Client
		_, err := zc.Refund(ctx, &unionpay.FollowUpRequest{OrderID: "REFUND00000012", OrigQueryID: qid, Amount: 1, BackURL: arBack})
		var ce *unionpay.ConfigError
		if !errors.As(err, &ce) || ce.Field != "Client" {
			t.Fatalf("%v", err)
		}
	})
	t.Run("until final ctx", func(t *testing.T) {
		cctx, cancel := context.WithCancel(ctx)
		cancel()
		_, err := c.QueryUntilFinal(cctx, &unionpay.QueryRequest{OrderID: "REFUND00000001", TxnTime: srv.Now()}, unionpay.BackBackoff())
		var pe *unionpay.PendingError
		if !errors.Is(err, unionpay.ErrPending) || !errors.Is(err, context.Canceled) || !errors.As(err, &pe) {
			t.Fatalf("%v", err)
		}
	})
	t.Run("until final rejected query", func(t *testing.T) {
		srv.ScriptQuery("REFUND00000003", "31")
		_, err := c.QueryUntilFinal(ctx, &unionpay.QueryRequest{OrderID: "REFUND00000003", TxnTime: srv.Now()}, unionpay.BackBackoff())
		var pe *unionpay.PendingError
		var rej *unionpay.Error
		if !errors.Is(err, unionpay.ErrPending) || !errors.As(err, &pe) || pe.RespCode != "31" || errors.As(err, &rej) {
			t.Fatalf("%v %+v", err, pe)
		}
	})
	t.Run("payout 01", func(t *testing.T) {
		srv.Script("PAYOUT00000001", unionpaytest.Failed)
		_, err := c.Payout(ctx, &unionpay.CardRequest{OrderID: "PAYOUT00000001", Amount: 100, AccNo: unionpaytest.TestCard, BackURL: arBack, Customer: &unionpay.Customer{Name: "张三"}})
		var rej *unionpay.Error
		if !errors.Is(err, unionpay.ErrPending) || errors.As(err, &rej) {
			t.Fatalf("%v", err)
		}
	})
	t.Run("encryption cert no chain", func(t *testing.T) {
		cfg := srv.Config()
		vc := srv.VerifierConfig()
		vc.Root, vc.Middle = nil, nil
		v, err := cert.NewVerifier(vc)
		if err != nil {
			t.Fatal(err)
		}
		cfg.Verifier = v
		cfg.Version = sign.Version500
		c2, err := unionpay.NewClient(cfg)
		if err != nil {
			t.Fatal("5.0.0 config without a chain refused:", err) // 5.0.0 verifies by certId
		}
		_, err = c2.UpdateEncryptionCertificate(ctx)
		var ce *unionpay.ConfigError
		if !errors.As(err, &ce) || !errors.Is(err, cert.ErrNoChain) {
			t.Fatalf("%v", err)
		}
	})
}
