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

// UnionPay's payout samples (Form10_6_2_DF, Form10_6_3_Query) ask for a query, not a new payout,
// after a payout answered 03, 04, 05, 01, 12, 34 or 60, and go on querying while the queried
// origRespCode is one of them: a payout the SDK called rejected would be paid again. The other
// products keep the general rules: 01, 34 and 60 are rejections there.
func TestPayoutAnswersThatAskForAQuery(t *testing.T) {
	t.Parallel()
	ops := []struct {
		name   string
		payout bool
		do     func(context.Context, *unionpay.Client) error
	}{
		{"payout", true, func(ctx context.Context, c *unionpay.Client) error { _, err := c.Payout(ctx, cardReq()); return err }},
		{"collection", false, func(ctx context.Context, c *unionpay.Client) error { _, err := c.Collect(ctx, cardReq()); return err }},
		{"back consume", false, func(ctx context.Context, c *unionpay.Client) error {
			_, err := c.BackConsume(ctx, cardReq())
			return err
		}},
		{"refund", false, func(ctx context.Context, c *unionpay.Client) error { _, err := c.Refund(ctx, followUp()); return err }},
	}
	for _, op := range ops {
		for _, code := range []string{"01", "34", "60", "12", "05", "83", "14", "61"} {
			t.Run(op.name+"/"+code, func(t *testing.T) {
				t.Parallel()
				g := newGateway(t, func(r sign.Fields) reply { return reply{fields: answerTo(r, code, nil)} })
				c := newTestClient(t, g)
				err := op.do(context.Background(), c)
				require.Error(t, err)
				pending := code == "12" || code == "05" || code == "83" ||
					op.payout && (code == "01" || code == "34" || code == "60")
				var pe *unionpay.PendingError
				var rejected *unionpay.Error
				if pending {
					require.ErrorIs(t, err, unionpay.ErrPending)
					require.ErrorAs(t, err, &pe)
					assert.Equal(t, code, pe.RespCode)
					if op.payout && code != "05" && code != "83" {
						assert.Contains(t, err.Error(), "not final for a payout", "an operator reading 交易失败 must not pay again")
					} else {
						assert.NotContains(t, err.Error(), "not final for a payout")
					}
					assert.False(t, errors.As(err, &rejected), "not a rejection")
					return
				}
				require.ErrorAs(t, err, &rejected)
				assert.Equal(t, code, rejected.RespCode)
				assert.NotErrorIs(t, err, unionpay.ErrPending)
			})
		}
	}
}

// A payout's query reads origRespCode 01, 12, 34 and 60 as Pending when the query is sent with
// the payout bizType (as UnionPay's payout sample does) or the answer says the original is a
// payout (txnType 12 or bizType 000401); a consume's 01 stays Failed.
func TestPayoutQueryStates(t *testing.T) {
	t.Parallel()
	answer := func(txnType, bizType, orig string) func(sign.Fields) reply {
		return func(r sign.Fields) reply {
			f := answerTo(r, "00", sign.Fields{"origRespCode": orig, "origRespMsg": "原交易[0000000]",
				"txnAmt": "1000", "settleAmt": "1000", "settleDate": "0105"})
			f["txnType"] = txnType
			if bizType != "" {
				f["bizType"] = bizType
			}
			return reply{fields: f}
		}
	}
	tests := []struct {
		name            string
		bizType         string // of the query
		txnType, ansBiz string // of the answer ("" bizType: the request's echoed; 000000: the payout known only from the request)
		orig            string
		want            unionpay.State
		wantSentBizType string
	}{
		{"payout bizType asked, 01", unionpay.BizTypePayout, "00", "000000", "01", unionpay.Pending, "000401"},
		{"payout bizType asked, 60", unionpay.BizTypePayout, "00", "000000", "60", unionpay.Pending, "000401"},
		{"payout bizType asked, 34", unionpay.BizTypePayout, "00", "000000", "34", unionpay.Pending, "000401"},
		{"payout bizType asked, 12", unionpay.BizTypePayout, "00", "000000", "12", unionpay.Pending, "000401"},
		{"payout bizType asked, 51", unionpay.BizTypePayout, "00", "000000", "51", unionpay.Failed, "000401"},
		{"payout bizType asked, 00", unionpay.BizTypePayout, "00", "000000", "00", unionpay.Succeeded, "000401"},
		{"answer txnType 12, 01", "", "12", "", "01", unionpay.Pending, "000000"},
		{"answer bizType 000401, 60", "", "00", "000401", "60", unionpay.Pending, "000000"},
		{"consume, 01", "", "01", "", "01", unionpay.Failed, "000000"},
		{"real-name check under the payout product, 01", unionpay.BizTypePayout, "72", "000401", "01", unionpay.Failed, "000401"},
		{"answer without txnType, payout bizType, 34", "", "", "000401", "34", unionpay.Pending, "000000"},
		{"consume, 60", "", "01", "", "60", unionpay.Failed, "000000"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			g := newGateway(t, answer(tt.txnType, tt.ansBiz, tt.orig))
			c := newTestClient(t, g)
			tx, err := c.Query(context.Background(), &unionpay.QueryRequest{OrderID: testOrder, TxnTime: testNow,
				BizType: tt.bizType})
			require.NoError(t, err)
			assert.Equal(t, tt.want, tx.State)
			assert.Equal(t, tt.wantSentBizType, g.last()["bizType"])
		})
	}
}

