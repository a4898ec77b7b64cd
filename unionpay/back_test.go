package unionpay_test

import (
	"context"
	"encoding/base64"
	"errors"
	"io"
	"math"
	"net/http"
	"net/http/httptrace"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/goacp/unionpay/cert"
	"github.com/goacp/unionpay/sign"
	"github.com/goacp/unionpay/unionpay"
)

func followUp() *unionpay.FollowUpRequest {
	return &unionpay.FollowUpRequest{OrderID: "REFUND20240105001", OrigQueryID: "782401051030000000011",
		Amount: 150, BackURL: testNotify, ReqReserved: "rr"}
}

func cardReq() *unionpay.CardRequest {
	return &unionpay.CardRequest{OrderID: testOrder, Amount: 1000, BackURL: testNotify, AccNo: "6216261000000000018",
		Customer: &unionpay.Customer{IDType: "01", IDNumber: "341126197709218366", Name: "互联网", Phone: "13552535506",
			SMSCode: "123456", PIN: "111111"}}
}

func accountReq() *unionpay.AccountRequest {
	return &unionpay.AccountRequest{OrderID: testOrder, AccNo: "6216261000000000018",
		Customer: &unionpay.Customer{IDType: "01", IDNumber: "341126197709218366", Name: "互联网", Phone: "13552535506"}}
}

// backOp is one back-end operation, with what it must send.
type backOp struct {
	name                       string
	moves                      bool
	txnType, txnSubType, bizTy string
	do                         func(context.Context, *unionpay.Client) (*unionpay.Result, error)
}

func backOps() []backOp {
	return []backOp{
		{"consume cancel", true, "31", "00", "000201", func(ctx context.Context, c *unionpay.Client) (*unionpay.Result, error) {
			return c.CancelConsume(ctx, followUp())
		}},
		{"refund", true, "04", "00", "000201", func(ctx context.Context, c *unionpay.Client) (*unionpay.Result, error) {
			return c.Refund(ctx, followUp())
		}},
		{"pre-auth completion", true, "03", "00", "000201", func(ctx context.Context, c *unionpay.Client) (*unionpay.Result, error) {
			return c.CompletePreAuth(ctx, followUp())
		}},
		{"pre-auth cancel", true, "32", "00", "000201", func(ctx context.Context, c *unionpay.Client) (*unionpay.Result, error) {
			return c.CancelPreAuth(ctx, followUp())
		}},
		{"completion cancel", true, "33", "00", "000201", func(ctx context.Context, c *unionpay.Client) (*unionpay.Result, error) {
			return c.CancelPreAuthCompletion(ctx, followUp())
		}},
		{"back consume", true, "01", "01", "000301", func(ctx context.Context, c *unionpay.Client) (*unionpay.Result, error) {
			return c.BackConsume(ctx, cardReq())
		}},
		{"collection", true, "11", "00", "000501", func(ctx context.Context, c *unionpay.Client) (*unionpay.Result, error) {
			return c.Collect(ctx, cardReq())
		}},
		{"payout", true, "12", "00", "000401", func(ctx context.Context, c *unionpay.Client) (*unionpay.Result, error) {
			return c.Payout(ctx, cardReq())
		}},
		{"real-name auth", false, "72", "01", "000501", func(ctx context.Context, c *unionpay.Client) (*unionpay.Result, error) {
			return c.RealNameAuth(ctx, accountReq())
		}},
		{"sms", false, "77", "00", "000301", func(ctx context.Context, c *unionpay.Client) (*unionpay.Result, error) {
			return c.SendSMS(ctx, accountReq())
		}},
		{"open", false, "79", "00", "000301", func(ctx context.Context, c *unionpay.Client) (*unionpay.Result, error) {
			return openCardResult(c, ctx, accountReq())
		}},
	}
}

