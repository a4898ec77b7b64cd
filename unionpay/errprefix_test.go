package unionpay_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/sign"
	"github.com/goacp/unionpay/unionpay"
)

// prefixOp is one call whose errors errprefix tests pin: its name in error texts and whether it
// moves money (its unknown outcomes are then a *PendingError).
type prefixOp struct {
	name  string // the op's name in error texts, with its orderId
	moves bool
	do    func(context.Context, *unionpay.Client) error
}

var prefixFileDay = time.Date(2024, 1, 4, 0, 0, 0, 0, time.UTC)

func prefixOps() []prefixOp {
	result := func(f func(context.Context, *unionpay.Client) (*unionpay.Result, error)) func(context.Context, *unionpay.Client) error {
		return func(ctx context.Context, c *unionpay.Client) error { _, err := f(ctx, c); return err }
	}
	return []prefixOp{
		{"consume cancel REFUND20240105001", true, result(func(ctx context.Context, c *unionpay.Client) (*unionpay.Result, error) {
			return c.CancelConsume(ctx, followUp())
		})},
		{"refund REFUND20240105001", true, result(func(ctx context.Context, c *unionpay.Client) (*unionpay.Result, error) {
			return c.Refund(ctx, followUp())
		})},
		{"pre-auth completion REFUND20240105001", true, result(func(ctx context.Context, c *unionpay.Client) (*unionpay.Result, error) {
			return c.CompletePreAuth(ctx, followUp())
		})},
		{"pre-auth cancel REFUND20240105001", true, result(func(ctx context.Context, c *unionpay.Client) (*unionpay.Result, error) {
			return c.CancelPreAuth(ctx, followUp())
		})},
		{"completion cancel REFUND20240105001", true, result(func(ctx context.Context, c *unionpay.Client) (*unionpay.Result, error) {
			return c.CancelPreAuthCompletion(ctx, followUp())
		})},
		{"back consume " + testOrder, true, result(func(ctx context.Context, c *unionpay.Client) (*unionpay.Result, error) {
			return c.BackConsume(ctx, cardReq())
		})},
		{"collection " + testOrder, true, result(func(ctx context.Context, c *unionpay.Client) (*unionpay.Result, error) {
			return c.Collect(ctx, cardReq())
		})},
		{"payout " + testOrder, true, result(func(ctx context.Context, c *unionpay.Client) (*unionpay.Result, error) {
			return c.Payout(ctx, cardReq())
		})},
		{"real-name auth " + testOrder, false, result(func(ctx context.Context, c *unionpay.Client) (*unionpay.Result, error) {
			return c.RealNameAuth(ctx, accountReq())
		})},
		{"sms " + testOrder, false, result(func(ctx context.Context, c *unionpay.Client) (*unionpay.Result, error) {
			return c.SendSMS(ctx, accountReq())
		})},
		{"open " + testOrder, false, result(func(ctx context.Context, c *unionpay.Client) (*unionpay.Result, error) {
			return openCardResult(c, ctx, accountReq())
		})},
		{"app consume " + testOrder, true, func(ctx context.Context, c *unionpay.Client) error {
			_, err := c.AppConsume(ctx, &unionpay.ConsumeRequest{OrderID: testOrder, Amount: 1000, BackURL: testNotify})
			return err
		}},
		{"query " + testOrder, false, func(ctx context.Context, c *unionpay.Client) error {
			_, err := c.Query(ctx, &unionpay.QueryRequest{OrderID: testOrder, TxnTime: testNow})
			return err
		}},
		{"file download", false, func(ctx context.Context, c *unionpay.Client) error {
			_, err := c.DownloadFile(ctx, &unionpay.FileRequest{SettleDate: prefixFileDay})
			return err
		}},
		{"batch 0004", true, func(ctx context.Context, c *unionpay.Client) error {
			_, err := c.SubmitBatch(ctx, &unionpay.BatchRequest{Type: unionpay.BatchPayout, BatchNo: "0004", Records: batchRecords()})
			return err
		}},
		{"batch query 0003", false, func(ctx context.Context, c *unionpay.Client) error {
			_, err := c.QueryBatch(ctx, &unionpay.BatchQueryRequest{Type: unionpay.BatchPayout, BatchNo: "0003", TxnTime: testNow})
			return err
		}},
	}
}

// prefixTransport fails every request: before it is sent (sent false), or after reading it.
type prefixTransport struct {
	sent bool
	err  error
}

func (p prefixTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if p.sent {
		_, _ = io.Copy(io.Discard, req.Body)
	}
	return nil, p.err
}

// prefixClient is a client for op's scenario: g answers, or, with rt, nothing is reachable and
// rt fails every request.
func prefixClient(t *testing.T, g *gateway, rt http.RoundTripper) *unionpay.Client {
	if rt == nil {
		return newTestClient(t, g)
	}
	cfg := testConfig(t, "https://gateway.invalid")
	cfg.HTTPClient = &http.Client{Transport: rt}
	c, err := unionpay.NewClient(cfg)
	require.NoError(t, err)
	return c
}

// requirePrefixOnce checks that msg names "unionpay: <name>" once and says "unionpay: " once.
func requirePrefixOnce(t *testing.T, msg, name string) {
	t.Helper()
	assert.Equal(t, 1, strings.Count(msg, "unionpay: "+name), "%q", msg)
	assert.Equal(t, 1, strings.Count(msg, "unionpay: "), "%q", msg)
}

