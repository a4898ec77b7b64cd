package unionpay_test

// Error-text audit: the texts an on-call engineer reads in logs.

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/sign"
	"github.com/goacp/unionpay/unionpay"
)

// no prefix of the form "unionpay: <op> <orderId>" may appear twice in one message.
func requireNoRepeat(t *testing.T, msg, op, orderID string) {
	t.Helper()
	p := "unionpay: " + op + " " + orderID
	assert.Equal(t, 1, strings.Count(msg, p), "%q repeated in:\n%s", p, msg)
	assert.Equal(t, 1, strings.Count(msg, "unionpay: "), "prefix repeated in:\n%s", msg)
}

// TestErrTextPendingNoDoublePrefix: a *PendingError wrapping this package's own errors (a
// *VerifyError for a money-moving call; Query's errors inside QueryUntilFinal) repeats
// "unionpay: <op> <orderId>:".
func TestErrTextPendingNoDoublePrefix(t *testing.T) {
	tampered := func(r sign.Fields) reply { return reply{fields: answerTo(r, "00", nil), tamper: true} }
	status502 := func(sign.Fields) reply { return reply{status: 502} }
	busy := func(r sign.Fields) reply {
		return reply{fields: answerTo(r, "06", sign.Fields{"respMsg": "系统繁忙[0000006]"})}
	}
	refund := func(ctx context.Context, c *unionpay.Client) error { _, err := c.Refund(ctx, followUp()); return err }
	quf := func(ctx context.Context, c *unionpay.Client) error {
		_, err := c.QueryUntilFinal(ctx, &unionpay.QueryRequest{OrderID: testOrder, TxnTime: testNow},
			unionpay.Backoff{Delays: []time.Duration{time.Second}})
		return err
	}
	for _, tt := range []struct {
		name, op, order string
		ans             func(sign.Fields) reply
		do              func(context.Context, *unionpay.Client) error
		is              error
	}{
		{"refund answer fails verification", "refund", followUp().OrderID, tampered, refund, unionpay.ErrUnverified},
		{"QueryUntilFinal: query fails verification", "query", testOrder, tampered, quf, unionpay.ErrUnverified},
		{"QueryUntilFinal: HTTP 502", "query", testOrder, status502, quf, unionpay.ErrPending},
		{"QueryUntilFinal: gateway busy", "query", testOrder, busy, quf, unionpay.ErrPending},
	} {
		t.Run(tt.name, func(t *testing.T) {
			g := newGateway(t, tt.ans)
			c := newTestClient(t, g, func(cfg *unionpay.Config) {
				cfg.Sleep = func(ctx context.Context, _ time.Duration) error { return ctx.Err() }
			})
			err := tt.do(context.Background(), c)
			require.ErrorIs(t, err, unionpay.ErrPending)
			require.ErrorIs(t, err, tt.is)
			requireNoRepeat(t, err.Error(), tt.op, tt.order)
		})
	}
	t.Run("QueryUntilFinal: query not sent", func(t *testing.T) {
		g := newGateway(t, accept(nil))
		c := newTestClient(t, g, func(cfg *unionpay.Config) {
			cfg.Sleep = func(ctx context.Context, _ time.Duration) error { return ctx.Err() }
		})
		g.srv.Close()
		err := quf(context.Background(), c)
		require.ErrorIs(t, err, unionpay.ErrPending)
		requireNoRepeat(t, err.Error(), "query", testOrder)
	})
	t.Run("QueryUntilFinal: ctx ends during the wait", func(t *testing.T) {
		g := newGateway(t, accept(nil))
		c := newTestClient(t, g, func(cfg *unionpay.Config) {
			cfg.Sleep = func(ctx context.Context, _ time.Duration) error { return context.Canceled }
		})
		err := quf(context.Background(), c)
		require.ErrorIs(t, err, unionpay.ErrPending)
		require.ErrorIs(t, err, context.Canceled)
		requireNoRepeat(t, err.Error(), "query", testOrder)
	})
}

// TestErrTextNoRespCodeNamed: a verified answer without respCode to a call that moves no money
// is an *Error whose text is "unionpay: file download:  " (op, then two spaces: nothing).
func TestErrTextNoRespCodeNamed(t *testing.T) {
	noCode := func(r sign.Fields) reply {
		f := answerTo(r, "00", nil)
		delete(f, "respCode")
		delete(f, "respMsg")
		return reply{fields: f}
	}
	g := newGateway(t, noCode)
	c := newTestClient(t, g)
	_, err := c.DownloadFile(context.Background(), &unionpay.FileRequest{SettleDate: time.Date(2024, 1, 4, 0, 0, 0, 0, time.UTC)})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "respCode", "the text must say what is wrong: %q", err.Error())
	assert.False(t, strings.HasSuffix(err.Error(), " "), "%q", err.Error())

	_, err = c.Query(context.Background(), &unionpay.QueryRequest{OrderID: testOrder, TxnTime: testNow})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "respCode", "%q", err.Error())
}

// TestErrTextRejectedQueryNotRepeated: QueryUntilFinal ended by a rejected query prints the
// query's respCode and respMsg twice ("10 msg: query rejected: 10 msg").
func TestErrTextRejectedQueryNotRepeated(t *testing.T) {
	g := newGateway(t, func(r sign.Fields) reply {
		return reply{fields: answerTo(r, "10", sign.Fields{"respMsg": "报文格式错误[1000010]"})}
	})
	c := newTestClient(t, g, func(cfg *unionpay.Config) {
		cfg.Sleep = func(ctx context.Context, _ time.Duration) error { return ctx.Err() }
	})
	_, err := c.QueryUntilFinal(context.Background(), &unionpay.QueryRequest{OrderID: testOrder, TxnTime: testNow},
		unionpay.Backoff{Delays: []time.Duration{time.Second}})
	require.ErrorIs(t, err, unionpay.ErrPending)
	var pe *unionpay.PendingError
	require.True(t, errors.As(err, &pe))
	assert.Equal(t, "10", pe.RespCode)
	assert.Equal(t, 1, strings.Count(err.Error(), "报文格式错误[1000010]"), "%s", err)
	assert.Contains(t, err.Error(), "query", "%s", err)
}

// TestErrTextUnreadableAnswerSaysAnswer: an answer that does not parse reads
// "outcome pending: sign: malformed message at byte 0: ...", which points at the request.
func TestErrTextUnreadableAnswerSaysAnswer(t *testing.T) {
	g := newGateway(t, func(sign.Fields) reply { return reply{raw: "abc"} })
	c := newTestClient(t, g)
	_, err := c.Refund(context.Background(), followUp())
	require.ErrorIs(t, err, unionpay.ErrPending)
	require.ErrorIs(t, err, sign.ErrMalformed)
	assert.Contains(t, err.Error(), "answer", "%s", err)
}
