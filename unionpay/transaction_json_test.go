package unionpay_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/sign"
	"github.com/goacp/unionpay/unionpay"
)

// A Transaction stored as JSON before its log form existed decodes as it was, UnionPay's own
// masked card numbers included; and a struct of the caller's that embeds one decodes its own
// fields too: Transaction has no UnmarshalJSON, which the struct would take over (a review found
// one that refused masks dropping the caller's fields). The log form decodes into the masks.
func TestTransactionJSONStoredAndMasked(t *testing.T) {
	t.Parallel()
	for _, accNo := range []string{"6216***********0018", "622609******0048", "QmFzZTY0RW5jcnlwdGVkQWNjTm8=", ""} {
		tx := unionpay.Transaction{OrderID: "ORDER0001", AccNo: accNo, Raw: sign.Fields{"orderId": "ORDER0001", "accNo": accNo}}
		type stored unionpay.Transaction // as json.Marshal wrote it before MarshalJSON existed
		b, err := json.Marshal(stored(tx))
		require.NoError(t, err)
		var back unionpay.Transaction
		require.NoError(t, json.Unmarshal(b, &back), accNo)
		assert.Equal(t, tx.AccNo, back.AccNo)
		assert.Equal(t, tx.Raw, back.Raw)

		type order struct {
			*unionpay.Transaction
			Note string
		}
		var o order
		require.NoError(t, json.Unmarshal([]byte(`{"OrderID":"ORDER0001","AccNo":"`+accNo+`","Note":"kept"}`), &o))
		assert.Equal(t, "kept", o.Note, "the caller's own field")
		assert.Equal(t, accNo, o.AccNo)
	}

	logForm, err := json.Marshal(unionpay.Transaction{OrderID: "ORDER0001", AccNo: "6216261000000000018"})
	require.NoError(t, err)
	var back unionpay.Transaction
	require.NoError(t, json.Unmarshal(logForm, &back))
	assert.Equal(t, "621626******0018", back.AccNo, "the log form decodes into its masks")
}

// oldTransaction is Transaction without its methods: json.Marshal of it is what the code before
// abfe2d2 wrote for a Transaction (every field, unmasked).
type oldTransaction unionpay.Transaction

// A Transaction stored as JSON by the old code, with an encrypted accNo, still decodes.
func TestReviewLateOldTransactionJSONDecodes(t *testing.T) {
	tx := unionpay.Transaction{State: unionpay.Succeeded, OrderID: "ORDER0001",
		TxnTime: time.Date(2026, 11, 26, 10, 0, 0, 0, time.FixedZone("CST", 8*3600)), QueryID: "782611261000000000001",
		TxnType: "01", Amount: 100, OrigRespCode: "00", RespCode: "00", SettleDate: "1126", SettleAmount: 100,
		TraceNo: "000001", AccNo: "QmFzZTY0RW5jcnlwdGVkQWNjTm8=",
		Raw: sign.Fields{"accNo": "QmFzZTY0RW5jcnlwdGVkQWNjTm8=", "customerInfo": "e3Bob25lTm89MTM1NTIxMzU1MjF9",
			"txnAmt": "100"}}
	b, err := json.Marshal(oldTransaction(tx))
	if err != nil {
		t.Fatal(err)
	}
	var back unionpay.Transaction
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatalf("old JSON refused: %v", err)
	}
	if back.AccNo != tx.AccNo || back.Raw["customerInfo"] != tx.Raw["customerInfo"] || !back.TxnTime.Equal(tx.TxnTime) {
		t.Errorf("decoded %+v", back)
	}
}

// UnionPay masks the card number it returns in clear itself (PROTOCOL.md §5.5 and §12: the
// plaintext of a 2024 query answer's accNo was 6216***********0018; RECONCILE.md: 622609******0048).
// A Transaction of a merchant that receives accNo in clear, stored as JSON by the old code (or
// by hand, as ErrMaskedJSON's doc invites), is legitimate JSON with real values: it must decode.
func TestReviewLateUnionPayMaskedAccNoDecodes(t *testing.T) {
	for _, accNo := range []string{"622609******0048", "6216***********0018"} {
		tx := unionpay.Transaction{State: unionpay.Succeeded, OrderID: "ORDER0001", TxnType: "01", Amount: 100,
			AccNo: accNo, Raw: sign.Fields{"accNo": accNo, "txnAmt": "100"}}
		b, err := json.Marshal(oldTransaction(tx))
		if err != nil {
			t.Fatal(err)
		}
		var back unionpay.Transaction
		if err := json.Unmarshal(b, &back); err != nil {
			t.Errorf("accNo %s as UnionPay sent it: legitimate JSON refused: %v", accNo, err)
		} else if back.AccNo != accNo {
			t.Errorf("AccNo %q, want %q", back.AccNo, accNo)
		}
	}
}

// A caller's struct that embeds a Transaction, stored as JSON by the old code (the Transaction's
// fields and the caller's, flat), decodes its own fields too: an UnmarshalJSON on Transaction,
// promoted, would decode the Transaction alone and silently drop them.
func TestReviewLateEmbeddedTransactionOldJSON(t *testing.T) {
	type stored struct {
		unionpay.Transaction
		Note string
	}
	old := []byte(`{"State":"succeeded","OrderID":"ORDER0001","TxnType":"01","Amount":100,"AccNo":"",` +
		`"Raw":{"txnAmt":"100"},"Other":null,"Note":"paid by the school"}`)
	var s stored
	if err := json.Unmarshal(old, &s); err != nil {
		t.Fatal(err)
	}
	if s.Note != "paid by the school" || s.OrderID != "ORDER0001" {
		t.Errorf("decoded %+v: Note %q lost", s.Transaction, s.Note)
	}
}