// TestErrorPrefixEveryCall pins the text of each call's rejection, pending outcome, failed
// verification and transport failures: "unionpay: <op> <orderId>" said once, before what went
// wrong, whatever error of the package's own the failure wraps; and what errors.Is and
// errors.As find in it.
func TestErrorPrefixEveryCall(t *testing.T) {
	t.Parallel()
	type scenario struct {
		name   string
		answer func(sign.Fields) reply
		rt     http.RoundTripper
		check  func(t *testing.T, op prefixOp, err error)
	}
	isPending := func(t *testing.T, op prefixOp, err error) {
		t.Helper()
		assert.Equal(t, op.moves, errors.Is(err, unionpay.ErrPending), "ErrPending")
		var pe *unionpay.PendingError
		assert.Equal(t, op.moves, errors.As(err, &pe), "*PendingError")
		assert.False(t, errors.Is(err, unionpay.ErrNotSent), "ErrNotSent")
	}
	scenarios := []scenario{
		{"rejected", func(r sign.Fields) reply {
			return reply{fields: answerTo(r, "14", sign.Fields{"respMsg": "无效卡号[1000014]"})}
		}, nil, func(t *testing.T, op prefixOp, err error) {
			var re *unionpay.Error
			require.ErrorAs(t, err, &re)
			assert.Equal(t, "14", re.RespCode)
			assert.NotErrorIs(t, err, unionpay.ErrPending)
		}},
		{"pending", func(r sign.Fields) reply {
			return reply{fields: answerTo(r, "03", sign.Fields{"respMsg": "交易通讯超时[0000003]"})}
		}, nil, func(t *testing.T, op prefixOp, err error) {
			var pe *unionpay.PendingError
			var re *unionpay.Error
			if errors.As(err, &pe) {
				assert.Equal(t, "03", pe.RespCode)
				assert.Nil(t, pe.Err)
			} else {
				require.ErrorAs(t, err, &re)
			}
		}},
		{"unverified", func(r sign.Fields) reply {
			return reply{fields: answerTo(r, "00", nil), tamper: true}
		}, nil, func(t *testing.T, op prefixOp, err error) {
			isPending(t, op, err)
			assert.ErrorIs(t, err, unionpay.ErrUnverified)
			var ve *unionpay.VerifyError
			require.ErrorAs(t, err, &ve)
			assert.ErrorIs(t, err, sign.ErrSignature)
			assert.Regexp(t, "^"+regexp.QuoteMeta("unionpay: "+op.name)+`( \(txnTime \d{14}\))?: response failed verification: `,
				ve.Error())
		}},
		{"HTTP 502", func(sign.Fields) reply { return reply{status: 502} }, nil, func(t *testing.T, op prefixOp, err error) {
			isPending(t, op, err)
			var se *unionpay.StatusError
			require.ErrorAs(t, err, &se)
			assert.Equal(t, 502, se.StatusCode)
		}},
		{"unreadable answer", func(sign.Fields) reply { return reply{raw: "<html>bad gateway</html>"} }, nil,
			func(t *testing.T, op prefixOp, err error) { isPending(t, op, err) }},
		{"transport error after sending", nil, prefixTransport{sent: true, err: errors.New("connection reset")},
			func(t *testing.T, op prefixOp, err error) { isPending(t, op, err) }},
		{"transport error saying unionpay:", nil, prefixTransport{sent: true, err: errors.New("unionpay: " + "x: proxy")},
			func(t *testing.T, op prefixOp, err error) { isPending(t, op, err) }},
		{"not sent", nil, prefixTransport{err: errors.New("dial refused")}, func(t *testing.T, op prefixOp, err error) {
			assert.ErrorIs(t, err, unionpay.ErrNotSent)
			var ns *unionpay.NotSentError
			require.ErrorAs(t, err, &ns)
			assert.NotErrorIs(t, err, unionpay.ErrPending)
		}},
	}
	for _, op := range prefixOps() {
		for _, sc := range scenarios {
			if op.name == "query "+testOrder && sc.name == "pending" {
				continue // a query answered 03 is a Transaction, not an error
			}
			t.Run(op.name+"/"+sc.name, func(t *testing.T) {
				t.Parallel()
				var g *gateway
				if sc.answer != nil {
					g = newGateway(t, sc.answer)
				}
				err := op.do(context.Background(), prefixClient(t, g, sc.rt))
				require.Error(t, err)
				want, ok := prefixTexts[op.name+"/"+sc.name]
				require.True(t, ok, "no text pinned")
				assert.Equal(t, want, err.Error())
				if sc.name != "transport error saying unionpay:" {
					requirePrefixOnce(t, err.Error(), op.name)
				}
				sc.check(t, op, err)
			})
		}
	}
}

