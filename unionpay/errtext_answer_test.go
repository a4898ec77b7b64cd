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

// TestErrorTextWithoutRespCode: an *Error says the answer had no respCode only when it had
// neither respCode nor respMsg; a respMsg alone is kept in the text.
func TestErrorTextWithoutRespCode(t *testing.T) {
	tests := []struct {
		name    string
		err     *unionpay.Error
		want    string
		notWant string
	}{
		{"neither", &unionpay.Error{Op: "query", OrderID: testOrder}, "answer has no respCode", ""},
		{"respMsg alone", &unionpay.Error{Op: "query", OrderID: testOrder, RespMsg: "系统繁忙"}, "系统繁忙", "answer has no respCode"},
		{"both", &unionpay.Error{Op: "query", OrderID: testOrder, RespCode: "10", RespMsg: "报文格式错误"}, "10 报文格式错误", ""},
	}
	for _, tt := range tests {
		assert.Contains(t, tt.err.Error(), tt.want, tt.name)
		if tt.notWant != "" {
			assert.NotContains(t, tt.err.Error(), tt.notWant, tt.name)
		}
	}
}

// TestUnreadableGBKAnswerMatchesErrCharset: an answer that is not valid GBK, to a client that
// sends GBK, is pending and matches sign.ErrCharset, as the parse errors match sign.ErrMalformed.
func TestUnreadableGBKAnswerMatchesErrCharset(t *testing.T) {
	g := newGateway(t, func(sign.Fields) reply { return reply{raw: "respCode=00&respMsg=\xff\xff\xff"} })
	c := newTestClient(t, g, func(cfg *unionpay.Config) { cfg.Encoding = "GBK" })
	_, err := c.Refund(context.Background(), followUp())
	require.ErrorIs(t, err, unionpay.ErrPending)
	require.ErrorIs(t, err, sign.ErrCharset)
	assert.Contains(t, err.Error(), "answer", "%s", err)
}

// TestRejectedQuerySaysTheCodeIsTheQuerys: QueryUntilFinal ended by a rejected query is pending,
// and its text says the respCode is the query's, not the transaction's.
func TestRejectedQuerySaysTheCodeIsTheQuerys(t *testing.T) {
	g := newGateway(t, func(r sign.Fields) reply {
		return reply{fields: answerTo(r, "10", sign.Fields{"respMsg": "报文格式错误[1000010]"})}
	})
	c := newTestClient(t, g, func(cfg *unionpay.Config) {
		cfg.Sleep = func(ctx context.Context, _ time.Duration) error { return ctx.Err() }
	})
	_, err := c.QueryUntilFinal(context.Background(), &unionpay.QueryRequest{OrderID: testOrder, TxnTime: testNow},
		unionpay.Backoff{Delays: []time.Duration{time.Second}})
	var pe *unionpay.PendingError
	require.True(t, errors.As(err, &pe), "%v", err)
	require.Error(t, pe.Err)
	assert.Contains(t, err.Error(), "query was rejected", "%s", err)
	assert.Contains(t, err.Error(), "not the transaction's", "%s", err)
}
