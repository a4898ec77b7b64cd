package notify_test

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/notify"
	"github.com/goacp/unionpay/sign"
)

// TestNotificationCheck: Check compares a verified notification with the transaction the
// merchant stored, field by field, and names the first that differs: another merchant's
// notification, a refund of another payment under a reused orderId, another amount or currency
// (the fields an OnNotify that compared merId, txnType and txnAmt by hand let through), a
// sub-merchant's. An incomplete Expected is an error, but no mismatch.
func TestNotificationCheck(t *testing.T) {
	t.Parallel()
	const mer, payment, other = "777290058110048", "782606011200000000001", "782606011200000000002"
	refund := sign.Fields{
		"encoding": "UTF-8", "txnType": "04", "txnSubType": "00", "bizType": "000201",
		"merId": mer, "orderId": "REFUND20260601001", "txnTime": "20260601120000",
		"txnAmt": "300", "currencyCode": "156", "queryId": "782606011200000000099", "origQryId": payment,
		"respCode": "00", "respMsg": "成功[0000000]",
	}
	want := notify.Expected{MerchantID: mer, TxnType: "04", Amount: 300, OrigQueryID: payment}
	for _, tt := range []struct {
		name      string
		change    func(sign.Fields)
		edit      func(*notify.Expected)
		wantField string // "" = no mismatch
		wantErr   string // an error that is no mismatch
	}{
		{name: "the refund sent"},
		{name: "stored with spaces", edit: func(e *notify.Expected) { e.MerchantID, e.OrigQueryID = " "+mer, payment+" " }},
		{name: "currency given", edit: func(e *notify.Expected) { e.Currency = "156" }},
		{name: "another merchant's", change: func(f sign.Fields) { f["merId"] = "898111148990001" }, wantField: "merId"},
		{name: "another type", change: func(f sign.Fields) { f["txnType"] = "31" }, wantField: "txnType"},
		{name: "a refund of another payment", change: func(f sign.Fields) { f["origQryId"] = other }, wantField: "origQryId"},
		{name: "no origQryId", change: func(f sign.Fields) { delete(f, "origQryId") }},
		{name: "origQryId not stored", edit: func(e *notify.Expected) { e.OrigQueryID = "" }},
		{name: "another amount", change: func(f sign.Fields) { f["txnAmt"] = "3000" }, wantField: "txnAmt"},
		{name: "no amount", change: func(f sign.Fields) { delete(f, "txnAmt") }, wantField: "txnAmt"},
		{name: "the amount with leading zeros", change: func(f sign.Fields) { f["txnAmt"] = "000300" }},
		{name: "another amount with leading zeros, named as received", change: func(f sign.Fields) { f["txnAmt"] = "003000" },
			wantField: "txnAmt"},
		{name: "another currency", change: func(f sign.Fields) { f["currencyCode"] = "392" }, wantField: "currencyCode"},
		{name: "another currency than the one stored", edit: func(e *notify.Expected) { e.Currency = "392" }, wantField: "currencyCode"},
		{name: "no currency", change: func(f sign.Fields) { delete(f, "currencyCode") }},
		{name: "the sub-merchant's", change: func(f sign.Fields) { f["subMerId"] = "SUB01" },
			edit: func(e *notify.Expected) { e.SubMerID = "SUB01" }},
		{name: "another sub-merchant's", change: func(f sign.Fields) { f["subMerId"] = "SUB02" },
			edit: func(e *notify.Expected) { e.SubMerID = "SUB01" }, wantField: "subMerId"},
		{name: "no sub-merchant", edit: func(e *notify.Expected) { e.SubMerID = "SUB01" }, wantField: "subMerId"},
		{name: "a sub-merchant's, none stored", change: func(f sign.Fields) { f["subMerId"] = "SUB01" }},
		{name: "merId before amount", change: func(f sign.Fields) { f["merId"], f["txnAmt"] = "898111148990001", "1" },
			wantField: "merId"},
		{name: "merId before subMerId", change: func(f sign.Fields) { f["merId"], f["subMerId"] = "898111148990001", "SUB02" },
			edit: func(e *notify.Expected) { e.SubMerID = "SUB01" }, wantField: "merId"},
		{name: "amount before currency", change: func(f sign.Fields) { f["txnAmt"], f["currencyCode"] = "3000", "392" },
			wantField: "txnAmt"},
		{name: "currency stored with spaces", edit: func(e *notify.Expected) { e.Currency = " 156 " }},
		// A refund of a payment in another currency: it sends no currencyCode, and its
		// notification names the payment's, which Expected must then give ("" is 156).
		{name: "a refund in dollars, the payment's currency stored", change: func(f sign.Fields) { f["currencyCode"] = "840" },
			edit: func(e *notify.Expected) { e.Currency = "840" }},
		{name: "a refund in dollars, no currency stored", change: func(f sign.Fields) { f["currencyCode"] = "840" },
			wantField: "currencyCode"},
		// A currency stored in another form than currencyCode's three digits is the merchant's
		// mistake, not money moved in another currency: an error, never a MismatchError.
		{name: "currency stored as letters", change: func(f sign.Fields) { f["currencyCode"] = "840" },
			edit: func(e *notify.Expected) { e.Currency = "USD" }, wantErr: `Expected.Currency "USD"`},
		{name: "currency stored as letters, in CNY", edit: func(e *notify.Expected) { e.Currency = "CNY" },
			wantErr: `Expected.Currency "CNY"`},
		{name: "currency of two digits", edit: func(e *notify.Expected) { e.Currency = "84" }, wantErr: `Expected.Currency "84"`},
		{name: "currency of four digits", edit: func(e *notify.Expected) { e.Currency = "1560" }, wantErr: `Expected.Currency "1560"`},
		{name: "currency stored as letters, none notified", change: func(f sign.Fields) { delete(f, "currencyCode") },
			edit: func(e *notify.Expected) { e.Currency = "USD" }, wantErr: `Expected.Currency "USD"`},
		{name: "no merId stored", edit: func(e *notify.Expected) { e.MerchantID = " " }, wantErr: "Expected.MerchantID"},
		{name: "nothing stored", edit: func(e *notify.Expected) { *e = notify.Expected{} },
			wantErr: "Expected.MerchantID, Expected.TxnType, Expected.Amount required"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := refund.Clone()
			if tt.change != nil {
				tt.change(f)
			}
			n, err := notify.Verify(exampleVerifier(), gatewaySign(f))
			require.NoError(t, err)
			e := want
			if tt.edit != nil {
				tt.edit(&e)
			}
			err = n.Check(e)
			var m *notify.MismatchError
			switch {
			case tt.wantErr != "":
				require.Error(t, err)
				assert.False(t, errors.As(err, &m), "not a mismatch: %v", err)
				assert.Contains(t, err.Error(), tt.wantErr)
			case tt.wantField != "":
				require.ErrorAs(t, err, &m)
				assert.Equal(t, tt.wantField, m.Field)
				assert.Equal(t, "REFUND20260601001@20260601120000", m.Key)
				assert.Equal(t, f[tt.wantField], m.Got)
				assert.Contains(t, err.Error(), "notify: notification REFUND20260601001@20260601120000: "+tt.wantField)
				// Only txnAmt and currencyCode are this refund's, of another amount: for review.
				otherAmount := tt.wantField == "txnAmt" || tt.wantField == "currencyCode"
				assert.Equal(t, otherAmount, m.OtherAmount(), "OtherAmount of a mismatch of %s", tt.wantField)
			default:
				assert.NoError(t, err)
			}
		})
	}
}