func TestBackRequestFields(t *testing.T) {
	t.Parallel()
	for _, op := range backOps() {
		t.Run(op.name, func(t *testing.T) {
			t.Parallel()
			g := newGateway(t, accept(nil))
			c := newTestClient(t, g)
			res, err := op.do(context.Background(), c)
			require.NoError(t, err)
			req := g.last()
			assert.Equal(t, op.txnType, req["txnType"])
			assert.Equal(t, op.txnSubType, req["txnSubType"])
			assert.Equal(t, op.bizTy, req["bizType"])
			assert.Equal(t, testMerID, req["merId"])
			assert.Equal(t, "0", req["accessType"])
			assert.Equal(t, "5.1.0", req["version"])
			assert.Equal(t, "20240105103000", req["txnTime"])
			assert.Equal(t, "11", req["signMethod"])
			assert.Equal(t, "/gateway/api/backTransReq.do", g.paths[0])
			assert.Equal(t, req["orderId"], res.OrderID)
			assert.Equal(t, "782401051030000000011", res.QueryID)
			assert.Equal(t, "00", res.RespCode)
			assert.Equal(t, "20240105103000", res.TxnTime.Format("20060102150405"))
			assert.Equal(t, "Asia/Shanghai", res.TxnTime.Location().String())
			assert.Equal(t, req["orderId"], res.Raw["orderId"])
			if req["accNo"] != "" {
				assert.NotContains(t, req["accNo"], "6216261000000000018", "accNo must be encrypted")
				assert.Equal(t, "69683525138", req["encryptCertId"])
				assert.NotEmpty(t, req["customerInfo"])
			}
		})
	}
}

func TestFollowUpFields(t *testing.T) {
	t.Parallel()
	g := newGateway(t, accept(nil))
	c := newTestClient(t, g)
	_, err := c.Refund(context.Background(), followUp())
	require.NoError(t, err)
	req := g.last()
	assert.Equal(t, "782401051030000000011", req["origQryId"])
	assert.Equal(t, "150", req["txnAmt"])
	assert.Equal(t, testNotify, req["backUrl"])
	assert.Equal(t, "rr", req["reqReserved"])
	assert.Equal(t, "07", req["channelType"])
	_, blank := req["acqInsCode"]
	assert.False(t, blank, "blank fields are not sent")
}

