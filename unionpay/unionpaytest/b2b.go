package unionpaytest

import "github.com/goacp/unionpay/sign"

// b2bBizType is the bizType of UnionPay's B2B gateway payment (企业网银支付).
const b2bBizType = "000202"

// checkB2B refuses a consume under the B2B gateway payment's bizType sent otherwise than
// UnionPay's B2B samples send it: a form posted to frontTransReq.do, txnSubType 01, channelType
// 07 (the product is the PC gateway's). Its refund and query are checked as any other.
func checkB2B(ep Endpoint, f sign.Fields) *rejection {
	if f["txnType"] != "01" || f["bizType"] != b2bBizType {
		return nil
	}
	switch {
	case ep != EndpointFront:
		return violation(CodeNotAllowed, "txnType 01 bizType %s (B2B) only at %s, not %s", b2bBizType, EndpointFront, ep)
	case f["txnSubType"] != "01":
		return violation(CodeMalformed, "txnType 01 bizType %s (B2B) with txnSubType %s, want 01", b2bBizType, f["txnSubType"])
	case f["channelType"] != "07":
		return violation(CodeMalformed, "txnType 01 bizType %s (B2B) with channelType %s, want 07", b2bBizType, f["channelType"])
	}
	return nil
}
