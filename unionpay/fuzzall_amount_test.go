package unionpay_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/goacp/unionpay/sign"
	"github.com/goacp/unionpay/unionpay"
)

// TestQueryAnswerAmountNotDigits: a query answer's txnAmt or settleAmt that is not digits
// ("+100", "-0", "+0") is read as an amount (strconv.ParseInt's syntax), while notify refuses
// the same field in a notification ("not an amount in fen") and UnionPay writes amounts as
// digits only (N1..12). Found by FuzzAnswer.
func TestQueryAnswerAmountNotDigits(t *testing.T) {
	for _, amt := range []string{"+100", "-0", "+0"} {
		cfg := testConfig(t, "http://127.0.0.1:1")
		cfg.HTTPClient = &http.Client{Transport: &answerTransport{build: func(req sign.Fields) sign.Fields {
			return answerTo(req, "00", sign.Fields{"origRespCode": "00", "txnAmt": amt, "settleAmt": amt})
		}}}
		c, err := unionpay.NewClient(cfg)
		if err != nil {
			t.Fatal(err)
		}
		tx, err := c.Query(context.Background(), &unionpay.QueryRequest{OrderID: testOrder, TxnTime: testNow.Add(-time.Hour)})
		if err == nil {
			t.Errorf("txnAmt %q: read as %s, %d fen; want an error (not an amount in fen)", amt, tx.State, tx.Amount)
		}
	}
}
