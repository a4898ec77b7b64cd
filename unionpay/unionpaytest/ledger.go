package unionpaytest

import (
	"fmt"
	"time"

	"github.com/goacp/unionpay/sign"
)

// txn is one transaction the gateway knows. Guarded by Server.mu.
type txn struct {
	req       sign.Fields // the request as received
	kind      string      // txnType
	back      bool        // back transaction (notifies on failure too)
	orderID   string
	txnTime   string
	amount    int64
	queryID   string
	traceNo   string
	traceTime string
	tn        string
	at        time.Time // gateway time of acceptance or payment, Beijing
	day       time.Time // settle day: that of at, or of the moment it became final if later
	code      string    // current status; "" = front/app order not paid yet
	steps     []Outcome // remaining scripted steps (queries consume them)
	final     bool      // reached success or failure, effects applied
	finalSeq  uint64    // order in which transactions became final (refund fee shares)
	orig      *txn      // original of a cancel, refund or completion
	reserved  int64     // amounts of pending refunds/completions against this one
	used      int64     // refunded (consume, completion) or completed (pre-auth) amount
	undone    bool      // cancelled
	undoing   bool      // a cancel is pending
	pan       string    // card paid with (front/app), for accNo and settlement files
	opened    string    // card a back open (79) opened, for the open query (78); a token delete's (74) card
	session   string    // cashier session id (front)
	qrCode    string    // the code issued to a QR-code application (01/07), which PayQRCode pays
	repayable bool      // declined by its card at the cashier (not by a Script): may be paid again

	// With WithLedgerLimit only:
	gone    bool                // dropped from the ledger: no delivery of it starts
	retries map[*retry]struct{} // its background deliveries in flight, which forgotten stops
}

// settleDate returns the MMDD settle date (see settleDay).
func (t *txn) settleDate() string { return t.day.Format("0102") }

// cutoff is how long before Beijing midnight UnionPay's day ends: a transaction accepted at 23:00
// or later settles on the next calendar date.
const cutoff = time.Hour

// settleDay returns the settle date of a transaction accepted at t (in the gateway's location):
// midnight of its Beijing calendar date, or of the next one from 23:00.
func settleDay(t time.Time) time.Time {
	y, m, d := t.Add(cutoff).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, t.Location())
}

// register records a new transaction under its orderId (and queryId when it has one).
// Callers hold s.mu.
func (s *Server) register(t *txn) {
	s.orders[t.orderID] = t
	if t.queryID != "" {
		s.byQueryID[t.queryID] = t
	}
	s.remember(t)
}

// remember adds t to the ledger's order of recording and, past WithLedgerLimit, forgets the
// oldest transaction recorded. Without the limit the order is not kept: nothing is forgotten.
// Callers hold s.mu.
func (s *Server) remember(t *txn) {
	if s.ledger.limit == 0 {
		return
	}
	old, dropped := s.ledger.add(t)
	if !dropped {
		return
	}
	live := false
	if s.orders[old.orderID] == old {
		delete(s.orders, old.orderID)
		live = true
	}
	if old.queryID != "" && s.byQueryID[old.queryID] == old {
		delete(s.byQueryID, old.queryID)
		live = true
	}
	if old.session != "" && s.sessions[old.session] == old {
		delete(s.sessions, old.session)
		live = true
	}
	if qr := old.req["qrNo"]; qr != "" && s.qrNos[qr] == old {
		delete(s.qrNos, qr) // forgotten: its code may pay again
	}
	if !live {
		s.ledger.dropped-- // forget removed it already: the limit dropped nothing
	}
	s.forgotten(old, live)
}

// forgotten lets go of what the gateway keeps about t besides the ledger, now that
// WithLedgerLimit has dropped it from the ledger, so that a gateway left running for days holds
// bounded memory: the notifications of t still on their retry schedule stop (an attempt under
// way is cut short), and, when t was still known (live), the token deletes (74) counted for its
// card when no transaction of that token is left, and the fault draws of its orderId when no
// transaction the gateway keeps holds that orderId (WithFaults: the orderId used again draws as a
// new one). An SMS (77) whose orderId its consume or open (79), or a second SMS, took over
// leaves the draws to the transaction that holds the orderId now. Callers hold s.mu.
func (s *Server) forgotten(t *txn, live bool) {
	t.gone = true
	for r := range t.retries {
		r.stop()
	}
	if !live {
		return
	}
	if s.orders[t.orderID] == nil {
		delete(s.draws, orderSubject(t.orderID))
	}
	if key := tokenKey(t); key != "" {
		s.forgetTokenDeletes(key)
	}
}

// forgetTokenDeletes forgets the deletes counted for the token key (trId|card, see tokenFor)
// once no transaction the gateway keeps concerns it: no open, update or delete of that card's
// token for that trId. The card's next open then gives the token its first open gave, as if the
// forgotten ones had never been sent. Callers hold s.mu.
func (s *Server) forgetTokenDeletes(key string) {
	if _, ok := s.tokenDeletes[key]; !ok {
		return
	}
	for _, t := range s.orders {
		if tokenKey(t) == key {
			return
		}
	}
	delete(s.tokenDeletes, key)
}

