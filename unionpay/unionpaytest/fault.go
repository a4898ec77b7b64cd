package unionpaytest

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/goacp/unionpay/sign"
)

// Fault is a misbehaviour the gateway can be told to show. Response faults apply to one
// synchronous answer; notification faults apply to the notification a request or payment triggers.
type Fault int

// Faults. Except Fault5xx, response faults happen after the request took effect: the transaction
// exists and a query finds it, only the answer is lost or wrong, as when a real network fails on
// the way back.
const (
	// FaultNone is no fault.
	FaultNone Fault = iota
	// Fault5xx answers 503 before processing: the request has no effect. A real 5xx proves no
	// such thing (a proxy's may come after UnionPay took the request): FaultBadGateway shows one.
	Fault5xx
	// FaultDrop closes the connection without an answer (hijack and close).
	FaultDrop
	// FaultTruncate sends a Content-Length for the whole answer and only half the body.
	FaultTruncate
	// FaultDelay holds the answer until the client gives up (or WithFaultDelay passes): as long
	// as the client's timeout, 30 seconds with Config's HTTPClient. A client that gives up gets
	// no answer: the connection (or HTTP/2 stream) is closed. The transaction is processed.
	FaultDelay
	// FaultWrongKey signs the answer with a key that does not match its certificate.
	FaultWrongKey
	// FaultExpiredCert signs the answer with UnionPay's key under an expired certificate (for
	// 5.0.0, one that VerifierConfig's LegacyCerts hold, as a merchant that kept it: refused as
	// expired).
	FaultExpiredCert
	// FaultWrongName signs the answer under a certificate whose owner is not UnionPay (for 5.0.0,
	// whose certificates are configured, not checked for an owner, it is refused as an unknown
	// certId). A message signed with a secure key (signMethod 11, 12) has no certificate: this
	// fault and FaultExpiredCert sign it with a wrong key, as FaultWrongKey does.
	FaultWrongName
	// FaultPending makes the transaction the request creates go through pending first: answered
	// 05, its first query sees 05, the next 00 (as Script(orderID, Pending, Pending, Succeed) would,
	// unless the order already has a script). It has no effect on other requests, but for a copy
	// of the request sent at the same time (a resend, a form posted twice): whichever of the two
	// creates the transaction, it goes through pending.
	FaultPending
	// FaultDuplicateNotify delivers the notification twice (each with its full retry schedule).
	FaultDuplicateNotify
	// FaultLateNotify delays the first notification attempt by the whole retry schedule.
	FaultLateNotify
	// FaultNotifyFirst delivers the notification (one attempt) before the synchronous answer is
	// written; later attempts follow the schedule if that one is not answered 200.
	FaultNotifyFirst
	// FaultForgedNotify sends, once and before the genuine notification, a forged copy: txnAmt
	// raised by 1 fen and the signature left as it was, as an attacker replaying an altered
	// message would. A merchant must reject it (the Delivery is marked Forged).
	FaultForgedNotify
	// FaultNotifyWrongKey signs the notification (every attempt) with a key that does not match
	// its certificate, as FaultWrongKey signs an answer: a merchant must refuse it (not 200), and
	// UnionPay's sends run out; the order is then known by a query. Refused, the notification
	// takes its whole schedule, 12 minutes of wall time by default, before
	// [Server.WaitNotifications] returns: give such a test a short one (WithNotifySchedule(0), or
	// WithTimeScale), or a test clock ([WithTestClock]) to move past it. So do
	// FaultNotifyExpiredCert and FaultNotifyWrongName.
	FaultNotifyWrongKey
	// FaultNotifyExpiredCert signs the notification under an expired certificate, as
	// FaultExpiredCert signs an answer.
	FaultNotifyExpiredCert
	// FaultNotifyWrongName signs the notification under a certificate whose owner is not
	// UnionPay, as FaultWrongName signs an answer.
	FaultNotifyWrongName
	// FaultBadGateway answers 502 with a proxy's HTML error page (its title "502 Bad Gateway")
	// after the request took effect, as a load balancer in front of UnionPay that gave up
	// waiting does: the transaction exists, a query finds it, it is notified and filed. Unlike
	// Fault5xx, it catches code that takes a 5xx as "not sent" and pays again under a new
	// orderId (a second charge here); the client reports it pending, to query.
	FaultBadGateway
	// faultEnd marks the end of the list.
	faultEnd
)

