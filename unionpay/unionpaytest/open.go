package unionpaytest

import (
	"crypto/sha256"
	"encoding/binary"
	"fmt"

	"github.com/goacp/unionpay/sign"
)

// tokenBizType is the bizType of UnionPay's token payment product (Token支付).
const tokenBizType = "000902"

// openStatus adjusts the status fields f of t when t is an open (开通, txnType 79): an open moves
// no money, so it has no amount, currency or settle date; a front open of the token product that
// succeeded carries the card's token in tokenPayData, {token=...&trId=...&tokenType=...}, as
// UnionPay's Token samples read it. Callers hold s.mu.
func (s *Server) openStatus(t *txn, f sign.Fields) {
	if t.kind != "79" {
		return
	}
	for _, k := range []string{"txnAmt", "currencyCode", "settleDate", "settleAmt", "settleCurrencyCode"} {
		delete(f, k)
	}
	if t.req["bizType"] != tokenBizType || t.pan == "" || !isSuccess(t.code) {
		return
	}
	f["tokenPayData"] = s.tokenPayData(t.req, t.pan)
}

// backOpened adds to the fields f of the answer to the back open t, which opened its card, what
// the open tells: for the token product, the card's token in tokenPayData, as UnionPay's token
// samples (Form_6_2_BackOpen) read it from this answer, the back open having no notification.
// Callers hold s.mu.
func (s *Server) backOpened(t *txn, f sign.Fields) {
	if t.req["bizType"] == tokenBizType && t.opened != "" {
		f["tokenPayData"] = s.tokenPayData(t.req, t.opened)
	}
}

// tokenPayData is the tokenPayData of the token product's open request open, which opened card:
// {token=...&trId=...&tokenType=...}, the card's current token for that trId (see tokenFor).
// Callers hold s.mu.
func (s *Server) tokenPayData(open sign.Fields, card string) string {
	return openTokenPayData(s.tokenFor(card, bracedValue(open["tokenPayData"], "trId")), open["tokenPayData"])
}

// openTokenPayData is the tokenPayData an open's answer carries: token, and the trId and
// tokenType (01 when none) of the open request's tokenPayData sent.
func openTokenPayData(token, sent string) string {
	tokenType := bracedValue(sent, "tokenType")
	if tokenType == "" {
		tokenType = "01"
	}
	return fmt.Sprintf("{token=%s&trId=%s&tokenType=%s}", token, bracedValue(sent, "trId"), tokenType)
}

// tokenFor returns the current token of card for token requestor trID: 19 digits, the same for
// the same card and requestor until a delete (74) of it, after which the card has another one, as
// UnionPay's token samples say (删除token后重新申请token号会发生变化). The fake's choice, so that a
// test can open a card twice and compare; how UnionPay's tokens are made is not known here.
// Callers hold s.mu.
func (s *Server) tokenFor(card, trID string) string {
	key := trID + "|" + card
	if n := s.tokenDeletes[key]; n > 0 {
		key += fmt.Sprintf("|%d", n)
	}
	sum := sha256.Sum256([]byte(key))
	return fmt.Sprintf("6%018d", binary.BigEndian.Uint64(sum[:8])%1_000_000_000_000_000_000)
}

// tokenCard returns the card that the token of req's tokenPayData ({trId=...&token=...}, a
// consume by token or its SMS) stands for: the card of a successful token open (79, bizType
// 000902) of this fake whose trId is req's and whose token, as tokenFor makes it, is req's; ""
// when no open issued that token to that requestor (an unknown token, or another requestor's).
// Callers hold s.mu.
func (s *Server) tokenCard(req sign.Fields) string {
	token, trID := bracedValue(req["tokenPayData"], "token"), bracedValue(req["tokenPayData"], "trId")
	if token == "" || trID == "" {
		return ""
	}
	for _, t := range s.orders {
		if t.kind != "79" || t.req["bizType"] != tokenBizType || !isSuccess(t.code) {
			continue
		}
		card := openCard(t)
		if card != "" && bracedValue(t.req["tokenPayData"], "trId") == trID && s.tokenFor(card, trID) == token {
			return card
		}
	}
	return ""
}

