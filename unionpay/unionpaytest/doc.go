// Package unionpaytest is a fake UnionPay full-channel (全渠道, ACP) gateway for tests, examples
// and sandboxes, in the spirit of net/http/httptest.
//
// [NewServer] starts the gateway on a loopback address (TLS by default, trusted by
// [Server.HTTPClient]) with its own PKI: a root, a middle and a response-signing certificate named
// like UnionPay's (041@8310000000083040@中国银联股份有限公司@00016495; [WithSHA1Chain] signs the chain
// with SHA-1 like UnionPay's real one), an encryption certificate, and a test merchant with its
// key, certificate and PFX ([Server.MerchantPFX]; [WithSM2] adds an SM2 merchant, whose .sm2 file
// [Server.MerchantSM2File] writes). [Server.Config] hands a client everything it needs;
// [Server.VerifierConfig] and [Server.NotifyVerifier] serve notification handlers. The package
// example pays, refunds and queries an order through it with the real client.
//
// A test typically calls, in order: [NewServer] (with [WithReporter] given its *testing.T, and
// [WithClock] for a fixed time), [unionpay.NewClient] with [Server.Config], the shop's code under
// test, [Server.Pay] or [Server.Complete] to play the shopper, [Server.WaitNotifications] before
// asserting on what was notified, and [Server.Settlement] for the day's file.
//
// # What it checks
//
// The gateway is strict. Every request's signature, certId, version, signMethod, the fields its
// txnType requires, the fields its accessType requires (acqInsCode for 1; subMerId, subMerName
// and subMerAbbr for a platform's 2: 13 without one), txnTime freshness against the gateway
// clock ([WithClock]), orderId format (8 to 40 letters and digits) and amounts are checked, and violations are answered with the
// respCode UnionPay would use (see the Code constants) and sent to a [Reporter] such as
// *testing.T. Answers use UnionPay's raw format (not URL-encoded, signPubKeyCert with CRLF) and
// are signed.
//
// It is a CNY gateway: a currencyCode other than 156 is refused 10 (a batch's row on its own),
// its answers and notifications name 156 with settleAmt equal to txnAmt, and its RD report's
// 清算币种 is 人民币. A merchant charging in another currency rehearses its flows here in CNY, and
// tests its handling of another currency, exchange rate and settlement amount with notifications
// of its own making that [Server.SignNotification] signs, or on UnionPay's test environment.
//
// # Orders and their state
//
// It keeps order state: consume then cancel (same settle day, full amount) or refunds (up to
// the original), pre-authorisation then one completion (up to 115%) and their cancels (a
// platform's sub-merchant only its own: another's is refused 36, the fake's choice, UnionPay's
// answer not being established; answers, notifications and settlement records name the
// transaction's subMerId, the file its subMerAbbr too, with no split: SplitMode blank); a reused
// orderId is a duplicate (12), except that a back consume takes over the orderId of the SMS (77)
// sent for its code with the same txnTime, as UnionPay's samples send them, an open (79) or a
// token update that of its SMS the same way, and an SMS may be sent again on its orderId; queries
// report origRespCode, with the transaction's txnType but the query's own bizType echoed, as a
// capture of UnionPay's test environment answers (a 2024 query sent with 000000 about a gateway
// consume): a query answer does not tell the payment's product, its notification does.
//
// Front transactions land on a cashier
// page, whose pay button sends the browser back to frontUrl with a signed result while a signed
// notification goes to backUrl on UnionPay's schedule (at once, then after 1, 2, 4 and 5 minutes,
// compressed by [WithTimeScale]) until the merchant answers 200. [Server.Pay] plays the browser
// without one; [Server.Complete] pays app orders directly, and front orders once their form
// has reached the gateway (posted by the browser or by Pay: a form only signed is unknown to
// it), as after a decline.
//
// An order whose card the cashier declined ([DeclinedCard], 64; not a Script's failure) may be
// paid again, on the same cashier page or with Complete (posting the form again is a duplicate,
// 12), until its payTimeout (without one, at any time); the declined attempt keeps its queryId,
// which queries still answer 64. A front form posted after its payTimeout is refused 39, as a
// late payment is, and not reported. A pending refund or cancel counts against the original (a
// second refund beyond what is left is 33): the fake's choice, on the safe side.
//
// # Card opening, tokens and QR codes
//
// A front open (开通, txnType 79, posted to frontTransReq.do) lands on the cashier page: "paying" opens the card, and the result
// and notification carry no amount; for the token product (bizType 000902, whose tokenPayData
// must name a trId) they carry tokenPayData with a token, the same for the same card and trId.
// A back open (79 at backTransReq.do, which has no notification) of the token product, which
// needs tokenPayData too, answers 00 with that token in its tokenPayData.
//
// The open query (78, at backTransReq.do) answers about a front or back open: by its orderId and
// txnTime (txnSubType 02, the token product's) 00 with that token when it opened the card, 77 when
// it failed, its code while it is pending, 34 for an open the gateway has not got (or one the
// shopper has not completed); by card (00, 认证支付 2.0's) 00 when an open of that card under the
// query's bizType succeeded, 77 otherwise. [Server.ScriptQuery] scripts its answers as a query's.
// A consume by token (01, bizType 000902, tokenPayData {trId=...&token=...} and no accNo, which
// the token product's back consume needs instead of accNo) and its SMS (77/02) must name a token
// an open of this gateway issued to that trId, else they are refused 89 (no such token, or
// another requestor's); the consume is then a back consume of that card: notified, queried and
// filed (its ZM record shows that card) as one by card number.
//
// The token's delete (解除标记, 74/01, bizType 000902 only, at backTransReq.do) and update (更新标记,
// 79/03, with the card's new details in customerInfo) name the token in tokenPayData as a consume
// does, and are refused 89 likewise. Neither is notified: the answer decides. A delete answers 00
// and the token pays no more (refused 89 from then on); the card's next open, and an open query,
// give another token. An update answers 00 with the same token in tokenPayData, which goes on
// paying.
//
// QR-code payment (二维码支付, bizType 000000, at backTransReq.do only): an application (01/07)
// records an unpaid order and answers its qrCode (a URL of this server's, "/qrcode/..."), which
// [Server.PayQRCode] pays as the payer's app would (as Complete pays an app order: notified on
// success, queried, filed; a query of an unpaid code answers 34); a consume by the payer's code
// (01/06, qrNo of 1 to 20 digits and termId, no accNo) is a back consume of [TestCard], shaped by
// Script. A payer's code pays once: a consume with a qrNo whose earlier consume succeeded or is
// still pending (a blind retry under a new orderId, where the pending consume should have been
// queried) is refused 10 and reported to the Reporter; one whose consume ended failed may be
// consumed again (a code whose consume WithLedgerLimit has forgotten, too). Which respCode
// UnionPay answers a used code is not established: 10 is the fake's choice, its refusal of an
// invalid field value. A qrNo is never quoted in a refusal. A refund or consume cancel of a QR-code
// payment (either way of scanning) must be sent under its bizType, 000000, as UnionPay's QR refund
// sample sends it: one under another (unionpay.FollowUpRequest's default 000201, forgotten) is
// refused 36 and reported, and moves nothing (UnionPay's answer to one is not established).
//
// B2B gateway payment (企业网银支付, bizType 000202): a consume form as UnionPay's B2B samples send
// it (txnSubType 01, channelType 07, at frontTransReq.do) is paid on the cashier page as a B2C one
// is; another txnSubType or channelType is refused 10, and the consume at another endpoint 32.
// Its refund and query are any refund's and query's.
//
// # Settlement files and the settle day
//
// The file-download transaction (76) returns the day's settlement zip (ZM, ZME when error
// records were added, and RD members written with package reconcile) built from the transactions
// that settled, as fileContent = base64(zlib(zip)); batch transactions (21, 22) in the file format
// of UnionPay's payout demo, the encryption-certificate query (95, with
// [Server.RotateEncryptionCert]), back-end transactions with encrypted accNo, and app orders (tn)
// are served too.
//
// The settle day ends at 23:00 Beijing time, as UnionPay's does: a transaction
// accepted from 23:00 on settles the next calendar date (its answers' settleDate says so and it is
// in that day's file), one still pending when its day ends settles on the day it becomes final
// (so that a day's file, once the day has ended, never changes), and a cancel at 23:30 of a
// payment at 22:30 is refused (a refund is not). A reconciliation that groups orders by calendar date fails here as in production: pass
// [reconcile.Match] the orders of UnionPay's day (by the settleDate it reports). The file of a day
// is served at once, the day under way included, so that a test can reconcile the day it paid;
// UnionPay publishes it some time after the day ends, and answers 98 ([unionpay.ErrNoFile]) until
// then: [WithFilePublication] does too, for the test of a daily job.
//
// # Faults and scripts
//
// Faults are injected per order ([Server.FailOrder]), per endpoint ([Server.FailEndpoint]) or at
// random with a seed ([WithFaults]): 5xx (before processing, or a proxy's 502 page after it:
// [FaultBadGateway]), dropped connections, truncated bodies, delays past the
// client timeout, pending answers, answers signed with a wrong key or under an expired or wrongly
// named certificate, and duplicate, late, early, forged or wrongly signed notifications. Random
// faults are drawn per order, not in order of arrival: with a seed, an order that sends the same requests gets
// the same faults in every run, however concurrent clients interleave; [Server.FaultLog] lists
// the faults shown, to tell which one made a test fail. [Server.Script] makes a
// transaction go through pending states before its result, and [Server.ScriptQuery] answers an
// order's next queries with their own respCode (pending, busy, queried too often). Script and
// FailOrder name the orderId before the shop makes it: make the shop's orderId generator
// injectable in tests, or aim at the next request with FailEndpoint. [Server.Close] reports to
// the Reporter every Script and queued fault that nothing took.
//
// [Server.Transactions] exports the
// gateway's ledger and [Server.Records] the settlement lines, for comparing with what a merchant
// recorded; [Server.AlterRecord] and [Server.AddRecord] make the settlement file disagree with
// the ledger (an amount changed, a transaction left out, one nobody answered). [Server.Requests]
// lists what the merchant's code sent, every request the gateway received with the respCode it
// answered (a refusal and a fault too, card data never), and [Server.Received] counts them by
// orderId and txnType: a pending refund queried, never sent again, is Received(id, "04") == 1.
//
// All of this is kept for the life of the Server, as a test wants. A gateway left serving for
// days (the sandbox of cmd/unionpay) bounds it: [WithHistoryLimit] keeps the latest requests,
// notification attempts and faults, [WithLedgerLimit] the latest transactions and what the
// gateway keeps about orders (fault draws, token deletes), and [Server.Dropped] counts what they
// dropped; Received panics rather than count short.
//
// # Certificate events
//
// UnionPay's certificate events are rehearsed against a running client and notification handler
// configured before them: [Server.RotateEncryptionCert], [Server.RotateSigningCert] (a new
// signing certificate under the same chain: nothing to do for 5.1.0, a certificate to add for
// 5.0.0) and [Server.RotateRoot] (a new root and middle, which the merchant must have configured
// as its verifier's next chain, and for 5.0.0 a signing certificate to add; until then answers
// are unverified and notifications refused).
//
// # Time and notifications
//
// To assert on what was notified once a test's transactions are final, call
// [Server.WaitNotifications] rather than sleeping. Notifications wait for their retries on the
// wall clock (scaled by [WithTimeScale]); on a [Clock] given to [WithTestClock] they wait for
// the test to move it, so that a retry after a refused attempt is sent when the clock reaches
// its time, and only then, with no real wait (see the example of [WithTestClock]). Two patterns help: to
// assert a state between an answer and its notification (a refund still pending after a lost
// answer, say), hold notifications back with a long [WithNotifySchedule] (on a test clock too,
// until it is moved that far: a test clock alone holds back only the retries) and deliver them
// with [Server.Notify]; to model a gateway outage's notifications (none for a while, then the
// backlog at once, often twice), [Server.HoldNotifications] holds every notification the gateway
// would start and [Server.ReleaseNotifications] delivers them in a burst; a fault that holds the answer until the client gives up (FaultDelay)
// takes as long as the client's timeout, 30 seconds with [Server.Config]'s HTTPClient, so lower
// cfg.HTTPClient.Timeout in such tests.
//
// # Without a network, and misuse
//
// Handlers can be unit-tested without a network: [Server.Sign], [Server.SignNotification] and
// [Server.SignWithFault] sign any message as the gateway (or a faulty gateway) would.
//
// Key generation dominates [NewServer]; tests that start many servers share one [Keys]
// ([NewKeys], [WithKeys]). [WithMerchantCertificates] lets a client signing with UnionPay's public
// test PFX talk to the fake gateway.
//
// Misuse panics, as httptest's does, with an error naming the option or method and the value:
// [NewServer] on an unusable option, and [Server.FailOrder], [Server.FailEndpoint] and
// [Server.Script] on a Fault, Endpoint or Outcome that is not one of the constants (or not a
// respCode). Methods with an error result return bad arguments as errors.
//
// A Server has no package-level state; parallel tests each start their own. The package does not
// import testing.
package unionpaytest
