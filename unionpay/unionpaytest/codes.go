package unionpaytest

import "strings"

// Response codes (respCode) the fake gateway answers with. The codes and their Chinese texts follow
// UnionPay's published 应答码 table; which code the real gateway picks for a given fault is not
// always documented, so the choice below is the plausible one and is fixed here so tests can rely
// on it. The 7-digit detail code in brackets at the end of respMsg is synthetic except for
// 成功[0000000].
//
//	00  success (synchronous: accepted / query: the query itself worked)
//	03  timed out, query the transaction          (scripted Outcome)
//	04  state unknown, query                      (scripted Outcome)
//	05  accepted, query later for the result      (scripted Outcome)
//	10  malformed message: bad version, encoding, signMethod value, txnTime, orderId, amount,
//	    currency, duplicate key, stale or future txnTime; a payer's payment code (qrNo) already
//	    used by a consume that succeeded or is pending (UnionPay's code for it not established)
//	11  signature does not verify, certId unknown, signMethod not enabled for the merchant
//	12  duplicate transaction: orderId already used (batchNo already used for batches)
//	13  required field missing (per txnType; acqInsCode or a sub-merchant field per accessType)
//	14  batch file malformed or totals disagree with totalQty/totalAmt
//	31  merId is not the test merchant
//	32  transaction not allowed on this endpoint (txnType/bizType/endpoint mismatch)
//	33  amount over the limit: refunds beyond the original, completion beyond 115%, txnAmt over
//	    the per-transaction maximum
//	34  no such transaction (query, batch query)
//	35  original transaction absent or in the wrong state (cancel after refund, refund of a
//	    cancelled consume, cancel on a later settle date, second cancel, second completion of
//	    a pre-authorisation whose first is not cancelled ...)
//	36  does not match the original (cancel amount not the full amount, txnType pairing wrong,
//	    another sub-merchant's original, a QR-code payment's refund or cancel under a bizType
//	    other than 000000: reported, UnionPay's code for it not established)
//	39  not accepted at this time: the cashier refuses to pay an order after its payTimeout
//	64  insufficient balance (cashier: the declined test card)
//	77  card not opened (open query, 78: no open of that card or orderId succeeded)
//	89  no such token, or not the requestor's (a consume by token, 01, its SMS, 77/02, or a delete,
//	    74, or update, 79/03, of a token, whose tokenPayData names a token no open of the fake
//	    issued to that trId, or one deleted since): UnionPay's code for
//	    "无此Token、TR状态无效或者Token状态无效" on its payment-tokenisation service's page
//	83  the issuer (channel) still processing (scripted Outcome only): pending, as 05
//	A6  success with defect (scripted Outcome only): a success everywhere, as 00 (the original
//	    can be refunded, a refund counts against it, a notification is sent, it settles)
//	98  no settlement file for that date
const (
	CodeSuccess      = "00"
	CodeDefect       = "A6" // success with defect (有缺陷的成功): a success, in the ledger as in the SDK
	CodeTimeout      = "03"
	CodeUnknown      = "04"
	CodeAccepted     = "05"
	CodeMalformed    = "10"
	CodeBadSignature = "11"
	CodeDuplicate    = "12"
	CodeMissingField = "13"
	CodeBadBatchFile = "14"
	CodeBadMerchant  = "31"
	CodeNotAllowed   = "32"
	CodeOverLimit    = "33"
	CodeNotFound     = "34"
	CodeBadOriginal  = "35"
	CodeMismatch     = "36"
	CodeExpired      = "39"
	CodeDeclined     = "64"
	CodeNotOpened    = "77"
	CodeInvalidToken = "89"
	CodeIssuerBusy   = "83"
	CodeNoFile       = "98"
)

// respText returns the Chinese text of a respCode.
func respText(code string) string {
	switch code {
	case CodeSuccess:
		return "成功"
	case CodeDefect:
		return "有缺陷的成功"
	case CodeTimeout:
		return "交易通讯超时，请发起查询交易"
	case CodeUnknown:
		return "交易状态未明，请查询对账结果"
	case CodeAccepted:
		return "交易已受理，请稍后查询交易结果"
	case CodeMalformed:
		return "报文格式错误"
	case CodeBadSignature:
		return "验证签名失败"
	case CodeDuplicate:
		return "重复交易"
	case CodeMissingField:
		return "报文交易要素缺失"
	case CodeBadBatchFile:
		return "批量文件格式错误"
	case CodeBadMerchant:
		return "商户状态不正确"
	case CodeNotAllowed:
		return "无此交易权限"
	case CodeOverLimit:
		return "交易金额超限"
	case CodeNotFound:
		return "查无此交易"
	case CodeBadOriginal:
		return "原交易不存在或状态不正确"
	case CodeMismatch:
		return "与原交易信息不符"
	case CodeExpired:
		return "交易不在受理时间范围内"
	case CodeDeclined:
		return "卡上的余额不足"
	case CodeNoFile:
		return "文件不存在"
	case CodeNotOpened:
		return "未开通"
	case CodeInvalidToken:
		return "无此Token、TR状态无效或者Token状态无效"
	case CodeIssuerBusy:
		return "发卡行（渠道）处理中"
	}
	return "交易失败"
}

// respMsg returns respMsg for code: the text, then the bracketed detail code.
func respMsg(code, detail string) string {
	if detail == "" {
		detail = "00000" + code
		if code == CodeSuccess {
			detail = "0000000"
		}
		if !isDigits(code) { // A6: UnionPay's detail codes are digits all the same
			detail = "0000000"
		}
	}
	return respText(code) + "[" + detail + "]"
}

// respMsgWhy returns respMsg for code with reason between the text and the detail code, brackets
// in reason turned to parentheses so that the only bracketed part is the final detail code.
func respMsgWhy(code, reason string) string {
	reason = strings.NewReplacer("[", "(", "]", ")").Replace(reason)
	m := respMsg(code, "")
	i := strings.LastIndexByte(m, '[')
	return m[:i] + "：" + reason + m[i:]
}

// isSuccess reports whether code is a success: 00, or A6 (success with defect), as UnionPay's
// demos and the SDK read it.
func isSuccess(code string) bool { return code == CodeSuccess || code == CodeDefect }

// isPayoutQueryAgainCode reports the codes after which UnionPay's payout product asks for another
// query (01, 12, 34, 60): a payout scripted with one of them and further steps goes on to them,
// as a real payout answered so may still go through.
func isPayoutQueryAgainCode(code string) bool {
	return code == "01" || code == "12" || code == "34" || code == "60"
}

// isPendingCode reports whether code means "outcome not known yet" (03, 04, 05, 83).
func isPendingCode(code string) bool {
	return code == CodeTimeout || code == CodeUnknown || code == CodeAccepted || code == CodeIssuerBusy
}