// tokenPayment returns the card a request paying by token pays with: a consume (01) of the token
// product without accNo, or its SMS (77/02) whose tokenPayData names a token. It refuses a consume
// whose tokenPayData names no token (13), and a token no open of the gateway issued to the trId
// named with it (89). Any other request gets "" and no rejection. Callers hold s.mu.
func (s *Server) tokenPayment(req sign.Fields) (string, *rejection) {
	if req["bizType"] != tokenBizType || req["accNo"] != "" {
		return "", nil
	}
	token := bracedValue(req["tokenPayData"], "token")
	switch {
	case req["txnType"] == "01" && token == "":
		return "", refuse(CodeMissingField, "tokenPayData has no token (a consume of the token product without accNo)")
	case req["txnType"] == "01", req["txnType"] == "77" && req["txnSubType"] == "02" && token != "":
		if card := s.tokenCard(req); card != "" {
			return card, nil
		}
		return "", refuse(CodeInvalidToken, "tokenPayData names no token this gateway issued to that trId")
	}
	return "", nil
}

// openQuery answers an open query (开通查询, 78): by the open's orderId and txnTime (txnSubType 02,
// the token product's, and 01) the state of that open, 00 with its token (for the token product)
// when it opened the card, 77 when it failed, its pending code while it is pending, 34 when the
// gateway has no open (79) under them or the shopper has not completed it; by card (00, 认证支付
// 2.0's) 00 when an open of that card under the query's bizType succeeded, 77 otherwise.
// ScriptQuery codes of the orderId are answered first, as for a status query.
func (s *Server) openQuery(req sign.Fields) result {
	s.mu.Lock()
	defer s.mu.Unlock()
	if code := s.takeQueryScript(req["orderId"]); code != "" && code != Succeed {
		return result{rej: refuse(string(code), "scripted open query answer (ScriptQuery)")}
	}
	if req["txnSubType"] == "00" {
		return s.openByCard(req)
	}
	t := s.lookup(req)
	if t == nil || t.kind != "79" {
		return result{rej: refuse(CodeNotFound, "no open orderId %q txnTime %q", req["orderId"], req["txnTime"])}
	}
	var res result
	if s.observe(t) {
		res.notify = s.notificationFor(t)
	}
	switch {
	case isPendingCode(t.code):
		res.rej = refuse(t.code, "the open is pending")
	case !isSuccess(t.code):
		res.rej = refuse(CodeNotOpened, "the open failed (%s)", t.code)
	default:
		res.code, res.fields = CodeSuccess, s.openedFields(t.req, openCard(t), req["certId"])
	}
	return res
}

// openByCard answers an open query by card (txnSubType 00). Callers hold s.mu.
func (s *Server) openByCard(req sign.Fields) result {
	card := s.plainCard(req)
	if card == "" {
		return result{rej: refuse(CodeMalformed, "accNo does not decrypt")}
	}
	for _, t := range s.orders {
		if t.kind == "79" && isSuccess(t.code) && openCard(t) == card && t.req["bizType"] == req["bizType"] {
			return result{code: CodeSuccess, fields: s.openedFields(t.req, card, req["certId"])}
		}
	}
	return result{rej: refuse(CodeNotOpened, "no open of that card under bizType %s", req["bizType"])}
}

// openedFields are the fields of an open query's answer about a card opened by the open request
// open: accNo masked and encrypted to the merchant (as a status query's answer carries it), and,
// for the token product, tokenPayData with the card's token. Callers hold s.mu.
func (s *Server) openedFields(open sign.Fields, card, certID string) sign.Fields {
	f := sign.Fields{}
	if enc, err := s.encryptForMerchant(messagePAN(card), certID); err == nil {
		f["accNo"] = enc
	}
	if open["bizType"] == tokenBizType {
		f["tokenPayData"] = s.tokenPayData(open, card)
	}
	return f
}

// openCard is the card an open opened: the one typed or pre-filled on the page (front), or sent
// (back); "" when none is known.
func openCard(t *txn) string {
	if t.pan != "" {
		return t.pan
	}
	return t.opened
}

// plainCard returns req's accNo in clear: decrypted when it came encrypted (with encryptCertId
// naming a gateway encryption certificate), as it is when it came in clear; "" when it does not
// decrypt or is absent. Callers hold s.mu.
func (s *Server) plainCard(req sign.Fields) string {
	pan := req["accNo"]
	if id := req["encryptCertId"]; pan != "" && id != "" && !isDigits(pan) {
		plain, err := s.decryptSensitive(pan, id)
		if err != nil {
			return ""
		}
		pan = plain
	}
	if !isDigits(pan) {
		return ""
	}
	return pan
}