// TestErrorPrefixOwnErrors pins the text of the errors that wrap an error of the package's own
// (DecodeFileContent's, a Query's in QueryUntilFinal): "unionpay: <op>" said once.
func TestErrorPrefixOwnErrors(t *testing.T) {
	t.Parallel()
	file := func(ctx context.Context, c *unionpay.Client) error {
		_, err := c.DownloadFile(ctx, &unionpay.FileRequest{SettleDate: prefixFileDay})
		return err
	}
	batchQuery := func(ctx context.Context, c *unionpay.Client) error {
		_, err := c.QueryBatch(ctx, &unionpay.BatchQueryRequest{Type: unionpay.BatchPayout, BatchNo: "0003", TxnTime: testNow})
		return err
	}
	quf := func(ctx context.Context, c *unionpay.Client) error {
		_, err := c.QueryUntilFinal(ctx, &unionpay.QueryRequest{OrderID: testOrder, TxnTime: testNow},
			unionpay.Backoff{Delays: []time.Duration{time.Second}})
		return err
	}
	qufOther := func(ctx context.Context, c *unionpay.Client) error {
		_, err := c.QueryUntilFinal(ctx, &unionpay.QueryRequest{OrderID: testOrder, TxnTime: testNow, TxnType: "01", Amount: 500},
			unionpay.Backoff{Delays: []time.Duration{time.Second, time.Second}})
		return err
	}
	// otherThen answers the first query about another transaction (a collection of 12345 fen),
	// then as then.
	otherThen := func(then func(sign.Fields) reply) func(sign.Fields) reply {
		var n atomic.Int32
		return func(r sign.Fields) reply {
			if n.Add(1) > 1 {
				return then(r)
			}
			return reply{fields: answerTo(r, "00", sign.Fields{"txnType": "11", "txnSubType": "00", "txnAmt": "12345",
				"origRespCode": "00", "origRespMsg": "成功[0000000]"})}
		}
	}
	failSecond := func() func(context.Context, time.Duration) error {
		var n atomic.Int32
		return func(ctx context.Context, _ time.Duration) error {
			if n.Add(1) > 1 {
				return context.Canceled
			}
			return ctx.Err()
		}
	}
	content := func(fc string) func(sign.Fields) reply {
		return accept(sign.Fields{"fileName": "777290058110048_20240104.zip", "fileContent": fc})
	}
	big := unionpay.EncodeFileContent([]byte(strings.Repeat("x", 2048)))
	tampered := func(r sign.Fields) reply { return reply{fields: answerTo(r, "00", nil), tamper: true} }
	busy := func(r sign.Fields) reply {
		return reply{fields: answerTo(r, "06", sign.Fields{"respMsg": "系统繁忙[0000006]"})}
	}
	rejected := func(r sign.Fields) reply {
		return reply{fields: answerTo(r, "10", sign.Fields{"respMsg": "报文格式错误[1000010]"})}
	}
	pendingTx := func(r sign.Fields) reply {
		return reply{fields: answerTo(r, "00", sign.Fields{"origRespCode": "05", "origRespMsg": "处理中[0000005]"})}
	}
	for _, tt := range []struct {
		name, op, want string
		do             func(context.Context, *unionpay.Client) error
		answer         func(sign.Fields) reply
		rt             http.RoundTripper
		sleep          func(context.Context, time.Duration) error
		cancel         bool // ctx canceled as the first query fails
		is             []error
		not            []error
	}{
		{name: "file: not base64", op: "file download", do: file, answer: content("!!!"),
			want: "unionpay: file download: fileContent is not base64: illegal base64 data at input byte 0"},
		{name: "file: not zlib", op: "file download", do: file, answer: content("cGxhaW4gdGV4dA=="),
			want: "unionpay: file download: fileContent is not a zlib stream: zlib: invalid header"},
		{name: "file: too large", op: "file download", do: file, answer: content(big),
			want: "unionpay: file download: decoded file exceeds the size limit (1024 bytes)", is: []error{unionpay.ErrFileTooLarge}},
		{name: "file: empty", op: "file download", do: file, answer: content(""),
			want: "unionpay: file download: fileContent is empty"},
		{name: "batch query: not zlib", op: "batch query 0003", do: batchQuery, answer: content("cGxhaW4gdGV4dA=="),
			want: "unionpay: batch query 0003 (txnTime 20240105103000): fileContent is not a zlib stream: zlib: invalid header"},
		{name: "batch query: too large", op: "batch query 0003", do: batchQuery, answer: content(big),
			want: "unionpay: batch query 0003 (txnTime 20240105103000): decoded file exceeds the size limit (1024 bytes)", is: []error{unionpay.ErrFileTooLarge}},
		{name: "QueryUntilFinal: unverified", op: "query " + testOrder, do: quf, answer: tampered,
			is: []error{unionpay.ErrPending, unionpay.ErrUnverified, sign.ErrSignature}},
		{name: "QueryUntilFinal: HTTP 502", op: "query " + testOrder, do: quf,
			answer: func(sign.Fields) reply { return reply{status: 502} }, is: []error{unionpay.ErrPending}},
		{name: "QueryUntilFinal: gateway busy", op: "query " + testOrder, do: quf, answer: busy, is: []error{unionpay.ErrPending}},
		{name: "QueryUntilFinal: query rejected", op: "query " + testOrder, do: quf, answer: rejected, is: []error{unionpay.ErrPending}},
		{name: "QueryUntilFinal: still pending", op: "query " + testOrder, do: quf, answer: pendingTx, is: []error{unionpay.ErrPending}},
		{name: "QueryUntilFinal: transport error", op: "query " + testOrder, do: quf,
			rt: prefixTransport{sent: true, err: errors.New("connection reset")}, is: []error{unionpay.ErrPending}},
		{name: "QueryUntilFinal: not sent", op: "query " + testOrder, do: quf,
			rt: prefixTransport{err: errors.New("dial refused")}, is: []error{unionpay.ErrPending}, not: []error{unionpay.ErrNotSent}},
		{name: "QueryUntilFinal: not sent as ctx ends", op: "query " + testOrder, do: quf, cancel: true,
			rt: prefixTransport{err: errors.New("dial refused")}, is: []error{unionpay.ErrPending, context.Canceled}, not: []error{unionpay.ErrNotSent}},
		{name: "QueryUntilFinal: another transaction, then HTTP 502", op: "query " + testOrder, do: qufOther,
			answer: otherThen(func(sign.Fields) reply { return reply{status: 502} }), is: []error{unionpay.ErrPending}},
		{name: "QueryUntilFinal: another transaction, then sleep fails", op: "query " + testOrder, do: qufOther,
			answer: otherThen(accept(nil)), sleep: failSecond(), is: []error{unionpay.ErrPending, context.Canceled}},
		{name: "QueryUntilFinal: sleep fails", op: "query " + testOrder, do: quf, answer: accept(nil),
			sleep: func(context.Context, time.Duration) error { return context.Canceled }, is: []error{unionpay.ErrPending, context.Canceled}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var c *unionpay.Client
			edit := func(cfg *unionpay.Config) {
				cfg.MaxFileBytes = 1024
				cfg.Sleep = func(ctx context.Context, _ time.Duration) error { return ctx.Err() }
				if tt.sleep != nil {
					cfg.Sleep = tt.sleep
				}
			}
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			rt := tt.rt
			if tt.cancel {
				rt = prefixTransport{err: errors.New("dial refused")}
				rt = cancelingTransport{rt, cancel}
			}
			if rt == nil {
				c = newTestClient(t, newGateway(t, tt.answer), edit)
			} else {
				cfg := testConfig(t, "https://gateway.invalid")
				edit(&cfg)
				cfg.HTTPClient = &http.Client{Transport: rt}
				var err error
				c, err = unionpay.NewClient(cfg)
				require.NoError(t, err)
			}
			err := tt.do(ctx, c)
			require.Error(t, err)
			if tt.want != "" {
				assert.Equal(t, tt.want, err.Error())
			} else {
				assert.Equal(t, prefixTexts[tt.name], err.Error())
			}
			requirePrefixOnce(t, err.Error(), tt.op)
			for _, target := range tt.is {
				assert.ErrorIs(t, err, target)
			}
			for _, target := range tt.not {
				assert.NotErrorIs(t, err, target)
			}
		})
	}
}

// cancelingTransport cancels a ctx, then fails as next does.
type cancelingTransport struct {
	next   http.RoundTripper
	cancel func()
}

func (c cancelingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	c.cancel()
	return c.next.RoundTrip(req)
}

