package notify_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"sync"

	"github.com/goacp/unionpay/cert"
	"github.com/goacp/unionpay/notify"
	"github.com/goacp/unionpay/sign"
)

// exampleKey is UnionPay's public test-environment secure key. The examples
// sign with it (signMethod 11) to stay self-contained; a production Verifier
// is configured with UnionPay's root and middle certificates instead.
var exampleKey = []byte("88888888")

// exampleVerifier accepts secure-key signMethod 11 only.
func exampleVerifier() *cert.Verifier {
	v, err := cert.NewVerifier(cert.VerifierConfig{
		SecureKey:        exampleKey,
		SecureKeyMethods: []string{sign.MethodSHA256Key},
	})
	if err != nil {
		panic(err)
	}
	return v
}

// gatewayPost returns the POST UnionPay's gateway would send: f signed and
// form-encoded.
func gatewayPost(target string, f sign.Fields) *http.Request {
	return formPost(target, gatewaySign(f))
}

// gatewaySign returns f signed as the gateway signs it.
func gatewaySign(f sign.Fields) sign.Fields {
	s, err := sign.NewSecureKeySigner(sign.MethodSHA256Key, exampleKey)
	if err != nil {
		panic(err)
	}
	f = f.Clone()
	f[sign.FieldVersion] = sign.Version510
	if err := sign.Sign(s, f); err != nil {
		panic(err)
	}
	return f
}

// formPost returns a POST of f, form-encoded.
func formPost(target string, f sign.Fields) *http.Request {
	body, err := sign.Encode(f)
	if err != nil {
		panic(err)
	}
	r := httptest.NewRequest(http.MethodPost, target, strings.NewReader(body))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded;charset=UTF-8")
	return r
}

// order is a merchant's order as its store holds it.
type order struct {
	amount  int64  // what the merchant asked for, in fen
	state   string // "pending", "paid", "failed" or "review" (paid, but not the amount asked)
	queryID string // UnionPay's queryId, once known
	applied int    // how many times a result changed the order (must stay <= 1, but for a late payment)
	ignored int    // how many results found it already settled
	late    bool   // paid after it was given up: to ship or refund by hand
}

// orderStore is a merchant's order table, keyed by orderId and txnTime
// (Notification.Key). In a real system this is a database row updated with
// "UPDATE orders SET state = ? WHERE key = ? AND state = 'pending'".
type orderStore struct {
	mu     sync.Mutex
	orders map[string]*order
}

var errUnknownOrder = errors.New("unknown order")

// amountOf returns the amount of the order key names, and whether the store
// holds it.
func (s *orderStore) amountOf(key string) (int64, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	o := s.orders[key]
	if o == nil {
		return 0, false
	}
	return o.amount, true
}

// settle applies a final result (from a notification or a status query) at
// most once. It is what OnNotify calls, and what the query job calls too.
// asStored reports that the result is about the order as stored (its amount
// and currency too: Notification.Check found nothing differing, or the query
// named them); false, that it is this shop's payment of the order, but of
// another amount or currency.
func (s *orderStore) settle(key string, asStored bool, st notify.Status, queryID string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	o := s.orders[key]
	switch {
	case o == nil:
		// This store commits an order after its form is signed, so an order
		// may not be committed yet: an error makes UnionPay resend. A store
		// that commits before signing logs the stranger and returns nil.
		return errUnknownOrder
	case o.state == "failed" && st == notify.Succeeded && asStored:
		// Paid after the order was given up (the shopper paid at the last
		// moment, or the clocks differ): the money was taken, so it is never
		// dropped. Record it and flag it for shipping or a refund.
		o.state, o.queryID, o.late = "paid", queryID, true
		o.applied++
		return nil
	case o.state != "pending":
		o.ignored++ // a duplicate delivery, or the query got there first
		return nil
	case st == notify.Pending:
		return nil // nothing final to record; the query job will ask again
	case !asStored && st == notify.Succeeded:
		// Genuine and paid, but not what was ordered: the money was taken.
		// Keep the queryId (a refund needs it), do not ship, leave it to a
		// person, and acknowledge (resending would not change it).
		o.state, o.queryID = "review", queryID
		o.applied++
		return nil
	case !asStored:
		return nil // not paid, and not about what was ordered: nothing to record
	case st == notify.Succeeded:
		o.state, o.queryID = "paid", queryID
	default:
		// Failed: from the query job, once payTimeout has passed (the
		// handler below never passes a notification's failure).
		o.state = "failed"
	}
	o.applied++
	return nil
}

