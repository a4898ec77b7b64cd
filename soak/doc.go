// Package soak holds the SDK's payment-day soak test; it has no API of its own.
//
// TestSoak runs a merchant against the fake gateway of package unionpay/unionpaytest, on
// loopback only, for a bounded time. Concurrent workers take business orders through every path
// that moves money:
//
//   - front consume and pre-authorisation: the form from Client.FrontConsume or
//     Client.FrontPreAuth is served by the merchant's web server, and a scripted browser (plain
//     net/http and an HTML tokenizer, no JavaScript) loads it, submits it to the gateway, pays
//     on the cashier page (some shoppers use a declined card and retry under a new orderId, some
//     abandon), and follows the auto-post form back to the merchant's frontUrl;
//   - back transactions on the paid orders: consume cancel, partial and repeated refunds,
//     pre-auth completion (some over the 115% limit), pre-auth cancel, completion cancel, and a
//     few requests the gateway must reject;
//   - app consume: the tn from Client.AppConsume, paid by the gateway's stand-in for the app
//     control, then cancelled or refunded like the others;
//   - collections (11) and payouts (12) with the card number and customer data encrypted,
//     while a maintenance goroutine rotates the gateway's encryption certificate and fetches
//     the new one with Client.UpdateEncryptionCertificate;
//   - the gateway's asynchronous notifications, received by notify.Handler on the merchant's
//     backUrl, and status queries (Client.QueryUntilFinal) for everything still open.
//
// One business order in four goes through a client configured for GBK, so pages, forms,
// notifications and answers travel in both charsets.
//
// Meanwhile the gateway injects faults at random from a fixed seed (unionpaytest.WithFaults):
// HTTP 503, dropped connections, truncated bodies, answers delayed past the client's timeout,
// answers signed with a wrong key or under an expired or wrongly named certificate, duplicate,
// late and early (before the synchronous answer) notifications; some transactions are
// scripted through pending codes (03, 04, 05) before their result; and the merchant's own store
// fails now and then, so that notify.Handler answers 500 and the gateway sends again. An
// attacker goroutine posts forged notifications to the same backUrl: signed under a
// self-signed certificate carrying UnionPay's name or by another CA's look-alike chain,
// captured genuine ones with the amount, result or orderId changed, with CRLF turned into LF
// in signPubKeyCert, downgraded to signMethod 11 or version 5.0.0, unsigned, oversized,
// non-POST, garbage, and verbatim replays.
//
// The merchant's ledger is built only from what the SDK reported: accepted answers, pending
// outcomes resolved by queries, rejections, and verified notifications. At the end (after the
// merchant's end-of-day sweep has queried whatever was still open, and booked by the day's
// settlement file the payouts UnionPay's payout codes 01, 12, 34 and 60 leave pending) the test checks, order by
// order and fen by fen, that the ledger equals the gateway's: its settled records for the day
// and its whole transaction ledger (Server.Transactions: outcomes, amounts, queryIds, refunded
// totals and cancel flags, pre-authorisations and failures included); that no business order
// was charged twice and no success was missed; that every forged message was refused by
// notify.Handler and none changed the ledger; that no genuine notification was refused; and
// that the day's settlement file, downloaded through Client.DownloadFile and read with package
// reconcile, agrees with its own summary report and matches the ledger with zero differences
// (reconcile.Match).
//
// The short version runs with go test (320 business orders, about 600 transactions, well under
// a minute under -race; 80 with -short). The long version takes flags:
//
//	go test ./soak -run TestSoak -soak.long=10m            # as many orders as fit in 10 minutes
//	go test ./soak -run TestSoak -soak.orders=5000         # a fixed number of orders
//	UNIONPAY_SOAK_LONG=10m go test ./soak -run TestSoak    # the same through the environment
//
// -soak.seed changes the seed; -soak.workers the number of concurrent merchant workers. The seed
// fixes, business order by business order, the merchant's choices (path, amounts, cards,
// scripted outcomes: rand.NewPCG(seed, order number)) and the gateway's random faults, which
// unionpaytest.WithFaults draws per order, not in order of arrival: with the same seed an order
// that sends the same requests gets the same faults, whatever the number of workers and however
// they interleave. Rerun with a failing seed, the order that failed meets the same faults again,
// unless timing changes what it sends. The run as a whole is not replayed exactly: timing still
// decides whether a notification arrives before the merchant stops waiting for it (and so how
// many queries follow, and which path an order takes next), whether a loaded machine's client
// times out, when the encryption certificate rotates (its txnType 95 requests take their orderId
// from the clock and random digits) and what the attacker sends when. The invariants must hold for every run.
package soak
