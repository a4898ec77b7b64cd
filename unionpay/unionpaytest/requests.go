package unionpaytest

import (
	"fmt"
	"time"

	"github.com/goacp/unionpay/internal/pan"
	"github.com/goacp/unionpay/sign"
)

// Request is one request the gateway received at one of its endpoints, as [Server.Requests]
// lists it: what the merchant's code sent, and what the gateway made of it. It holds no card data
// and no secret: not accNo, customerInfo (PIN, CVN2, expiry, phone), tokenPayData or the
// signature, only the fields that name the transaction.
type Request struct {
	Endpoint    Endpoint // where it arrived: EndpointBack, EndpointQuery, EndpointFront...
	TxnType     string   // txnType: 01 consume, 04 refund, 11 collection, 12 payout, 00 query...
	TxnSubType  string   // txnSubType
	BizType     string   // bizType
	OrderID     string   // orderId; a query's is the queried transaction's ("" for one by queryId)
	TxnTime     string   // txnTime as sent, yyyyMMddHHmmss
	QueryID     string   // queryId a query (00) named, if any
	OrigQueryID string   // origQryId of a refund, cancel or completion
	Amount      int64    // txnAmt in fen; 0 when absent or not a valid amount
	// RespCode is the respCode the gateway answered: 00 (for a query, the query's own: the
	// transaction's status is its origRespCode), a pending code (03, 04, 05, 83) or the refusal's. It
	// is "" when the gateway answered no respCode: a Fault5xx, a front form's FaultDrop or
	// FaultTruncate (none of which processed the request), or a front form shown the cashier page.
	RespCode string
	// Refusal says why the gateway refused the request, as the Reporter is told of a protocol
	// violation (a signature that does not verify, a missing field) and also for a business
	// refusal (a duplicate orderId, a refund over what is left, a scripted failure), with any
	// card-number-like run of digits masked; "" when it did not refuse it.
	Refusal string
	// Fault is the response fault the request took ([Server.FailOrder], [Server.FailEndpoint],
	// [WithFaults]), FaultNone for none. The request was processed under every fault but
	// Fault5xx and a front form's FaultDrop and FaultTruncate: only its answer was lost, late
	// or wrongly signed.
	Fault Fault
	At    time.Time // the gateway's clock ([WithClock]) when the request arrived, in Beijing time
}

// Requests returns every request the gateway has received from the merchant, accepted, refused
// or faulted alike, in the order the gateway decided them. It is a copy, safe to call while the
// gateway serves. A request is listed before its answer is written, so once a client call has
// returned, even with an error (a lost answer, a timeout), its request is listed if it reached
// the gateway. Only requests to the endpoints ([Endpoint]) are listed: a front order's form, which the
// shopper's browser or [Server.Pay] posts to EndpointFront, is; the payment on the cashier page,
// [Server.Complete], [Server.PayQRCode] and notifications (see [Server.Deliveries]) are not.
// With [WithHistoryLimit] it lists the latest ones only; [Server.Dropped] counts the others.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.requests.all()
}

// Received returns how many requests of txnType (two digits: "04" for refunds, "00" for
// queries) with orderID reached the gateway, whatever it answered: a duplicate refused 12, a
// request answered 5xx, a request whose answer was lost are all counted. It asks what the
// merchant's code sent, as Requests lists it: a pending refund queried, never sent again, is
// Received(refundID, "04") == 1 and Received(refundID, "00") >= 1 (a query by queryId alone
// carries no orderId and is not counted under one). It panics if txnType is not two digits, as
// arguments passed the wrong way round are not, and, with [WithHistoryLimit], if a request of
// orderID and txnType may be among those dropped: rather than count short. The gateway keeps
// which pairs it dropped requests of in a fixed table (8 KiB), where pairs may share a slot, so
// once it has dropped many it may also panic for a pair it dropped none of; a test that counts
// keeps its limit above the requests it sends.
func (s *Server) Received(orderID, txnType string) int {
	if len(txnType) != 2 || !isDigits(txnType) {
		panic(fmt.Errorf("unionpaytest: Received(%q, %q): txnType %q is not two digits (orderID comes first)",
			orderID, txnType, txnType))
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.dropKeys.mayHold(orderID, txnType) {
		panic(receivedDropped(orderID, txnType, s.requests.dropped, s.requests.limit))
	}
	n := 0
	for _, r := range s.requests.buf {
		if r.OrderID == orderID && r.TxnType == txnType {
			n++
		}
	}
	return n
}

// logRequest lists the request req (nil when its body could not be read) that arrived at ep at
// the gateway time at, with the fault it took, the refusal rej (nil if none) and the respCode
// answered.
func (s *Server) logRequest(ep Endpoint, req sign.Fields, at time.Time, fault Fault, rej *rejection, code string) {
	r := Request{
		Endpoint: ep, TxnType: req["txnType"], TxnSubType: req["txnSubType"], BizType: req["bizType"],
		OrderID: req["orderId"], TxnTime: req["txnTime"], QueryID: req["queryId"], OrigQueryID: req["origQryId"],
		RespCode: code, Fault: fault, At: at,
	}
	if amount, err := parseAmount(req["txnAmt"]); err == nil {
		r.Amount = amount
	}
	if rej != nil {
		r.Refusal = pan.MaskRuns(rej.reason)
		if r.Refusal == "" {
			r.Refusal = "refused" // Refusal is never "" for a refused request
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if old, dropped := s.requests.add(r); dropped {
		s.dropKeys.add(old.OrderID, old.TxnType)
	}
}