// forgottenHint returns what a refusal for an unknown transaction adds once WithLedgerLimit
// has made the gateway forget some: the transaction may be one of them. Callers hold s.mu.
func (s *Server) forgottenHint() string {
	if s.ledger.dropped == 0 {
		return ""
	}
	return fmt.Sprintf(" (or one of the %d oldest, forgotten under WithLedgerLimit(%d))",
		s.ledger.dropped, s.ledger.limit)
}

// assignIDs gives t its queryId, traceNo and traceTime at gateway time now. Callers hold s.mu.
func (s *Server) assignIDs(t *txn, now time.Time) {
	t.at = now
	t.day = settleDay(now)
	t.queryID = s.newQueryID(now)
	t.traceNo = fmt.Sprintf("%06d", s.seq%1000000)
	t.traceTime = now.Format("0102150405")
	s.byQueryID[t.queryID] = t
}

// start applies the first scripted step (or success) to a transaction just accepted or paid and
// returns the code to answer synchronously and whether a notification is due. Callers hold s.mu.
func (s *Server) start(t *txn, first string) (syncCode string, notify bool) {
	steps := t.steps
	code := first
	if len(steps) > 0 {
		code, steps = string(steps[0]), steps[1:]
	}
	t.steps = steps
	if code == CodeSuccess && len(steps) > 0 {
		t.code = CodeAccepted // accepted; the result comes with the next steps
		return CodeSuccess, false
	}
	return code, s.finish(t, code)
}

// observe moves a transaction to its next scripted step, as a query or Advance sees it, and
// reports whether a notification is now due. Callers hold s.mu.
func (s *Server) observe(t *txn) bool {
	if len(t.steps) == 0 || t.final {
		return false
	}
	code := string(t.steps[0])
	t.steps = t.steps[1:]
	return s.finish(t, code)
}

// finish sets t's status to code; the first time it is final (not 03/04/05/83, nor for a payout
// with script steps left 01/12/34/60) the effects on the original are applied. It reports whether
// a notification is due: success always, failure for back transactions. Callers hold s.mu.
func (s *Server) finish(t *txn, code string) bool {
	if t.final {
		return false // a final status never changes; later script steps are ignored
	}
	t.code = code
	if isPendingCode(code) || t.kind == "12" && len(t.steps) > 0 && isPayoutQueryAgainCode(code) {
		return false
	}
	t.final = true
	// A transaction that became final after its settle day ended (pending over the cut-over)
	// settles on the day it became final: the file of a closed day never changes.
	if d := settleDay(s.Now()); d.After(t.day) {
		t.day = d
	}
	s.finals++
	t.finalSeq = s.finals
	ok := isSuccess(code)
	if o := t.orig; o != nil {
		switch t.kind {
		case "04", "03":
			o.reserved -= t.amount
			if ok {
				o.used += t.amount
			}
		case "31", "32", "33":
			o.undoing = false
			if ok {
				o.undone = true
				if t.kind == "33" && o.orig != nil {
					o.orig.used -= o.amount
				}
			}
		}
	}
	return ok || t.back
}

// admitBack checks a back transaction against its original and the order book, and records it.
// Callers hold s.mu.
func (s *Server) admitBack(req sign.Fields, now time.Time) (*txn, *rejection) {
	if o, dup := s.orders[req["orderId"]]; dup && !smsHeld(o, req) {
		return nil, refuse(CodeDuplicate, "orderId %s already used", req["orderId"])
	}
	amount, _ := parseAmount(req["txnAmt"]) // checked by checkValues
	t := &txn{req: req, kind: req["txnType"], back: true, orderID: req["orderId"], txnTime: req["txnTime"],
		amount: amount}
	if id := req["origQryId"]; id != "" || needsOriginal(t.kind) {
		o := s.byQueryID[id]
		if o == nil {
			return nil, refuse(CodeBadOriginal, "origQryId %q not found%s", id, s.forgottenHint())
		}
		if rej := s.checkOriginal(t, o, now); rej != nil {
			return nil, rej
		}
		t.orig = o
		switch t.kind {
		case "04", "03":
			o.reserved += amount
		case "31", "32", "33":
			o.undoing = true
		}
	}
	s.assignIDs(t, now)
	t.steps = s.takeScript(t.orderID)
	s.register(t)
	return t, nil
}

// subMerchantOf returns the sub-merchant a request names: its subMerId under accessType 2, ""
// otherwise.
func subMerchantOf(req sign.Fields) string {
	if req["accessType"] != "2" {
		return ""
	}
	return req["subMerId"]
}

func needsOriginal(kind string) bool {
	switch kind {
	case "31", "04", "03", "32", "33":
		return true
	}
	return false
}

