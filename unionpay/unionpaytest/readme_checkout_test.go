package unionpaytest_test

import (
	"context"
	"fmt"
	"html"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/internal/readmerecipe"
	"github.com/goacp/unionpay/notify"
	"github.com/goacp/unionpay/sign"
	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

// checkoutStore is an in-memory readmerecipe.Orders that records the calls the recipe makes. It
// finds a transaction by the exact txnTime StartPayment recorded, as a database would.
type checkoutStore struct {
	merID string

	mu      sync.Mutex
	amounts map[string]int64     // the shop's orders: orderID → amount in fen
	started map[string]time.Time // orderID → the txnTime StartPayment recorded
	paid    map[string]bool
	refunds map[string]notify.Expected // refundID + txnTime → the refund sent
	calls   []string
}

func newCheckoutStore(merID string, amounts map[string]int64) *checkoutStore {
	return &checkoutStore{merID: merID, amounts: amounts, started: map[string]time.Time{},
		paid: map[string]bool{}, refunds: map[string]notify.Expected{}}
}

func refundKey(refundID string, txnTime time.Time) string {
	return refundID + "@" + txnTime.UTC().Format(time.RFC3339Nano)
}

func (s *checkoutStore) StartPayment(_ context.Context, orderID string, txnTime time.Time) (int64, time.Time, bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	amount, ok := s.amounts[orderID]
	if !ok || s.paid[orderID] {
		return 0, time.Time{}, false, nil
	}
	if t, ok := s.started[orderID]; ok {
		return amount, t, true, nil
	}
	s.started[orderID] = txnTime
	return amount, txnTime, true, nil
}

func (s *checkoutStore) Expected(_ context.Context, orderID string, txnTime time.Time) (notify.Expected, bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if want, ok := s.refunds[refundKey(orderID, txnTime)]; ok {
		return want, true, nil
	}
	if t, ok := s.started[orderID]; ok && t.Equal(txnTime) {
		return notify.Expected{MerchantID: s.merID, TxnType: "01", Amount: s.amounts[orderID]}, true, nil
	}
	return notify.Expected{}, false, nil
}

func (s *checkoutStore) MarkPaid(_ context.Context, orderID string, _ time.Time, queryID string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.paid[orderID] = true
	s.calls = append(s.calls, "MarkPaid "+orderID+" "+queryID)
	return nil
}

func (s *checkoutStore) Review(_ context.Context, orderID string, _ time.Time, queryID string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls = append(s.calls, "Review "+orderID+" "+queryID)
	return nil
}

func (s *checkoutStore) RefundDone(_ context.Context, refundID string, _ time.Time, succeeded bool) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls = append(s.calls, fmt.Sprintf("RefundDone %s %t", refundID, succeeded))
	return nil
}

// takeCalls returns the calls made since the last takeCalls.
func (s *checkoutStore) takeCalls() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	calls := s.calls
	s.calls = nil
	return calls
}

var checkoutHidden = regexp.MustCompile(`<input type="hidden" name="([^"]*)" value="([^"]*)">`)

// checkout POSTs to the recipe's checkout route and returns the status and the signed fields of
// the page it serves (none unless 200).
func checkout(t *testing.T, mux http.Handler, orderID string) (int, sign.Fields) {
	t.Helper()
	w := httptest.NewRecorder()
	mux.ServeHTTP(w, httptest.NewRequest(http.MethodPost, "/checkout/"+orderID, nil))
	fields := sign.Fields{}
	for _, m := range checkoutHidden.FindAllStringSubmatch(w.Body.String(), -1) {
		fields[html.UnescapeString(m[1])] = html.UnescapeString(m[2])
	}
	if w.Code != http.StatusOK {
		require.Empty(t, fields, "a refused checkout signs nothing")
		require.NotContains(t, w.Body.String(), "signature")
	}
	return w.Code, fields
}

// postNotification POSTs body to the recipe's backUrl route, as UnionPay does, and returns the
// status.
func postNotification(t *testing.T, mux http.Handler, body string) int {
	t.Helper()
	r := httptest.NewRequest(http.MethodPost, "/unionpay/notify", strings.NewReader(body))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	w := httptest.NewRecorder()
	mux.ServeHTTP(w, r)
	return w.Code
}

