package unionpaytest

import (
	"fmt"
	"html/template"
	"maps"
	"net/http"
	"slices"
	"strings"

	"github.com/goacp/unionpay/internal/javagbk"
	"github.com/goacp/unionpay/sign"
)

// Test cards accepted by the cashier page. Any other 13-19 digit number pays too.
const (
	// TestCard is the card the cashier page offers by default, when the order pre-fills none (accNo)
	// (UnionPay's test-environment debit card).
	TestCard = "6216261000000000018"
	// DeclinedCard is refused with respCode 64 (insufficient balance) on the cashier page (front
	// and app payments); back transactions to it go through: script NoBalance for those.
	DeclinedCard = "6216261000000000026"
)

var cashierPage = template.Must(template.New("cashier").Parse(`<!DOCTYPE html>
<html><head><meta charset="UTF-8"><title>银联在线支付 - unionpaytest</title></head>
<body><h1>unionpaytest 收银台</h1>
<p>商户 <span id="merId">{{.MerID}}</span> 订单 <span id="orderId">{{.OrderID}}</span>
{{if .Open}}<span id="open">开通银行卡</span>{{else}}金额 <span id="txnAmt">{{.Amount}}</span> 元{{end}}</p>
{{if .Error}}<p id="error">{{.Error}}</p>{{end}}
<form id="cashier" method="post" action="{{.Action}}">
<input type="hidden" name="session" value="{{.Session}}">
<label>卡号 <input type="text" id="cardNo" name="cardNo" value="{{.Card}}"></label>
<label>密码 <input type="password" id="pin" name="pin" value="111111"></label>
<button type="submit" id="pay" name="action" value="pay">确认付款</button>
<button type="submit" id="cancel" name="action" value="cancel">取消</button>
</form></body></html>
`))

var messagePage = template.Must(template.New("message").Parse(`<!DOCTYPE html>
<html><head><meta charset="UTF-8"><title>unionpaytest</title></head>
<body><p id="result" data-respcode="{{.Code}}">{{.Text}}</p></body></html>
`))

type cashierData struct {
	MerID, OrderID, Amount, Action, Session, Card, Error string
	Open                                                 bool // a front open (开通, txnType 79): no amount
}

// serveFront is the frontTransReq endpoint: the shopper's browser arrives here from the merchant's
// auto-post form and gets the cashier page (or an error page with the respCode). A front open
// (txnType 79) gets the same page, without an amount: "paying" there opens the card.
func (s *Server) serveFront(w http.ResponseWriter, r *http.Request) {
	at := s.Now()
	req, rej := readRequest(r, maxRequestBody)
	respFault, scripted := s.takeFault(EndpointFront, req, rej == nil)
	if s.afterFault != nil {
		s.afterFault(req)
	}
	switch respFault {
	case Fault5xx:
		s.logRequest(EndpointFront, req, at, respFault, nil, "")
		http.Error(w, "503 service unavailable", http.StatusServiceUnavailable)
		return
	case FaultDrop, FaultTruncate:
		s.logRequest(EndpointFront, req, at, respFault, nil, "")
		hijackClose(w, nil)
		return
	}
	if rej == nil {
		rej = s.checkRequest(EndpointFront, req)
	}
	var t *txn
	if rej == nil {
		t, rej = s.openSession(req)
	}
	if scripted {
		s.dropScript(req["orderId"])
	}
	if rej != nil {
		s.respond(req, result{rej: rej})
		s.logRequest(EndpointFront, req, at, respFault, rej, rej.code)
		s.message(w, rej.code, respMsg(rej.code, "")+" "+rej.reason)
		return
	}
	s.logRequest(EndpointFront, req, at, respFault, nil, "")
	s.renderCashier(w, t, "")
}

// openSession records a front order and its cashier session; a browser that submits the same
// order again while unpaid gets the same session. Other reuse of an orderId is a duplicate.
func (s *Server) openSession(req sign.Fields) (*txn, *rejection) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if o := s.orders[req["orderId"]]; o != nil {
		if o.session != "" && o.code == "" && o.txnTime == req["txnTime"] && o.req["txnAmt"] == req["txnAmt"] {
			return o, nil
		}
		return nil, refuse(CodeDuplicate, "orderId %s already used", req["orderId"])
	}
	amount, _ := parseAmount(req["txnAmt"])
	t := &txn{req: req, kind: req["txnType"], orderID: req["orderId"], txnTime: req["txnTime"], amount: amount,
		session: fmt.Sprintf("S%09d", s.nextSeq())}
	t.steps = s.takeScript(t.orderID)
	s.register(t)
	s.sessions[t.session] = t
	return t, nil
}