// checkOriginal applies the rules linking a cancel, refund or completion to its original.
func (s *Server) checkOriginal(t, o *txn, now time.Time) *rejection {
	want := map[string]string{"31": "01", "04": "01", "03": "02", "32": "02", "33": "03"}[t.kind]
	if o.kind != want && !(t.kind == "04" && o.kind == "03") {
		return refuse(CodeMismatch, "txnType %s cannot apply to an original of txnType %s", t.kind, o.kind)
	}
	if rej := qrFollowUp(t.req, o.req); rej != nil {
		return rej
	}
	// A platform's sub-merchant acts on its own transactions only: another's refund would move
	// money between their settlements.
	if sub, orig := subMerchantOf(t.req), subMerchantOf(o.req); sub != orig {
		return refuse(CodeMismatch, "original %s is sub-merchant %q's, not %q's", o.queryID, orig, sub)
	}
	if !isSuccess(o.code) || o.undone || o.undoing {
		return refuse(CodeBadOriginal, "original %s is not a settled success (status %q, cancelled %v)",
			o.queryID, o.code, o.undone || o.undoing)
	}
	switch t.kind {
	case "31", "32", "33":
		if t.amount != o.amount {
			return refuse(CodeMismatch, "cancel amount %d, original %d: only the full amount", t.amount, o.amount)
		}
		if o.used != 0 || o.reserved != 0 {
			return refuse(CodeBadOriginal, "original %s already refunded or completed", o.queryID)
		}
		if day, today := o.day, settleDay(now); (t.kind == "31" || t.kind == "33") && !day.Equal(today) {
			return refuse(CodeBadOriginal, "cancel on settle day %s of an original settled %s: only the same settle day (it ends at 23:00)",
				today.Format("20060102"), day.Format("20060102"))
		}
		if t.kind == "32" && now.After(o.at.AddDate(0, 0, 30)) {
			return refuse(CodeBadOriginal, "pre-authorisation cancel more than 30 days after the pre-authorisation of %s",
				o.at.Format("20060102"))
		}
	case "04":
		if now.After(o.at.AddDate(0, 11, 0)) {
			return refuse(CodeBadOriginal, "refund more than 11 months after the original of %s", o.at.Format("20060102"))
		}
		if t.amount+o.used+o.reserved > o.amount {
			return refuse(CodeOverLimit, "refund %d with %d refunded or pending exceeds the original %d",
				t.amount, o.used+o.reserved, o.amount)
		}
	case "03":
		if o.used != 0 || o.reserved != 0 { // one completion per pre-authorisation, until it is cancelled
			return refuse(CodeBadOriginal, "pre-authorisation %s already completed", o.queryID)
		}
		if now.After(o.at.AddDate(0, 0, 30)) {
			return refuse(CodeBadOriginal, "completion more than 30 days after the pre-authorisation of %s", o.at.Format("20060102"))
		}
		if limit := o.amount * 115 / 100; t.amount+o.used+o.reserved > limit {
			return refuse(CodeOverLimit, "completion %d exceeds 115%% of the pre-authorisation %d", t.amount, o.amount)
		}
	}
	return nil
}

// smsHeld reports whether o, the transaction holding req's orderId, is the SMS that asked for
// req's verification code: a consume SMS (77/02) with req's txnTime and txnAmt, for a back
// consume (01). UnionPay's samples send the consume SMS and then the consume with the same
// orderId, txnTime and txnAmt; the consume then takes the orderId over (a query by orderId finds
// the consume, a query by the SMS's queryId the SMS).
func smsHeld(o *txn, req sign.Fields) bool {
	return o.kind == "77" && o.req["txnSubType"] == "02" && req["txnType"] == "01" &&
		o.txnTime == req["txnTime"] && o.req["txnAmt"] == req["txnAmt"]
}

// smsForOpen reports whether o, the transaction holding req's orderId, is an SMS (77) sent with
// req's txnTime for the code of req, an open (79) or a token update (79/03): UnionPay's samples
// send the open SMS and then the open under the same orderId and txnTime ([unionpay.Client.OpenCard]
// says so), and the .NET token sample its update the same way. The open then takes the orderId
// over, as a consume takes over its consume SMS's (see smsHeld).
func smsForOpen(o *txn, req sign.Fields) bool {
	return o.kind == "77" && req["txnType"] == "79" && o.txnTime == req["txnTime"]
}

// lookup finds the transaction a query names: by queryId, or by orderId and its txnTime.
// Callers hold s.mu.
func (s *Server) lookup(req sign.Fields) *txn {
	var t *txn
	if id := req["queryId"]; id != "" {
		t = s.byQueryID[id]
	} else if o := s.orders[req["orderId"]]; o != nil && o.txnTime == req["txnTime"] {
		t = o
	}
	if t == nil || t.code == "" {
		return nil // unknown, or a front order nobody has paid yet
	}
	return t
}

// forget removes a transaction admitted a moment ago that must be refused after all, releasing
// what it reserved on its original. Callers hold s.mu.
func (s *Server) forget(t *txn) {
	delete(s.orders, t.orderID)
	delete(s.byQueryID, t.queryID)
	if qr := t.req["qrNo"]; qr != "" && s.qrNos[qr] == t {
		delete(s.qrNos, qr)
	}
	if o := t.orig; o != nil {
		switch t.kind {
		case "04", "03":
			o.reserved -= t.amount
		case "31", "32", "33":
			o.undoing = false
		}
	}
}
