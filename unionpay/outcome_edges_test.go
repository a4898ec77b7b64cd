package unionpay_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/sign"
	"github.com/goacp/unionpay/unionpay"
)

// (mutation review U43) every pending respCode of a money-moving call is a *PendingError, never an *Error.
func TestBackPendingRespCodes(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		code    string
		pending bool
	}{{"03", true}, {"04", true}, {"05", true}, {"83", true}, {"12", true}, {"06", false}, {"02", false}, {"84", false}} {
		t.Run(tt.code, func(t *testing.T) {
			t.Parallel()
			g := newGateway(t, func(r sign.Fields) reply { return reply{fields: answerTo(r, tt.code, nil)} })
			_, err := newTestClient(t, g).Refund(context.Background(), followUp())
			var re *unionpay.Error
			if tt.pending {
				require.ErrorIs(t, err, unionpay.ErrPending)
				require.False(t, errors.As(err, &re), "a pending refund must not read as refused")
				var pe *unionpay.PendingError
				require.ErrorAs(t, err, &pe)
				require.Equal(t, tt.code, pe.RespCode)
				return
			}
			require.ErrorAs(t, err, &re)
			require.NotErrorIs(t, err, unionpay.ErrPending)
		})
	}
}

// (mutation review U01) a query itself answered 03/04/05 (or 83, the issuer still processing) is
// State Pending, not an *Error.
func TestQueryRespCodePending(t *testing.T) {
	t.Parallel()
	for _, code := range []string{"03", "04", "05", "83"} {
		t.Run(code, func(t *testing.T) {
			t.Parallel()
			g := newGateway(t, queryAnswer(code, ""))
			tx, err := newTestClient(t, g).Query(context.Background(), &unionpay.QueryRequest{OrderID: testOrder, TxnTime: testNow})
			require.NoError(t, err)
			require.Equal(t, unionpay.Pending, tx.State)
		})
	}
}

// movingClock returns config edits whose Sleep advances Now.
func movingClock() func(*unionpay.Config) {
	var mu sync.Mutex
	now := testNow
	return func(cfg *unionpay.Config) {
		cfg.Now = func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
		cfg.Sleep = func(ctx context.Context, d time.Duration) error {
			mu.Lock()
			defer mu.Unlock()
			now = now.Add(d)
			return ctx.Err()
		}
	}
}

// (mutation review U12, U19, U09) front schedules judged against payTimeout.
func TestFrontPayTimeoutEdges(t *testing.T) {
	t.Parallel()
	failed := queryAnswer("00", "01")
	broken := func(sign.Fields) reply { return reply{status: http.StatusServiceUnavailable} }
	for _, tt := range []struct {
		name       string
		answers    []func(sign.Fields) reply
		payTimeout time.Duration
		final      bool
	}{
		// queries at 5,10,30,60,120 min; the only answers (failed) came before payTimeout+skew (102 min)
		{"failed before timeout, last query broken after it", []func(sign.Fields) reply{failed, failed, failed, failed, broken}, 100 * time.Minute, false},
		// an early transport failure does not taint a later final answer
		{"broken first, failed after timeout", []func(sign.Fields) reply{broken, failed}, 15 * time.Minute, true},
		// the last query exactly PayTimeoutSkew after payTimeout is not "more than" it
		{"failed, payTimeout exactly skew before last query", []func(sign.Fields) reply{failed}, 118 * time.Minute, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			g := newGateway(t, scripted(tt.answers...))
			c := newTestClient(t, g, movingClock())
			b := unionpay.FrontBackoff()
			b.PayTimeout = testNow.Add(tt.payTimeout)
			tx, err := c.QueryUntilFinal(context.Background(), &unionpay.QueryRequest{OrderID: testOrder, TxnTime: testNow}, b)
			require.NotNil(t, tx)
			if tt.final {
				require.NoError(t, err)
				require.Equal(t, unionpay.Failed, tx.State)
				return
			}
			require.ErrorIs(t, err, unionpay.ErrPending)
		})
	}
}

// (mutation review U14) a back schedule (not FromTxnTime) never ends final on NotFound, PayTimeout or not.
func TestBackNotFoundWithPayTimeout(t *testing.T) {
	t.Parallel()
	g := newGateway(t, queryAnswer("34", ""))
	var sl sleeps
	c := newTestClient(t, g, func(cfg *unionpay.Config) { cfg.Sleep = sl.sleep })
	b := unionpay.Backoff{Delays: []time.Duration{time.Second}, PayTimeout: testNow.Add(-time.Hour)}
	tx, err := c.QueryUntilFinal(context.Background(), &unionpay.QueryRequest{OrderID: testOrder, TxnTime: testNow}, b)
	require.ErrorIs(t, err, unionpay.ErrPending)
	require.Equal(t, unionpay.NotFound, tx.State)
	var pe *unionpay.PendingError
	require.ErrorAs(t, err, &pe)
	require.Equal(t, "34", pe.RespCode) // U20: the query's own respCode when origRespCode is absent
}

// (mutation review U18) an unverified query answer stops the schedule at once; the outcome is
// still unknown, so the error is a *PendingError wrapping the verification failure.
func TestQueryUntilFinalStopsOnUnverified(t *testing.T) {
	t.Parallel()
	g := newGateway(t, func(r sign.Fields) reply { return reply{fields: queryAnswer("00", "00")(r).fields, tamper: true} })
	var sl sleeps
	c := newTestClient(t, g, func(cfg *unionpay.Config) { cfg.Sleep = sl.sleep })
	_, err := c.QueryUntilFinal(context.Background(), &unionpay.QueryRequest{OrderID: testOrder, TxnTime: testNow}, unionpay.BackBackoff())
	require.ErrorIs(t, err, unionpay.ErrUnverified)
	require.ErrorIs(t, err, unionpay.ErrPending)
	var pe *unionpay.PendingError
	require.ErrorAs(t, err, &pe)
	require.Equal(t, testOrder, pe.OrderID)
	require.True(t, pe.TxnTime.Equal(testNow))
	require.Equal(t, 1, g.count())
}

