package unionpaytest

import (
	"context"
	"errors"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"

	"github.com/goacp/unionpay/sign"
)

// appOrder answers an app (控件) consume or pre-authorisation: the order is recorded unpaid and
// its tn returned; [Server.Complete] pays it.
func (s *Server) appOrder(req sign.Fields) result {
	return s.unpaidOrder(req, func(t *txn) sign.Fields {
		t.tn = s.newQueryID(s.Now())
		return sign.Fields{"tn": t.tn}
	})
}

// unpaidOrder records req's order unpaid, as an app order or a QR code's is (a reused orderId
// refused as a duplicate), with the script of its orderId for the payment, and answers success
// with the fields issue returns, having set on the order what it issues (a tn, a qrCode).
func (s *Server) unpaidOrder(req sign.Fields, issue func(*txn) sign.Fields) result {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, dup := s.orders[req["orderId"]]; dup {
		return result{rej: refuse(CodeDuplicate, "orderId %s already used", req["orderId"])}
	}
	amount, _ := parseAmount(req["txnAmt"])
	t := &txn{req: req, kind: req["txnType"], orderID: req["orderId"], txnTime: req["txnTime"], amount: amount}
	fields := issue(t)
	t.steps = s.takeScript(t.orderID)
	s.register(t)
	return result{code: CodeSuccess, fields: fields}
}

// Complete pays the unpaid front, app or QR-code order with orderID (a front order once its form
// has been posted to the gateway, by Pay or a browser; or completes the front open, txnType 79,
// opening card) as if the cardholder had paid with card ("" means the card the cashier pre-fills:
// the order's accNo, else TestCard; an order whose accNo reserved {cardNumberLock=1} locks is paid
// with that card only, another is an error), and delivers the backUrl notification. It returns the
// resulting respCode (for example "00", or "64" for DeclinedCard; for an order scripted ([Server.Script])
// with Succeed followed by more steps, "05": accepted, the result coming with its next queries, and
// no notification until then). An order whose card the cashier declined (DeclinedCard, not a
// Script) may be completed again, with another card, until its payTimeout (after it, "39" and an
// error), as a shopper may try again at UnionPay's cashier; for any other order already answered,
// Complete pays nothing and returns its current respCode. A card that is not a card number (13 to
// 19 digits, as the cashier page requires) is an error, and the order stays unpaid. An order
// [WithLedgerLimit] forgot, the order itself to keep its declined attempt too, is not paid: "34"
// and an error.
func (s *Server) Complete(orderID, card string) (string, error) {
	s.mu.Lock()
	t := s.orders[orderID]
	s.mu.Unlock()
	if t == nil {
		return "", fmt.Errorf("unionpaytest: complete: no order %q at the gateway (a front form reaches it only "+
			"when posted: Server.Pay, or the browser; an app order when AppConsume or AppPreAuth is sent)", orderID)
	}
	if t.back || t.kind != "01" && t.kind != "02" && !(t.kind == "79" && t.session != "") {
		return "", fmt.Errorf("unionpaytest: complete: order %q is not a front, app or QR-code order", orderID)
	}
	if card == "" {
		card = s.prefilledCard(t)
	}
	if !isCardNumber(card) {
		return "", fmt.Errorf("unionpaytest: complete: order %q: card is not a card number (13 to 19 digits)", orderID)
	}
	if s.expired(t) {
		return CodeExpired, fmt.Errorf("unionpaytest: complete: order %q is past its payTimeout", orderID)
	}
	if locked := s.lockedCard(t); locked != "" && card != locked {
		return "", fmt.Errorf("unionpaytest: complete: order %q locks its card (cardNumberLock): pay with it", orderID)
	}
	res, n, err := s.pay(t, card)
	if err != nil {
		return CodeNotFound, fmt.Errorf("unionpaytest: complete: %w", err)
	}
	ep := EndpointFront
	if t.qrCode != "" {
		ep = EndpointBack // a QR-code order was placed at backTransReq.do: its faults are that endpoint's
	}
	s.deliverWith(n, ep)
	return res["respCode"], nil
}