// This example serves UnionPay's back notifications with an idempotent
// store: the same notification is delivered five times at once while a
// status query reports the same payment, and the order is settled exactly
// once.
func ExampleHandler() {
	store := &orderStore{orders: map[string]*order{
		"ORDER20260601001@20260601120000": {amount: 1999, state: "pending"},
	}}
	const merID = "777290058110048" // this shop's
	h := &notify.Handler{
		Verifier: exampleVerifier(),
		OnNotify: func(ctx context.Context, n *notify.Notification) error {
			amount, ok := store.amountOf(n.Key())
			if !ok {
				return errUnknownOrder // not committed yet (see settle): UnionPay resends
			}
			err := n.Check(notify.Expected{MerchantID: merID, TxnType: "01", Amount: amount})
			var differs *notify.MismatchError
			switch {
			case errors.As(err, &differs) && !differs.OtherAmount():
				// Genuine, but not a payment to this shop: another merchant can pay an order
				// with the same orderId and txnTime and post UnionPay's notification here.
				return nil
			case err != nil && differs == nil:
				return err // the expectation is incomplete: a bug to fix, not a notification to drop
			}
			st := n.Status()
			if st == notify.Failed {
				// Not final for a front consume before payTimeout (the shopper may pay
				// again), and a declined attempt's query answer posted here verifies
				// too: the query job decides failures.
				st = notify.Pending
			}
			// A payment of this order in another amount or currency is kept for review.
			return store.settle(n.Key(), err == nil, st, n.QueryID)
		},
	}
	if err := h.Check(); err != nil { // at start-up: a Handler missing either answers 500 to everything
		fmt.Println(err)
		return
	}
	mux := http.NewServeMux()
	mux.Handle("POST /unionpay/notify", h)

	paid := sign.Fields{
		"encoding": "UTF-8", "txnType": "01", "txnSubType": "01", "bizType": "000201",
		"merId": "777290058110048", "orderId": "ORDER20260601001", "txnTime": "20260601120000",
		"txnAmt": "1999", "currencyCode": "156", "queryId": "782606011200000000001",
		"respCode": "00", "respMsg": "成功[0000000]", "settleDate": "0601", "settleAmt": "1999",
		"settleCurrencyCode": "156", "traceNo": "000001", "traceTime": "0601120000",
	}
	var wg sync.WaitGroup
	codes := make([]int, 5)
	for i := range codes {
		wg.Go(func() {
			rec := httptest.NewRecorder()
			mux.ServeHTTP(rec, gatewayPost("/unionpay/notify", paid))
			codes[i] = rec.Code
		})
	}
	wg.Go(func() { // the merchant's status query (TxnType and Amount given) sees the same result
		_ = store.settle("ORDER20260601001@20260601120000", true, notify.Succeeded, "782606011200000000001")
	})
	wg.Wait()

	// A notification for an order the store does not know yet is answered
	// 500, so UnionPay sends it again later.
	unknown := paid.Clone()
	unknown["orderId"] = "ORDER20260601999"
	rec := httptest.NewRecorder()
	mux.ServeHTTP(rec, gatewayPost("/unionpay/notify", unknown))

	// Another merchant's genuine notification for the same orderId and txnTime
	// changes nothing (it is acknowledged: resending would not change it).
	other := paid.Clone()
	other["merId"], other["orderId"] = "898111148990001", "ORDER20260601002"
	store.orders["ORDER20260601002@20260601120000"] = &order{amount: 1999, state: "pending"}
	mux.ServeHTTP(httptest.NewRecorder(), gatewayPost("/unionpay/notify", other))

	// This shop's payment of an order, of the amount asked for but in yen: the
	// money was taken, not what was ordered.
	yen := paid.Clone()
	yen["orderId"], yen["currencyCode"] = "ORDER20260601003", "392"
	store.orders["ORDER20260601003@20260601120000"] = &order{amount: 1999, state: "pending"}
	mux.ServeHTTP(httptest.NewRecorder(), gatewayPost("/unionpay/notify", yen))

	o := store.orders["ORDER20260601001@20260601120000"]
	fmt.Println("answers:", codes)
	fmt.Printf("order: %s, queryId %s, applied %d time(s), %d duplicate(s) ignored\n",
		o.state, o.queryID, o.applied, o.ignored)
	fmt.Println("unknown order:", rec.Code)
	fmt.Println("another merchant's notification leaves its order:", store.orders["ORDER20260601002@20260601120000"].state)
	fmt.Println("a payment in another currency:", store.orders["ORDER20260601003@20260601120000"].state)
	// Output:
	// answers: [200 200 200 200 200]
	// order: paid, queryId 782606011200000000001, applied 1 time(s), 5 duplicate(s) ignored
	// unknown order: 500
	// another merchant's notification leaves its order: pending
	// a payment in another currency: review
}

