package readmerecipe

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"time"

	"github.com/goacp/unionpay/cert"
	"github.com/goacp/unionpay/notify"
	"github.com/goacp/unionpay/unionpay"
)

// The text from Orders' doc comment to the end of Routes is README.md's, byte for byte
// (unionpaytest's TestReadmeCheckout checks it).

// Orders is the shop's order store. It keys each payment and refund on notify.KeyOf(orderID,
// txnTime), the key its notification gives (Notification.Key): orderId and txnTime to the second,
// as sent, so that no fraction of a second (time.Now's, in a stored time.Time) can make a
// notification find nothing and be dropped as not ours.
//   - Payment returns the order's amount and the form StartPayment recorded for it (nil before
//     its first checkout). ok is false for an order it does not have or one paid already.
//   - StartPayment records form with its order (form.OrderID), under notify.KeyOf(form.OrderID,
//     form.TxnTime), unless one is recorded already, and returns the recorded form. Atomic: of
//     two checkouts at once, one records its form and both serve it. Store it whole (its JSON
//     holds Action, the signed Fields, Encoding, OrderID, TxnTime and PayTimeout): a checkout
//     serves it again as it is, and a sweeper confirms an order left pending from it alone, on
//     any replica and after a restart: c.QueryUntilFinal(ctx, form.QueryRequest(), form.Backoff()).
//   - Expected returns what it stored of the payment or refund under key (this shop's merId, the
//     txnType, the amount and, for a refund, the payment's queryId; store a RefundPart refund
//     under notify.KeyOf(refundID, txnTime)); ok is false if none.
//   - MarkPaid applies a payment at most once, even to an order already closed as unpaid (the
//     money was taken: ship it or refund it).
//   - Review flags one paid for another amount or currency than the order's (the money was
//     taken: a person looks, nothing ships).
//   - RefundDone records a refund's final outcome, at most once.
type Orders interface {
	Payment(ctx context.Context, orderID string) (amount int64, form *unionpay.Form, ok bool, err error)
	StartPayment(ctx context.Context, form *unionpay.Form) (recorded *unionpay.Form, err error)
	Expected(ctx context.Context, key string) (want notify.Expected, ok bool, err error)
	MarkPaid(ctx context.Context, key, queryID string) error
	Review(ctx context.Context, key, queryID string) error
	RefundDone(ctx context.Context, key string, succeeded bool) error
}

// Routes serves checkout, UnionPay's notification (backUrl) and the shopper's return (frontUrl).
// base is the shop's URL as UnionPay and the shopper reach it, such as https://shop.example.com
// (a test on the fake gateway passes its httptest.Server's URL: the fake posts the notification
// there). now is the clock given as Config.Now (time.Now in production; a test on the fake
// gateway's WithClock passes Server.Config().Now, or the fake refuses the payTimeout as past).
func Routes(c *unionpay.Client, v *cert.Verifier, orders Orders, base string, now func() time.Time, log *slog.Logger) *http.ServeMux {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /checkout/{order}", func(w http.ResponseWriter, r *http.Request) {
		orderID := r.PathValue("order") // 8 to 32 letters or digits (the API takes 40; the settlement file, 32)
		// The amount is the stored order's. The first checkout signs the form and stores it
		// before the page is served: a query, and Expected, need its orderId and txnTime. A
		// second checkout serves the stored form again: the same transaction, which UnionPay
		// refuses once paid (12). It can be served for TxnTimeWindow (UnionPay refuses an older
		// txnTime), within the payTimeout; after it, UnionPay takes a payment only under a new
		// orderId: the shop opens a new order once a query (Form.Backoff) has found this one unpaid.
		now := now().Truncate(time.Second)
		amount, form, ok, err := orders.Payment(r.Context(), orderID)
		if err == nil && ok && form == nil { // the first checkout
			form, err = c.FrontConsume(&unionpay.ConsumeRequest{
				OrderID:    orderID,
				Amount:     amount, // fen, as stored
				TxnTime:    now,
				Channel:    unionpay.ChannelPC, // ChannelMobile for the WAP cashier
				FrontURL:   base + "/unionpay/return/" + orderID,
				BackURL:    base + "/unionpay/notify",
				PayTimeout: now.Add(15 * time.Minute),
			})
			if err == nil {
				form, err = orders.StartPayment(r.Context(), form) // of two at once, the one recorded first
			}
		}
		switch {
		case err != nil:
			http.Error(w, "payment unavailable", http.StatusInternalServerError)
			return
		case !ok:
			http.NotFound(w, r) // not an order of this shop's, or paid already: nothing to serve
			return
		case !now.Before(form.TxnTime.Add(unionpay.TxnTimeWindow)):
			http.Error(w, "payment expired: please order again", http.StatusGone)
			return
		}
		form.ServeHTTP(w, r) // the page that posts the signed form to UnionPay
	})
	mux.Handle("POST /unionpay/notify", &notify.Handler{
		Verifier: v,
		Logger:   log, // one record per notification: accepted, refused (and why), or failed
		OnNotify: func(ctx context.Context, n *notify.Notification) error {
			// An error makes the handler answer 500, and UnionPay sends the notification again.
			want, ok, err := orders.Expected(ctx, n.Key())
			switch {
			case err != nil || n.Status() == notify.Pending:
				return err // the store failed (sent again), or not decided yet
			case !ok: // not ours: nothing stored under its key
				log.WarnContext(ctx, "unionpay: notification of no stored order", "notification", n)
				return nil
			}
			// merId, txnType, origQryId, txnAmt and currencyCode, as stored (Expected's MerchantID
			// is c.MerchantID()): never compare them by hand.
			err = n.Check(want)
			var differs *notify.MismatchError
			switch {
			case errors.As(err, &differs) && differs.OtherAmount(): // this order's, of another amount or currency
				if n.Status() == notify.Succeeded && n.TxnType == "01" {
					return orders.Review(ctx, n.Key(), n.QueryID) // paid, not what was ordered
				}
				return nil
			case differs != nil:
				return nil // another merchant's, or another transaction under this orderId
			case err != nil:
				return err // an incomplete Expected: a bug, not a notification to drop
			case n.TxnType == "01" && n.Status() == notify.Succeeded: // a payment
				return orders.MarkPaid(ctx, n.Key(), n.QueryID)
			case n.TxnType == "04": // a refund (RefundPart): final, succeeded or failed
				return orders.RefundDone(ctx, n.Key(), n.Status() == notify.Succeeded)
			}
			return nil
		},
	})
	// Any method: UnionPay's pages POST the return, a refresh or a bookmark GETs it.
	mux.Handle("/unionpay/return/{order}", FrontReturn(v, log))
	return mux
}
