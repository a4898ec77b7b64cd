package unionpay_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/sign"
	"github.com/goacp/unionpay/unionpay"
)

// TestQueryAnswerAmountForm: a query answer's txnAmt or settleAmt that UnionPay never writes
// (N1..12: one to twelve digits) is refused with an error naming the field, never read as an
// amount: 13 digits or more (past txnAmt's 12) were read as a sum UnionPay cannot have moved.
// An empty one ("txnAmt=") is no amount, 0, not an error (which every query would meet again:
// a transaction of no amount may be queried); but an empty txnAmt is not the amount a
// QueryRequest.Amount asks for: a query for 1000 fen took such an answer as the payment's
// success, and now reads NotFound with the answer as Other. Twelve digits, leading zeros within
// them and an absent field are read as before.
func TestQueryAnswerAmountForm(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name, value string
		want        int64 // the amount read; -1: refused
	}{
		{"empty", "", -1},
		{"13 digits", "1000000000000", -1},
		{"13 digits with leading zeros", "0000000001000", -1},
		{"past int64", "99999999999999999999", -1},
		{"leading space", " 1000", -1},
		{"trailing space", "1000 ", -1},
		{"sign", "+1000", -1},
		{"12 digits", "999999999999", 999999999999},
		{"leading zeros within 12", "000000001000", 1000},
		{"plain", "1000", 1000},
	} {
		for _, field := range []string{"txnAmt", "settleAmt"} {
			t.Run(tt.name+"/"+field, func(t *testing.T) {
				t.Parallel()
				g := newGateway(t, func(r sign.Fields) reply {
					rep := queryAnswer("00", "00")(r)
					rep.fields[field] = tt.value
					return rep
				})
				want := tt.want
				if tt.value == "" {
					want = 0 // no amount: nothing settled, or a transaction of no amount
				}
				r := &unionpay.QueryRequest{OrderID: testOrder, TxnTime: testNow}
				if field == "txnAmt" {
					r.Amount = 1000
					if want > 0 {
						r.Amount = want
					}
				}
				tx, err := newTestClient(t, g).Query(context.Background(), r)
				if field == "txnAmt" && tt.value == "" {
					// Read, but not as the 1000 fen asked for: another transaction's answer.
					require.NoError(t, err)
					assert.Equal(t, unionpay.NotFound, tx.State)
					require.NotNil(t, tx.Other)
					assert.Equal(t, int64(0), tx.Other.Amount)
					assert.Equal(t, unionpay.Succeeded, tx.Other.State)
					return
				}
				if want < 0 {
					require.Error(t, err, "read as %+v", tx)
					assert.Nil(t, tx)
					assert.ErrorContains(t, err, "answer field "+field)
					return
				}
				require.NoError(t, err)
				assert.Equal(t, unionpay.Succeeded, tx.State)
				got := tx.Amount
				if field == "settleAmt" {
					got = tx.SettleAmount
				}
				assert.Equal(t, want, got)
			})
		}
	}
	t.Run("absent", func(t *testing.T) {
		t.Parallel()
		g := newGateway(t, func(r sign.Fields) reply {
			rep := queryAnswer("00", "00")(r)
			delete(rep.fields, "settleAmt")
			return rep
		})
		tx, err := newTestClient(t, g).Query(context.Background(), &unionpay.QueryRequest{OrderID: testOrder, TxnTime: testNow})
		require.NoError(t, err)
		assert.Equal(t, int64(0), tx.SettleAmount)
	})
}

// TestAnswerEchoesEmpty: a synchronous answer that echoes txnAmt, merId or txnTime empty
// ("txnAmt=") names no amount, merchant or time, not the request's: it is not taken as the
// request's answer (a refund of 150 fen was accepted on an answer naming no amount), the
// outcome stays unknown (pending), as for an answer naming another value.
func TestAnswerEchoesEmpty(t *testing.T) {
	t.Parallel()
	for _, field := range []string{"txnAmt", "merId", "txnTime"} {
		t.Run(field, func(t *testing.T) {
			t.Parallel()
			c := newTestClient(t, newGateway(t, accept(sign.Fields{field: ""})))
			res, err := c.Refund(context.Background(), followUp())
			require.ErrorIs(t, err, unionpay.ErrPending)
			assert.ErrorIs(t, err, unionpay.ErrAnswerMismatch)
			assert.Nil(t, res)
			assert.ErrorContains(t, err, "answer is for "+field+` ""`)
		})
	}
}

// TestAnswerMismatchIsTyped: an answer about another request is told apart by errors.Is
// (ErrAnswerMismatch), not by its text alone: for a call that moves money it is pending too (query
// it); for a query or a file download it is the call's error, which is not pending (the query
// itself failed; nothing is known of the transaction from it). A rejection or a transport
// failure does not match it.
func TestAnswerMismatchIsTyped(t *testing.T) {
	t.Parallel()
	query := func(c *unionpay.Client) error {
		_, err := c.Query(context.Background(), &unionpay.QueryRequest{OrderID: testOrder, TxnTime: testNow})
		return err
	}
	refund := func(c *unionpay.Client) error {
		_, err := c.Refund(context.Background(), followUp())
		return err
	}
	file := func(c *unionpay.Client) error {
		_, err := c.DownloadFile(context.Background(), &unionpay.FileRequest{SettleDate: time.Date(2024, 1, 4, 0, 0, 0, 0, time.UTC)})
		return err
	}
	for _, tt := range []struct {
		name              string
		answer            func(sign.Fields) reply
		call              func(*unionpay.Client) error
		mismatch, pending bool
	}{
		{"refund answered for another order", accept(sign.Fields{"orderId": "SOMEBODYELSE01"}), refund, true, true},
		{"refund answered for another amount", accept(sign.Fields{"txnAmt": "100"}), refund, true, true},
		{"refund answered for another merchant", accept(sign.Fields{"merId": "777290058199999"}), refund, true, true},
		{"refund answered for another txnTime", accept(sign.Fields{"txnTime": "20230105103000"}), refund, true, true},
		{"refund rejected", func(r sign.Fields) reply { return reply{fields: answerTo(r, "10", nil)} }, refund, false, false},
		{"refund answered 500", func(sign.Fields) reply { return reply{status: 500, raw: "oops"} }, refund, false, true},
		{"query answered for another order", func(r sign.Fields) reply {
			rep := queryAnswer("00", "00")(r)
			rep.fields["orderId"] = "SOMEBODYELSE01"
			return rep
		}, query, true, false},
		{"query answered for another merchant", func(r sign.Fields) reply {
			rep := queryAnswer("00", "00")(r)
			rep.fields["merId"] = "777290058199999"
			return rep
		}, query, true, false},
		{"query answered 500", func(sign.Fields) reply { return reply{status: 500, raw: "oops"} }, query, false, false},
		{"file of another day", accept(sign.Fields{"fileName": "777290058110048_20240103.zip",
			"fileContent": unionpay.EncodeFileContent([]byte("x"))}), file, true, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := tt.call(newTestClient(t, newGateway(t, tt.answer)))
			require.Error(t, err)
			assert.Equal(t, tt.mismatch, errors.Is(err, unionpay.ErrAnswerMismatch), "ErrAnswerMismatch: %v", err)
			assert.Equal(t, tt.pending, errors.Is(err, unionpay.ErrPending), "ErrPending: %v", err)
			var ue *unionpay.Error
			assert.Equal(t, !tt.mismatch && !tt.pending && tt.name == "refund rejected", errors.As(err, &ue), "*Error: %v", err)
		})
	}
}