var (
	sessionRE    = regexp.MustCompile(`name="session" value="([^"]*)"`)
	cardNoRE     = regexp.MustCompile(`name="cardNo" value="([^"]*)"`)
	cashierErrRE = regexp.MustCompile(`<p id="error">([^<]*)</p>`)
	codeRE       = regexp.MustCompile(`data-respcode="([^"]*)">([^<]*)<`)
	inputRE      = regexp.MustCompile(`<input type="hidden" name="([^"]*)" value="([^"]*)"/>`)
)

// ErrCashier is returned by [Server.Pay] when the gateway shows an error page instead of the
// cashier (for example a rejected request); the error text carries the respCode.
var ErrCashier = errors.New("unionpaytest: cashier refused the order")

// Pay plays the shopper's browser without a browser. It POSTs the signed front-form fields to
// the frontTransReq endpoint as the auto-post form would, pays on the cashier page with card
// ("" means the card the cashier pre-fills: the order's accNo, else TestCard; a card other
// than the one an order locks, reserved {cardNumberLock=1}, is refused with ErrCashier), and returns the signed fields the browser would then POST to frontUrl,
// as text (to post them as the browser does, encode them with sign.Encode, which writes the
// message charset: url.Values would send UTF-8, which a GBK merchant's handler refuses).
// The backUrl notification is delivered as in a real payment. A card the cashier declines
// (DeclinedCard) is no error: the fields returned carry respCode 64, and the order may be paid
// again with Complete until its payTimeout. ErrCashier is the gateway refusing the form itself.
func (s *Server) Pay(ctx context.Context, fields sign.Fields, card string) (sign.Fields, error) {
	body, err := sign.Encode(fields)
	if err != nil {
		return nil, fmt.Errorf("unionpaytest: pay: %w", err)
	}
	page, err := s.browserPost(ctx, s.URLFor(EndpointFront), body)
	if err != nil {
		return nil, err
	}
	m := sessionRE.FindStringSubmatch(page)
	if m == nil {
		return nil, pageError(page)
	}
	if card == "" { // the card the cashier pre-fills: the order's accNo, else TestCard
		card = TestCard
		if c := cardNoRE.FindStringSubmatch(page); c != nil {
			card = html.UnescapeString(c[1])
		}
	}
	form := url.Values{"session": {html.UnescapeString(m[1])}, "cardNo": {card}, "action": {"pay"}}
	page, err = s.browserPost(ctx, s.URL+pathPay, form.Encode())
	if err != nil {
		return nil, err
	}
	inputs := inputRE.FindAllStringSubmatch(page, -1)
	if inputs == nil {
		return nil, pageError(page)
	}
	out := make(sign.Fields, len(inputs))
	for _, in := range inputs {
		out[html.UnescapeString(in[1])] = html.UnescapeString(in[2])
	}
	return out, nil
}

func pageError(page string) error {
	if m := codeRE.FindStringSubmatch(page); m != nil {
		return fmt.Errorf("%w: respCode %s: %s", ErrCashier, m[1], html.UnescapeString(m[2]))
	}
	if m := cashierErrRE.FindStringSubmatch(page); m != nil { // the cashier shown again, with an error
		return fmt.Errorf("%w: %s", ErrCashier, html.UnescapeString(m[1]))
	}
	return fmt.Errorf("%w: unexpected page", ErrCashier)
}

func (s *Server) browserPost(ctx context.Context, target, body string) (string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target, strings.NewReader(body))
	if err != nil {
		return "", fmt.Errorf("unionpaytest: pay: %w", err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := s.browser.Do(req)
	if err != nil {
		return "", fmt.Errorf("unionpaytest: pay: %w", err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return "", fmt.Errorf("unionpaytest: pay: %w", err)
	}
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("unionpaytest: pay: %s answered %d", target, resp.StatusCode)
	}
	if strings.Contains(strings.ToUpper(resp.Header.Get("Content-Type")), "CHARSET=GBK") {
		return sign.DecodeBody(b, "GBK") // a GBK merchant's result page
	}
	return string(b), nil
}
