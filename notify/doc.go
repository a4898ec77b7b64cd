// Package notify verifies UnionPay's asynchronous notifications (the POST to
// backUrl) and the shopper's browser return (the POST to frontUrl).
//
// A shop needs, in order: a [Handler] on backUrl, whose OnNotify checks the
// notification against the stored order ([Notification.Check]) and applies
// it once (see Idempotent handling); [ReadRequest] on frontUrl, for the
// shopper's "payment being confirmed" page; and [Parse] where a body arrives
// without HTTP. A message that does not verify is an error matching
// [sign.ErrSignature] or [cert.ErrMethod], or a [*cert.InvalidError], and is
// never believed; a [Pending] status is settled by a query; TxnAmt is in fen
// (the currency's minor unit). The examples of Handler, ReadRequest, Parse,
// VerifyValues and Notification.Check run as written.
//
// # Verifying
//
// [Parse] (a form body), [Verify] (decoded fields) and [VerifyValues]
// (url.Values such as http.Request.PostForm) are pure: they verify the
// message with the merchant's *cert.Verifier — the same one the client uses
// for synchronous responses — and decode it into a typed [Notification].
// The Verifier, not the message, decides what is trusted: the UnionPay root
// and middle certificates, the owner name of signPubKeyCert, and the
// accepted signature methods. A notification asking for a method the
// Verifier was not configured for (a 5.0.0 or secure-key signature when only
// 5.1.0 certificates are configured) is rejected with an error matching
// cert.ErrMethod; it is never checked with the weaker method.
//
// [Handler] is an http.Handler for backUrl: POST only, body bounded by
// MaxBytes, only the body's fields verified (a query string in backUrl is
// ignored), 400 for a message that does not verify, 200 only once OnNotify
// returns nil and 500 when it fails, so that UnionPay sends the
// notification again. The example of Handler serves backUrl with an
// idempotent order store (see Idempotent handling below); the example of
// [ReadRequest] handles the frontUrl return. On a function platform whose
// event holds the request's body rather than an *http.Request (AWS Lambda
// behind an API gateway), [Handler.ServeBody] verifies, answers and logs as
// ServeHTTP does.
//
// # Outcomes
//
// [Notification.Status] classifies a notification by its respCode: 00 and A6
// are [Succeeded]; 03, 04, 05 and 83 (the issuer still processing) are
// [Pending] (query later), and for a payout (代付) 01, 12, 34 and 60 too, as
// UnionPay's payout samples ask; a missing respCode is [Pending] too; anything
// else is [Failed], but for the synchronous answers below. UnionPay signs its synchronous answers as it signs notifications, so one
// posted to backUrl verifies: Status reads it as what it means and never as a
// success it does not state (a query's answer by its origRespCode; a back
// transaction's "accepted", an app order's tn answer, a consume SMS's answer,
// a refused request's answer as [Pending]). Act on Status and TxnType, never
// on respCode alone.
// UnionPay sends a back notification for a front consume or pre-authorisation
// only when it succeeded; back transactions (refund, cancel, completion)
// notify success and failure alike. The official guidance is still to
// confirm money-moving results by a status query.
//
// # Browser returns are not proof of payment
//
// When the shopper clicks back to the merchant (or is sent back
// automatically), the browser POSTs signed result fields to frontUrl.
// [ReadRequest] verifies them exactly as Handler does, but they are not proof
// of payment: the shopper may never come back, may come back from an old
// page or post the same return again, and UnionPay's guidance is to act only
// on the back notification or a status query. The frontUrl page should say
// "payment being confirmed"; goods ship on the back notification or a query.
//
// # Idempotent handling
//
// UnionPay sends each back notification until the merchant answers 200 (or
// 302) within 10 seconds, up to five sends in all, minutes apart. A
// notification may also arrive after, or at the same time as, a status
// query that reported the same result. OnNotify must therefore apply a result at most once:
//
//   - key the merchant's records on orderId and txnTime ([Notification.Key]),
//     never on the delivery;
//   - check that the notification is about an order the merchant made, of
//     the transaction type it made, for the amount and currency it asked,
//     of the payment a refund was made on and under its own merId:
//     [Notification.Check] with what was stored ([Expected]) compares them
//     all, and names the first that differs;
//   - apply the transition under a lock or a conditional update (for
//     example UPDATE ... WHERE state = 'pending'), so that a second delivery
//     or a racing query finds the order already settled and does nothing.
//     Deliveries of one notification can overlap: UnionPay sends it again
//     once 10 seconds pass without an answer, while a slow OnNotify still
//     runs, and behind a load balancer the resend may reach another
//     instance. With more than one instance the lock must be one they all
//     share (the database's row or conditional update): a sync.Mutex, as in
//     the example's in-memory store, serves one process only;
//   - return nil for a duplicate: an error only makes UnionPay send it again;
//   - return an error only when the result could not be stored, so that the
//     notification is not lost.
//
// The example of Handler shows such a store.
//
// # Sensitive data
//
// accNo is usually encrypted to the merchant's signing certificate;
// [Notification.DecryptAccNo] decrypts it with a *cert.Decrypter. Nothing in
// this package logs or formats a card number: a Notification's String and
// LogValue leave accNo out, and [MaskPAN] masks one for the caller's own
// logs (the first six and last four digits of a 16-19 digit number are
// kept, fewer of a shorter one, none of one of ten digits or fewer).
package notify