// String returns the fault's short name.
func (f Fault) String() string {
	names := [...]string{"none", "5xx", "drop", "truncate", "delay", "wrong-key", "expired-cert",
		"wrong-name", "pending", "duplicate-notify", "late-notify", "notify-first", "forged-notify",
		"notify-wrong-key", "notify-expired-cert", "notify-wrong-name", "bad-gateway"}
	if f >= 0 && f < faultEnd {
		return names[f]
	}
	return "Fault(" + strconv.Itoa(int(f)) + ")"
}

// MarshalText returns the fault's short name, as String does, so that encoding/json writes
// "drop" rather than 2, and a [FaultRates] map's keys as names.
func (f Fault) MarshalText() ([]byte, error) { return []byte(f.String()), nil }

// UnmarshalText sets f to the fault whose short name is text ("none", "5xx", "drop"...), one of
// the words MarshalText writes. Any other text, a number and "Fault(N)" included, is an error
// naming it, and leaves f unchanged.
func (f *Fault) UnmarshalText(text []byte) error {
	for g := FaultNone; g < faultEnd; g++ {
		if g.String() == string(text) {
			*f = g
			return nil
		}
	}
	return fmt.Errorf("unionpaytest: fault %q is not one of the names of Fault's constants (none, 5xx, drop...)", text)
}

func (f Fault) isNotification() bool {
	return f == FaultDuplicateNotify || f == FaultLateNotify || f == FaultNotifyFirst || f == FaultForgedNotify ||
		f.signatureFault() != FaultNone
}

// signatureFault returns the answer-signing fault a notification fault signs every attempt
// with (FaultWrongKey for FaultNotifyWrongKey, ...), or FaultNone.
func (f Fault) signatureFault() Fault {
	switch f {
	case FaultNotifyWrongKey:
		return FaultWrongKey
	case FaultNotifyExpiredCert:
		return FaultExpiredCert
	case FaultNotifyWrongName:
		return FaultWrongName
	}
	return FaultNone
}

// FaultRates gives, per fault, the probability (0 to 1) that a request (response faults) or a
// notification (notification faults) shows it. The faults of one kind exclude each other: one
// draw picks at most one, so the rates of a kind should add up to 1 at most (past that, the
// later faults in Fault order get what is left). See WithFaults.
type FaultRates map[Fault]float64

// Outcome is one step of a scripted transaction: a respCode. See [Server.Script].
type Outcome string

// Outcomes. Any other respCode, for example Outcome("64"), is a failure with that code. The
// gateway's ledger treats a failure as final (for a payout, only as the last step of its Script:
// see [Server.Script]); for a payout (txnType 12), though, UnionPay's
// payout product asks the merchant to go on querying after 01, 12, 34 and 60 and to go by the
// settlement file in the end, and the unionpay client reads them as pending for payouts: a
// payout scripted Failed (01) then stays pending at the merchant until the settlement files,
// in which it does not appear, settle it. (The fake's 01 is final, and its file for a day lists
// what has settled so far, today's included, unless [WithFilePublication]: a real day's file
// comes out the next day.) Script
// Rejected or NoBalance for a payout failure the merchant should see as final, and Failed (or
// Outcome("12"), Outcome("34"), Outcome("60")) followed by more steps for a payout answered so
// that goes through after all: for a payout, those codes end the script only as its last step.
const (
	Succeed    Outcome = "00" // success (synchronously: accepted and done)
	Pending    Outcome = "05" // accepted, result not known yet
	TimedOut   Outcome = "03" // timed out at UnionPay, query later
	Unknown    Outcome = "04" // state unknown, query later
	IssuerBusy Outcome = "83" // the issuer (channel) still processing, query later
	Failed     Outcome = "01" // transaction failed
	Rejected   Outcome = "30" // declined (交易未通过)
	NoBalance  Outcome = "64" // insufficient balance
	RiskDenied Outcome = "38" // risk control
)

