package unionpay

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/notify"
)

// The client's pending codes are notify's: a respCode a notification calls Pending is pending in a
// synchronous answer and in a query, and no other code is. Every respCode of two digits or capital
// letters is checked. A payout's query also reads the payout product's own codes as pending.
func TestPendingCodesAgreeWithNotify(t *testing.T) {
	t.Parallel()
	const chars = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	for _, a := range chars {
		for _, b := range chars {
			code := string(a) + string(b)
			want := notify.StatusOf(code) == notify.Pending
			require.Equal(t, want, pendingCode(code), "pendingCode(%q)", code)
			require.Equal(t, want, stateOf(code, false) == Pending, "stateOf(%q)", code)
			require.Equal(t, notify.StatusOf(code) == notify.Succeeded, stateOf(code, false) == Succeeded, "stateOf(%q)", code)
			// A payout's: the same, and 01, 12, 34 and 60 (UnionPay's payout samples).
			payout := want || code == "01" || code == "12" || code == "34" || code == "60"
			require.Equal(t, payout, stateOf(code, true) == Pending, "stateOf(%q, payout)", code)
			require.Equal(t, notify.StatusOf(code) == notify.Succeeded, stateOf(code, true) == Succeeded, "stateOf(%q, payout)", code)
			// ... and the same as notify's reading of a payout notification, but for 10 to 14: a
			// synchronous answer refusing the request, which no notification can be (notify
			// reads them as Pending: query).
			n := &notify.Notification{TxnType: "12", BizType: BizTypePayout, RespCode: code,
				QueryID: "782401051030000000011", SettleDate: "0105"}
			refused := code == "10" || code == "11" || code == "13" || code == "14"
			require.Equal(t, n.Status() == notify.Pending, stateOf(code, true) == Pending || refused, "payout %q", code)
			require.Equal(t, n.Status() == notify.Succeeded, stateOf(code, true) == Succeeded, "payout %q", code)
		}
	}
}
