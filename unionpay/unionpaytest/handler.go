package unionpaytest

import (
	"net/http"

	"github.com/goacp/unionpay/sign"
)

// result is what a transaction handler decided: the response fields to add to the echoed ones,
// the respCode, or a rejection; and a notification to deliver, if any.
type result struct {
	code   string
	fields sign.Fields
	rej    *rejection
	notify *notification
}

// apiHandler serves one server-to-server endpoint: parse, fault, check, dispatch, sign, answer.
func (s *Server) apiHandler(ep Endpoint) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		limit := int64(maxRequestBody)
		if ep == EndpointBatch {
			limit = maxBatchBody
		}
		at := s.Now()
		req, rej := readRequest(r, limit)
		respFault, scripted := s.takeFault(ep, req, rej == nil)
		taken := respFault // as Requests lists it
		if s.afterFault != nil {
			s.afterFault(req)
		}
		if respFault == FaultPending {
			respFault = FaultNone // scripted, if it applies
		}
		if respFault == Fault5xx {
			s.logRequest(ep, req, at, taken, nil, "")
			http.Error(w, "503 service unavailable", http.StatusServiceUnavailable)
			return
		}
		res := result{rej: rej}
		if rej == nil {
			res = s.dispatch(ep, req)
		}
		if scripted {
			s.dropScript(req["orderId"])
		}
		resp := s.respond(req, res)
		s.logRequest(ep, req, at, taken, res.rej, resp["respCode"]) // before the client can see the answer
		notifFault := FaultNone
		if res.notify != nil {
			notifFault = s.takeNotifFault(ep, res.notify.orderID)
		}
		if res.notify != nil && notifFault == FaultNotifyFirst {
			s.deliverFirst(res.notify)
		}
		deliverAfter := res.notify != nil && notifFault != FaultNotifyFirst
		if deliverAfter {
			// Counted in flight from before the answer, which the client may act on at once:
			// WaitNotifications must not find the gateway idle between the answer and deliver.
			s.deliveryStarted()
		}
		body, err := s.encodeResponse(resp, req["signMethod"], respFault)
		if err != nil {
			if deliverAfter {
				s.deliveryDone()
			}
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		abort := s.writeRaw(w, r, body, resp["encoding"], respFault)
		if s.afterAnswer != nil {
			s.afterAnswer(req)
		}
		// The transaction was processed whatever became of its answer: UnionPay notifies it even
		// when the merchant gave up waiting (FaultDelay), so deliver before aborting.
		if deliverAfter {
			s.deliver(res.notify, notifFault)
			s.deliveryDone()
		}
		if abort {
			panic(http.ErrAbortHandler) // send nothing: no empty 200
		}
	})
}

