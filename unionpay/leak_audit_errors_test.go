package unionpay_test

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/goacp/unionpay/internal/leaktest"
	"github.com/goacp/unionpay/internal/logtest"
	"github.com/goacp/unionpay/sign"
	"github.com/goacp/unionpay/unionpay"
	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

type bufReporter struct {
	mu sync.Mutex
	b  strings.Builder
}

func (r *bufReporter) Errorf(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	fmt.Fprintf(&r.b, format+"\n", args...)
}

// errorRenderings shows err as a merchant would log it.
func errorRenderings(err error) string {
	var b bytes.Buffer
	fmt.Fprintf(&b, "%v\n%+v\n%#v\n", err, err, err)
	slog.New(slog.NewJSONHandler(&b, logtest.Untimed())).Error("m", "err", err)
	slog.New(slog.NewTextHandler(&b, logtest.Untimed())).Error("m", "err", err)
	return b.String()
}

// TestAuditErrorsQuoteNoSecret: the errors of requests refused for a bad card number or customer
// field, and of gateway rejections and pending outcomes of card requests, show no secret, and
// nor does the fake gateway's reporter.
func TestAuditErrorsQuoteNoSecret(t *testing.T) {
	t.Parallel()
	rep := &bufReporter{}
	// A fixed clock: txnTime, traceTime and queryId come from it, and a real one's digits can
	// hold the short secrets (CVN2 741 at 17:41, expiry 3309 at hh:33:09).
	fixed := time.Date(2026, 1, 5, 10, 30, 0, 0, time.FixedZone("CST", 8*3600))
	srv := unionpaytest.NewServer(unionpaytest.WithReporter(rep), unionpaytest.WithClock(func() time.Time { return fixed }))
	defer srv.Close()
	c, err := unionpay.NewClient(srv.Config())
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	now := srv.Now()
	n := 0
	card := func(accNo string, cu unionpay.Customer) *unionpay.CardRequest {
		n++
		return &unionpay.CardRequest{OrderID: fmt.Sprintf("AUDIT%08d", n), Amount: 100, TxnTime: now,
			BackURL: "https://merchant.example/notify", AccNo: accNo, Customer: &cu}
	}
	good := unionpay.Customer{IDType: "01", IDNumber: aID, Name: aName, Phone: aPhone, SMSCode: aSMS, CVN2: aCVN2, Expiry: aExpiry}
	type tc struct {
		name    string
		call    func() error
		secrets []string
	}
	mut := func(f func(*unionpay.Customer)) unionpay.Customer { cu := good; f(&cu); return cu }
	var tests []tc
	for _, bad := range []struct {
		name string
		pan  string
		cu   unionpay.Customer
		sec  []string
	}{
		{"AccNo not digits", aPAN + "X", good, []string{aPAN}},
		{"AccNo 20 digits", aPAN + "7", good, []string{aPAN}},
		{"Phone with =", aPAN, mut(func(c *unionpay.Customer) { c.Phone = aPhone + "=" }), []string{aPhone}},
		{"CVN2 4 digits", aPAN, mut(func(c *unionpay.Customer) { c.CVN2 = aCVN2 + "9" }), []string{aCVN2 + "9"}},
		{"Expiry month 13", aPAN, mut(func(c *unionpay.Customer) { c.Expiry = "3313" }), []string{"3313"}},
		{"PIN letter", aPAN, mut(func(c *unionpay.Customer) { c.PIN = aPIN + "x" }), []string{aPIN}},
		{"IDNumber &", aPAN, mut(func(c *unionpay.Customer) { c.IDNumber = aID + "&" }), []string{aID}},
		{"Name {", aPAN, mut(func(c *unionpay.Customer) { c.Name = aName + "{" }), []string{aName}},
		{"SMSCode ]", aPAN, mut(func(c *unionpay.Customer) { c.SMSCode = aSMS + "]" }), []string{aSMS}},
		{"Name bad UTF-8", aPAN, mut(func(c *unionpay.Customer) { c.Name = aName + "\xff" }), []string{aName}},
	} {
		tests = append(tests, tc{"CardRequest " + bad.name, func() error {
			_, err := c.BackConsume(ctx, card(bad.pan, bad.cu))
			return err
		}, bad.sec})
	}
	tests = append(tests,
		tc{"BatchRecord AccNo", func() error {
			_, err := c.SubmitBatch(ctx, &unionpay.BatchRequest{Type: unionpay.BatchPayout, BatchNo: "0001", TxnTime: now,
				Records: []unionpay.BatchRecord{{OrderID: "AUDITB0001", Amount: 1, AccNo: aPAN + "X", IDNumber: aID, Phone: aPhone}}})
			return err
		}, []string{aPAN}},
		tc{"BatchRecord IDNumber |", func() error {
			_, err := c.SubmitBatch(ctx, &unionpay.BatchRequest{Type: unionpay.BatchPayout, BatchNo: "0002", TxnTime: now,
				Records: []unionpay.BatchRecord{{OrderID: "AUDITB0002", Amount: 1, AccNo: aPAN, IDNumber: aID + "|", Phone: aPhone}}})
			return err
		}, []string{aID}},
		tc{"ConsumeRequest AccNo", func() error {
			_, err := c.FrontConsume(&unionpay.ConsumeRequest{OrderID: "AUDITF0001", Amount: 1, TxnTime: now,
				FrontURL: "https://merchant.example/r", BackURL: "https://merchant.example/n", AccNo: aPAN + "X"})
			return err
		}, []string{aPAN}},
		tc{"Extra value not UTF-8", func() error {
			r := card(aPAN, good)
			r.Extra = sign.Fields{"cardTransData": aPAN + "\xff"}
			_, err := c.BackConsume(ctx, r)
			return err
		}, []string{aPAN}},
	)
	// Gateway rejection and pending outcome of a card request.
	for _, code := range []unionpaytest.Outcome{"14", unionpaytest.Outcome("05")} {
		tests = append(tests, tc{"gateway answers " + string(code), func() error {
			r := card(aPAN, good)
			srv.Script(r.OrderID, code)
			_, err := c.BackConsume(ctx, r)
			return err
		}, allSecrets})
	}
	for _, tt := range tests {
		err := tt.call()
		if err == nil {
			t.Errorf("%s: no error", tt.name)
			continue
		}
		t.Logf("%s: %v", tt.name, err)
		out := errorRenderings(err)
		for _, s := range tt.secrets {
			if ok, form := leaktest.Shows(out, s); ok {
				t.Errorf("%s: the error shows %q (%s): %v", tt.name, s, form, err)
			}
		}
	}
	time.Sleep(10 * time.Millisecond)
	for _, s := range allSecrets {
		if ok, _ := leaktest.Shows(rep.b.String(), s); ok {
			t.Errorf("the fake gateway's reporter shows %q: %s", s, rep.b.String())
		}
	}
}