func (s *Server) renderCashier(w http.ResponseWriter, t *txn, errText string) {
	w.Header().Set("Content-Type", "text/html; charset=UTF-8")
	_ = cashierPage.Execute(w, cashierData{
		MerID: t.req["merId"], OrderID: t.orderID, Amount: fmt.Sprintf("%d.%02d", t.amount/100, t.amount%100),
		Action: pathPay, Session: t.session, Card: s.prefilledCard(t), Error: errText, Open: t.kind == "79",
	})
}

func (s *Server) message(w http.ResponseWriter, code, text string) {
	w.Header().Set("Content-Type", "text/html; charset=UTF-8")
	_ = messagePage.Execute(w, struct{ Code, Text string }{code, text})
}

// servePay is where the cashier page posts: it "pays", then sends the browser back to frontUrl
// with the signed result in an auto-post form and starts the backUrl notification.
func (s *Server) servePay(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if r.Method != http.MethodPost || r.ParseForm() != nil {
		http.Error(w, "POST a form", http.StatusBadRequest)
		return
	}
	s.mu.Lock()
	t := s.sessions[r.PostForm.Get("session")]
	s.mu.Unlock()
	if t == nil {
		s.message(w, CodeNotFound, "unknown cashier session")
		return
	}
	if r.PostForm.Get("action") == "cancel" {
		s.message(w, "", "支付已取消 (payment cancelled; the order stays unpaid)")
		return
	}
	if s.expired(t) {
		s.message(w, CodeExpired, respMsg(CodeExpired, "")+" (payTimeout passed)")
		return
	}
	card := r.PostForm.Get("cardNo")
	if !isCardNumber(card) {
		s.renderCashier(w, t, "卡号无效 (card number must be 13-19 digits)")
		return
	}
	if locked := s.lockedCard(t); locked != "" && card != locked {
		s.renderCashier(w, t, "卡号已锁定 (the merchant locked this order's card: cardNumberLock)")
		return
	}
	result, n, err := s.pay(t, card)
	if err != nil {
		s.message(w, CodeNotFound, "unknown cashier session: "+err.Error())
		return
	}
	s.deliverWith(n, EndpointFront)
	if t.req["frontUrl"] == "" {
		s.message(w, result["respCode"], result["respMsg"])
		return
	}
	page, charset, err := autoPostPage(t.req["frontUrl"], result)
	if err != nil {
		s.report("front result page for %s: %v", t.orderID, err)
		http.Error(w, "cannot render the result page", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset="+charset)
	_, _ = w.Write(page)
}

// isCardNumber reports whether card is 13 to 19 digits, the card numbers the cashier takes.
func isCardNumber(card string) bool {
	return len(card) >= 13 && len(card) <= 19 && isDigits(card)
}

// autoPostPage renders the auto-post form in the message charset (fields["encoding"]), as UnionPay
// does: a GBK merchant's browser must submit the result in GBK, the charset the fields were
// signed in.
func autoPostPage(action string, fields sign.Fields) ([]byte, string, error) {
	if !strings.EqualFold(fields["encoding"], "GBK") {
		return []byte(autoPostForm(action, fields, "UTF-8")), "UTF-8", nil
	}
	page, err := javagbk.NewEncoder().String(autoPostForm(action, fields, "GBK"))
	if err != nil {
		return nil, "", fmt.Errorf("unionpaytest: encode page as GBK: %w", err)
	}
	return []byte(page), "GBK", nil
}

// expired reports whether the payTimeout of an order not paid yet (unpaid, or its card declined
// at the cashier) has passed on the gateway clock.
func (s *Server) expired(t *txn) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if t.code != "" && !(t.repayable && t.code == CodeDeclined) || t.req["payTimeout"] == "" {
		return false
	}
	deadline, err := s.parseTxnTime(t.req["payTimeout"])
	return err == nil && s.Now().After(deadline)
}

// deliverWith delivers n (if not nil) with the notification fault queued for ep and its order
// (notify-first has no synchronous answer to precede here, so it is an ordinary delivery).
func (s *Server) deliverWith(n *notification, ep Endpoint) {
	if n == nil {
		return
	}
	fault := s.takeNotifFault(ep, n.orderID)
	if fault == FaultNotifyFirst {
		fault = FaultNone
	}
	s.deliver(n, fault)
}

// pay settles an unpaid front or app order paid with card and returns the signed result for the
// browser (frontUrl) and the backUrl notification, if due. Paying twice returns the first result.
func (s *Server) pay(t *txn, card string) (sign.Fields, *notification, error) {
	f, n, err := s.settlePayment(t, card)
	if err != nil {
		return nil, nil, err
	}
	if err := s.signAs(f, t.req["signMethod"], FaultNone); err != nil {
		s.report("sign front result for %s: %v", t.orderID, err)
	}
	return f, n, nil
}

// settlePayment applies a payment and returns the unsigned result fields. Paying twice changes
// nothing, but for an order whose card the cashier declined (DeclinedCard, not a Script), which
// the shopper may pay again (another card) until its payTimeout (callers check it: expired).
// An order WithLedgerLimit has forgotten (since its cashier page was opened, or to keep its
// declined attempt) is not paid: the error says so.
func (s *Server) settlePayment(t *txn, card string) (sign.Fields, *notification, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var n *notification
	forgotten := func() error {
		if s.ledger.limit > 0 && s.orders[t.orderID] != t {
			// Paid, it would be back under a new queryId: answered and in the settlement file,
			// but outside the ledger, so never forgotten again.
			return fmt.Errorf("order %s %w", t.orderID, &forgottenError{limit: s.ledger.limit})
		}
		return nil
	}
	if err := forgotten(); err != nil {
		return nil, nil, err
	}
	if t.repayable && t.code == CodeDeclined {
		// The declined attempt keeps its queryId: a query by it still answers 64 (with that
		// queryId), a refund of it is refused, and the ledger's byQueryID (Records, the ZM file)
		// does not hold the paid order twice.
		attempt := *t
		attempt.steps, attempt.session = nil, ""
		s.byQueryID[t.queryID] = &attempt
		s.remember(&attempt) // a ledger entry of its own, under WithLedgerLimit too
		t.code, t.final, t.repayable = "", false, false
	}
	if err := forgotten(); err != nil { // by its declined attempt's own entry in the ledger
		return nil, nil, err
	}
	if t.code == "" {
		s.assignIDs(t, s.Now())
		t.pan = card
		first := CodeSuccess
		if card == DeclinedCard {
			first = CodeDeclined
		}
		scripted := len(t.steps) > 0
		if _, due := s.start(t, first); due {
			n = s.notificationFor(t)
		}
		t.repayable = !scripted && t.code == CodeDeclined
	}
	f := baseResponse(t.req, t.code, "")
	maps.Copy(f, s.statusFields(t))
	return f, n, nil
}

// autoPostForm renders the page that makes the browser POST fields to action, the way UnionPay
// returns the shopper to frontUrl. Values are attribute-escaped, CR and LF included, so the CRLFs
// of signPubKeyCert survive the HTML parser.
func autoPostForm(action string, fields sign.Fields, charset string) string {
	keys := make([]string, 0, len(fields))
	for k := range fields {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var b strings.Builder
	b.WriteString(`<html><head><meta http-equiv="Content-Type" content="text/html; charset=` + charset + `"/></head><body>`)
	b.WriteString(`<form id="pay_form" action="` + attrEscape(action) + `" method="post" accept-charset="` + charset + `">`)
	for _, k := range keys {
		b.WriteString(`<input type="hidden" name="` + attrEscape(k) + `" value="` + attrEscape(fields[k]) + `"/>`)
	}
	b.WriteString(`</form></body><script type="text/javascript">document.getElementById("pay_form").submit();</script></html>`)
	return b.String()
}

var attrReplacer = strings.NewReplacer("&", "&amp;", `"`, "&#34;", "'", "&#39;", "<", "&lt;", ">", "&gt;",
	"\r", "&#13;", "\n", "&#10;")

func attrEscape(s string) string { return attrReplacer.Replace(s) }

// prefilledCard is the card number the cashier shows: the order's accNo (the merchant pre-fills
// it, and with reserved {cardNumberLock=1} locks it), else TestCard.
func (s *Server) prefilledCard(t *txn) string {
	if pan := s.orderCard(t); pan != "" {
		return pan
	}
	return TestCard
}

// lockedCard returns the card number a front or app order locks (accNo with reserved
// {cardNumberLock=1}), "" when it locks none.
func (s *Server) lockedCard(t *txn) string {
	if !reservedFlag(t.req["reserved"], "cardNumberLock") || t.req["accNo"] == "" {
		return ""
	}
	if pan := s.orderCard(t); pan != "" {
		return pan
	}
	return "(an accNo the gateway cannot read)" // locked all the same: no card matches
}

// orderCard returns the accNo a front or app order was sent with, decrypted; "" if none (or one
// that does not decrypt).
func (s *Server) orderCard(t *txn) string {
	pan := t.req["accNo"]
	if pan == "" {
		return ""
	}
	if id := t.req["encryptCertId"]; id != "" && !isDigits(pan) {
		s.mu.Lock()
		plain, err := s.decryptSensitive(pan, id)
		s.mu.Unlock()
		if err != nil {
			return ""
		}
		pan = plain
	}
	if !isCardNumber(pan) {
		return ""
	}
	return pan
}

// reservedFlag reports whether the reserved field ({k=v&k=v}) sets key to 1.
func reservedFlag(reserved, key string) bool { return bracedValue(reserved, key) == "1" }