// cutByClose reports whether rej is a request body the gateway's own Close cut off (httptest
// closes a kept-alive connection whose next request it has not yet seen start): the merchant
// made no mistake, so it is not reported.
func (s *Server) cutByClose(rej *rejection) bool {
	if !rej.readBody {
		return false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.closed
}

// respond builds the response fields for req from res, reporting protocol violations.
func (s *Server) respond(req sign.Fields, res result) sign.Fields {
	if res.rej != nil {
		if res.rej.protocol && !s.cutByClose(res.rej) {
			s.report("%s %s orderId %q: respCode %s: %s", req["txnType"], req["bizType"], req["orderId"],
				res.rej.code, res.rej.reason)
		}
		resp := baseResponse(req, res.rej.code, "")
		// Say why, without a Reporter a caller has nothing else to go on, but before the detail
		// code: UnionPay's respMsg always ends with [7 digits], and merchants parse it so.
		if msg := respMsgWhy(res.rej.code, inCharset(res.rej.reason, resp["encoding"])); res.rej.protocol && rawSafe(msg) {
			resp["respMsg"] = msg
		}
		return resp
	}
	resp := baseResponse(req, res.code, "")
	for k, v := range res.fields {
		if v == "" {
			delete(resp, k) // an echoed field the answer must not carry
		} else {
			resp[k] = v
		}
	}
	return resp
}

func (s *Server) encodeResponse(resp sign.Fields, method string, fault Fault) ([]byte, error) {
	if err := s.signAs(resp, method, fault); err != nil {
		return nil, err
	}
	return rawBody(resp)
}

// dispatch runs a checked request through the transaction it names.
func (s *Server) dispatch(ep Endpoint, req sign.Fields) result {
	if rej := s.checkRequest(ep, req); rej != nil {
		return result{rej: rej}
	}
	switch t := req["txnType"]; {
	case t == "00":
		return s.query(req)
	case t == "78":
		return s.openQuery(req)
	case t == "01" && req["txnSubType"] == qrSubTypeApply:
		return s.qrApply(req)
	case t == "76":
		return s.fileDownload(req)
	case t == "95":
		return s.certUpdate(req)
	case t == "21":
		return s.batchSubmit(req)
	case t == "22":
		return s.batchQuery(req)
	case ep == EndpointApp:
		return s.appOrder(req)
	case t == "74":
		return s.tokenDelete(req)
	case t == "79" && req["txnSubType"] == tokenUpdateSubType && req["bizType"] == tokenBizType:
		return s.tokenUpdate(req)
	case t == "72" || t == "77" || t == "79":
		return s.auxiliary(req)
	default:
		return s.backTxn(req)
	}
}

// backTxn runs a cancel, refund, completion, back consume (by card, token or payment code),
// collection or payout.
func (s *Server) backTxn(req sign.Fields) result {
	now := s.Now()
	s.mu.Lock()
	defer s.mu.Unlock()
	if rej := s.usedQRNo(req); rej != nil {
		return result{rej: rej}
	}
	t, rej := s.admitBack(req, now)
	if rej != nil {
		return result{rej: rej}
	}
	if pan := req["accNo"]; pan != "" {
		// encryptCertId may come for a PIN only, with accNo in clear (a merchant without the
		// permission to encrypt sensitive data): a card number is digits, ciphertext base64.
		if id := req["encryptCertId"]; id != "" && !isDigits(pan) {
			plain, err := s.decryptSensitive(pan, id)
			if err != nil {
				s.forget(t)
				return result{rej: refuse(CodeMalformed, "accNo: %v", err)}
			}
			pan = plain
		}
		t.pan = pan // only its masked form is ever shown
	} else if isQR(req) {
		t.pan = qrCard(req["qrNo"]) // the card behind the payer's code: the settlement file shows it
		s.qrNos[req["qrNo"]] = t    // it pays once (usedQRNo)
	} else if card, rej := s.tokenPayment(req); rej != nil {
		s.forget(t)
		return result{rej: rej}
	} else if card != "" {
		// A consume by token: the card is the one the token was issued for, to that requestor;
		// the settlement file shows that card, as for a consume by card number.
		t.pan = card
	}
	code, due := s.start(t, CodeSuccess)
	res := result{code: code, fields: sign.Fields{"queryId": t.queryID}}
	if isPendingCode(code) || isSuccess(code) {
		res.fields["traceNo"], res.fields["traceTime"] = t.traceNo, t.traceTime
	} else {
		res.rej = refuse(code, "scripted failure")
		due = false // a synchronous rejection is the only answer: no notification follows
	}
	if due {
		res.notify = s.notificationFor(t)
	}
	return res
}

// auxiliary answers real-name authentication (72), SMS (77) and account opening (79): the
// orderId is taken, nothing else changes. A consume SMS by token names a token the gateway
// issued (else 89, as a consume by token). An SMS holds its orderId only until the transaction it
// is for takes it (see smsHeld); a second SMS on it (the code sent again) replaces the first. A
// consume SMS (77/02) leaves the orderId's Script to its consume.
func (s *Server) auxiliary(req sign.Fields) result {
	s.mu.Lock()
	defer s.mu.Unlock()
	if o, dup := s.orders[req["orderId"]]; dup && !(req["txnType"] == "77" && o.kind == "77") && !smsForOpen(o, req) {
		return result{rej: refuse(CodeDuplicate, "orderId %s already used", req["orderId"])}
	}
	if _, rej := s.tokenPayment(req); rej != nil {
		return result{rej: rej}
	}
	t := &txn{req: req, kind: req["txnType"], orderID: req["orderId"], txnTime: req["txnTime"], code: CodeSuccess,
		final: true}
	s.assignIDs(t, s.Now())
	s.register(t)
	if t.kind == "77" && req["txnSubType"] == "02" { // the consume's Script is the consume's
		return result{code: CodeSuccess, fields: sign.Fields{"queryId": t.queryID}}
	}
	if steps := s.takeScript(t.orderID); len(steps) > 0 && string(steps[0]) != CodeSuccess {
		t.code = string(steps[0])
		return result{rej: refuse(t.code, "scripted failure")}
	}
	res := result{code: CodeSuccess, fields: sign.Fields{"queryId": t.queryID}}
	if t.kind == "79" {
		t.opened = s.plainCard(req) // "" when it does not decrypt: the open query then finds no card
		s.backOpened(t, res.fields)
	}
	return res
}

// query answers a transaction status query (00): respCode 00 with origRespCode, or 34.
func (s *Server) query(req sign.Fields) result {
	s.mu.Lock()
	defer s.mu.Unlock()
	id := req["orderId"]
	if t := s.byQueryID[req["queryId"]]; id == "" && t != nil {
		id = t.orderID // a query by queryId alone takes its order's ScriptQuery codes
	}
	if code := s.takeQueryScript(id); code != "" && code != Succeed {
		return result{rej: refuse(string(code), "scripted query answer (ScriptQuery)")}
	}
	t := s.lookup(req)
	if t == nil {
		return result{rej: refuse(CodeNotFound, "no transaction orderId %q txnTime %q queryId %q%s",
			req["orderId"], req["txnTime"], req["queryId"], s.forgottenHint())}
	}
	res := result{code: CodeSuccess, fields: s.statusFields(t)}
	if s.observe(t) {
		res.notify = s.notificationFor(t)
	}
	res.fields["origRespCode"] = t.code
	res.fields["origRespMsg"] = respMsg(t.code, "")
	res.fields["settleDate"] = t.settleDate() // the day it settles on, if this query made it final
	for _, k := range ownerFields() {
		if _, ok := res.fields[k]; !ok {
			res.fields[k] = "" // the asker's, not the transaction's: left out
		}
	}
	return res
}

// ownerFields are the fields that say whose a transaction is: an answer about it carries its
// own, never the asker's.
func ownerFields() []string {
	return []string{"accessType", "acqInsCode", "subMerId", "subMerName", "subMerAbbr"}
}

// statusFields describes t as queries and notifications do. Callers hold s.mu.
func (s *Server) statusFields(t *txn) sign.Fields {
	f := sign.Fields{
		"orderId": t.orderID, "txnTime": t.txnTime, "txnType": t.kind, "txnSubType": t.req["txnSubType"],
		"queryId": t.queryID, "traceNo": t.traceNo, "traceTime": t.traceTime,
		"txnAmt": t.req["txnAmt"], "currencyCode": "156",
		"settleDate": t.settleDate(), "settleAmt": t.req["txnAmt"], "settleCurrencyCode": "156",
	}
	for _, k := range []string{"reqReserved", "origQryId"} {
		if v := t.req[k]; v != "" {
			f[k] = v
		}
	}
	// Whose transaction it is, not whose query: another sub-merchant's query finds the owner's.
	for _, k := range ownerFields() {
		if v := t.req[k]; v != "" && rawSafe(v) {
			f[k] = v
		}
	}
	if t.pan != "" && !t.back {
		if enc, err := s.encryptForMerchant(messagePAN(t.pan), t.req["certId"]); err == nil {
			f["accNo"] = enc
		}
		f["payCardType"], f["payType"], f["issuerIdentifyMode"] = "01", "0001", "0"
	}
	s.openStatus(t, f)
	return f
}

// certUpdate answers the encryption-certificate query (95): certType 01 and the PEM.
func (s *Server) certUpdate(req sign.Fields) result {
	if req["certType"] != "01" {
		return result{rej: violation(CodeMalformed, "certType %q, want 01", req["certType"])}
	}
	c := s.EncryptionCertificate()
	if s.sm2 != nil && req["signMethod"] == sign.MethodSM2 {
		c = s.SM2EncryptionCertificate()
	}
	return result{code: CodeSuccess, fields: sign.Fields{"certType": "01", "encryptPubKeyCert": pemCRLF(c)}}
}