// Script fixes what happens to the transaction with orderID (sent later): steps[0] is the
// synchronous respCode (for front and app transactions, the cashier's payment result); every
// later query of the order, or [Server.Advance], moves to the next step and reports it as
// origRespCode, the last step staying. Once a step is final (success or failure) the status no
// longer changes and remaining steps are ignored; for a payout (txnType 12), 01, 12, 34 and 60
// are final only as the last step (UnionPay's payout product asks for another query after them).
// A failure in steps[0] is a synchronous rejection; Succeed in steps[0] followed by more steps
// means "accepted, result later" (for a front or app order, the cashier's result, which Pay's
// return fields and Complete give, is then 05). The notification is sent when the transaction
// first reaches success (or, for back transactions, a failure). A batch row (21) is the back transaction of its
// orderId: its Script applies (a failure in steps[0] is the row's result; a row not final yet
// is shown as it stands), and a batch query (22) moves it on as a query of it does.
//
// Example: Script(id, Pending, Pending, Succeed) answers 05, then queries see 05, then 00.
//
// Script panics, naming the step, on an Outcome that is not a respCode (two characters, digits
// or capital letters, as "00" or "A6"), which the gateway could only ignore, and on no steps. A
// Script for a transaction the gateway already has is ignored and reported to the Reporter
// ([WithReporter]): a test that scripts too late would otherwise pass for the wrong reason. A
// consume SMS (77/02) is not that transaction: the Script of its orderId is its consume's.
func (s *Server) Script(orderID string, steps ...Outcome) {
	if len(steps) == 0 {
		panic(fmt.Errorf("unionpaytest: Script(%q): no steps", orderID))
	}
	for i, o := range steps {
		if !o.valid() {
			panic(fmt.Errorf("unionpaytest: Script(%q): step %d: Outcome %q is not a respCode (two digits or capital letters)", orderID, i, string(o)))
		}
	}
	s.mu.Lock()
	o, sent := s.orders[orderID]
	sent = sent && !(o.kind == "77" && o.req["txnSubType"] == "02") // left to the consume it is for
	if !sent {
		s.scripts[orderID] = append([]Outcome(nil), steps...)
	}
	s.mu.Unlock()
	if sent {
		s.report("Script(%q): the transaction was sent already; its steps are ignored", orderID)
	}
}