// A payout still processing (origRespCode 60) is queried on to the end of the schedule and ends
// pending, with the code; PayoutBackoff waits 3 minutes first.
func TestPayoutQueryUntilFinal(t *testing.T) {
	t.Parallel()
	processing := func(r sign.Fields) reply {
		return reply{fields: answerTo(r, "00", sign.Fields{"origRespCode": "60", "origRespMsg": "交易失败[1000060]",
			"txnAmt": "1000", "settleAmt": "1000", "settleDate": "0105"})}
	}
	done := func(r sign.Fields) reply {
		return reply{fields: answerTo(r, "00", sign.Fields{"origRespCode": "00", "origRespMsg": "成功[0000000]",
			"txnAmt": "1000", "settleAmt": "1000", "settleDate": "0105"})}
	}
	s := time.Second
	t.Run("ends pending", func(t *testing.T) {
		t.Parallel()
		g := newGateway(t, processing)
		var sl sleeps
		c := newTestClient(t, g, func(cfg *unionpay.Config) { cfg.Sleep = sl.sleep })
		tx, err := c.QueryUntilFinal(context.Background(), &unionpay.QueryRequest{OrderID: testOrder, TxnTime: testNow,
			BizType: unionpay.BizTypePayout}, unionpay.PayoutBackoff())
		require.ErrorIs(t, err, unionpay.ErrPending)
		var pe *unionpay.PendingError
		require.ErrorAs(t, err, &pe)
		assert.Equal(t, "60", pe.RespCode)
		assert.Contains(t, err.Error(), "not final for a payout", "what an end-of-day job logs")
		assert.Equal(t, unionpay.Pending, tx.State)
		assert.Equal(t, 6, g.count())
		assert.Equal(t, []time.Duration{3 * time.Minute, 2 * s, 4 * s, 8 * s, 16 * s, 32 * s}, sl.d)
	})
	t.Run("succeeds later", func(t *testing.T) {
		t.Parallel()
		g := newGateway(t, scripted(processing, processing, done))
		var sl sleeps
		c := newTestClient(t, g, func(cfg *unionpay.Config) { cfg.Sleep = sl.sleep })
		tx, err := c.QueryUntilFinal(context.Background(), &unionpay.QueryRequest{OrderID: testOrder, TxnTime: testNow,
			BizType: unionpay.BizTypePayout}, unionpay.BackBackoff())
		require.NoError(t, err)
		assert.Equal(t, unionpay.Succeeded, tx.State)
		assert.Equal(t, 3, g.count())
	})
}

// AccType is sent when given (01 card, 04 corporate account, as UnionPay's payout sample shows),
// not otherwise; anything but two digits is refused, naming the field.
func TestPayoutAccType(t *testing.T) {
	t.Parallel()
	tests := []struct {
		accType   string
		want      string // sent; "" = absent
		wantField string
	}{
		{"", "", ""},
		{"01", "01", ""},
		{" 04 ", "04", ""},
		{"   ", "", ""},
		{"4", "", "AccType"},
		{"0a", "", "AccType"},
		{"004", "", "AccType"},
		{"\u00a001", "", "AccType"}, // what is sent is trimmed as Java trims: no-break space stays
		{"\u300001", "", "AccType"},
		{"\u00a0", "", "AccType"},
		{"\t01\r\n", "01", ""},
	}
	for _, tt := range tests {
		t.Run(tt.accType, func(t *testing.T) {
			t.Parallel()
			g := newGateway(t, accept(nil))
			c := newTestClient(t, g)
			r := cardReq()
			r.AccType = tt.accType
			_, err := c.Payout(context.Background(), r)
			if tt.wantField != "" {
				var re *unionpay.RequestError
				require.ErrorAs(t, err, &re)
				assert.Equal(t, tt.wantField, re.Field)
				assert.Zero(t, g.count())
				return
			}
			require.NoError(t, err)
			if tt.want == "" {
				assert.NotContains(t, g.last(), "accType")
				return
			}
			assert.Equal(t, tt.want, g.last()["accType"])
		})
	}
}