// TestBackOutcomes runs every back-end operation through every fault class.
func TestBackOutcomes(t *testing.T) {
	t.Parallel()
	type outcome int
	const (
		accepted outcome = iota
		pending
		rejected
		unverified
		plainErr // a non-money call's transport failure
	)
	faults := []struct {
		name      string
		answer    func(sign.Fields) reply
		money     outcome // for money-moving calls
		other     outcome // for calls that move no money
		respCode  string
		timeoutMs int
	}{
		{"accepted", accept(nil), accepted, accepted, "", 0},
		{"A6 accepted", func(r sign.Fields) reply { return reply{fields: answerTo(r, "A6", nil)} }, accepted, accepted, "", 0},
		{"03 pending", func(r sign.Fields) reply { return reply{fields: answerTo(r, "03", nil)} }, pending, pending, "03", 0},
		{"05 pending", func(r sign.Fields) reply { return reply{fields: answerTo(r, "05", nil)} }, pending, pending, "05", 0},
		// 12: a transaction with this orderId exists; the first copy of a resent request may
		// have gone through.
		{"12 duplicate", func(r sign.Fields) reply {
			return reply{fields: answerTo(r, "12", sign.Fields{"respMsg": "重复交易"})}
		}, pending, rejected, "12", 0},
		{"10 rejected", func(r sign.Fields) reply {
			return reply{fields: answerTo(r, "10", sign.Fields{"respMsg": "报文格式错误"})}
		}, rejected, rejected, "10", 0},
		{"no respCode", func(r sign.Fields) reply {
			f := answerTo(r, "00", nil)
			delete(f, "respCode")
			return reply{fields: f}
		}, pending, rejected, "", 0},
		{"tampered", func(r sign.Fields) reply { return reply{fields: answerTo(r, "00", nil), tamper: true} }, unverified, unverified, "", 0},
		{"downgraded", func(r sign.Fields) reply {
			return reply{fields: answerTo(r, "00", sign.Fields{"version": "5.0.0"})}
		}, unverified, unverified, "", 0},
		{"unsigned", func(r sign.Fields) reply { return reply{raw: "respCode=00&respMsg=ok"} }, unverified, unverified, "", 0},
		{"HTTP 500", func(sign.Fields) reply { return reply{status: http.StatusInternalServerError, raw: "oops"} }, pending, plainErr, "", 0},
		{"HTTP 302", func(sign.Fields) reply { return reply{status: http.StatusFound, raw: "moved"} }, pending, plainErr, "", 0},
		{"garbage", func(sign.Fields) reply { return reply{raw: "a=1&a=2"} }, pending, plainErr, "", 0},
		{"empty 200", func(sign.Fields) reply { return reply{} }, pending, plainErr, "", 0},
		{"timeout", func(r sign.Fields) reply { return reply{fields: answerTo(r, "00", nil), delay: 3 * time.Second} }, pending, plainErr, "", 1500},
		{"wrong order", func(r sign.Fields) reply {
			return reply{fields: answerTo(r, "00", sign.Fields{"orderId": "SOMEBODYELSE01"})}
		}, pending, plainErr, "", 0},
		{"no orderId", func(r sign.Fields) reply {
			f := answerTo(r, "00", nil)
			delete(f, "orderId")
			return reply{fields: f}
		}, pending, plainErr, "", 0},
		{"another txnTime", func(r sign.Fields) reply {
			return reply{fields: answerTo(r, "00", sign.Fields{"txnTime": "20230105103000"})}
		}, pending, plainErr, "", 0},
		{"another merchant", func(r sign.Fields) reply {
			return reply{fields: answerTo(r, "00", sign.Fields{"merId": "777290058199999"})}
		}, pending, plainErr, "", 0},
	}
	// A timeout case waits out its client's Timeout (a margin for the request to be written on a
	// loaded -race run). Its calls, one per operation, all start here at once and each subtest
	// checks its own: the waits overlap instead of taking the -parallel slots one after another
	// (11 × 1.5 s). Their gateways report to t.
	type started struct {
		g    *gateway
		res  *unionpay.Result
		err  error
		done chan struct{}
	}
	call := func(t *testing.T, op backOp, ft int) *started {
		o := &started{g: newGateway(t, faults[ft].answer), done: make(chan struct{})}
		c := newTestClient(t, o.g, func(cfg *unionpay.Config) {
			if ms := faults[ft].timeoutMs; ms > 0 {
				cfg.HTTPClient = &http.Client{Timeout: time.Duration(ms) * time.Millisecond}
			}
		})
		go func() {
			defer close(o.done)
			o.res, o.err = op.do(context.Background(), c)
		}()
		return o
	}
	early := map[string]*started{}
	for _, op := range backOps() {
		for i, ft := range faults {
			if ft.timeoutMs > 0 {
				early[op.name+"/"+ft.name] = call(t, op, i)
			}
		}
	}
	t.Cleanup(func() { // before the gateways close, also when -run leaves their subtests out
		for _, o := range early {
			<-o.done
		}
	})
	for _, op := range backOps() {
		for i, ft := range faults {
			t.Run(op.name+"/"+ft.name, func(t *testing.T) {
				t.Parallel()
				o := early[op.name+"/"+ft.name]
				if o == nil {
					o = call(t, op, i)
				}
				<-o.done
				g, res, err := o.g, o.res, o.err
				want := ft.other
				if op.moves {
					want = ft.money
				}
				switch want {
				case accepted:
					require.NoError(t, err)
					assert.NotNil(t, res)
				case pending:
					require.ErrorIs(t, err, unionpay.ErrPending)
					var pe *unionpay.PendingError
					require.ErrorAs(t, err, &pe)
					assert.NotEmpty(t, pe.OrderID)
					assert.Equal(t, "20240105103000", pe.TxnTime.Format("20060102150405"))
					assert.Equal(t, ft.respCode, pe.RespCode)
					assert.Nil(t, res)
				case rejected:
					var ue *unionpay.Error
					require.ErrorAs(t, err, &ue)
					assert.Equal(t, ft.respCode, ue.RespCode)
					assert.NotErrorIs(t, err, unionpay.ErrPending)
					assert.Contains(t, err.Error(), ue.RespMsg)
				case unverified:
					require.ErrorIs(t, err, unionpay.ErrUnverified)
					assert.Equal(t, op.moves, errors.Is(err, unionpay.ErrPending), "unverified: pending iff money moves")
					var ve *unionpay.VerifyError
					require.ErrorAs(t, err, &ve)
					assert.NotEmpty(t, ve.OrderID)
				case plainErr:
					require.Error(t, err)
					assert.NotErrorIs(t, err, unionpay.ErrPending)
					var ue *unionpay.Error
					assert.False(t, errors.As(err, &ue))
				}
				if ft.timeoutMs > 0 { // under load the server may not have read it yet
					assert.LessOrEqual(t, g.count(), 1, "no automatic retry")
				} else {
					assert.Equal(t, 1, g.count(), "no automatic retry")
				}
			})
		}
	}
}