// ScriptQuery makes the next queries (00) naming orderID (by orderId, or by a queryId of the
// order alone), and open queries (78) naming it, be answered with codes, one
// per query, as the query's own respCode: 03, 04, 05 or 83 for a query whose own answer is
// pending, 02, 06 or 37 for a gateway that is busy or a query asked too often, 34 for an order not
// found yet. Such an answer carries no origRespCode and does not move the order's Script on;
// Succeed ("00") lets one query through as usual; after the codes, queries are answered as
// usual. It panics, as Script does, on no codes or a code that is not a respCode.
func (s *Server) ScriptQuery(orderID string, codes ...Outcome) {
	if len(codes) == 0 {
		panic(fmt.Errorf("unionpaytest: ScriptQuery(%q): no codes", orderID))
	}
	for i, o := range codes {
		if !o.valid() {
			panic(fmt.Errorf("unionpaytest: ScriptQuery(%q): code %d: Outcome %q is not a respCode (two digits or capital letters)",
				orderID, i, string(o)))
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.queryScript[orderID] = append(s.queryScript[orderID], codes...)
}

// takeQueryScript returns the next ScriptQuery code for orderID, or "". Callers hold s.mu.
func (s *Server) takeQueryScript(orderID string) Outcome {
	codes := s.queryScript[orderID]
	if len(codes) == 0 {
		return ""
	}
	if len(codes) == 1 {
		delete(s.queryScript, orderID)
	} else {
		s.queryScript[orderID] = codes[1:]
	}
	return codes[0]
}

// FailOrder queues faults for orderID. Response faults are taken, one per request, by the
// requests carrying orderID (the transaction itself, its queries, the cashier page); notification
// faults by the notifications of that order, one per notification. The cashier page takes only
// the faults it can show (Fault5xx, FaultDrop, FaultTruncate, FaultPending); another at the head
// of the queue stays there for the order's next request, such as its query. FaultNone queued
// lets one request through. FailOrder panics, naming it, on a Fault that is not one of the
// constants.
func (s *Server) FailOrder(orderID string, faults ...Fault) {
	checkFaults("FailOrder", faults)
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, f := range faults {
		if f.isNotification() {
			s.orderNotif[orderID] = append(s.orderNotif[orderID], f)
		} else {
			s.orderFaults[orderID] = append(s.orderFaults[orderID], f)
		}
	}
}

// FailEndpoint queues faults for ep, whatever the order: response faults for its next requests,
// notification faults for the next notifications its requests trigger (payments on the cashier
// page and [Server.Complete] count as EndpointFront, but for a QR-code order, placed at
// EndpointBack, which [Server.PayQRCode] or Complete pays; [Server.Advance] as EndpointQuery). With
// requests running at once, any of them may take a fault meant for another: to aim at one, use
// [Server.FailOrder], or send nothing else to ep meanwhile (the encryption-certificate update,
// txnType 95, goes to EndpointBack under an orderId of its own making).
// FailEndpoint panics, naming it, on an Endpoint or a Fault that is not one of the constants.
func (s *Server) FailEndpoint(ep Endpoint, faults ...Fault) {
	if !ep.known() {
		panic(fmt.Errorf("unionpaytest: FailEndpoint: %q is not an Endpoint", string(ep)))
	}
	checkFaults("FailEndpoint", faults)
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, f := range faults {
		if f.isNotification() {
			s.epNotif[ep] = append(s.epNotif[ep], f)
		} else {
			s.epFaults[ep] = append(s.epFaults[ep], f)
		}
	}
}

// checkFaults panics, naming the method, on a fault that is not one of the constants.
func checkFaults(method string, faults []Fault) {
	for _, f := range faults {
		if f < FaultNone || f >= faultEnd {
			panic(fmt.Errorf("unionpaytest: %s: %v is not a Fault", method, f))
		}
	}
}

// valid reports whether o is a respCode: two digits or capital letters.
func (o Outcome) valid() bool {
	return len(o) == 2 && isCodeChar(o[0]) && isCodeChar(o[1])
}

func isCodeChar(c byte) bool { return '0' <= c && c <= '9' || 'A' <= c && c <= 'Z' }

// takeFault returns the response fault for one request: the next queued for its order, else for
// its endpoint, else a random draw for the request (responseKey) when WithFaults is on. For
// FaultPending on a request that was read whole (read), it installs in the same critical section
// the script that makes the transaction pending (pendingScript), and reports whether it did
// (scripted): a copy of the request sent at once (a resend, a form posted twice), which took no
// fault and may create the transaction first, then finds the script there, as it would have
// had the copy that took the fault come first.
func (s *Server) takeFault(ep Endpoint, req sign.Fields, read bool) (f Fault, scripted bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f = s.pickFault(ep, req)
	if f == FaultPending && read {
		scripted = s.pendingScript(req)
	}
	return f, scripted
}

// pickFault returns the response fault for one request, as takeFault describes. Callers hold
// s.mu.
func (s *Server) pickFault(ep Endpoint, req sign.Fields) Fault {
	orderID := req["orderId"]
	if _, ok := s.scripts[orderID]; ok {
		s.scriptSent[orderID] = true // a request came for the Script, whatever its answer: see untaken
	}
	if ep == EndpointFront { // a queued fault the cashier page cannot show waits for the next request
		if q := s.orderFaults[orderID]; orderID != "" && len(q) > 0 && !frontFault(q[0]) {
			return FaultNone
		}
		if q := s.epFaults[ep]; len(q) > 0 && len(s.orderFaults[orderID]) == 0 && !frontFault(q[0]) {
			return FaultNone
		}
	}
	if f, ok := take(s.orderFaults, s.epFaults, ep, orderID); ok {
		return s.logFault(FaultEvent{Endpoint: ep, OrderID: orderID, TxnType: req["txnType"], Fault: f})
	}
	if !s.opts.faults {
		return FaultNone
	}
	f := s.draw(false, s.drawOwner(req), s.responseKey(ep, req))
	if ep == EndpointFront && !frontFault(f) {
		return FaultNone // the cashier page shows no signature and is not held: nothing happened
	}
	return s.logFault(FaultEvent{Endpoint: ep, OrderID: orderID, TxnType: req["txnType"], Fault: f, Random: true})
}

// FaultEvent is one fault the gateway showed: a response fault a request took, or a
// notification fault a notification took. See [Server.FaultLog].
type FaultEvent struct {
	Endpoint     Endpoint // where the request arrived, or the request that triggered the notification
	OrderID      string   // the request's or the notification's orderId ("" when it has none)
	TxnType      string   // the request's txnType ("" for a notification)
	Notification bool     // a notification fault
	Fault        Fault
	Random       bool // drawn by WithFaults, not queued by FailOrder or FailEndpoint
}

// FaultLog returns every fault shown so far (FaultNone, a request let through, is not listed), in
// the order the requests and notifications took them: what made a seeded test ([WithFaults])
// fail. A queued fault the cashier page cannot show is listed when a later request takes it (a
// random one it cannot show is not drawn for it). A fault is listed when taken, even where it
// changes nothing: FaultPending taken by a query (which creates no transaction to make pending),
// FaultNotifyFirst taken by a notification that [Server.Complete] sends. With
// [WithHistoryLimit] it lists the latest ones only; [Server.Dropped] counts the others.
func (s *Server) FaultLog() []FaultEvent {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.faultLog.all()
}

// logFault records e, unless its fault is FaultNone, and returns its fault. Callers hold s.mu.
func (s *Server) logFault(e FaultEvent) Fault {
	if e.Fault != FaultNone {
		s.faultLog.add(e)
	}
	return e.Fault
}

// frontFault reports whether the cashier page can show response fault f.
func frontFault(f Fault) bool {
	switch f {
	case Fault5xx, FaultDrop, FaultTruncate, FaultPending:
		return true
	}
	return false
}

// takeNotifFault returns the fault for a notification of orderID triggered on ep: the next
// queued for the order, else for the endpoint, else a random draw for the order's notifications
// when WithFaults is on.
func (s *Server) takeNotifFault(ep Endpoint, orderID string) Fault {
	s.mu.Lock()
	defer s.mu.Unlock()
	if f, ok := take(s.orderNotif, s.epNotif, ep, orderID); ok {
		return s.logFault(FaultEvent{Endpoint: ep, OrderID: orderID, Notification: true, Fault: f})
	}
	if !s.opts.faults {
		return FaultNone
	}
	f := s.draw(true, drawOwner{orderID: orderID}, notificationKey(orderID))
	return s.logFault(FaultEvent{Endpoint: ep, OrderID: orderID, Notification: true, Fault: f, Random: true})
}

// take pops the head of the order's queue, else of the endpoint's; it reports false when both
// are empty. Callers hold s.mu.
func take(byOrder map[string][]Fault, byEP map[Endpoint][]Fault, ep Endpoint, orderID string) (Fault, bool) {
	if q := byOrder[orderID]; orderID != "" && len(q) > 0 {
		if len(q) == 1 {
			delete(byOrder, orderID) // a queue used up holds nothing: FailOrder per order stays bounded
		} else {
			byOrder[orderID] = q[1:]
		}
		return q[0], true
	}
	if q := byEP[ep]; len(q) > 0 {
		byEP[ep] = q[1:]
		return q[0], true
	}
	return FaultNone, false
}

// pendingScript applies FaultPending to a request that creates a transaction, and reports
// whether it installed a script (dropScript then removes it if the request created nothing).
// Callers hold s.mu.
func (s *Server) pendingScript(req map[string]string) bool {
	switch req["txnType"] {
	case "00", "76", "95", "21", "22", "":
		return false
	}
	if id := req["orderId"]; id != "" && s.scripts[id] == nil && s.orders[id] == nil {
		s.scripts[id] = []Outcome{Pending, Pending, Succeed}
		return true
	}
	return false
}

// dropScript removes the script pendingScript installed for orderID if no transaction took it
// (the request was refused): the fault is for that one request, not for a later one.
func (s *Server) dropScript(orderID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.orders[orderID] == nil {
		s.dropScriptLocked(orderID)
	}
}

// untaken describes, one line each, in a stable order, what a test queued that was never taken:
// the Scripts of orderIds no request came with (one refused, a 33 say, leaves its Script for a
// later request, and is not reported), and the FailOrder and FailEndpoint faults (FaultNone
// aside) no request or notification took. Close reports them.
func (s *Server) untaken() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for _, id := range slices.Sorted(maps.Keys(s.scripts)) {
		if !s.scriptSent[id] {
			out = append(out, fmt.Sprintf("Script(%q) never taken: no request came with this orderId", id))
		}
	}
	for _, id := range slices.Sorted(maps.Keys(mapsUnion(s.orderFaults, s.orderNotif))) {
		if names := faultNames(s.orderFaults[id], s.orderNotif[id]); names != "" {
			out = append(out, fmt.Sprintf("FailOrder(%q): %s never taken: no request or notification of this order came for it", id, names))
		}
	}
	for _, ep := range slices.Sorted(maps.Keys(mapsUnion(s.epFaults, s.epNotif))) {
		if names := faultNames(s.epFaults[ep], s.epNotif[ep]); names != "" {
			out = append(out, fmt.Sprintf("FailEndpoint(%s): %s never taken: no request or notification of this endpoint came for it", ep, names))
		}
	}
	return out
}

// mapsUnion returns a set of the keys of a and b.
func mapsUnion[K comparable, V any](a, b map[K]V) map[K]bool {
	keys := make(map[K]bool, len(a)+len(b))
	for k := range a {
		keys[k] = true
	}
	for k := range b {
		keys[k] = true
	}
	return keys
}

// faultNames lists the faults of the queues but FaultNone ("" if none), comma-separated.
func faultNames(queues ...[]Fault) string {
	var names []string
	for _, q := range queues {
		for _, f := range q {
			if f != FaultNone {
				names = append(names, f.String())
			}
		}
	}
	return strings.Join(names, ", ")
}

// takeScript removes and returns the script for orderID (nil if none). Callers hold s.mu.
func (s *Server) takeScript(orderID string) []Outcome {
	steps := s.scripts[orderID]
	s.dropScriptLocked(orderID)
	return steps
}

// dropScriptLocked removes the script for orderID and the mark that a request came for it: a
// gateway that scripts every order holds the scripts not taken yet only, and a Script of the
// orderId made later (once WithLedgerLimit has forgotten its transaction) is reported by Close
// if no request takes it. Callers hold s.mu.
func (s *Server) dropScriptLocked(orderID string) {
	delete(s.scripts, orderID)
	delete(s.scriptSent, orderID)
}
