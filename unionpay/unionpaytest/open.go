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
func openStatus(t *txn, f sign.Fields) {
	if t.kind != "79" {
		return
	}
	for _, k := range []string{"txnAmt", "currencyCode", "settleDate", "settleAmt", "settleCurrencyCode"} {
		delete(f, k)
	}
	if t.req["bizType"] != tokenBizType || t.pan == "" || !isSuccess(t.code) {
		return
	}
	trID := bracedValue(t.req["tokenPayData"], "trId")
	tokenType := bracedValue(t.req["tokenPayData"], "tokenType")
	if tokenType == "" {
		tokenType = "01"
	}
	f["tokenPayData"] = fmt.Sprintf("{token=%s&trId=%s&tokenType=%s}", tokenFor(t.pan, trID), trID, tokenType)
}

// tokenFor returns the token of card for token requestor trID: 19 digits, the same for the same
// card and requestor (the fake's choice, so that a test can open a card twice and compare; how
// UnionPay's tokens are made is not known here).
func tokenFor(card, trID string) string {
	sum := sha256.Sum256([]byte(trID + "|" + card))
	return fmt.Sprintf("6%018d", binary.BigEndian.Uint64(sum[:8])%1_000_000_000_000_000_000)
}
