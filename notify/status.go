package notify

// Status classifies the outcome a notification reports. Its zero value is
// Pending, so a Status nobody set never reads as success.
type Status int

// Outcomes of a notification, read from its respCode.
const (
	// Pending: UnionPay has not decided yet (respCode 03, 04, 05 or 83, and
	// for a payout 01, 12, 34 or 60: see Notification.Status), or the code is
	// missing. Not final: query the transaction later.
	Pending Status = iota
	// Succeeded: respCode 00, or A6 (succeeded with a defect). For
	// money-moving transactions the official guidance is still to confirm
	// by a status query before shipping goods.
	Succeeded
	// Failed: any other respCode. Final for a back transaction (refund,
	// cancel, completion); for a front payment the shopper may still pay
	// again under the same order, so only a query after payTimeout is final.
	Failed
)

// String returns "pending", "succeeded" or "failed".
func (s Status) String() string {
	switch s {
	case Succeeded:
		return "succeeded"
	case Failed:
		return "failed"
	default:
		return "pending"
	}
}

// StatusOf classifies a respCode the way UnionPay's documentation does:
// 00 and A6 succeeded; 03, 04, 05, 83 (发卡行（渠道）处理中, the issuer or
// channel still processing) and an empty code pending; anything else failed.
// A payout (代付) also reads 01, 12, 34 and 60 as pending, which a respCode
// alone cannot tell: use Notification.Status, which knows the transaction.
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

// Status classifies the notification by its respCode (see StatusOf), except
// that for a payout (代付: txnType 12, or bizType 000401 with no txnType of
// another transaction) respCode 01, 12, 34 and 60 are Pending too: UnionPay's
// payout samples read them as "still processing, query again" (the settlement
// file deciding in the end), and a payout taken as failed invites a second one.
func (n *Notification) Status() Status {
	if n.TxnType == "12" || (n.TxnType == "" || n.TxnType == "00") && n.BizType == "000401" {
		switch n.RespCode {
		case "01", "12", "34", "60":
			return Pending
		}
	}
	return StatusOf(n.RespCode)
}