// silentTransport sends requests without reporting through httptrace, then fails, as a
// caller's own RoundTripper may: the request may have reached the gateway.
type silentTransport struct{ sent atomic.Int32 }

func (s *silentTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	s.sent.Add(1)
	_, _ = io.Copy(io.Discard, r.Body) // the body written here: a request cannot leave unread
	return nil, errors.New("connection reset")
}

func TestBackUntracedTransportFailureIsPending(t *testing.T) {
	t.Parallel()
	g := newGateway(t, accept(nil))
	st := &silentTransport{}
	c := newTestClient(t, g, func(cfg *unionpay.Config) { cfg.HTTPClient = &http.Client{Transport: st} })
	_, err := c.Refund(context.Background(), followUp())
	require.ErrorIs(t, err, unionpay.ErrPending, "a transport that does not say may have sent it")
	assert.Equal(t, int32(1), st.sent.Load())
	_, err = c.Query(context.Background(), &unionpay.QueryRequest{OrderID: testOrder, TxnTime: testNow})
	require.Error(t, err)
	assert.NotErrorIs(t, err, unionpay.ErrPending, "a query moves no money")
}

func TestBackNotSentIsNotPending(t *testing.T) {
	t.Parallel()
	g := newGateway(t, accept(nil))
	// Connection refused: the request never left.
	c := newTestClient(t, g, func(cfg *unionpay.Config) { *cfg = deadEndpoints(t, *cfg) })
	_, err := c.Refund(context.Background(), followUp())
	require.Error(t, err)
	assert.NotErrorIs(t, err, unionpay.ErrPending)
	assert.Contains(t, err.Error(), "request not sent")

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err = c.Refund(ctx, followUp())
	require.ErrorIs(t, err, context.Canceled)
	assert.NotErrorIs(t, err, unionpay.ErrPending)
}

func TestBackCancelAfterSendIsPending(t *testing.T) {
	t.Parallel()
	g := newGateway(t, func(r sign.Fields) reply { return reply{fields: answerTo(r, "00", nil), delay: 2 * time.Second} })
	c := newTestClient(t, g)
	// Cancelled once the request is written (not on a timer, which a loaded machine could beat):
	// the gateway may have it, so the outcome is unknown.
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ctx = httptrace.WithClientTrace(ctx, &httptrace.ClientTrace{
		WroteRequest: func(httptrace.WroteRequestInfo) { cancel() },
	})
	_, err := c.Collect(ctx, cardReq())
	require.ErrorIs(t, err, unionpay.ErrPending)
	require.ErrorIs(t, err, context.Canceled)
}

func TestBackResponseLimit(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		limit int64
		ok    bool
	}{
		{"default", 0, true},
		{"below the answer", 1024, false},
		// math.MaxInt64 is the obvious "no limit": limit+1 must not wrap to a negative count,
		// which would read every answer as empty.
		{"MaxInt64", math.MaxInt64, true},
		{"MaxInt64-1", math.MaxInt64 - 1, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			g := newGateway(t, accept(sign.Fields{"reserved": string(make([]byte, 2048))}))
			c := newTestClient(t, g, func(cfg *unionpay.Config) { cfg.MaxResponseBytes = tt.limit })
			res, err := c.Refund(context.Background(), followUp())
			if tt.ok {
				require.NoError(t, err)
				assert.Equal(t, "00", res.RespCode)
				return
			}
			require.ErrorIs(t, err, unionpay.ErrPending)
			assert.Contains(t, err.Error(), "MaxResponseBytes")
		})
	}
}

