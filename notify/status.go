package notify

import (
	"errors"
	"strconv"
)

// Status classifies the outcome a notification reports. Its zero value is
// Pending, so a Status nobody set never reads as success.
type Status int

// Outcomes of a notification, read from its respCode and, for a synchronous
// answer posted as one, from what it is (see Notification.Status).
const (
	// Pending: UnionPay has not decided yet (respCode 03, 04, 05 or 83, and
	// for a payout 01, 12, 34 or 60), the code is missing, or the message
	// is a synchronous answer that states no outcome (see
	// Notification.Status). Not final: query the transaction later.
	Pending Status = iota
	// Succeeded: respCode 00, or A6 (succeeded with a defect), of a
	// notification that carries what UnionPay's do (see
	// Notification.Status). For money-moving transactions the official
	// guidance is still to confirm by a status query before shipping goods.
	Succeeded
	// Failed: any other respCode (but those Notification.Status reads as
	// Pending: a refused request's 10-14, a query's own). Final for a back transaction (refund,
	// cancel, completion); for a front payment the shopper may still pay
	// again under the same order, so only a query after payTimeout is final.
	Failed
)

// String returns "pending", "succeeded" or "failed", and "Status(N)" for a
// value that is none of them (a conversion from a stored number, say), as the
// other enumerations of the module do, rather than passing it for pending.
func (s Status) String() string {
	switch s {
	case Pending:
		return "pending"
	case Succeeded:
		return "succeeded"
	case Failed:
		return "failed"
	}
	return "Status(" + strconv.Itoa(int(s)) + ")"
}

// MarshalText returns the word String returns, so that encoding/json and a JSON log handler
// write "failed" rather than 2 (a number that package reconcile's State gives another meaning:
// pending).
func (s Status) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText sets s to the status named text: "pending", "succeeded" or "failed", the words
// MarshalText writes. Any other text, a number and "Status(N)" included, is an error naming it,
// and leaves s unchanged.
func (s *Status) UnmarshalText(text []byte) error {
	for _, st := range [...]Status{Pending, Succeeded, Failed} {
		if string(text) == st.String() {
			*s = st
			return nil
		}
	}
	return errors.New("notify: status " + strconv.Quote(string(text)) + " is not pending, succeeded or failed")
}

// StatusOf classifies a respCode the way UnionPay's documentation does:
// 00 and A6 succeeded; 03, 04, 05, 83 (发卡行（渠道）处理中, the issuer or
// channel still processing) and an empty code pending; anything else failed.
// A payout (代付) also reads 01, 12, 34 and 60 as pending, which a respCode
// alone cannot tell: for a notification use Notification.Status, which knows
// the transaction and tells a synchronous answer posted to backUrl.
func StatusOf(respCode string) Status {
	switch respCode {
	case "00", "A6":
		return Succeeded
	case "03", "04", "05", "83", "":
		return Pending
	default:
		return Failed
	}
}

// Status classifies the notification by its respCode (see StatusOf), with the
// exceptions below. For a payout (代付: txnType 12, or bizType 000401 with no txnType of
// another transaction) respCode 01, 12, 34 and 60 are Pending too: UnionPay's
// payout samples read them as "still processing, query again" (the settlement
// file deciding in the end), and a payout taken as failed invites a second one.
//
// UnionPay signs its synchronous answers as it signs notifications, so an
// answer posted to backUrl (by whoever saw it) verifies too. Status reads what
// only an answer can be by what it means, never as a success it does not state:
//   - a message carrying origRespCode (a status query's answer, whose respCode
//     00 says only that the query worked) is classified by origRespCode, and is
//     Pending when its respCode is not 00;
//   - a message about a card transaction (txnType 01, 02, 03, 04, 11, 12,
//     31, 32, 33: those that move or reserve money) without a queryId names no transaction (an app order's
//     answer, which carries tn), one of txnType 00 without origRespCode is a
//     query's own answer ("not found", "queried too often"), and one of
//     txnType 77 is a consume SMS's answer, which shares the consume's
//     orderId, txnTime and amount: Pending;
//   - respCode 10 to 14 answer a request the gateway refused (malformed,
//     signature, duplicate, missing field, batch file): no transaction of it
//     exists to notify about, so Pending;
//   - a success of a card transaction without a settleDate is Pending: a back transaction's synchronous answer says "accepted" with
//     respCode 00 and no settleDate, which UnionPay's notification of a
//     success carries.
//
// Pending means: query the transaction (unionpay's Client.Query) to learn.
func (n *Notification) Status() Status {
	code := n.RespCode
	if n.OrigRespCode != "" { // a status query's answer
		if code != "00" {
			return Pending
		}
		code = n.OrigRespCode
	} else if n.TxnType == "00" || n.TxnType == "77" || movesMoney(n.TxnType) && n.QueryID == "" {
		return Pending
	}
	switch code {
	case "10", "11", "12", "13", "14":
		return Pending
	case "01", "34", "60":
		if n.payout() {
			return Pending
		}
	}
	st := StatusOf(code)
	if st == Succeeded && n.OrigRespCode == "" && n.SettleDate == "" && movesMoney(n.TxnType) {
		return Pending
	}
	return st
}

// payout reports whether n is about a payout (代付).
func (n *Notification) payout() bool {
	return n.TxnType == "12" || (n.TxnType == "" || n.TxnType == "00") && n.BizType == "000401"
}

// movesMoney reports whether txnType is a card transaction that reserves or
// moves money: consume, pre-authorisation and its completion, refund,
// collection, payout and the cancels.
func movesMoney(txnType string) bool {
	switch txnType {
	case "01", "02", "03", "04", "11", "12", "31", "32", "33":
		return true
	}
	return false
}
