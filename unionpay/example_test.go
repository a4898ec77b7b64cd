package unionpay_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"time"

	"github.com/goacp/unionpay/cert"
	"github.com/goacp/unionpay/unionpay"
	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

// exampleNow is the fixed clock of the examples.
func exampleNow() time.Time {
	return time.Date(2024, 1, 5, 10, 30, 0, 0, time.FixedZone("CST", 8*3600))
}

// A front-end consume: build the signed form for the shopper's browser, let the (fake) cashier
// take the payment, then ask UnionPay what happened.
func ExampleClient_FrontConsume() {
	srv := unionpaytest.NewServer(unionpaytest.WithClock(exampleNow))
	defer srv.Close()
	c, err := unionpay.NewClient(srv.Config())
	if err != nil {
		fmt.Println(err)
		return
	}
	// Store the form (or its OrderID, TxnTime and PayTimeout) before serving it: the payment is
	// queried by them.
	now := exampleNow()
	form, err := c.FrontConsume(&unionpay.ConsumeRequest{
		OrderID:    "ORDER20240105001",
		Amount:     1999, // fen
		TxnTime:    now,
		PayTimeout: now.Add(15 * time.Minute), // without it, an unpaid form is never final
		FrontURL:   "https://shop.example/return",
		BackURL:    "https://shop.example/unionpay/notify",
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(form.Fields["txnType"], form.Fields["channelType"], form.Fields["txnAmt"], form.Fields["txnTime"])
	// In a web handler: form.ServeHTTP(w, r) sends the auto-submitting page.

	if _, err := srv.Pay(context.Background(), form.Fields, ""); err != nil { // the shopper pays
		fmt.Println(err)
		return
	}
	// The form's query names its txnType, amount and currency: an answer about another
	// transaction under this orderId reads NotFound. c.QueryUntilFinal(ctx, form.QueryRequest(),
	// form.Backoff()) asks it on UnionPay's schedule for front transactions.
	tx, err := c.Query(context.Background(), form.QueryRequest())
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(tx.State, tx.Amount)
	// Output:
	// 01 07 1999 20240105103000
	// succeeded 1999
}

// How to tell the outcomes of a money-moving call apart: pending (a *PendingError, matching
// ErrPending), rejected (an *Error) or accepted.
func ExamplePendingError() {
	srv := unionpaytest.NewServer(unionpaytest.WithClock(exampleNow))
	defer srv.Close()
	c, err := unionpay.NewClient(srv.Config())
	if err != nil {
		fmt.Println(err)
		return
	}
	ctx := context.Background()
	srv.Script("PAYOUT20240105001", unionpaytest.Pending)   // UnionPay answers 05
	srv.Script("PAYOUT20240105002", unionpaytest.NoBalance) // UnionPay answers 64
	for _, id := range []string{"PAYOUT20240105001", "PAYOUT20240105002", "PAYOUT20240105003"} {
		res, err := c.Payout(ctx, &unionpay.CardRequest{OrderID: id, Amount: 100, AccNo: unionpaytest.TestCard,
			BackURL: "https://shop.example/unionpay/notify", Customer: &unionpay.Customer{Name: "张三"}})
		var pe *unionpay.PendingError
		var rejected *unionpay.Error
		switch {
		case err == nil:
			fmt.Println(res.OrderID, "accepted: wait for the notification or query")
		case errors.As(err, &pe): // errors.Is(err, unionpay.ErrPending); unverified answers too
			// Its query, for QueryUntilFinal on PayoutBackoff; never pay it again.
			q := pe.QueryRequest()
			fmt.Printf("%s pending: query txnTime %s, txnType %s, %d fen, bizType %s\n", q.OrderID,
				q.TxnTime.Format("20060102150405"), q.TxnType, q.Amount, q.BizType)
		case errors.As(err, &rejected):
			fmt.Println(rejected.OrderID, "rejected with respCode", rejected.RespCode)
		default: // an invalid request or configuration, or not sent: nothing left the process
			fmt.Println(err)
		}
	}
	// Output:
	// PAYOUT20240105001 pending: query txnTime 20240105103000, txnType 12, 100 fen, bizType 000401
	// PAYOUT20240105002 rejected with respCode 64
	// PAYOUT20240105003 accepted: wait for the notification or query
}

// Waiting for the final outcome of a back-end transaction on UnionPay's schedule.
func ExampleClient_QueryUntilFinal() {
	srv := unionpaytest.NewServer(unionpaytest.WithClock(exampleNow))
	defer srv.Close()
	cfg := srv.Config()
	cfg.Sleep = func(ctx context.Context, d time.Duration) error { // don't wait in the example
		fmt.Println("wait", d)
		return ctx.Err()
	}
	c, err := unionpay.NewClient(cfg)
	if err != nil {
		fmt.Println(err)
		return
	}
	ctx := context.Background()
	// Accepted, then two queries see "processing", then success.
	srv.Script("COLLECT20240105001", unionpaytest.Succeed, unionpaytest.Pending, unionpaytest.Pending, unionpaytest.Succeed)
	res, err := c.Collect(ctx, &unionpay.CardRequest{OrderID: "COLLECT20240105001", Amount: 5000,
		AccNo: unionpaytest.TestCard, BackURL: "https://shop.example/unionpay/notify",
		Customer: &unionpay.Customer{IDType: "01", IDNumber: "341126197709218366", Name: "互联网"}})
	if err != nil {
		fmt.Println(err)
		return
	}
	// The collection's query: orderId and txnTime, and the txnType and amount its answer must name.
	tx, err := c.QueryUntilFinal(ctx, res.QueryRequest(), unionpay.BackBackoff())
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(tx.State)
	// Output:
	// wait 1s
	// wait 2s
	// wait 4s
	// succeeded
}

// A client for UnionPay's test environment (入网测试), from the test certificates every test
// merchant shares (PFX password 000000): the production setup is the same with the acp_prod_*
// files, ProductionEndpoints and no AcceptTestOwner. The same Verifier checks notifications.
func ExampleNewClient() {
	const dir = "../testdata/acp-test-certs/"
	pfx, err := cert.LoadPFXFile(dir+"acp_test_sign.pfx", "000000")
	if err != nil {
		fmt.Println(err)
		return
	}
	signer, err := pfx.Signer()
	if err != nil {
		fmt.Println(err)
		return
	}
	root, err := cert.LoadCertificateFile(dir + "acp_test_root.cer")
	if err != nil {
		fmt.Println(err)
		return
	}
	middle, err := cert.LoadCertificateFile(dir + "acp_test_middle.cer")
	if err != nil {
		fmt.Println(err)
		return
	}
	verifier, err := cert.NewVerifier(cert.VerifierConfig{Root: root, Middle: middle, AcceptTestOwner: true})
	if err != nil {
		fmt.Println(err)
		return
	}
	enc, err := cert.LoadCertificateFile(dir + "acp_test_enc.cer")
	if err != nil {
		fmt.Println(err)
		return
	}
	encrypter, err := cert.NewEncrypter(enc)
	if err != nil {
		fmt.Println(err)
		return
	}
	c, err := unionpay.NewClient(unionpay.Config{
		MerchantID: "777290058110048", // UnionPay's demo merchant
		Signer:     signer,
		Verifier:   verifier,
		Encrypter:  encrypter,
		Endpoints:  unionpay.TestEndpoints(),
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(c.MerchantID(), "signs with certId", pfx.CertID())
	// Output:
	// 777290058110048 signs with certId 69629715588
}

// NewClient names the field it does not accept.
func ExampleNewClient_invalidConfig() {
	_, err := unionpay.NewClient(unionpay.Config{MerchantID: "12345"})
	fmt.Println(err)
	// Output:
	// unionpay: Config.MerchantID: must be 15 letters or digits
}

// A batch payout file in the layout of UnionPay's demo.
func ExampleEncodeBatchFile() {
	file, qty, amount, err := unionpay.EncodeBatchFile(unionpay.BatchFileVersion, "000401", []unionpay.BatchRecord{
		{OrderID: "PAY0000000000001", Amount: 100, AccType: "01", AccNo: "6216261000000000018", CustomerName: "互联网"},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(qty, amount)
	fmt.Println(string(file))
	// Output:
	// 1 100
	// 5.0.0|100|1||
	// orderId|currencyCode|txnAmt|accType|accNo|customerNm|bizType|certifTp|certifId|phoneNo|postscript
	// PAY0000000000001|156|100|01|6216261000000000018|互联网|000401||||
}

// Decoding a fileContent field, with a bound on the inflated size.
func ExampleDecodeFileContent() {
	fc := unionpay.EncodeFileContent([]byte("hello, 银联"))
	b, err := unionpay.DecodeFileContent(fc, 1<<20)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(string(b))
	_, err = unionpay.DecodeFileContent(fc, 4)
	fmt.Println(errors.Is(err, unionpay.ErrFileTooLarge))
	// Output:
	// hello, 银联
	// true
}

// A form serves the auto-submitting page itself, e.g. from the shop's checkout handler.
func ExampleForm_ServeHTTP() {
	srv := unionpaytest.NewServer(unionpaytest.WithClock(exampleNow))
	defer srv.Close()
	c, err := unionpay.NewClient(srv.Config())
	if err != nil {
		fmt.Println(err)
		return
	}
	checkout := func(w http.ResponseWriter, r *http.Request) {
		form, err := c.FrontConsume(&unionpay.ConsumeRequest{OrderID: "ORDER20240105002", Amount: 500,
			Channel: unionpay.ChannelMobile, FrontURL: "https://shop.example/return",
			BackURL: "https://shop.example/unionpay/notify"})
		if err != nil {
			http.Error(w, "cannot pay now", http.StatusInternalServerError)
			return
		}
		form.ServeHTTP(w, r)
	}
	rec := httptest.NewRecorder()
	checkout(rec, httptest.NewRequest(http.MethodPost, "/checkout", nil))
	fmt.Println(rec.Code, rec.Header().Get("Content-Type"))
	fmt.Println(strings.Contains(rec.Body.String(), `action="`+srv.URLFor(unionpaytest.EndpointFront)+`"`))
	// Output:
	// 200 text/html; charset=UTF-8
	// true
}

// A front transaction the shopper never paid: UnionPay's front schedule asks 5, 10, 30, 60 and
// 120 minutes after txnTime, and "not found" is final only from a query after the form's
// payTimeout, given as Backoff.PayTimeout (without it the schedule ends with ErrPending).
func ExampleFrontBackoff() {
	clock := unionpaytest.NewClock(exampleNow()) // moved on by the schedule's waits
	srv := unionpaytest.NewServer(unionpaytest.WithTestClock(clock))
	defer srv.Close()
	c, err := unionpay.NewClient(srv.Config()) // Now and Sleep are the clock's
	if err != nil {
		fmt.Println(err)
		return
	}
	now := clock.Now()
	form, err := c.FrontConsume(&unionpay.ConsumeRequest{OrderID: "FRONT20240105001", Amount: 1000,
		TxnTime: now, PayTimeout: now.Add(15 * time.Minute),
		FrontURL: "https://shop.example/return", BackURL: "https://shop.example/unionpay/notify"})
	if err != nil {
		fmt.Println(err)
		return
	}
	// The shopper closes the page instead of paying. form.Backoff() is FrontBackoff with the
	// form's PayTimeout: the last query comes after it, and its NotFound is final.
	b := form.Backoff()
	fmt.Println(b.PayTimeout.Sub(form.TxnTime))
	tx, err := c.QueryUntilFinal(context.Background(), form.QueryRequest(), b)
	fmt.Println(tx.State, err, clock.Now().Sub(form.TxnTime))
	// Output:
	// 15m0s
	// not found <nil> 2h0m0s
}

// A txnTime stored by another system (a Java service, a database column of strings) is Beijing
// time: read it with ParseTxnTime to query the transaction.
func ExampleParseTxnTime() {
	t, err := unionpay.ParseTxnTime("20261126100000")
	if err != nil {
		panic(err)
	}
	fmt.Println(t.UTC())
	// Output: 2026-11-26 02:00:00 +0000 UTC
}
