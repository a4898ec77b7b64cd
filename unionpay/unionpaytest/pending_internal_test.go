package unionpaytest

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/notify"
)

// The fake gateway's ledger keeps a transaction open exactly while notify (and so the client)
// calls its code pending, and counts as success exactly what notify calls succeeded. Every
// respCode of two digits or capital letters is checked.
func TestLedgerCodesAgreeWithNotify(t *testing.T) {
	t.Parallel()
	const chars = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	for _, a := range chars {
		for _, b := range chars {
			code := string(a) + string(b)
			require.Equal(t, notify.StatusOf(code) == notify.Pending, isPendingCode(code), "isPendingCode(%q)", code)
			require.Equal(t, notify.StatusOf(code) == notify.Succeeded, isSuccess(code), "isSuccess(%q)", code)
		}
	}
}
