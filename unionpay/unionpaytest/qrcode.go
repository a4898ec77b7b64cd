package unionpaytest

import (
	"fmt"

	"github.com/goacp/unionpay/internal/ascii"
	"github.com/goacp/unionpay/sign"
)

// The QR-code payment (二维码支付): txnSubTypes of the consume (txnType 01) under bizType 000000,
// at backTransReq.do, as UnionPay's QR samples (upacp_demo_qrc) send them.
const (
	qrSubTypeConsume = "06" // 二维码消费 (被扫): the merchant scanned the payer's code, qrNo
	qrSubTypeApply   = "07" // 申请消费二维码 (主扫): the payer will scan the merchant's code, qrCode
	qrBizType        = "000000"
	maxQRNo          = 20 // qrNo: 1 to 20 digits (C2B码, as integrations citing the specification say)
	maxTermID        = 8  // termId: up to 8 letters or digits
)

// isQR reports whether f is a QR-code consume or application.
func isQR(f sign.Fields) bool {
	sub := f["txnSubType"]
	return f["txnType"] == "01" && (sub == qrSubTypeConsume || sub == qrSubTypeApply)
}

// qrRequired lists the fields a QR-code consume (qrNo, termId) or application needs, nil for
// another request.
func qrRequired(ep Endpoint, f sign.Fields) []string {
	if !isQR(f) {
		return nil
	}
	need := []string{"orderId", "txnAmt", "currencyCode", "channelType", "backUrl"}
	if f["txnSubType"] == qrSubTypeConsume {
		need = append(need, "qrNo", "termId")
	}
	return need
}

// checkQR refuses a QR-code consume or application sent elsewhere than backTransReq.do or under
// a bizType other than 000000, a qrNo that is not 1 to 20 digits (not quoted: it pays) and a
// termId that is not up to 8 letters or digits.
func checkQR(ep Endpoint, f sign.Fields) *rejection {
	if !isQR(f) {
		return nil
	}
	sub := f["txnSubType"]
	if ep != EndpointBack {
		return violation(CodeNotAllowed, "txnType 01 txnSubType %s (QR code) only at %s, not %s", sub, EndpointBack, ep)
	}
	if f["bizType"] != qrBizType {
		return violation(CodeMalformed, "txnType 01 txnSubType %s (QR code) with bizType %s, want %s", sub,
			f["bizType"], qrBizType)
	}
	if f["accNo"] != "" || f["tokenPayData"] != "" {
		return violation(CodeMalformed, "txnType 01 txnSubType %s (QR code) names no card (accNo, tokenPayData)", sub)
	}
	if qr := f["qrNo"]; sub == qrSubTypeConsume && (len(qr) > maxQRNo || !isDigits(qr)) {
		return violation(CodeMalformed, "qrNo (%d characters) is not 1 to %d digits", len(qr), maxQRNo)
	}
	if term := f["termId"]; term != "" && (len(term) > maxTermID || !ascii.IsAlnum(term)) {
		return violation(CodeMalformed, "termId %q is not 1 to %d letters or digits", term, maxTermID)
	}
	return nil
}

// qrFollowUp refuses a refund or consume cancel of a QR-code payment (orig: a consume by the
// payer's code, 01/06, or an application whose code was paid, 01/07) sent under a bizType other
// than the QR payment's, 000000, with which UnionPay's QR refund sample (Form_6_4_Refund of
// upacp_demo_qrc) sends it: the likely cause is the gateway payment's 000201, the default of
// unionpay.FollowUpRequest.BizType, left as it is. It is refused 36 (与原交易信息不符) and reported
// as a violation; which respCode UnionPay answers such a follow-up is not established, 36 is the
// fake's. Follow-ups of other products are not checked here.
func qrFollowUp(req, orig sign.Fields) *rejection {
	if !isQR(orig) || orig["bizType"] != qrBizType || req["bizType"] == qrBizType {
		return nil
	}
	return violation(CodeMismatch, "txnType %s with bizType %s of a QR-code payment (txnType 01 txnSubType %s): "+
		"send bizType %s, the original's (set unionpay.FollowUpRequest.BizType to unionpay.BizTypeQRCode; UnionPay's "+
		"answer to another bizType is not established, 36 is the fake's)", req["txnType"], req["bizType"],
		orig["txnSubType"], qrBizType)
}

// usedQRNo refuses a consume by a payer's payment code (01/06) whose code an earlier consume the
// gateway keeps has paid, or may still pay (pending): a payment code pays once, so a blind retry
// under a new orderId, where the pending consume should have been queried, would pay twice. A code
// whose consume ended failed may be consumed again. Which respCode UnionPay answers a used code
// is not established; the fake answers 10, its refusal of an invalid field value, and reports it
// as a violation (never quoting the code). A request under an orderId the gateway holds is left
// to admitBack's duplicate (12). Callers hold s.mu.
func (s *Server) usedQRNo(req sign.Fields) *rejection {
	if req["txnType"] != "01" || req["txnSubType"] != qrSubTypeConsume || req["qrNo"] == "" {
		return nil
	}
	if _, dup := s.orders[req["orderId"]]; dup {
		return nil
	}
	o := s.qrNos[req["qrNo"]]
	if o == nil || s.orders[o.orderID] != o || o.final && !isSuccess(o.code) {
		return nil
	}
	state := "succeeded"
	if !o.final {
		state = "is pending: query it"
	}
	return violation(CodeMalformed, "qrNo already used: the payer's code paid or may pay orderId %s, whose consume %s "+
		"(a payment code pays once: never consume again with it; UnionPay's answer to a used code is not "+
		"established, 10 is the fake's)", o.orderID, state)
}

// qrCard is the card behind a payer's payment code: TestCard, whatever the code (the fake issues
// no codes of its own; Script shapes the outcome of a consume by code).
func qrCard(string) string { return TestCard }

// qrApply answers a QR-code application (01/07): the order is recorded unpaid, as an app order
// is, and its qrCode returned; [Server.PayQRCode] (or [Server.Complete]) pays it. A Script of
// its orderId is the payment's, not the application's.
func (s *Server) qrApply(req sign.Fields) result {
	return s.unpaidOrder(req, func(t *txn) sign.Fields {
		t.qrCode = s.URL + "/qrcode/" + s.newQueryID(s.Now())
		return sign.Fields{"qrCode": t.qrCode}
	})
}

// PayQRCode plays the payer who scans qrCode (the code of a QR-code application,
// [unionpay.Client.ApplyQRCode]) with a UnionPay app and pays it with card, as [Server.Complete]
// pays the order ("" = TestCard; DeclinedCard declines it, 64; a Script of the order's orderId
// decides otherwise), and delivers the backUrl notification of a success. It returns the
// resulting respCode. A code the gateway did not issue is an error; a code already paid pays
// nothing and returns the order's respCode.
func (s *Server) PayQRCode(qrCode, card string) (string, error) {
	s.mu.Lock()
	var orderID string
	for id, t := range s.orders {
		if t.qrCode != "" && t.qrCode == qrCode {
			orderID = id
			break
		}
	}
	s.mu.Unlock()
	if orderID == "" {
		return "", fmt.Errorf("unionpaytest: pay QR code: no order has that code")
	}
	return s.Complete(orderID, card)
}
