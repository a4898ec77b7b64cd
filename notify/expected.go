package notify

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Expected is what the merchant stored of a transaction it sent, for [Notification.Check] to
// tell whether a notification is about it. Look the stored transaction up by
// [Notification.Key] (orderId and txnTime), then check the rest with it.
type Expected struct {
	MerchantID string // merId the request was sent with; required
	TxnType    string // txnType sent: "01" consume, "04" refund, "31" consume cancel, "11" collection, "12" payout...; required
	Amount     int64  // txnAmt sent, in the minor unit of Currency (fen for CNY); required
	// Currency is the currencyCode sent, its three digits ("840" for USD, not "USD"); "" is "156"
	// (CNY), what the SDK sends unless told otherwise. A refund, cancel or completion sends none:
	// give the currency of the payment it acts on, the only one its notification can name.
	Currency string
	// OrigQueryID is the origQryId sent: for a refund, cancel or completion, the queryId of the
	// payment it acts on; "" for a transaction that acts on none.
	OrigQueryID string
	// SubMerID is the subMerId sent, by a platform (accessType 2) for its sub-merchant; "" when
	// none was. A platform's sub-merchants share its merId: give it.
	SubMerID string
}

// MismatchError reports a genuine notification that differs from the transaction
// [Notification.Check] was given: Field is the first field that differs. Find it with errors.As;
// [MismatchError.OtherAmount] tells this transaction's notification of another amount or currency
// (for review) from another transaction's (to leave alone).
type MismatchError struct {
	Key   string // the notification's Key (orderId@txnTime)
	Field string // wire name: merId, subMerId, txnType, origQryId, txnAmt or currencyCode
	Got   string // the notification's value, "" when it has none
	Want  string // the expected value
}

// Error names the field, the notification's value and the expected one.
func (e *MismatchError) Error() string {
	return fmt.Sprintf("notify: notification %s: %s is %q, not %q", e.Key, e.Field, e.Got, e.Want)
}

// OtherAmount reports that the notification is about the transaction [Notification.Check] was
// given, but for another amount or in another currency (Field txnAmt or currencyCode): every field
// compared before them matched. If it succeeded, money moved that is not what was stored: record
// its queryId and leave it to a person, never ship on it nor ignore it. false: the notification is
// another transaction's (another merchant's, another type's, a refund of another payment), to
// acknowledge and leave alone. A nil *MismatchError reports false.
func (e *MismatchError) OtherAmount() bool {
	return e != nil && (e.Field == fieldTxnAmt || e.Field == fieldCurrencyCode)
}

// Check reports whether the notification is about the transaction the merchant sent, as want
// describes it: nil, or a *[MismatchError] naming the first field that differs. Its merId must
// be want's (every merchant's notifications verify with the same UnionPay certificate, and
// another merchant can pay an order under the same orderId and txnTime and post UnionPay's
// notification to this backUrl), and so must its subMerId when want gives one, its txnType, its
// origQryId when want gives one and the notification has one (a refund under a reused orderId,
// of another payment), its txnAmt (a notification without it differs), and its currencyCode
// when it has one (want.Currency "" is 156). An incomplete want (no MerchantID, TxnType or a
// positive Amount) or one whose Currency is not three digits ("USD", which no currencyCode is)
// is an error, but no MismatchError: a mistake to mend, which nothing was compared against.
//
// The fields are compared in that order, so that a MismatchError naming txnAmt or
// currencyCode is about this merchant's transaction of this type and original: if it succeeded,
// money moved for another amount than the one stored. That is for a person to look at (record
// the queryId, do not ship), never to ignore; a mismatch of any other field is another
// transaction's notification, to acknowledge and leave alone. [MismatchError.OtherAmount] tells
// the two apart.
func (n *Notification) Check(want Expected) error {
	var missing []string
	if strings.TrimSpace(want.MerchantID) == "" {
		missing = append(missing, "MerchantID")
	}
	if strings.TrimSpace(want.TxnType) == "" {
		missing = append(missing, "TxnType")
	}
	if want.Amount <= 0 {
		missing = append(missing, "Amount")
	}
	if len(missing) > 0 {
		return errors.New("notify: Check: Expected." + strings.Join(missing, ", Expected.") +
			" required: the notification was compared with nothing")
	}
	mer, sub, typ, orig := strings.TrimSpace(want.MerchantID), strings.TrimSpace(want.SubMerID),
		strings.TrimSpace(want.TxnType), strings.TrimSpace(want.OrigQueryID)
	currency := strings.TrimSpace(want.Currency)
	if currency == "" {
		currency = "156"
	}
	if !numericCurrency(currency) { // "USD": it would differ from every currencyCode, as if money moved
		return fmt.Errorf("notify: Check: Expected.Currency %q is not currencyCode's 3 digits (ISO 4217 numeric: "+
			"\"156\" CNY, \"840\" USD): the notification was compared with nothing", want.Currency)
	}
	differs := func(field, got, want string) error {
		return &MismatchError{Key: n.Key(), Field: field, Got: got, Want: want}
	}
	amount := n.Raw[fieldTxnAmt] // as received; "" when the notification has none
	if amount == "" && n.TxnAmt != 0 {
		amount = strconv.FormatInt(n.TxnAmt, 10) // a Notification made by hand, without Raw
	}
	switch {
	case n.MerchantID != mer:
		return differs("merId", n.MerchantID, mer)
	case sub != "" && n.SubMerID != sub:
		return differs("subMerId", n.SubMerID, sub)
	case n.TxnType != typ:
		return differs("txnType", n.TxnType, typ)
	case orig != "" && n.OrigQueryID != "" && n.OrigQueryID != orig:
		return differs("origQryId", n.OrigQueryID, orig)
	case n.TxnAmt != want.Amount: // 0 without txnAmt: want.Amount is positive
		return differs(fieldTxnAmt, amount, strconv.FormatInt(want.Amount, 10))
	case n.CurrencyCode != "" && n.CurrencyCode != currency:
		return differs(fieldCurrencyCode, n.CurrencyCode, currency)
	}
	return nil
}

// numericCurrency reports whether s is three ASCII digits, as currencyCode is.
func numericCurrency(s string) bool {
	return len(s) == 3 && strings.Trim(s, "0123456789") == ""
}