func TestRequestValidation(t *testing.T) {
	t.Parallel()
	g := newGateway(t, accept(nil))
	c := newTestClient(t, g)
	noEnc := newTestClient(t, g, func(cfg *unionpay.Config) { cfg.Encrypter = nil })
	ctx := context.Background()
	tests := []struct {
		name  string
		do    func() error
		field string
	}{
		{"nil refund", func() error { _, err := c.Refund(ctx, nil); return err }, "request"},
		{"short order", func() error { r := followUp(); r.OrderID = "R1"; _, err := c.Refund(ctx, r); return err }, "OrderID"},
		{"order with dash", func() error { r := followUp(); r.OrderID = "ORDER-2024-0001"; _, err := c.Refund(ctx, r); return err }, "OrderID"},
		{"zero amount", func() error { r := followUp(); r.Amount = 0; _, err := c.Refund(ctx, r); return err }, "Amount"},
		{"negative amount", func() error { r := followUp(); r.Amount = -5; _, err := c.Refund(ctx, r); return err }, "Amount"},
		{"no origQryId", func() error { r := followUp(); r.OrigQueryID = ""; _, err := c.Refund(ctx, r); return err }, "OrigQueryID"},
		{"no backUrl", func() error { r := followUp(); r.BackURL = ""; _, err := c.Refund(ctx, r); return err }, "BackURL"},
		{"bad channel", func() error { r := followUp(); r.Channel = "09"; _, err := c.Refund(ctx, r); return err }, "Channel"},
		{"extra collides", func() error {
			r := followUp()
			r.Extra = sign.Fields{"txnAmt": "1"}
			_, err := c.Refund(ctx, r)
			return err
		}, `Extra["txnAmt"]`},
		{"extra signature", func() error {
			r := followUp()
			r.Extra = sign.Fields{"signature": "x"}
			_, err := c.Refund(ctx, r)
			return err
		}, `Extra["signature"]`},
		{"extra blank optional", func() error {
			r := followUp()
			r.ReqReserved = ""
			r.Extra = sign.Fields{"reqReserved": "x"}
			_, err := c.Refund(ctx, r)
			return err
		}, `Extra["reqReserved"]`},
		{"extra bad key", func() error {
			r := followUp()
			r.Extra = sign.Fields{"a&b": "x"}
			_, err := c.Refund(ctx, r)
			return err
		}, `Extra["a..."]`},
		{"reqReserved with &", func() error { r := followUp(); r.ReqReserved = "a&b"; _, err := c.Refund(ctx, r); return err }, "ReqReserved"},
		{"reqReserved too long", func() error {
			r := followUp()
			r.ReqReserved = strings.Repeat("x", 1025)
			_, err := c.Refund(ctx, r)
			return err
		}, "ReqReserved"},
		{"reqReserved with braces through Extra on a query", func() error {
			_, err := c.Query(ctx, &unionpay.QueryRequest{OrderID: testOrder, TxnTime: testNow, Extra: sign.Fields{"reqReserved": "a&b{c}"}})
			return err
		}, `Extra["reqReserved"]`},
		{"card without accNo", func() error { r := cardReq(); r.AccNo = ""; _, err := c.Collect(ctx, r); return err }, "AccNo"},
		{"card accNo letters", func() error { r := cardReq(); r.AccNo = "6216abc"; _, err := c.Collect(ctx, r); return err }, "AccNo"},
		{"bad currency", func() error { r := cardReq(); r.Currency = "CNY"; _, err := c.Payout(ctx, r); return err }, "Currency"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.do()
			var re *unionpay.RequestError
			require.ErrorAs(t, err, &re)
			assert.Equal(t, tt.field, re.Field)
			assert.NotContains(t, err.Error(), "6216261000000000018")
		})
	}
	_, err := noEnc.Collect(ctx, cardReq())
	var ce *unionpay.ConfigError
	require.ErrorAs(t, err, &ce)
	assert.Equal(t, "Config.Encrypter", ce.Field)
	assert.Equal(t, 0, g.count(), "nothing invalid was sent")
}

