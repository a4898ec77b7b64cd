package unionpay_test

import (
	"context"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/sign"
	"github.com/goacp/unionpay/unionpay"
)

func TestErrorMessages(t *testing.T) {
	t.Parallel()
	at := time.Date(2024, 1, 5, 10, 30, 0, 0, time.FixedZone("CST", 8*3600))
	tests := []struct {
		err        error
		want       string
		pending    bool
		unverified bool
	}{
		{&unionpay.PendingError{Op: "refund", OrderID: "R1", TxnTime: at, RespCode: "05", RespMsg: "处理中"},
			"unionpay: refund R1 (txnTime 20240105103000): outcome pending: 05 处理中", true, false},
		{&unionpay.PendingError{Op: "batch 0001", TxnTime: at, Err: io.ErrUnexpectedEOF},
			"unionpay: batch 0001 (txnTime 20240105103000): outcome pending: unexpected EOF", true, false},
		{&unionpay.Error{Op: "refund", OrderID: "R1", RespCode: "12", RespMsg: "重复交易"},
			"unionpay: refund R1: 12 重复交易", false, false},
		{&unionpay.Error{Op: "file download", RespCode: "98", RespMsg: "文件不存在"},
			"unionpay: file download: 98 文件不存在", false, false},
		{&unionpay.VerifyError{Op: "query", OrderID: "R1", Err: sign.ErrSignature},
			"unionpay: query R1: response failed verification: sign: signature does not verify", false, true},
		{&unionpay.StatusError{StatusCode: 502}, "HTTP status 502", false, false},
		{&unionpay.StatusError{StatusCode: 302, Location: "https://portal.example/login"},
			`HTTP status 302, a redirect to "https://portal.example/login" (not followed)`, false, false},
		// A Location is the network's text: quoted, so a bidi override, a quote and a character cut
		// at the 200th byte show as escapes, never act on a terminal or end the quoted text.
		{&unionpay.StatusError{StatusCode: 302, Location: "https://x/\u202e\"gnp.exe\xe4\xb8"},
			`HTTP status 302, a redirect to "https://x/\u202e\"gnp.exe\xe4\xb8" (not followed)`, false, false},
		{&unionpay.ConfigError{Field: "Config.Signer", Reason: "required"}, "unionpay: Config.Signer: required", false, false},
		{&unionpay.RequestError{Op: "refund", Field: "Amount", Reason: "must be positive"},
			"unionpay: refund: Amount: must be positive", false, false},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tt.want, tt.err.Error())
			assert.Equal(t, tt.pending, errors.Is(tt.err, unionpay.ErrPending))
			assert.Equal(t, tt.unverified, errors.Is(tt.err, unionpay.ErrUnverified))
		})
	}
	assert.ErrorIs(t, &unionpay.PendingError{Err: io.ErrUnexpectedEOF}, io.ErrUnexpectedEOF)
	assert.ErrorIs(t, &unionpay.VerifyError{Err: sign.ErrSignature}, sign.ErrSignature)
}

func TestTxnTimeIsBeijing(t *testing.T) {
	t.Parallel()
	g := newGateway(t, accept(nil))
	c := newTestClient(t, g)
	r := followUp()
	r.TxnTime = time.Date(2024, 1, 5, 2, 30, 0, 999, time.UTC) // 10:30 in Beijing
	res, err := c.Refund(context.Background(), r)
	require.NoError(t, err)
	assert.Equal(t, "20240105103000", g.last()["txnTime"])
	assert.True(t, res.TxnTime.Equal(time.Date(2024, 1, 5, 2, 30, 0, 0, time.UTC)), "truncated to the second")
	assert.Equal(t, 8*3600, offset(res.TxnTime))
}

func offset(t time.Time) int {
	_, off := t.Zone()
	return off
}

func TestQueryMalformedAnswerFields(t *testing.T) {
	t.Parallel()
	for _, field := range []string{"txnAmt", "settleAmt", "txnTime"} {
		t.Run(field, func(t *testing.T) {
			t.Parallel()
			g := newGateway(t, func(r sign.Fields) reply {
				rep := queryAnswer("00", "00")(r)
				rep.fields[field] = "12x"
				return rep
			})
			_, err := newTestClient(t, g).Query(context.Background(), &unionpay.QueryRequest{OrderID: testOrder, TxnTime: testNow})
			require.Error(t, err)
			assert.Contains(t, err.Error(), field)
		})
	}
}

func TestAccountValidation(t *testing.T) {
	t.Parallel()
	g := newGateway(t, accept(nil))
	c := newTestClient(t, g)
	ctx := context.Background()
	tests := []struct {
		name  string
		edit  func(*unionpay.AccountRequest)
		field string
	}{
		{"nil", nil, "request"},
		{"no accNo", func(r *unionpay.AccountRequest) { r.AccNo = "" }, "AccNo"},
		{"bad order", func(r *unionpay.AccountRequest) { r.OrderID = "x" }, "OrderID"},
		{"bad backUrl", func(r *unionpay.AccountRequest) { r.BackURL = "notify" }, "BackURL"},
		{"pin without card", func(r *unionpay.AccountRequest) { r.AccNo, r.Customer.PIN = "", "123456" }, "AccNo"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var r *unionpay.AccountRequest
			if tt.edit != nil {
				r = accountReq()
				tt.edit(r)
			}
			_, err := c.OpenCard(ctx, r)
			var re *unionpay.RequestError
			require.ErrorAs(t, err, &re)
			assert.Equal(t, tt.field, re.Field)
		})
	}
	r := accountReq()
	r.BizType, r.TxnSubType, r.TokenRequestorID = "000902", "05", "62000000001"
	_, err := c.OpenCard(ctx, r)
	require.NoError(t, err)
	assert.Equal(t, "000902", g.last()["bizType"])
	assert.Equal(t, "05", g.last()["txnSubType"])
}

// Error-text audit: the texts an on-call engineer reads in logs.

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