// prefixTexts are the texts of the calls' errors, by "<op>/<scenario>" or test name.
var prefixTexts = map[string]string{
	"QueryUntilFinal: HTTP 502":                                              "unionpay: query ORDER20240105001 (txnTime 20240105103000): outcome pending: HTTP status 502",
	"QueryUntilFinal: another transaction, then HTTP 502":                    "unionpay: query ORDER20240105001 (txnTime 20240105103000): outcome pending: the orderId and txnTime name another transaction (txnType 11, 12345 fen, succeeded, queryId 782401051030000000011), not the one asked about: a person must look; the last query: HTTP status 502",
	"QueryUntilFinal: another transaction, then sleep fails":                 "unionpay: query ORDER20240105001 (txnTime 20240105103000): outcome pending: the orderId and txnTime name another transaction (txnType 11, 12345 fen, succeeded, queryId 782401051030000000011), not the one asked about: a person must look; the last query: context canceled",
	"QueryUntilFinal: gateway busy":                                          "unionpay: query ORDER20240105001 (txnTime 20240105103000): outcome pending: gateway busy: 06 系统繁忙[0000006]",
	"QueryUntilFinal: not sent":                                              "unionpay: query ORDER20240105001 (txnTime 20240105103000): outcome pending: request not sent: Post \"https://gateway.invalid/gateway/api/queryTrans.do\": dial refused",
	"QueryUntilFinal: not sent as ctx ends":                                  "unionpay: query ORDER20240105001 (txnTime 20240105103000): outcome pending: request not sent: Post \"https://gateway.invalid/gateway/api/queryTrans.do\": dial refused; context canceled",
	"QueryUntilFinal: query rejected":                                        "unionpay: query ORDER20240105001 (txnTime 20240105103000): outcome pending: 10 报文格式错误[1000010]: the query was rejected (its respCode, not the transaction's)",
	"QueryUntilFinal: sleep fails":                                           "unionpay: query ORDER20240105001 (txnTime 20240105103000): outcome pending: context canceled",
	"QueryUntilFinal: still pending":                                         "unionpay: query ORDER20240105001 (txnTime 20240105103000): outcome pending: 05 处理中[0000005]",
	"QueryUntilFinal: transport error":                                       "unionpay: query ORDER20240105001 (txnTime 20240105103000): outcome pending: Post \"https://gateway.invalid/gateway/api/queryTrans.do\": connection reset",
	"QueryUntilFinal: unverified":                                            "unionpay: query ORDER20240105001 (txnTime 20240105103000): outcome pending: response failed verification: cert: secure-key signMethod 11: sign: signature does not verify: secure key (signMethod 11)",
	"app consume ORDER20240105001/HTTP 502":                                  "unionpay: app consume ORDER20240105001 (txnTime 20240105103000): outcome pending: HTTP status 502",
	"app consume ORDER20240105001/not sent":                                  "unionpay: app consume ORDER20240105001 (txnTime 20240105103000): request not sent: Post \"https://gateway.invalid/gateway/api/appTransReq.do\": dial refused",
	"app consume ORDER20240105001/pending":                                   "unionpay: app consume ORDER20240105001 (txnTime 20240105103000): outcome pending: 03 交易通讯超时[0000003]",
	"app consume ORDER20240105001/rejected":                                  "unionpay: app consume ORDER20240105001 (txnTime 20240105103000): 14 无效卡号[1000014]",
	"app consume ORDER20240105001/transport error after sending":             "unionpay: app consume ORDER20240105001 (txnTime 20240105103000): outcome pending: Post \"https://gateway.invalid/gateway/api/appTransReq.do\": connection reset",
	"app consume ORDER20240105001/transport error saying unionpay:":          "unionpay: app consume ORDER20240105001 (txnTime 20240105103000): outcome pending: Post \"https://gateway.invalid/gateway/api/appTransReq.do\": unionpay: x: proxy",
	"app consume ORDER20240105001/unreadable answer":                         "unionpay: app consume ORDER20240105001 (txnTime 20240105103000): outcome pending: answer is not a UnionPay message (it opens \"<html>bad gateway</html>\": a proxy's or load balancer's page?)",
	"app consume ORDER20240105001/unverified":                                "unionpay: app consume ORDER20240105001 (txnTime 20240105103000): outcome pending: response failed verification: cert: secure-key signMethod 11: sign: signature does not verify: secure key (signMethod 11)",
	"back consume ORDER20240105001/HTTP 502":                                 "unionpay: back consume ORDER20240105001 (txnTime 20240105103000): outcome pending: HTTP status 502",
	"back consume ORDER20240105001/not sent":                                 "unionpay: back consume ORDER20240105001 (txnTime 20240105103000): request not sent: Post \"https://gateway.invalid/gateway/api/backTransReq.do\": dial refused",
	"back consume ORDER20240105001/pending":                                  "unionpay: back consume ORDER20240105001 (txnTime 20240105103000): outcome pending: 03 交易通讯超时[0000003]",
	"back consume ORDER20240105001/rejected":                                 "unionpay: back consume ORDER20240105001 (txnTime 20240105103000): 14 无效卡号[1000014]",
	"back consume ORDER20240105001/transport error after sending":            "unionpay: back consume ORDER20240105001 (txnTime 20240105103000): outcome pending: Post \"https://gateway.invalid/gateway/api/backTransReq.do\": connection reset",
	"back consume ORDER20240105001/transport error saying unionpay:":         "unionpay: back consume ORDER20240105001 (txnTime 20240105103000): outcome pending: Post \"https://gateway.invalid/gateway/api/backTransReq.do\": unionpay: x: proxy",
	"back consume ORDER20240105001/unreadable answer":                        "unionpay: back consume ORDER20240105001 (txnTime 20240105103000): outcome pending: answer is not a UnionPay message (it opens \"<html>bad gateway</html>\": a proxy's or load balancer's page?)",
	"back consume ORDER20240105001/unverified":                               "unionpay: back consume ORDER20240105001 (txnTime 20240105103000): outcome pending: response failed verification: cert: secure-key signMethod 11: sign: signature does not verify: secure key (signMethod 11)",
	"batch 0004/HTTP 502":                                                    "unionpay: batch 0004 (txnTime 20240105103000): outcome pending: HTTP status 502",
	"batch 0004/not sent":                                                    "unionpay: batch 0004 (txnTime 20240105103000): request not sent: Post \"https://gateway.invalid/gateway/api/batchTrans.do\": dial refused",
	"batch 0004/pending":                                                     "unionpay: batch 0004 (txnTime 20240105103000): outcome pending: 03 交易通讯超时[0000003]",
	"batch 0004/rejected":                                                    "unionpay: batch 0004 (txnTime 20240105103000): 14 无效卡号[1000014]",
	"batch 0004/transport error after sending":                               "unionpay: batch 0004 (txnTime 20240105103000): outcome pending: Post \"https://gateway.invalid/gateway/api/batchTrans.do\": connection reset",
	"batch 0004/transport error saying unionpay:":                            "unionpay: batch 0004 (txnTime 20240105103000): outcome pending: Post \"https://gateway.invalid/gateway/api/batchTrans.do\": unionpay: x: proxy",
	"batch 0004/unreadable answer":                                           "unionpay: batch 0004 (txnTime 20240105103000): outcome pending: answer is not a UnionPay message (it opens \"<html>bad gateway</html>\": a proxy's or load balancer's page?)",
	"batch 0004/unverified":                                                  "unionpay: batch 0004 (txnTime 20240105103000): outcome pending: response failed verification: cert: secure-key signMethod 11: sign: signature does not verify: secure key (signMethod 11)",
	"batch query 0003/HTTP 502":                                              "unionpay: batch query 0003 (txnTime 20240105103000): HTTP status 502",
	"batch query 0003/not sent":                                              "unionpay: batch query 0003 (txnTime 20240105103000): request not sent: Post \"https://gateway.invalid/gateway/api/batchTrans.do\": dial refused",
	"batch query 0003/pending":                                               "unionpay: batch query 0003 (txnTime 20240105103000): outcome pending: 03 交易通讯超时[0000003]",
	"batch query 0003/rejected":                                              "unionpay: batch query 0003 (txnTime 20240105103000): 14 无效卡号[1000014]",
	"batch query 0003/transport error after sending":                         "unionpay: batch query 0003 (txnTime 20240105103000): Post \"https://gateway.invalid/gateway/api/batchTrans.do\": connection reset",
	"batch query 0003/transport error saying unionpay:":                      "unionpay: batch query 0003 (txnTime 20240105103000): Post \"https://gateway.invalid/gateway/api/batchTrans.do\": unionpay: x: proxy",
	"batch query 0003/unreadable answer":                                     "unionpay: batch query 0003 (txnTime 20240105103000): answer is not a UnionPay message (it opens \"<html>bad gateway</html>\": a proxy's or load balancer's page?)",
	"batch query 0003/unverified":                                            "unionpay: batch query 0003 (txnTime 20240105103000): response failed verification: cert: secure-key signMethod 11: sign: signature does not verify: secure key (signMethod 11)",
	"collection ORDER20240105001/HTTP 502":                                   "unionpay: collection ORDER20240105001 (txnTime 20240105103000): outcome pending: HTTP status 502",
	"collection ORDER20240105001/not sent":                                   "unionpay: collection ORDER20240105001 (txnTime 20240105103000): request not sent: Post \"https://gateway.invalid/gateway/api/backTransReq.do\": dial refused",
	"collection ORDER20240105001/pending":                                    "unionpay: collection ORDER20240105001 (txnTime 20240105103000): outcome pending: 03 交易通讯超时[0000003]",
	"collection ORDER20240105001/rejected":                                   "unionpay: collection ORDER20240105001 (txnTime 20240105103000): 14 无效卡号[1000014]",
	"collection ORDER20240105001/transport error after sending":              "unionpay: collection ORDER20240105001 (txnTime 20240105103000): outcome pending: Post \"https://gateway.invalid/gateway/api/backTransReq.do\": connection reset",
	"collection ORDER20240105001/transport error saying unionpay:":           "unionpay: collection ORDER20240105001 (txnTime 20240105103000): outcome pending: Post \"https://gateway.invalid/gateway/api/backTransReq.do\": unionpay: x: proxy",
	"collection ORDER20240105001/unreadable answer":                          "unionpay: collection ORDER20240105001 (txnTime 20240105103000): outcome pending: answer is not a UnionPay message (it opens \"<html>bad gateway</html>\": a proxy's or load balancer's page?)",
	"collection ORDER20240105001/unverified":                                 "unionpay: collection ORDER20240105001 (txnTime 20240105103000): outcome pending: response failed verification: cert: secure-key signMethod 11: sign: signature does not verify: secure key (signMethod 11)",
	"completion cancel REFUND20240105001/HTTP 502":                           "unionpay: completion cancel REFUND20240105001 (txnTime 20240105103000): outcome pending: HTTP status 502",
	"completion cancel REFUND20240105001/not sent":                           "unionpay: completion cancel REFUND20240105001 (txnTime 20240105103000): request not sent: Post \"https://gateway.invalid/gateway/api/backTransReq.do\": dial refused",
	"completion cancel REFUND20240105001/pending":                            "unionpay: completion cancel REFUND20240105001 (txnTime 20240105103000): outcome pending: 03 交易通讯超时[0000003]",
	"completion cancel REFUND20240105001/rejected":                           "unionpay: completion cancel REFUND20240105001 (txnTime 20240105103000): 14 无效卡号[1000014]",
	"completion cancel REFUND20240105001/transport error after sending":      "unionpay: completion cancel REFUND20240105001 (txnTime 20240105103000): outcome pending: Post \"https://gateway.invalid/gateway/api/backTransReq.do\": connection reset",
	"completion cancel REFUND20240105001/transport error saying unionpay:":   "unionpay: completion cancel REFUND20240105001 (txnTime 20240105103000): outcome pending: Post \"https://gateway.invalid/gateway/api/backTransReq.do\": unionpay: x: proxy",
	"completion cancel REFUND20240105001/unreadable answer":                  "unionpay: completion cancel REFUND20240105001 (txnTime 20240105103000): outcome pending: answer is not a UnionPay message (it opens \"<html>bad gateway</html>\": a proxy's or load balancer's page?)",
	"completion cancel REFUND20240105001/unverified":                         "unionpay: completion cancel REFUND20240105001 (txnTime 20240105103000): outcome pending: response failed verification: cert: secure-key signMethod 11: sign: signature does not verify: secure key (signMethod 11)",
	"consume cancel REFUND20240105001/HTTP 502":                              "unionpay: consume cancel REFUND20240105001 (txnTime 20240105103000): outcome pending: HTTP status 502",
	"consume cancel REFUND20240105001/not sent":                              "unionpay: consume cancel REFUND20240105001 (txnTime 20240105103000): request not sent: Post \"https://gateway.invalid/gateway/api/backTransReq.do\": dial refused",
	"consume cancel REFUND20240105001/pending":                               "unionpay: consume cancel REFUND20240105001 (txnTime 20240105103000): outcome pending: 03 交易通讯超时[0000003]",
	"consume cancel REFUND20240105001/rejected":                              "unionpay: consume cancel REFUND20240105001 (txnTime 20240105103000): 14 无效卡号[1000014]",
	"consume cancel REFUND20240105001/transport error after sending":         "unionpay: consume cancel REFUND20240105001 (txnTime 20240105103000): outcome pending: Post \"https://gateway.invalid/gateway/api/backTransReq.do\": connection reset",
	"consume cancel REFUND20240105001/transport error saying unionpay:":      "unionpay: consume cancel REFUND20240105001 (txnTime 20240105103000): outcome pending: Post \"https://gateway.invalid/gateway/api/backTransReq.do\": unionpay: x: proxy",
	"consume cancel REFUND20240105001/unreadable answer":                     "unionpay: consume cancel REFUND20240105001 (txnTime 20240105103000): outcome pending: answer is not a UnionPay message (it opens \"<html>bad gateway</html>\": a proxy's or load balancer's page?)",
	"consume cancel REFUND20240105001/unverified":                            "unionpay: consume cancel REFUND20240105001 (txnTime 20240105103000): outcome pending: response failed verification: cert: secure-key signMethod 11: sign: signature does not verify: secure key (signMethod 11)",
	"file download/HTTP 502":                                                 "unionpay: file download: HTTP status 502",
	"file download/not sent":                                                 "unionpay: file download: request not sent: Post \"https://gateway.invalid/file/\": dial refused",
	"file download/pending":                                                  "unionpay: file download: outcome pending: 03 交易通讯超时[0000003]",
	"file download/rejected":                                                 "unionpay: file download: 14 无效卡号[1000014]",
	"file download/transport error after sending":                            "unionpay: file download: Post \"https://gateway.invalid/file/\": connection reset",
	"file download/transport error saying unionpay:":                         "unionpay: file download: Post \"https://gateway.invalid/file/\": unionpay: x: proxy",
	"file download/unreadable answer":                                        "unionpay: file download: answer is not a UnionPay message (it opens \"<html>bad gateway</html>\": a proxy's or load balancer's page?)",
	"file download/unverified":                                               "unionpay: file download: response failed verification: cert: secure-key signMethod 11: sign: signature does not verify: secure key (signMethod 11)",
	"open ORDER20240105001/HTTP 502":                                         "unionpay: open ORDER20240105001 (txnTime 20240105103000): HTTP status 502",
	"open ORDER20240105001/not sent":                                         "unionpay: open ORDER20240105001 (txnTime 20240105103000): request not sent: Post \"https://gateway.invalid/gateway/api/backTransReq.do\": dial refused",
	"open ORDER20240105001/pending":                                          "unionpay: open ORDER20240105001 (txnTime 20240105103000): outcome pending: 03 交易通讯超时[0000003]",
	"open ORDER20240105001/rejected":                                         "unionpay: open ORDER20240105001 (txnTime 20240105103000): 14 无效卡号[1000014]",
	"open ORDER20240105001/transport error after sending":                    "unionpay: open ORDER20240105001 (txnTime 20240105103000): Post \"https://gateway.invalid/gateway/api/backTransReq.do\": connection reset",
	"open ORDER20240105001/transport error saying unionpay:":                 "unionpay: open ORDER20240105001 (txnTime 20240105103000): Post \"https://gateway.invalid/gateway/api/backTransReq.do\": unionpay: x: proxy",
	"open ORDER20240105001/unreadable answer":                                "unionpay: open ORDER20240105001 (txnTime 20240105103000): answer is not a UnionPay message (it opens \"<html>bad gateway</html>\": a proxy's or load balancer's page?)",
	"open ORDER20240105001/unverified":                                       "unionpay: open ORDER20240105001 (txnTime 20240105103000): response failed verification: cert: secure-key signMethod 11: sign: signature does not verify: secure key (signMethod 11)",
	"payout ORDER20240105001/HTTP 502":                                       "unionpay: payout ORDER20240105001 (txnTime 20240105103000): outcome pending: HTTP status 502",
	"payout ORDER20240105001/not sent":                                       "unionpay: payout ORDER20240105001 (txnTime 20240105103000): request not sent: Post \"https://gateway.invalid/gateway/api/backTransReq.do\": dial refused",
	"payout ORDER20240105001/pending":                                        "unionpay: payout ORDER20240105001 (txnTime 20240105103000): outcome pending: 03 交易通讯超时[0000003]",
	"payout ORDER20240105001/rejected":                                       "unionpay: payout ORDER20240105001 (txnTime 20240105103000): 14 无效卡号[1000014]",
	"payout ORDER20240105001/transport error after sending":                  "unionpay: payout ORDER20240105001 (txnTime 20240105103000): outcome pending: Post \"https://gateway.invalid/gateway/api/backTransReq.do\": connection reset",
	"payout ORDER20240105001/transport error saying unionpay:":               "unionpay: payout ORDER20240105001 (txnTime 20240105103000): outcome pending: Post \"https://gateway.invalid/gateway/api/backTransReq.do\": unionpay: x: proxy",
	"payout ORDER20240105001/unreadable answer":                              "unionpay: payout ORDER20240105001 (txnTime 20240105103000): outcome pending: answer is not a UnionPay message (it opens \"<html>bad gateway</html>\": a proxy's or load balancer's page?)",
	"payout ORDER20240105001/unverified":                                     "unionpay: payout ORDER20240105001 (txnTime 20240105103000): outcome pending: response failed verification: cert: secure-key signMethod 11: sign: signature does not verify: secure key (signMethod 11)",
	"pre-auth cancel REFUND20240105001/HTTP 502":                             "unionpay: pre-auth cancel REFUND20240105001 (txnTime 20240105103000): outcome pending: HTTP status 502",
	"pre-auth cancel REFUND20240105001/not sent":                             "unionpay: pre-auth cancel REFUND20240105001 (txnTime 20240105103000): request not sent: Post \"https://gateway.invalid/gateway/api/backTransReq.do\": dial refused",
	"pre-auth cancel REFUND20240105001/pending":                              "unionpay: pre-auth cancel REFUND20240105001 (txnTime 20240105103000): outcome pending: 03 交易通讯超时[0000003]",
	"pre-auth cancel REFUND20240105001/rejected":                             "unionpay: pre-auth cancel REFUND20240105001 (txnTime 20240105103000): 14 无效卡号[1000014]",
	"pre-auth cancel REFUND20240105001/transport error after sending":        "unionpay: pre-auth cancel REFUND20240105001 (txnTime 20240105103000): outcome pending: Post \"https://gateway.invalid/gateway/api/backTransReq.do\": connection reset",
	"pre-auth cancel REFUND20240105001/transport error saying unionpay:":     "unionpay: pre-auth cancel REFUND20240105001 (txnTime 20240105103000): outcome pending: Post \"https://gateway.invalid/gateway/api/backTransReq.do\": unionpay: x: proxy",
	"pre-auth cancel REFUND20240105001/unreadable answer":                    "unionpay: pre-auth cancel REFUND20240105001 (txnTime 20240105103000): outcome pending: answer is not a UnionPay message (it opens \"<html>bad gateway</html>\": a proxy's or load balancer's page?)",
	"pre-auth cancel REFUND20240105001/unverified":                           "unionpay: pre-auth cancel REFUND20240105001 (txnTime 20240105103000): outcome pending: response failed verification: cert: secure-key signMethod 11: sign: signature does not verify: secure key (signMethod 11)",
	"pre-auth completion REFUND20240105001/HTTP 502":                         "unionpay: pre-auth completion REFUND20240105001 (txnTime 20240105103000): outcome pending: HTTP status 502",
	"pre-auth completion REFUND20240105001/not sent":                         "unionpay: pre-auth completion REFUND20240105001 (txnTime 20240105103000): request not sent: Post \"https://gateway.invalid/gateway/api/backTransReq.do\": dial refused",
	"pre-auth completion REFUND20240105001/pending":                          "unionpay: pre-auth completion REFUND20240105001 (txnTime 20240105103000): outcome pending: 03 交易通讯超时[0000003]",
	"pre-auth completion REFUND20240105001/rejected":                         "unionpay: pre-auth completion REFUND20240105001 (txnTime 20240105103000): 14 无效卡号[1000014]",
	"pre-auth completion REFUND20240105001/transport error after sending":    "unionpay: pre-auth completion REFUND20240105001 (txnTime 20240105103000): outcome pending: Post \"https://gateway.invalid/gateway/api/backTransReq.do\": connection reset",
	"pre-auth completion REFUND20240105001/transport error saying unionpay:": "unionpay: pre-auth completion REFUND20240105001 (txnTime 20240105103000): outcome pending: Post \"https://gateway.invalid/gateway/api/backTransReq.do\": unionpay: x: proxy",
	"pre-auth completion REFUND20240105001/unreadable answer":                "unionpay: pre-auth completion REFUND20240105001 (txnTime 20240105103000): outcome pending: answer is not a UnionPay message (it opens \"<html>bad gateway</html>\": a proxy's or load balancer's page?)",
	"pre-auth completion REFUND20240105001/unverified":                       "unionpay: pre-auth completion REFUND20240105001 (txnTime 20240105103000): outcome pending: response failed verification: cert: secure-key signMethod 11: sign: signature does not verify: secure key (signMethod 11)",
	"query ORDER20240105001/HTTP 502":                                        "unionpay: query ORDER20240105001 (txnTime 20240105103000): HTTP status 502",
	"query ORDER20240105001/not sent":                                        "unionpay: query ORDER20240105001 (txnTime 20240105103000): request not sent: Post \"https://gateway.invalid/gateway/api/queryTrans.do\": dial refused",
	"query ORDER20240105001/rejected":                                        "unionpay: query ORDER20240105001 (txnTime 20240105103000): 14 无效卡号[1000014]",
	"query ORDER20240105001/transport error after sending":                   "unionpay: query ORDER20240105001 (txnTime 20240105103000): Post \"https://gateway.invalid/gateway/api/queryTrans.do\": connection reset",
	"query ORDER20240105001/transport error saying unionpay:":                "unionpay: query ORDER20240105001 (txnTime 20240105103000): Post \"https://gateway.invalid/gateway/api/queryTrans.do\": unionpay: x: proxy",
	"query ORDER20240105001/unreadable answer":                               "unionpay: query ORDER20240105001 (txnTime 20240105103000): answer is not a UnionPay message (it opens \"<html>bad gateway</html>\": a proxy's or load balancer's page?)",
	"query ORDER20240105001/unverified":                                      "unionpay: query ORDER20240105001 (txnTime 20240105103000): response failed verification: cert: secure-key signMethod 11: sign: signature does not verify: secure key (signMethod 11)",
	"real-name auth ORDER20240105001/HTTP 502":                               "unionpay: real-name auth ORDER20240105001 (txnTime 20240105103000): HTTP status 502",
	"real-name auth ORDER20240105001/not sent":                               "unionpay: real-name auth ORDER20240105001 (txnTime 20240105103000): request not sent: Post \"https://gateway.invalid/gateway/api/backTransReq.do\": dial refused",
	"real-name auth ORDER20240105001/pending":                                "unionpay: real-name auth ORDER20240105001 (txnTime 20240105103000): outcome pending: 03 交易通讯超时[0000003]",
	"real-name auth ORDER20240105001/rejected":                               "unionpay: real-name auth ORDER20240105001 (txnTime 20240105103000): 14 无效卡号[1000014]",
	"real-name auth ORDER20240105001/transport error after sending":          "unionpay: real-name auth ORDER20240105001 (txnTime 20240105103000): Post \"https://gateway.invalid/gateway/api/backTransReq.do\": connection reset",
	"real-name auth ORDER20240105001/transport error saying unionpay:":       "unionpay: real-name auth ORDER20240105001 (txnTime 20240105103000): Post \"https://gateway.invalid/gateway/api/backTransReq.do\": unionpay: x: proxy",
	"real-name auth ORDER20240105001/unreadable answer":                      "unionpay: real-name auth ORDER20240105001 (txnTime 20240105103000): answer is not a UnionPay message (it opens \"<html>bad gateway</html>\": a proxy's or load balancer's page?)",
	"real-name auth ORDER20240105001/unverified":                             "unionpay: real-name auth ORDER20240105001 (txnTime 20240105103000): response failed verification: cert: secure-key signMethod 11: sign: signature does not verify: secure key (signMethod 11)",
	"refund REFUND20240105001/HTTP 502":                                      "unionpay: refund REFUND20240105001 (txnTime 20240105103000): outcome pending: HTTP status 502",
	"refund REFUND20240105001/not sent":                                      "unionpay: refund REFUND20240105001 (txnTime 20240105103000): request not sent: Post \"https://gateway.invalid/gateway/api/backTransReq.do\": dial refused",
	"refund REFUND20240105001/pending":                                       "unionpay: refund REFUND20240105001 (txnTime 20240105103000): outcome pending: 03 交易通讯超时[0000003]",
	"refund REFUND20240105001/rejected":                                      "unionpay: refund REFUND20240105001 (txnTime 20240105103000): 14 无效卡号[1000014]",
	"refund REFUND20240105001/transport error after sending":                 "unionpay: refund REFUND20240105001 (txnTime 20240105103000): outcome pending: Post \"https://gateway.invalid/gateway/api/backTransReq.do\": connection reset",
	"refund REFUND20240105001/transport error saying unionpay:":              "unionpay: refund REFUND20240105001 (txnTime 20240105103000): outcome pending: Post \"https://gateway.invalid/gateway/api/backTransReq.do\": unionpay: x: proxy",
	"refund REFUND20240105001/unreadable answer":                             "unionpay: refund REFUND20240105001 (txnTime 20240105103000): outcome pending: answer is not a UnionPay message (it opens \"<html>bad gateway</html>\": a proxy's or load balancer's page?)",
	"refund REFUND20240105001/unverified":                                    "unionpay: refund REFUND20240105001 (txnTime 20240105103000): outcome pending: response failed verification: cert: secure-key signMethod 11: sign: signature does not verify: secure key (signMethod 11)",
	"sms ORDER20240105001/HTTP 502":                                          "unionpay: sms ORDER20240105001 (txnTime 20240105103000): HTTP status 502",
	"sms ORDER20240105001/not sent":                                          "unionpay: sms ORDER20240105001 (txnTime 20240105103000): request not sent: Post \"https://gateway.invalid/gateway/api/backTransReq.do\": dial refused",
	"sms ORDER20240105001/pending":                                           "unionpay: sms ORDER20240105001 (txnTime 20240105103000): outcome pending: 03 交易通讯超时[0000003]",
	"sms ORDER20240105001/rejected":                                          "unionpay: sms ORDER20240105001 (txnTime 20240105103000): 14 无效卡号[1000014]",
	"sms ORDER20240105001/transport error after sending":                     "unionpay: sms ORDER20240105001 (txnTime 20240105103000): Post \"https://gateway.invalid/gateway/api/backTransReq.do\": connection reset",
	"sms ORDER20240105001/transport error saying unionpay:":                  "unionpay: sms ORDER20240105001 (txnTime 20240105103000): Post \"https://gateway.invalid/gateway/api/backTransReq.do\": unionpay: x: proxy",
	"sms ORDER20240105001/unreadable answer":                                 "unionpay: sms ORDER20240105001 (txnTime 20240105103000): answer is not a UnionPay message (it opens \"<html>bad gateway</html>\": a proxy's or load balancer's page?)",
	"sms ORDER20240105001/unverified":                                        "unionpay: sms ORDER20240105001 (txnTime 20240105103000): response failed verification: cert: secure-key signMethod 11: sign: signature does not verify: secure key (signMethod 11)",
}

