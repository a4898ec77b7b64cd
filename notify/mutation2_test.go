package notify_test

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/notify"
	"github.com/goacp/unionpay/sign"
)

// TestVerifyRefusesEmptyAmount: Verify takes fields as given; an amount
// that is present but empty is not a number of fen and is refused, never
// read as 0 fen. An absent settleAmt is 0.
func TestVerifyRefusesEmptyAmount(t *testing.T) {
	t.Parallel()
	p := testPKI()
	v := p.verifier(t)
	for _, tc := range []struct {
		name    string
		edit    func(sign.Fields)
		field   string // "" = no error
		txnAmt  int64
		settled int64
	}{
		{"amounts given", func(f sign.Fields) { f["settleAmt"] = "1000" }, "", 1000, 1000},
		{"settleAmt absent", func(f sign.Fields) { delete(f, "settleAmt") }, "", 1000, 0},
		{"txnAmt empty", func(f sign.Fields) { f["txnAmt"] = "" }, "txnAmt", 0, 0},
		{"settleAmt empty", func(f sign.Fields) { f["settleAmt"] = "" }, "settleAmt", 0, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := consumeFields("EMPTY001")
			f["txnAmt"] = "1000"
			tc.edit(f)
			n, err := notify.Verify(v, signWith(t, p.leaf, f))
			if tc.field == "" {
				require.NoError(t, err)
				require.Equal(t, tc.txnAmt, n.TxnAmt)
				require.Equal(t, tc.settled, n.SettleAmt)
				return
			}
			require.ErrorIs(t, err, sign.ErrMalformed)
			var fe *notify.FieldError
			require.True(t, errors.As(err, &fe), "%v", err)
			require.Equal(t, tc.field, fe.Field)
			require.Contains(t, fe.Msg, "empty", "the error says what is wrong, not \"out of range\"")
			require.Nil(t, n)
		})
	}
}