func TestExtraIsSigned(t *testing.T) {
	t.Parallel()
	g := newGateway(t, accept(nil))
	c := newTestClient(t, g)
	r := followUp()
	r.Extra = sign.Fields{"termId": "T0001", "empty": "  "}
	_, err := c.Refund(context.Background(), r)
	require.NoError(t, err) // the gateway verified the signature over termId
	assert.Equal(t, "T0001", g.last()["termId"])
	assert.NotContains(t, g.last(), "empty")
}

func TestAccessTypes(t *testing.T) {
	t.Parallel()
	g := newGateway(t, accept(nil))
	acq := newTestClient(t, g, func(c *unionpay.Config) { c.AccessType, c.AcquirerCode = unionpay.AccessAcquirer, "48021000" })
	_, err := acq.Refund(context.Background(), followUp())
	require.NoError(t, err)
	assert.Equal(t, "1", g.last()["accessType"])
	assert.Equal(t, "48021000", g.last()["acqInsCode"])

	plat := newTestClient(t, g, func(c *unionpay.Config) {
		c.AccessType, c.SubMerchant = unionpay.AccessPlatform, unionpay.SubMerchant{ID: "SUB01", Name: "小店", Abbr: "小"}
	})
	_, err = plat.Refund(context.Background(), followUp())
	require.NoError(t, err)
	assert.Equal(t, "2", g.last()["accessType"])
	assert.Equal(t, "SUB01", g.last()["subMerId"])
	assert.Equal(t, "小店", g.last()["subMerName"])
	assert.Equal(t, "小", g.last()["subMerAbbr"])
}

func TestGBKRoundTrip(t *testing.T) {
	t.Parallel()
	g := newGateway(t, accept(sign.Fields{"respMsg": "成功[0000000]"}))
	c := newTestClient(t, g, func(cfg *unionpay.Config) { cfg.Encoding = "GBK" })
	r := followUp()
	r.ReqReserved = "退货原因：尺码"
	res, err := c.Refund(context.Background(), r)
	require.NoError(t, err) // both signatures verified over GBK bytes
	assert.Equal(t, "成功[0000000]", res.RespMsg)
	assert.Equal(t, "退货原因：尺码", g.last()["reqReserved"])
	assert.Equal(t, "GBK", g.last()["encoding"])
}

// TestCardDataDecrypts encrypts to a certificate whose key the test holds (the merchant's own),
// so that what was sent can be opened again: accNo, customerInfo's plain and encrypted parts and
// the PIN block.
func TestCardDataDecrypts(t *testing.T) {
	t.Parallel()
	pfx := loadPFX(t)
	dec, err := pfx.Decrypter()
	require.NoError(t, err)
	g := newGateway(t, accept(nil))
	c := newTestClient(t, g, func(cfg *unionpay.Config) { cfg.Encrypter = encrypterFor(t, pfx) })
	r := cardReq()
	r.Customer.CVN2, r.Customer.Expiry = "123", "2311"
	_, err = c.Collect(context.Background(), r)
	require.NoError(t, err)
	req := g.last()
	assert.Equal(t, "69629715588", req["encryptCertId"])
	pan, err := dec.Decrypt(req["accNo"])
	require.NoError(t, err)
	assert.Equal(t, r.AccNo, pan)

	pairs, err := cert.ParseCustomerInfo(req["customerInfo"], dec)
	require.NoError(t, err)
	got := map[string]string{}
	for _, p := range pairs {
		got[p.Key] = p.Value
	}
	assert.Equal(t, "01", got["certifTp"])
	assert.Equal(t, "341126197709218366", got["certifId"])
	assert.Equal(t, "互联网", got["customerNm"])
	assert.Equal(t, "123456", got["smsCode"])
	assert.Equal(t, "13552535506", got["phoneNo"], "from encryptedInfo")
	assert.Equal(t, "123", got["cvn2"])
	assert.Equal(t, "2311", got["expired"])
	block, err := dec.Decrypt(got["pin"])
	require.NoError(t, err)
	want, err := cert.PINBlock("111111", r.AccNo)
	require.NoError(t, err)
	assert.Equal(t, string(want), block)
	raw, err := base64.StdEncoding.DecodeString(req["customerInfo"])
	require.NoError(t, err)
	assert.NotContains(t, string(raw), "13552535506", "the phone is only in encryptedInfo")
}

