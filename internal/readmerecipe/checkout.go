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

// Orders is the shop's order store:
//   - StartPayment returns the order's amount and its payment's txnTime: the txnTime given, now
//     recorded with the order, on its first checkout; the one recorded then, on the next. ok is
//     false for an order it does not have or one paid already. Atomic: of two checkouts at once,
//     one records its txnTime and both get it.
//   - Expected returns what it stored of the payment or refund sent under orderID and txnTime
//     (this shop's merId, the txnType, the amount and, for a refund, the payment's queryId);
//     ok is false if none. txnTime is to the second, as sent: key the store on
//     notify.KeyOf(orderID, txnTime), not on a stored time.Time, whose fraction of a second
//     (time.Now's) would find no payment, and the notification would be dropped as not ours.
//   - MarkPaid applies a payment at most once, even to an order already closed as unpaid (the
//     money was taken: ship it or refund it).
//   - Review flags one paid for another amount or currency than the order's (the money was
//     taken: a person looks, nothing ships).
//   - RefundDone records a refund's final outcome, at most once.
type Orders interface {
	StartPayment(ctx context.Context, orderID string, txnTime time.Time) (amount int64, started time.Time, ok bool, err error)
	Expected(ctx context.Context, orderID string, txnTime time.Time) (want notify.Expected, ok bool, err error)
	MarkPaid(ctx context.Context, orderID string, txnTime time.Time, queryID string) error
	Review(ctx context.Context, orderID string, txnTime time.Time, queryID string) error
	RefundDone(ctx context.Context, refundID string, txnTime time.Time, succeeded bool) error
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
		// The amount is the stored order's, and the txnTime (to the second, as sent) is stored
		// with it before the page is served: a query, and Expected, need it. A second checkout
		// signs the same orderId, txnTime and amount again: the same transaction, which UnionPay
		// refuses once paid (12). It can be signed for TxnTimeWindow (the client refuses an older
		// txnTime), within the payTimeout; after it, UnionPay takes a payment only under a new
		// orderId: the shop opens a new order once a query (Form.Backoff) has found this one unpaid.
		now := now().Truncate(time.Second)
		amount, txnTime, ok, err := orders.StartPayment(r.Context(), orderID, now)
		payTimeout := txnTime.Add(15 * time.Minute)
		switch {
		case err != nil:
			http.Error(w, "payment unavailable", http.StatusInternalServerError)
			return
		case !ok:
			http.NotFound(w, r) // not an order of this shop's, or paid already: nothing to sign
			return
		case !now.Before(txnTime.Add(unionpay.TxnTimeWindow)):
			http.Error(w, "payment expired: please order again", http.StatusGone)
			return
		}
		form, err := c.FrontConsume(&unionpay.ConsumeRequest{
			OrderID:    orderID,
			Amount:     amount, // fen, as stored
			TxnTime:    txnTime,
			Channel:    unionpay.ChannelPC, // ChannelMobile for the WAP cashier
			FrontURL:   base + "/unionpay/return/" + orderID,
			BackURL:    base + "/unionpay/notify",
			PayTimeout: payTimeout,
		})
		if err != nil {
			http.Error(w, "payment unavailable", http.StatusInternalServerError)
			return
		}
		form.ServeHTTP(w, r) // the page that posts the signed form to UnionPay
	})
	mux.Handle("POST /unionpay/notify", &notify.Handler{
		Verifier: v,
		Logger:   log, // one record per notification: accepted, refused (and why), or failed
		OnNotify: func(ctx context.Context, n *notify.Notification) error {
			// An error makes the handler answer 500, and UnionPay sends the notification again.
			want, ok, err := orders.Expected(ctx, n.OrderID, n.TxnTime)
			switch {
			case err != nil || n.Status() == notify.Pending:
				return err // the store failed (sent again), or not decided yet
			case !ok: // not ours, or stored under another txnTime than the one sent (see Expected)
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
					return orders.Review(ctx, n.OrderID, n.TxnTime, n.QueryID) // paid, not what was ordered
				}
				return nil
			case differs != nil:
				return nil // another merchant's, or another transaction under this orderId
			case err != nil:
				return err // an incomplete Expected: a bug, not a notification to drop
			case n.TxnType == "01" && n.Status() == notify.Succeeded: // a payment
				return orders.MarkPaid(ctx, n.OrderID, n.TxnTime, n.QueryID)
			case n.TxnType == "04": // a refund (RefundPart): final, succeeded or failed
				return orders.RefundDone(ctx, n.OrderID, n.TxnTime, n.Status() == notify.Succeeded)
			}
			return nil
		},
	})
	// Any method: UnionPay's pages POST the return, a refresh or a bookmark GETs it.
	mux.Handle("/unionpay/return/{order}", FrontReturn(v, log))
	return mux
}