// TestPendingErrorWrappedText: a *PendingError names its op and order once, leaving out the same
// words at the head of an error of the package's own that it wraps (a *VerifyError of the same
// call); any other error's text, whatever its first words, is printed as it is. (A caller's error
// beginning "unionpay: refund R1: " lost those words: they were cut from the text.)
func TestPendingErrorWrappedText(t *testing.T) {
	t.Parallel()
	txnTime := time.Date(2024, 1, 5, 10, 30, 0, 0, time.FixedZone("CST", 8*3600))
	own := &unionpay.VerifyError{Op: "refund", OrderID: "R1", TxnTime: txnTime, Err: sign.ErrSignature}
	head := "unionpay: refund R1 (txnTime 20240105103000): outcome pending: "
	for _, tt := range []struct {
		name string
		err  error
		want string
	}{
		{"the call's own VerifyError", own, head + "response failed verification: " + sign.ErrSignature.Error()},
		{"another call's VerifyError", &unionpay.VerifyError{Op: "refund", OrderID: "R2", Err: sign.ErrSignature},
			head + "unionpay: refund R2: response failed verification: " + sign.ErrSignature.Error()},
		{"the call's own VerifyError, wrapped again", fmt.Errorf("retried: %w", own),
			head + "retried: unionpay: refund R1 (txnTime 20240105103000): response failed verification: " +
				sign.ErrSignature.Error()},
		{"a caller's error that begins with the same words", errors.New("unionpay: refund R1: proxy gave up"),
			head + "unionpay: refund R1: proxy gave up"},
		{"a caller's error", errors.New("proxy gave up"), head + "proxy gave up"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			err := &unionpay.PendingError{Op: "refund", OrderID: "R1", TxnTime: txnTime, Err: tt.err}
			assert.Equal(t, tt.want, err.Error())
			assert.ErrorIs(t, err, unionpay.ErrPending)
			assert.ErrorIs(t, err, tt.err)
		})
	}
}