// tokenUpdateSubType is the txnSubType of the token product's update (更新标记, 79/03).
const tokenUpdateSubType = "03"

// tokenDelete answers the token product's delete (解除标记, 74/01, as UnionPay's token samples'
// Form_6_4_DeleteToken sends it): 00 when tokenPayData {trId=...&token=...} names a token this
// gateway issued to that trId, after which that token pays no more (a consume or consume SMS by
// it, a second delete, an update are refused 89) and the card's next open, and an open query,
// give another token; 89 for a token it did not issue; 13 when tokenPayData names no token. No
// notification follows: the answer decides, as the samples read it. The orderId is taken; a
// Script's first code other than success answers instead, and the token stands.
func (s *Server) tokenDelete(req sign.Fields) result {
	s.mu.Lock()
	defer s.mu.Unlock()
	t, card, res := s.tokenCall(req)
	if t == nil || !isSuccess(t.code) {
		return res
	}
	t.opened = card // tokenKey: the delete is forgotten with the card's opens
	s.tokenDeletes[bracedValue(req["tokenPayData"], "trId")+"|"+card]++
	return res
}

// tokenKey returns the key of tokenDeletes (trId|card) that t concerns: that of an open or
// update (79), whatever its status, or a successful delete (74) of the token product, with its
// card known; "" for any other transaction.
func tokenKey(t *txn) string {
	if t.req["bizType"] != tokenBizType {
		return ""
	}
	card := t.opened
	switch t.kind {
	case "79":
		card = openCard(t)
	case "74":
	default:
		return ""
	}
	if card == "" {
		return ""
	}
	return bracedValue(t.req["tokenPayData"], "trId") + "|" + card
}

// tokenUpdate answers the token product's update (更新标记, 79/03, as UnionPay's token samples'
// Form_6_5_UpdateToken sends it: tokenPayData {trId=...&token=...&tokenType=...} and the card's
// new details in customerInfo, no accNo): 00 with tokenPayData, the same token, which goes on
// paying, when tokenPayData names a token this gateway issued to that trId; 89 and 13 as for a
// delete. The update counts as an open of the token's card (an open query by its orderId finds
// it opened). No notification follows. A Script's first code other than success answers instead.
func (s *Server) tokenUpdate(req sign.Fields) result {
	s.mu.Lock()
	defer s.mu.Unlock()
	t, card, res := s.tokenCall(req)
	if t == nil || !isSuccess(t.code) {
		return res
	}
	t.opened = card
	res.fields["tokenPayData"] = s.tokenPayData(req, card)
	return res
}

// tokenCall admits a delete or update of the token named by req's tokenPayData: it refuses a
// taken orderId (12; an update takes over its SMS's, see smsForOpen), a tokenPayData without token (13), a token no open of the gateway issued to
// that trId (89), and otherwise records the transaction, final, under the code of its Script
// (success by default), and returns it with the token's card and the answer. Callers hold s.mu.
func (s *Server) tokenCall(req sign.Fields) (*txn, string, result) {
	if o, dup := s.orders[req["orderId"]]; dup && !smsForOpen(o, req) {
		return nil, "", result{rej: refuse(CodeDuplicate, "orderId %s already used", req["orderId"])}
	}
	if bracedValue(req["tokenPayData"], "token") == "" {
		return nil, "", result{rej: refuse(CodeMissingField, "tokenPayData has no token")}
	}
	card := s.tokenCard(req)
	if card == "" {
		return nil, "", result{rej: refuse(CodeInvalidToken, "tokenPayData names no token this gateway issued to that trId")}
	}
	t := &txn{req: req, kind: req["txnType"], orderID: req["orderId"], txnTime: req["txnTime"], code: CodeSuccess,
		final: true}
	s.assignIDs(t, s.Now())
	s.register(t)
	if steps := s.takeScript(t.orderID); len(steps) > 0 && string(steps[0]) != CodeSuccess {
		t.code = string(steps[0])
		return t, card, result{rej: refuse(t.code, "scripted failure")}
	}
	return t, card, result{code: CodeSuccess, fields: sign.Fields{"queryId": t.queryID}}
}