// (mutation review U32) a query by QueryID with TxnTime given must get an answer echoing that queryId.
func TestQueryIDEchoWithTxnTime(t *testing.T) {
	t.Parallel()
	g := newGateway(t, func(r sign.Fields) reply {
		return reply{fields: answerTo(r, "00", sign.Fields{"origRespCode": "00", "txnAmt": "1000",
			"queryId": "782401051030000000099"})}
	})
	tx, err := newTestClient(t, g).Query(context.Background(),
		&unionpay.QueryRequest{QueryID: "782401051030000000011", TxnTime: testNow})
	require.Error(t, err)
	require.Nil(t, tx)
	require.Contains(t, err.Error(), "answer is for queryId")
}

// (mutation review U22) a negative amount in a verified answer is refused.
func TestQueryNegativeAmount(t *testing.T) {
	t.Parallel()
	for _, field := range []string{"txnAmt", "settleAmt"} {
		t.Run(field, func(t *testing.T) {
			t.Parallel()
			g := newGateway(t, func(r sign.Fields) reply {
				rep := queryAnswer("00", "00")(r)
				rep.fields[field] = "-1000"
				return rep
			})
			_, err := newTestClient(t, g).Query(context.Background(), &unionpay.QueryRequest{OrderID: testOrder, TxnTime: testNow})
			require.ErrorContains(t, err, "not an amount in fen")
			// named as every other error of the call is: the operation and the order, once
			require.ErrorContains(t, err, "unionpay: query "+testOrder+": answer field "+field)
			require.Equal(t, 1, strings.Count(err.Error(), "unionpay:"), err.Error())
		})
	}
}

// (mutation review U26) a 2xx status other than 200 is no answer, even with a signed 00 body.
func TestBackNon200Success(t *testing.T) {
	t.Parallel()
	for _, st := range []int{http.StatusCreated, http.StatusAccepted} {
		g := newGateway(t, func(r sign.Fields) reply { return reply{status: st, fields: answerTo(r, "00", nil)} })
		_, err := newTestClient(t, g).Refund(context.Background(), followUp())
		require.ErrorIs(t, err, unionpay.ErrPending)
	}
}

// (mutation review U60) a file of exactly the limit is accepted.
func TestDecodeFileContentExactLimit(t *testing.T) {
	t.Parallel()
	b := []byte("0123456789")
	out, err := unionpay.DecodeFileContent(unionpay.EncodeFileContent(b), int64(len(b)))
	require.NoError(t, err)
	require.Equal(t, b, out)
	_, err = unionpay.DecodeFileContent(unionpay.EncodeFileContent(b), int64(len(b)-1))
	require.ErrorIs(t, err, unionpay.ErrFileTooLarge)
}

// (mutation review U54) a time one nanosecond past midnight is not a midnight: it is the Beijing day it falls in.
func TestSettleDayNanosecond(t *testing.T) {
	t.Parallel()
	g := newGateway(t, accept(sign.Fields{"fileName": "777290058110048_20240104.zip",
		"fileContent": unionpay.EncodeFileContent([]byte("PK"))}))
	c := newTestClient(t, g)
	at := time.Date(2024, 1, 5, 0, 0, 0, 1, time.FixedZone("JST", 9*3600)) // 2024-01-04 23:00:00.000000001 in Beijing
	_, err := c.DownloadFile(context.Background(), &unionpay.FileRequest{SettleDate: at})
	require.NoError(t, err)
	require.Equal(t, "0104", g.last()["settleDate"])
}

// (mutation review U21) a query answered with any code other than 00, 03-05, 83, 34 (and 02/06/37,
// retried by QueryUntilFinal) is a rejection (*Error), never a State.
func TestQueryRejections(t *testing.T) {
	t.Parallel()
	for _, code := range []string{"01", "10", "12", "30", "35", "36", "98", "99"} {
		t.Run(code, func(t *testing.T) {
			t.Parallel()
			g := newGateway(t, queryAnswer(code, ""))
			tx, err := newTestClient(t, g).Query(context.Background(), &unionpay.QueryRequest{OrderID: testOrder, TxnTime: testNow})
			var re *unionpay.Error
			require.ErrorAs(t, err, &re)
			require.Equal(t, code, re.RespCode)
			require.Nil(t, tx)
		})
	}
}

// TestStatusErrorPrefixOnce: an HTTP status other than 200 is named once, after the operation
// and the order ("unionpay: query X: unionpay: HTTP status 502" repeated the prefix; a
// readability review).
func TestStatusErrorPrefixOnce(t *testing.T) {
	t.Parallel()
	g := newGateway(t, func(sign.Fields) reply { return reply{status: http.StatusBadGateway} })
	c := newTestClient(t, g)
	_, err := c.Query(context.Background(), &unionpay.QueryRequest{OrderID: testOrder, TxnTime: testNow})
	var se *unionpay.StatusError
	require.ErrorAs(t, err, &se)
	require.Equal(t, "unionpay: query "+testOrder+" (txnTime "+testNow.Format("20060102150405")+"): HTTP status 502", err.Error())
	_, err = c.Refund(context.Background(), followUp())
	require.ErrorAs(t, err, &se)
	require.ErrorIs(t, err, unionpay.ErrPending)
	require.Equal(t, 1, strings.Count(err.Error(), "unionpay:"), err.Error())
}
