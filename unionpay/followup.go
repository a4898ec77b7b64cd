package unionpay

import (
	"fmt"

	"github.com/goacp/unionpay/notify"
)

// FollowUpOn returns the request of a refund, cancel or completion of the payment n notified, for
// [Client.Refund], [Client.CancelConsume], [Client.CompletePreAuth], [Client.CancelPreAuth] or
// [Client.CancelPreAuthCompletion]: OrderID orderID, OrigQueryID the payment's queryId, BizType
// its bizType (a QR-code payment's 000000, a B2B one's 000202, an authenticated payment's 000301:
// never the default a forgotten BizType sends), and Amount amount, in the minor unit of the
// payment's currency (fen for CNY); 0 is the payment's whole amount (a cancel's, or a full
// refund's). The caller sets BackURL, and TxnTime, stored with orderID before sending (see
// [FollowUpRequest.TxnTime]). n is the payment's verified notification (notify.Notification, as
// [notify.Parse] and [notify.Handler] give it, or stored as JSON and read back); the merchant
// and sub-merchant are c's, which the call sends with, so n must be c's.
//
// It refuses, with a *[RequestError] (Op "follow-up") naming the field, what no follow-up can be
// built from or sent with c:
//   - a nil n ("Notification");
//   - a transaction that is no payment: a txnType other than 01 (consume), 02
//     (pre-authorisation) or 03 (pre-auth completion) ("Notification.TxnType");
//   - a status query's answer (it carries origRespCode, "Notification.OrigRespCode"): its bizType
//     is the query's, not the payment's (UnionPay echoes the query's, 000000 where the payment's
//     was 000201);
//   - one without queryId, amount or a 6-digit bizType ("Notification.QueryID", "Notification.TxnAmt",
//     "Notification.BizType");
//   - a payment that did not succeed, as [notify.Notification.Status] reads it
//     ("Notification.RespCode");
//   - another merchant's payment, or one made with another access: its merId, accessType,
//     acqInsCode or subMerId is not c's ("Notification.MerchantID", "Notification.AccessType",
//     "Notification.AcqInsCode", "Notification.SubMerID"). A platform sends a shop's follow-up with
//     the shop's Client ([Client.WithSubMerchant] of the notification's SubMerID). A notification
//     without accessType, acqInsCode or subMerId is not compared on it: that UnionPay echoes
//     them in every notification is not established, and acqInsCode is compared for an
//     acquirer's Client alone;
//   - an amount below 0, or above the payment's (above 115% of it for a pre-authorisation's
//     completion) ("amount").
//
// It does not check orderID, which the call checks, nor what the call cannot (which follow-up
// suits the payment: a consume cancel of a pre-authorisation is the gateway's to refuse), nor
// that n was verified: build it only from a notification that was.
func (c *Client) FollowUpOn(n *notify.Notification, orderID string, amount int64) (*FollowUpRequest, error) {
	if err := c.usable(); err != nil {
		return nil, err
	}
	ch := &checker{op: "follow-up"}
	if n == nil {
		ch.fail("Notification", "nil")
		return nil, ch.err
	}
	ch.payment(n)
	ch.owner(c, n)
	switch {
	case amount < 0 || amount > maxAmount:
		ch.fail("amount", "must be between 0 (the payment's whole amount) and 999999999999")
	case amount > n.TxnAmt && n.TxnType != "02":
		ch.fail("amount", fmt.Sprintf("%d is more than the payment's %d", amount, n.TxnAmt))
	case amount*100 > n.TxnAmt*115: // both at most 12 digits: no overflow
		ch.fail("amount", fmt.Sprintf("%d is more than 115%% of the pre-authorisation's %d", amount, n.TxnAmt))
	case amount == 0:
		amount = n.TxnAmt
	}
	if ch.err != nil {
		return nil, ch.err
	}
	r := &FollowUpRequest{OrderID: orderID, OrigQueryID: n.QueryID, Amount: amount, BizType: n.BizType}
	if v := Channel(n.Raw["channelType"]); v == ChannelPC || v == ChannelMobile {
		r.Channel = v // UnionPay's notifications send none: the default, as the samples' follow-ups
	}
	return r, nil
}

// payment checks that n is a successful payment a follow-up can name.
func (ch *checker) payment(n *notify.Notification) {
	switch n.TxnType {
	case "01", "02", "03":
	default:
		ch.fail("Notification.TxnType", fmt.Sprintf("%q is no payment (01 consume, 02 pre-authorisation, "+
			"03 pre-auth completion): give the notification of the payment acted on", n.TxnType))
	}
	if n.OrigRespCode != "" {
		ch.fail("Notification.OrigRespCode", "a status query's answer, whose bizType is the query's, "+
			"not the payment's: give the payment's own notification")
	}
	if n.QueryID == "" {
		ch.fail("Notification.QueryID", "missing: the follow-up names the payment by it (origQryId)")
	}
	if n.TxnAmt <= 0 || n.TxnAmt > maxAmount {
		ch.fail("Notification.TxnAmt", "missing or out of range: the payment's amount is needed")
	}
	if len(n.BizType) != 6 || !isDigits(n.BizType) {
		ch.fail("Notification.BizType", "missing or not 6 digits: the follow-up is sent under the payment's bizType")
	}
	if st := n.Status(); st != notify.Succeeded {
		ch.fail("Notification.RespCode", fmt.Sprintf("respCode %q: the payment is %s, not succeeded", n.RespCode, st))
	}
}

// owner checks that n's payment is the merchant's c sends for, with c's access: the follow-up is
// sent with c's merId, accessType, acqInsCode and sub-merchant.
func (ch *checker) owner(c *Client, n *notify.Notification) {
	if n.MerchantID != c.cfg.MerchantID {
		ch.fail("Notification.MerchantID", fmt.Sprintf("merId %q, not this Client's %q: use that merchant's Client",
			n.MerchantID, c.cfg.MerchantID))
	}
	// A field the notification does not carry is not compared (as a query's answer's is not):
	// whether UnionPay echoes acqInsCode and subMerId in every notification is not established.
	// acqInsCode is compared for an acquirer's Client alone: a direct merchant's notification
	// might name the acquirer that served the card, and its accessType tells an acquirer's apart.
	if n.AcqInsCode != "" && c.cfg.AcquirerCode != "" && n.AcqInsCode != c.cfg.AcquirerCode {
		ch.fail("Notification.AcqInsCode", fmt.Sprintf("acqInsCode %q, not this Client's %q (Config.AcquirerCode)",
			n.AcqInsCode, c.cfg.AcquirerCode))
	}
	switch own := c.cfg.SubMerchant.ID; {
	case n.SubMerID == own, n.SubMerID == "":
	case own == "":
		ch.fail("Notification.SubMerID", fmt.Sprintf("sub-merchant %q's payment: send with that sub-merchant's Client "+
			"(Client.WithSubMerchant)", n.SubMerID))
	default:
		ch.fail("Notification.SubMerID", fmt.Sprintf("subMerId %q, not this Client's sub-merchant %q: send with the "+
			"payment's own (Client.WithSubMerchant)", n.SubMerID, own))
	}
	if n.AccessType != "" && n.AccessType != string(c.cfg.AccessType) {
		ch.fail("Notification.AccessType", fmt.Sprintf("accessType %q, not this Client's %q", n.AccessType, c.cfg.AccessType))
	}
}