// This example handles the shopper's browser return to frontUrl, given per
// order (FrontURL ".../unionpay/return/" + orderID). The return is verified
// like a back notification, but it is not proof of payment, and its fields
// are never trusted for money: verified or not, it is answered with a
// redirect to the order's own page, which shows the stored state (a bare 400
// after paying only makes the shopper call support). What does not verify is
// logged at Warn. A GET (a refresh, a bookmark) goes to the same page.
//
// The redirect is a 303 See Other because UnionPay's POST comes from its own
// domain: a cross-site request, with which SameSite=Lax session cookies are
// not sent, while the 303's top-level GET carries them. Exempt frontUrl and
// backUrl from any CSRF middleware: UnionPay's posts carry no token.
func ExampleReadRequest() {
	v := exampleVerifier()
	log := slog.New(slog.NewTextHandler(os.Stdout, &slog.HandlerOptions{
		ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
			if a.Key == slog.TimeKey || a.Key == "err" { // for a stable output
				return slog.Attr{}
			}
			return a
		},
	}))
	mux := http.NewServeMux()
	mux.HandleFunc("/unionpay/return/{order}", func(w http.ResponseWriter, r *http.Request) {
		order := r.PathValue("order") // the shop's own URL, not the return's fields
		if r.Method == http.MethodPost {
			if _, err := notify.ReadRequest(w, r, v, 0); err != nil {
				log.WarnContext(r.Context(), "front return refused", "order", order, "err", err)
			}
		}
		// Do not ship on a return: the back notification or a query decides.
		http.Redirect(w, r, "/orders/"+url.PathEscape(order), http.StatusSeeOther)
	})

	ret := sign.Fields{
		"encoding": "UTF-8", "txnType": "01", "txnSubType": "01", "bizType": "000201",
		"merId": "777290058110048", "orderId": "ORDER20260601001", "txnTime": "20260601120000",
		"txnAmt": "1999", "respCode": "00", "respMsg": "成功[0000000]",
	}
	forged := gatewaySign(ret)
	forged["txnAmt"] = "1"
	for _, r := range []*http.Request{
		gatewayPost("/unionpay/return/ORDER20260601001", ret),
		formPost("/unionpay/return/ORDER20260601001", forged),
		httptest.NewRequest(http.MethodGet, "/unionpay/return/ORDER20260601001", nil),
	} {
		rec := httptest.NewRecorder()
		mux.ServeHTTP(rec, r)
		fmt.Println(r.Method, rec.Code, rec.Header().Get("Location"))
	}
	// Output:
	// POST 303 /orders/ORDER20260601001
	// level=WARN msg="front return refused" order=ORDER20260601001
	// POST 303 /orders/ORDER20260601001
	// GET 303 /orders/ORDER20260601001
}

func ExampleStatusOf() {
	for _, code := range []string{"00", "A6", "05", "61"} {
		fmt.Println(code, notify.StatusOf(code))
	}
	// Output:
	// 00 succeeded
	// A6 succeeded
	// 05 pending
	// 61 failed
}

func ExampleMaskPAN() {
	fmt.Println(notify.MaskPAN("6216261000000000018"))
	// Output: 621626******0018
}

// Check a refund's notification against the refund as the shop stored it, looked up by its
// Key (orderId and txnTime): a refund of another payment under the same orderId is another
// transaction's, to acknowledge and leave alone; this refund for another amount is for a person.
func ExampleNotification_Check() {
	const merID, payment = "777290058110048", "782606011200000000001"
	stored := notify.Expected{MerchantID: merID, TxnType: "04", Amount: 300, OrigQueryID: payment}
	refund := sign.Fields{
		"encoding": "UTF-8", "txnType": "04", "txnSubType": "00", "bizType": "000201",
		"merId": merID, "orderId": "REFUND20260601001", "txnTime": "20260601120000",
		"txnAmt": "300", "currencyCode": "156", "queryId": "782606011200000000099", "origQryId": payment,
		"respCode": "00", "respMsg": "成功[0000000]", "settleDate": "0601",
	}
	ofAnother, otherAmount := refund.Clone(), refund.Clone()
	ofAnother["origQryId"] = "782606011200000000002"
	otherAmount["txnAmt"] = "3000"
	for _, f := range []sign.Fields{refund, ofAnother, otherAmount} {
		n, err := notify.Verify(exampleVerifier(), gatewaySign(f)) // as the Handler gives it to OnNotify
		if err != nil {
			fmt.Println(err)
			return
		}
		err = n.Check(stored)
		var differs *notify.MismatchError
		switch {
		case err == nil:
			fmt.Println("the refund stored:", n.Status())
		case errors.As(err, &differs) && differs.OtherAmount():
			fmt.Println("for review:", err)
		case differs != nil:
			fmt.Println("another transaction's:", differs.Field)
		default:
			fmt.Println(err) // an incomplete Expected: a bug to mend
		}
	}
	// Output:
	// the refund stored: succeeded
	// another transaction's: origQryId
	// for review: notify: notification REFUND20260601001@20260601120000: txnAmt is "3000", not "300"
}