// TestReadmeCheckout runs the README's Routes (readmerecipe.Routes, the README's text byte for
// byte) on the fake gateway. The checkout signs the stored order's amount under a txnTime it
// stored first (the README signed 12800 fen for any orderId taken from the URL, and only said in
// a comment to store the txnTime, so the notification's Expected found nothing): the shopper pays
// at the cashier, and the notification marks the order paid once, with its queryId. A second
// checkout a minute later serves the same transaction; one after payment is a 404, as is an
// unknown order, with nothing signed; one after the payTimeout is a 410. A notification of another
// amount or currency goes to Review, a refund's to RefundDone. The clock is half a second past the
// second: a stored txnTime that is not the one sent (to the second) would find nothing either.
func TestReadmeCheckout(t *testing.T) {
	t.Parallel()
	readme, err := os.ReadFile("../../README.md")
	require.NoError(t, err)
	recipe, err := os.ReadFile("../../internal/readmerecipe/checkout.go")
	require.NoError(t, err)
	_, block, ok := strings.Cut(string(recipe), "\n// Orders is the shop's order store:\n")
	require.True(t, ok)
	block, _, ok = strings.Cut(block, "\n\treturn mux\n}\n")
	require.True(t, ok)
	require.True(t, strings.Contains(string(readme), "\n// Orders is the shop's order store:\n"+block+"\n\treturn mux\n}\n"),
		"readmerecipe.Routes (Orders to the end of Routes) is no longer the README's, byte for byte")

	// The payment's notification goes to the base given, https://shop.example.com: held back, its
	// fields (the cashier's result, which are the notification's) are posted here instead. A
	// refund's goes to this test's server, sent by Server.Notify.
	srv, c, c0 := clientGateway(t, unionpaytest.WithNotifySchedule(time.Hour))
	c0.Advance(1500 * time.Millisecond)
	v, err := srv.NotifyVerifier()
	require.NoError(t, err)
	orders := newCheckoutStore(srv.MerchantID(), map[string]int64{
		"READMECO0001": 4321, "READMECO0002": 999, "READMECO0003": 1500, "READMECO0004": 2000, "READMECO0005": 2500})
	mux := readmerecipe.Routes(c, v, orders, "https://shop.example.com", srv.Config().Now, slog.New(slog.DiscardHandler))
	shop := httptest.NewTLSServer(mux)
	t.Cleanup(shop.Close)
	ctx := context.Background()

	t.Run("an unknown order", func(t *testing.T) {
		for _, id := range []string{"READMECO9999", "12800", "READMECO0001x"} {
			code, _ := checkout(t, mux, id)
			assert.Equal(t, http.StatusNotFound, code, id)
		}
		assert.Empty(t, orders.takeCalls())
	})

	var queryID string
	t.Run("checkout, payment, notification", func(t *testing.T) {
		code, form := checkout(t, mux, "READMECO0001")
		require.Equal(t, http.StatusOK, code)
		assert.Equal(t, "4321", form["txnAmt"], "the stored order's amount")
		orders.mu.Lock()
		stored := orders.started["READMECO0001"]
		orders.mu.Unlock()
		require.False(t, stored.IsZero(), "the txnTime is stored before the page is served")
		assert.Equal(t, stored.In(time.FixedZone("CST", 8*3600)).Format("20060102150405"), form["txnTime"])

		c0.Advance(time.Minute) // the shopper comes back, or reloads
		code, again := checkout(t, mux, "READMECO0001")
		require.Equal(t, http.StatusOK, code)
		for _, k := range []string{"orderId", "txnTime", "txnAmt", "payTimeout"} {
			assert.Equal(t, form[k], again[k], "a second checkout serves the same transaction: %s", k)
		}

		ret, err := srv.Pay(ctx, again, unionpaytest.TestCard)
		require.NoError(t, err)
		require.Equal(t, "00", ret["respCode"])
		queryID = ret["queryId"]
		require.NotEmpty(t, queryID)
		body, err := sign.Encode(ret)
		require.NoError(t, err)
		assert.Equal(t, http.StatusOK, postNotification(t, mux, body))
		assert.Equal(t, []string{"MarkPaid READMECO0001 " + queryID}, orders.takeCalls())

		code, _ = checkout(t, mux, "READMECO0001")
		assert.Equal(t, http.StatusNotFound, code, "paid: nothing more to sign")
	})

	t.Run("a refund", func(t *testing.T) {
		require.NotEmpty(t, queryID)
		refundID, txnTime := "READMECOREF1", c0.Now().Truncate(time.Second)
		orders.mu.Lock()
		orders.refunds[refundKey(refundID, txnTime)] = notify.Expected{MerchantID: srv.MerchantID(), TxnType: "04",
			Amount: 1000, OrigQueryID: queryID}
		orders.mu.Unlock()
		require.NoError(t, readmerecipe.RefundPart(ctx, c, refundID, txnTime, queryID, 1000, shop.URL+"/unionpay/notify"))
		require.NoError(t, srv.Notify(ctx, refundID), "the shop answers 200")
		assert.Equal(t, []string{"RefundDone READMECOREF1 true"}, orders.takeCalls())
	})

	for _, tt := range []struct {
		name, orderID, field, value string
	}{
		{"paid another amount", "READMECO0002", "txnAmt", "1000"},
		{"paid in another currency", "READMECO0003", "currencyCode", "840"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			code, form := checkout(t, mux, tt.orderID)
			require.Equal(t, http.StatusOK, code)
			ret, err := srv.Pay(ctx, form, unionpaytest.TestCard)
			require.NoError(t, err)
			ret[tt.field] = tt.value
			other, err := srv.SignNotification(ret)
			require.NoError(t, err)
			assert.Equal(t, http.StatusOK, postNotification(t, mux, other.Encode()))
			assert.Equal(t, []string{"Review " + tt.orderID + " " + ret["queryId"]}, orders.takeCalls())
		})
	}

	// Past TxnTimeWindow the client refuses to sign the stored txnTime again: the checkout says
	// the payment expired (410), not that it is unavailable (500), before the payTimeout too.
	for _, tt := range []struct {
		name    string
		orderID string
		after   time.Duration
	}{
		{"a second checkout after TxnTimeWindow, before the payTimeout", "READMECO0005", 14 * time.Minute},
		{"a second checkout after the payTimeout", "READMECO0004", 15 * time.Minute},
	} {
		t.Run(tt.name, func(t *testing.T) {
			code, _ := checkout(t, mux, tt.orderID)
			require.Equal(t, http.StatusOK, code)
			c0.Advance(tt.after)
			code, _ = checkout(t, mux, tt.orderID)
			assert.Equal(t, http.StatusGone, code)
			assert.Empty(t, orders.takeCalls())
		})
	}
}