// TestPlainCardData: a merchant without the permission to encrypt sensitive data sends accNo and
// customerInfo in clear (the official SDK's getCustomerInfo layout), a PIN still encrypted and
// then only with encryptCertId; without a PIN no Encrypter is needed.
func TestPlainCardData(t *testing.T) {
	t.Parallel()
	pfx := loadPFX(t)
	dec, err := pfx.Decrypter()
	require.NoError(t, err)
	g := newGateway(t, accept(nil))
	c := newTestClient(t, g, func(cfg *unionpay.Config) { cfg.PlainCardData, cfg.Encrypter = true, encrypterFor(t, pfx) })
	r := cardReq()
	r.Customer.CVN2 = "123"
	_, err = c.Collect(context.Background(), r)
	require.NoError(t, err)
	req := g.last()
	assert.Equal(t, r.AccNo, req["accNo"], "in clear")
	assert.Equal(t, "69629715588", req["encryptCertId"], "for the PIN")
	raw, err := base64.StdEncoding.DecodeString(req["customerInfo"])
	require.NoError(t, err)
	pairs, err := sign.ParseRaw(strings.TrimSuffix(strings.TrimPrefix(string(raw), "{"), "}"))
	require.NoError(t, err)
	assert.Equal(t, "13552535506", pairs["phoneNo"], "in clear, not in encryptedInfo")
	assert.Equal(t, "123", pairs["cvn2"])
	assert.NotContains(t, pairs, "encryptedInfo")
	block, err := dec.Decrypt(pairs["pin"])
	require.NoError(t, err)
	want, err := cert.PINBlock("111111", r.AccNo)
	require.NoError(t, err)
	assert.Equal(t, string(want), block)

	// Without a PIN, no Encrypter and no encryptCertId.
	noEnc := newTestClient(t, g, func(cfg *unionpay.Config) { cfg.PlainCardData, cfg.Encrypter = true, nil })
	r.Customer.PIN = ""
	_, err = noEnc.Collect(context.Background(), r)
	require.NoError(t, err)
	req = g.last()
	assert.Equal(t, r.AccNo, req["accNo"])
	assert.NotContains(t, req, "encryptCertId")
	raw, err = base64.StdEncoding.DecodeString(req["customerInfo"])
	require.NoError(t, err)
	assert.Equal(t, "{certifTp=01&certifId=341126197709218366&customerNm=互联网&phoneNo=13552535506&smsCode=123456&cvn2=123}", string(raw))

	// A PIN needs the Encrypter still.
	r.Customer.PIN = "111111"
	_, err = noEnc.Collect(context.Background(), r)
	var ce *unionpay.ConfigError
	require.ErrorAs(t, err, &ce)
	assert.Equal(t, "Config.Encrypter", ce.Field)
}

// TestCustomerInfoInGBK: in a GBK message, customerInfo's text is GBK before base64, as UnionPay
// decodes it.
func TestCustomerInfoInGBK(t *testing.T) {
	t.Parallel()
	g := newGateway(t, accept(nil))
	for _, enc := range []string{"UTF-8", "GBK"} {
		c := newTestClient(t, g, func(cfg *unionpay.Config) { cfg.Encoding = enc })
		_, err := c.Payout(context.Background(), cardReq())
		require.NoError(t, err)
		raw, err := base64.StdEncoding.DecodeString(g.last()["customerInfo"])
		require.NoError(t, err)
		if enc == "GBK" {
			raw, err = simplifiedchinese.GBK.NewDecoder().Bytes(raw)
			require.NoError(t, err)
		}
		assert.Contains(t, string(raw), "customerNm=互联网", enc)
	}
}
