package unionpaytest_test

import (
	"context"
	"encoding/json"
	"fmt"
	"html"
	"log/slog"
	"net/http"
	"net/http/httptest"
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
	"github.com/goacp/unionpay/unionpay"
	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

// checkoutStore is an in-memory readmerecipe.Orders that records the calls the recipe makes. It
// keeps each form as JSON, as a database would, and finds a payment or refund by its key alone.
type checkoutStore struct {
	merID string

	mu      sync.Mutex
	amounts map[string]int64           // the shop's orders: orderID → amount in fen
	forms   map[string][]byte          // orderID → the form StartPayment recorded, as JSON
	keys    map[string]string          // notify.KeyOf(orderID, txnTime) → orderID, of each form recorded
	paid    map[string]bool            // orderID → paid
	refunds map[string]notify.Expected // notify.KeyOf(refundID, txnTime) → the refund sent
	calls   []string
}

func newCheckoutStore(merID string, amounts map[string]int64) *checkoutStore {
	return &checkoutStore{merID: merID, amounts: amounts, forms: map[string][]byte{}, keys: map[string]string{},
		paid: map[string]bool{}, refunds: map[string]notify.Expected{}}
}

// form returns the form recorded for orderID, decoded from its JSON (nil if none).
func (s *checkoutStore) form(orderID string) (*unionpay.Form, error) {
	b, ok := s.forms[orderID]
	if !ok {
		return nil, nil
	}
	var f unionpay.Form
	if err := json.Unmarshal(b, &f); err != nil {
		return nil, err
	}
	return &f, nil
}

func (s *checkoutStore) Payment(_ context.Context, orderID string) (int64, *unionpay.Form, bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	amount, ok := s.amounts[orderID]
	if !ok || s.paid[orderID] {
		return 0, nil, false, nil
	}
	f, err := s.form(orderID)
	return amount, f, true, err
}

func (s *checkoutStore) StartPayment(_ context.Context, form *unionpay.Form) (*unionpay.Form, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.forms[form.OrderID]; !ok {
		b, err := json.Marshal(form)
		if err != nil {
			return nil, err
		}
		s.forms[form.OrderID] = b
		s.keys[notify.KeyOf(form.OrderID, form.TxnTime)] = form.OrderID
	}
	return s.form(form.OrderID)
}

func (s *checkoutStore) Expected(_ context.Context, key string) (notify.Expected, bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if want, ok := s.refunds[key]; ok {
		return want, true, nil
	}
	if orderID, ok := s.keys[key]; ok {
		return notify.Expected{MerchantID: s.merID, TxnType: "01", Amount: s.amounts[orderID]}, true, nil
	}
	return notify.Expected{}, false, nil
}

func (s *checkoutStore) MarkPaid(_ context.Context, key, queryID string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.paid[s.keys[key]] = true
	s.calls = append(s.calls, "MarkPaid "+key+" "+queryID)
	return nil
}

func (s *checkoutStore) Review(_ context.Context, key, queryID string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls = append(s.calls, "Review "+key+" "+queryID)
	return nil
}

func (s *checkoutStore) RefundDone(_ context.Context, key string, succeeded bool) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls = append(s.calls, fmt.Sprintf("RefundDone %s %t", key, succeeded))
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
// byte) on the fake gateway. The checkout signs the stored order's amount and stores the form
// before serving it (the README signed 12800 fen for any orderId taken from the URL, and only said
// in a comment to store the txnTime, so the notification's Expected found nothing): the shopper
// pays at the cashier, and the notification marks the order paid once, with its queryId. A second
// checkout a minute later serves the same transaction; one after payment is a 404, as is an
// unknown order, with nothing signed; one after the payTimeout is a 410. A notification of another
// amount or currency goes to Review, a refund's to RefundDone, each by its notify.KeyOf key. The
// clock is half a second past the second: a key not made to the second would find nothing. A
// sweeper needs nothing but the stored form (JSON, as a database keeps it) to confirm an order.
func TestReadmeCheckout(t *testing.T) {
	t.Parallel()
	requireRecipeInReadme(t, "checkout.go", "\n// Orders is the shop's order store.", "\n\treturn mux\n}\n",
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
		stored, err := orders.form("READMECO0001")
		orders.mu.Unlock()
		require.NoError(t, err)
		require.NotNil(t, stored, "the form is stored before the page is served")
		assert.Equal(t, form, stored.Fields, "the page serves the form stored")
		assert.Equal(t, stored.TxnTime.In(time.FixedZone("CST", 8*3600)).Format("20060102150405"), form["txnTime"])

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
		assert.Equal(t, []string{"MarkPaid " + notify.KeyOf("READMECO0001", stored.TxnTime) + " " + queryID}, orders.takeCalls())

		code, _ = checkout(t, mux, "READMECO0001")
		assert.Equal(t, http.StatusNotFound, code, "paid: nothing more to sign")
	})

	t.Run("a refund", func(t *testing.T) {
		require.NotEmpty(t, queryID)
		refundID, txnTime := "READMECOREF1", c0.Now().Truncate(time.Second)
		orders.mu.Lock()
		orders.refunds[notify.KeyOf(refundID, txnTime)] = notify.Expected{MerchantID: srv.MerchantID(), TxnType: "04",
			Amount: 1000, OrigQueryID: queryID}
		orders.mu.Unlock()
		require.NoError(t, readmerecipe.RefundPart(ctx, c, refundID, txnTime, queryID, 1000, shop.URL+"/unionpay/notify"))
		require.NoError(t, srv.Notify(ctx, refundID), "the shop answers 200")
		assert.Equal(t, []string{"RefundDone " + notify.KeyOf(refundID, txnTime) + " true"}, orders.takeCalls())
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
			assert.Equal(t, []string{"Review " + tt.orderID + "@" + ret["txnTime"] + " " + ret["queryId"]}, orders.takeCalls())
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

	// A sweeper (another replica, after a restart) confirms each order from its stored form
	// alone: the paid one succeeded; an abandoned one is final, not a success, once a query comes
	// after its payTimeout.
	t.Run("a sweeper queries from the stored form", func(t *testing.T) {
		cfg := srv.Config()
		cfg.Sleep = c0.Sleep
		sweeper, err := unionpay.NewClient(cfg)
		require.NoError(t, err)
		for orderID, want := range map[string]unionpay.State{"READMECO0001": unionpay.Succeeded, "READMECO0004": unionpay.NotFound} {
			orders.mu.Lock()
			form, err := orders.form(orderID)
			orders.mu.Unlock()
			require.NoError(t, err)
			require.NotNil(t, form, orderID)
			tx, err := sweeper.QueryUntilFinal(ctx, form.QueryRequest(), form.Backoff())
			require.NoError(t, err, orderID)
			assert.Equal(t, want, tx.State, orderID)
		}
	})
}