// TestNotificationCheckByHand: a Notification made by hand (no Raw, or a partial one), as a test
// of a handler builds one, is compared on its typed fields.
func TestNotificationCheckByHand(t *testing.T) {
	t.Parallel()
	want := notify.Expected{MerchantID: "777290058110048", TxnType: "01", Amount: 1999}
	n := &notify.Notification{MerchantID: "777290058110048", TxnType: "01", TxnAmt: 1999}
	assert.NoError(t, n.Check(want))
	n.Raw = sign.Fields{"txnTime": "20260601120000"} // a partial Raw: the typed fields count
	assert.NoError(t, n.Check(want))
	n.TxnAmt = 0
	var m *notify.MismatchError
	require.ErrorAs(t, n.Check(want), &m)
	assert.Equal(t, "txnAmt", m.Field)
	assert.Empty(t, m.Got, "no amount")
}

// TestMismatchErrorOtherAmount: OtherAmount tells this transaction's notification of another
// amount or currency (for review) from another transaction's (to leave alone), by Field; a nil
// *MismatchError is none.
func TestMismatchErrorOtherAmount(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		field string
		want  bool
	}{
		{"merId", false}, {"subMerId", false}, {"txnType", false}, {"origQryId", false},
		{"txnAmt", true}, {"currencyCode", true}, {"", false},
	} {
		assert.Equal(t, tt.want, (&notify.MismatchError{Field: tt.field}).OtherAmount(), "Field %q", tt.field)
	}
	var none *notify.MismatchError
	assert.False(t, none.OtherAmount(), "a nil *MismatchError")
}
