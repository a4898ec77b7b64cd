package unionpay_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/unionpay"
	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

// callRecorder is a Config.OnCall that keeps what it is told.
type callRecorder struct {
	mu   sync.Mutex
	ends []unionpay.CallEnd
	ctxs []context.Context
}

func (r *callRecorder) record(ctx context.Context, e unionpay.CallEnd) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.ends, r.ctxs = append(r.ends, e), append(r.ctxs, ctx)
}

func (r *callRecorder) all() []unionpay.CallEnd {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]unionpay.CallEnd(nil), r.ends...)
}

// observedServer is the fake gateway and a client of it whose OnCall is onCall; queries' waits
// end at once.
func observedServer(t *testing.T, onCall func(context.Context, unionpay.CallEnd)) (*unionpaytest.Server, *unionpay.Client) {
	t.Helper()
	srv := unionpaytest.NewServer(withSharedKeys(t), unionpaytest.WithClock(func() time.Time { return testNow }))
	t.Cleanup(srv.Close)
	cfg := srv.Config()
	cfg.Sleep = func(ctx context.Context, _ time.Duration) error { return ctx.Err() }
	cfg.OnCall = onCall
	c, err := unionpay.NewClient(cfg)
	require.NoError(t, err)
	return srv, c
}

// callKey is the key of a value the caller's ctx carries, which OnCall must see.
type callKey struct{}

// TestOnCallOutcomes: OnCall is told of each call once, after it is classified: one row per
// Outcome, made by the fake gateway's scripts and faults, with the call's CallInfo, its
// duration, the verified answer's respCode, the error the method returns and the caller's ctx;
// never the card number or the customer's data.
func TestOnCallOutcomes(t *testing.T) {
	t.Parallel()
	consume := func(ctx context.Context, c *unionpay.Client, order string) error {
		r := cardReq()
		r.OrderID = order
		_, err := c.BackConsume(ctx, r)
		return err
	}
	query := func(ctx context.Context, c *unionpay.Client, order string) error {
		_, err := c.Query(ctx, &unionpay.QueryRequest{OrderID: order, TxnTime: testNow})
		return err
	}
	tests := []struct {
		name     string
		setup    func(srv *unionpaytest.Server, order string)
		call     func(ctx context.Context, c *unionpay.Client, order string) error
		cancel   bool // the ctx ends before the call
		want     unionpay.Outcome
		respCode string
		moves    bool
		is       []error // the sentinels the error matches
		as       any     // an error type it holds (a **T), or nil
	}{
		{name: "accepted", call: consume, want: unionpay.OutcomeAccepted, respCode: "00", moves: true},
		{name: "query answered, not found", call: query, want: unionpay.OutcomeAccepted, respCode: "34"},
		{name: "pending respCode", setup: func(srv *unionpaytest.Server, order string) {
			srv.Script(order, unionpaytest.Pending, unionpaytest.Succeed)
		}, call: consume, want: unionpay.OutcomePending, respCode: "05", moves: true, is: []error{unionpay.ErrPending}},
		{name: "pending, connection dropped", setup: func(srv *unionpaytest.Server, order string) {
			srv.FailOrder(order, unionpaytest.FaultDrop)
		}, call: consume, want: unionpay.OutcomePending, moves: true, is: []error{unionpay.ErrPending}},
		{name: "rejected", setup: func(srv *unionpaytest.Server, order string) {
			srv.Script(order, unionpaytest.Rejected)
		}, call: consume, want: unionpay.OutcomeRejected, respCode: "30", moves: true, as: new(*unionpay.Error)},
		{name: "not sent", cancel: true, call: consume, want: unionpay.OutcomeNotSent, moves: true,
			is: []error{unionpay.ErrNotSent, context.Canceled}},
		{name: "unverified query", setup: func(srv *unionpaytest.Server, order string) {
			srv.FailOrder(order, unionpaytest.FaultWrongKey)
		}, call: query, want: unionpay.OutcomeUnverified, is: []error{unionpay.ErrUnverified}},
		{name: "unverified, money may have moved", setup: func(srv *unionpaytest.Server, order string) {
			srv.FailOrder(order, unionpaytest.FaultWrongKey)
		}, call: consume, want: unionpay.OutcomeUnverified, moves: true, is: []error{unionpay.ErrUnverified, unionpay.ErrPending}},
		{name: "refused before sending", call: func(ctx context.Context, c *unionpay.Client, order string) error {
			r := cardReq()
			r.OrderID, r.Amount = order, 0
			_, err := c.BackConsume(ctx, r)
			return err
		}, want: unionpay.OutcomeRefused, moves: true, as: new(*unionpay.RequestError)},
		{name: "query failed, HTTP 503", setup: func(srv *unionpaytest.Server, order string) {
			srv.FailOrder(order, unionpaytest.Fault5xx)
		}, call: query, want: unionpay.OutcomeFailed, as: new(*unionpay.StatusError)},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			rec := &callRecorder{}
			srv, c := observedServer(t, rec.record)
			order := fmt.Sprintf("OBSERVED2024010500%d", i)
			if tt.setup != nil {
				tt.setup(srv, order)
			}
			ctx, cancel := context.WithCancel(context.WithValue(context.Background(), callKey{}, order))
			defer cancel()
			if tt.cancel {
				cancel()
			}
			err := tt.call(ctx, c, order)
			ends := rec.all()
			require.Len(t, ends, 1, "one report per call")
			e := ends[0]
			assert.Equal(t, tt.want, e.Outcome, "Outcome %v, error %v", e.Outcome, err)
			assert.Equal(t, tt.respCode, e.RespCode, "RespCode")
			assert.True(t, e.Err == err, "Err is the error the call returned: %v", e.Err)
			for _, target := range tt.is {
				assert.ErrorIs(t, err, target)
			}
			if tt.as != nil {
				assert.True(t, errors.As(err, tt.as), "%v holds a %T", err, tt.as)
			}
			if tt.want == unionpay.OutcomeAccepted {
				assert.NoError(t, err)
			}
			assert.Equal(t, order, rec.ctxs[0].Value(callKey{}), "the caller's ctx")
			assert.Positive(t, e.Duration, "Duration")
			assert.Equal(t, tt.moves, e.MovesMoney, "MovesMoney")
			if tt.want == unionpay.OutcomeRefused {
				assert.Equal(t, unionpay.CallInfo{Op: "back consume", MovesMoney: true}, e.CallInfo,
					"a request refused before it was built: Op and MovesMoney alone")
			} else {
				assert.Equal(t, order, e.OrderID, "OrderID")
				assert.True(t, testNow.Equal(e.TxnTime), "TxnTime %v", e.TxnTime)
				assert.Len(t, e.TxnType, 2, "TxnType")
			}
			text := fmt.Sprintf("%+v %v", e, e)
			for _, secret := range []string{"6216261000000000018", "341126197709218366", "13552535506", "111111"} {
				assert.NotContains(t, text, secret, "card data in what OnCall sees")
			}
		})
	}
}

// TestOutcomeString: each Outcome has a stable name, to label metrics with.
func TestOutcomeString(t *testing.T) {
	t.Parallel()
	for o, want := range map[unionpay.Outcome]string{
		unionpay.OutcomeAccepted: "accepted", unionpay.OutcomePending: "pending", unionpay.OutcomeRejected: "rejected",
		unionpay.OutcomeNotSent: "not_sent", unionpay.OutcomeUnverified: "unverified", unionpay.OutcomeRefused: "refused",
		unionpay.OutcomeFailed: "failed", 0: "Outcome(0)", 200: "Outcome(200)",
	} {
		assert.Equal(t, want, o.String())
		text, err := json.Marshal(o) // a JSON log handler's form, through MarshalText
		require.NoError(t, err)
		assert.Equal(t, `"`+want+`"`, string(text))
	}
}

// TestOnCallQueryUntilFinal: QueryUntilFinal does not report itself: each query it asks does,
// as Query's would; a schedule refused before it asks anything reports one refused query, and
// one whose ctx ends during its first wait reports nothing (no query was asked).
func TestOnCallQueryUntilFinal(t *testing.T) {
	t.Parallel()
	t.Run("each query", func(t *testing.T) {
		t.Parallel()
		rec := &callRecorder{}
		srv, c := observedServer(t, rec.record)
		r := cardReq()
		srv.Script(r.OrderID, unionpaytest.Pending, unionpaytest.Pending, unionpaytest.Succeed)
		_, err := c.BackConsume(context.Background(), r)
		var pe *unionpay.PendingError
		require.ErrorAs(t, err, &pe)
		asked := 0
		b := unionpay.Backoff{Delays: []time.Duration{0, 0, 0, 0}, OnQuery: func(unionpay.QueryAttempt) { asked++ }}
		tx, err := c.QueryUntilFinal(context.Background(), pe.QueryRequest(), b)
		require.NoError(t, err)
		require.Equal(t, unionpay.Succeeded, tx.State)
		ends := rec.all()
		require.Len(t, ends, 1+asked, "the consume, then one per query asked")
		require.Equal(t, 2, asked)
		assert.Equal(t, "back consume", ends[0].Op)
		assert.Equal(t, unionpay.OutcomePending, ends[0].Outcome)
		for _, e := range ends[1:] {
			assert.Equal(t, "query", e.Op)
			assert.Equal(t, r.OrderID, e.OrderID)
			assert.Equal(t, unionpay.OutcomeAccepted, e.Outcome, "the query was answered")
			assert.Equal(t, "00", e.RespCode, "the query's own respCode, not origRespCode")
		}
	})
	refusals := []struct {
		name string
		r    *unionpay.QueryRequest
		b    unionpay.Backoff
	}{
		{"nil request", nil, unionpay.BackBackoff()},
		{"empty schedule", &unionpay.QueryRequest{OrderID: testOrder, TxnTime: testNow}, unionpay.Backoff{}},
		{"invalid request", &unionpay.QueryRequest{OrderID: testOrder}, unionpay.BackBackoff()},
	}
	for _, tt := range refusals {
		t.Run("refused: "+tt.name, func(t *testing.T) {
			t.Parallel()
			rec := &callRecorder{}
			_, c := observedServer(t, rec.record)
			_, err := c.QueryUntilFinal(context.Background(), tt.r, tt.b)
			var re *unionpay.RequestError
			require.ErrorAs(t, err, &re)
			ends := rec.all()
			require.Len(t, ends, 1)
			assert.Equal(t, unionpay.CallInfo{Op: "query"}, ends[0].CallInfo)
			assert.Equal(t, unionpay.OutcomeRefused, ends[0].Outcome)
			assert.True(t, ends[0].Err == err)
		})
	}
	t.Run("ctx ends before the first query", func(t *testing.T) {
		t.Parallel()
		rec := &callRecorder{}
		_, c := observedServer(t, rec.record)
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		_, err := c.QueryUntilFinal(ctx, &unionpay.QueryRequest{OrderID: testOrder, TxnTime: testNow}, unionpay.BackBackoff())
		require.ErrorIs(t, err, unionpay.ErrPending)
		assert.Empty(t, rec.all(), "nothing asked, nothing reported")
	})
}

// TestOnCallEveryMethod: every method that takes a ctx reports once, under the Op its requests'
// CallInfo has (what a transport labels them by), whether its request was refused by the
// transport (not sent: the CallInfo is the transport's) or refused before sending (a nil ctx:
// Op and MovesMoney, and a non-nil ctx for OnCall).
func TestOnCallEveryMethod(t *testing.T) {
	t.Parallel()
	ops := append(prefixOps(), []prefixOp{
		{"open query " + testOrder, false, func(ctx context.Context, c *unionpay.Client) error {
			_, err := c.QueryOpen(ctx, &unionpay.OpenQueryRequest{OrderID: testOrder, TxnTime: testNow})
			return err
		}},
		{"qrcode apply " + testOrder, true, func(ctx context.Context, c *unionpay.Client) error {
			_, err := c.ApplyQRCode(ctx, qrApplyReq())
			return err
		}},
		{"qrcode consume " + testOrder, true, func(ctx context.Context, c *unionpay.Client) error {
			_, err := c.QRConsume(ctx, qrConsumeReq())
			return err
		}},
		{"encryption certificate update", false, func(ctx context.Context, c *unionpay.Client) error {
			_, err := c.UpdateEncryptionCertificate(ctx)
			return err
		}},
	}...)
	require.Len(t, ops, 20, "every method of Client that takes a ctx, QueryUntilFinal aside")
	client := func(t *testing.T, rt http.RoundTripper, rec *callRecorder) *unionpay.Client {
		cfg := testConfig(t, "https://gateway.invalid")
		cfg.HTTPClient = &http.Client{Transport: rt}
		cfg.OnCall = rec.record
		c, err := unionpay.NewClient(cfg)
		require.NoError(t, err)
		return c
	}
	for _, op := range ops {
		t.Run(op.name, func(t *testing.T) {
			t.Parallel()
			rt, rec := &infoTransport{}, &callRecorder{}
			err := op.do(context.Background(), client(t, rt, rec))
			require.ErrorIs(t, err, unionpay.ErrNotSent)
			require.Len(t, rt.infos, 1)
			ends := rec.all()
			require.Len(t, ends, 1, "one report per call")
			assert.Equal(t, rt.infos[0], ends[0].CallInfo, "the CallInfo the transport saw")
			assert.Equal(t, unionpay.OutcomeNotSent, ends[0].Outcome)
			assert.Equal(t, op.moves, ends[0].MovesMoney)

			rec = &callRecorder{}
			var none context.Context
			err = op.do(none, client(t, &infoTransport{}, rec))
			var re *unionpay.RequestError
			require.ErrorAs(t, err, &re)
			ends = rec.all()
			require.Len(t, ends, 1, "one report per refused call")
			assert.Equal(t, unionpay.OutcomeRefused, ends[0].Outcome)
			assert.Equal(t, rt.infos[0].Op, ends[0].Op, "the same Op refused as sent")
			assert.Equal(t, op.moves, ends[0].MovesMoney)
			assert.NotNil(t, rec.ctxs[0], "OnCall gets a ctx")
		})
	}
}

// TestOnCallConcurrent: one Client's calls report at once from their goroutines, each once.
func TestOnCallConcurrent(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	counts := map[string]int{}
	_, c := observedServer(t, func(_ context.Context, e unionpay.CallEnd) {
		mu.Lock()
		counts[e.Op+" "+e.Outcome.String()]++
		mu.Unlock()
	})
	var wg sync.WaitGroup
	for i := range 16 {
		wg.Go(func() {
			r := cardReq()
			r.OrderID = fmt.Sprintf("CONCURRENT20240105%02d", i)
			if _, err := c.BackConsume(context.Background(), r); err != nil {
				t.Error(err)
			}
			_, _ = c.Query(context.Background(), &unionpay.QueryRequest{OrderID: r.OrderID, TxnTime: testNow})
		})
	}
	wg.Wait()
	assert.Equal(t, map[string]int{"back consume accepted": 16, "query accepted": 16}, counts)
}

// TestOnCallPanicKeepsOutcome: a panicking OnCall does not take the call's outcome from its
// caller: the accepted Result, the pending error, come back as without OnCall, and the panic is
// logged with slog's default logger. Not parallel: it sets that logger.
func TestOnCallPanicKeepsOutcome(t *testing.T) {
	var logged bytes.Buffer
	old := slog.Default()
	slog.SetDefault(slog.New(slog.NewTextHandler(&logged, nil)))
	t.Cleanup(func() { slog.SetDefault(old) })
	srv, c := observedServer(t, func(context.Context, unionpay.CallEnd) { panic("metrics exploded") })

	res, err := c.BackConsume(context.Background(), cardReq())
	require.NoError(t, err, "accepted")
	require.NotNil(t, res)
	assert.Equal(t, "00", res.RespCode)

	r := cardReq()
	r.OrderID = "PANICPENDING0001"
	srv.Script(r.OrderID, unionpaytest.Pending, unionpaytest.Succeed)
	res, err = c.BackConsume(context.Background(), r)
	assert.Nil(t, res)
	var pe *unionpay.PendingError
	require.ErrorAs(t, err, &pe, "still pending")
	assert.Equal(t, "05", pe.RespCode)

	out := logged.String()
	assert.Contains(t, out, `msg="unionpay: Config.OnCall panicked; the call returns its outcome all the same" op="back consume" outcome=accepted panic="metrics exploded"`)
	assert.Contains(t, out, "outcome=pending")
	assert.Contains(t, out, "stack=", "with its stack")
}

// panicHandler is a slog.Handler whose every record panics: a log pipeline that fails.
type panicHandler struct{}

func (panicHandler) Enabled(context.Context, slog.Level) bool  { return true }
func (panicHandler) Handle(context.Context, slog.Record) error { panic("log pipeline exploded") }
func (h panicHandler) WithAttrs([]slog.Attr) slog.Handler      { return h }
func (h panicHandler) WithGroup(string) slog.Handler           { return h }

// TestOnCallPanicLoggerPanicKeepsOutcome: when OnCall panics and so does slog's default logger,
// which the panic is reported to, the call still returns its outcome: the accepted Result (money
// moved), the pending error. The logger's panic escaped the recovery, and the caller lost the
// answer. Not parallel: it sets slog's default logger.
func TestOnCallPanicLoggerPanicKeepsOutcome(t *testing.T) {
	old := slog.Default()
	slog.SetDefault(slog.New(panicHandler{}))
	t.Cleanup(func() { slog.SetDefault(old) })
	srv, c := observedServer(t, func(context.Context, unionpay.CallEnd) { panic("metrics exploded") })

	var res *unionpay.Result
	var err error
	require.NotPanics(t, func() { res, err = c.BackConsume(context.Background(), cardReq()) })
	require.NoError(t, err, "accepted")
	require.NotNil(t, res)
	assert.Equal(t, "00", res.RespCode)

	r := cardReq()
	r.OrderID = "PANICLOGPENDING01"
	srv.Script(r.OrderID, unionpaytest.Pending, unionpaytest.Succeed)
	require.NotPanics(t, func() { res, err = c.BackConsume(context.Background(), r) })
	var pe *unionpay.PendingError
	require.ErrorAs(t, err, &pe, "still pending")
}

// TestOnCallSlowKeepsOutcome: an OnCall slower than the call's ctx allows (a blocked metrics
// push) delays the call's return, but does not change what it returns: the ctx's end after the
// answer came is not the call's.
func TestOnCallSlowKeepsOutcome(t *testing.T) {
	t.Parallel()
	// The ctx ends while OnCall runs, never before (a timeout could expire first on a slow
	// machine): OnCall ends it, then waits for its end as a blocked push would.
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	_, c := observedServer(t, func(ctx context.Context, _ unionpay.CallEnd) {
		cancel()
		select {
		case <-ctx.Done():
		case <-time.After(5 * time.Second):
		}
		time.Sleep(50 * time.Millisecond) // slow past the ctx's end
	})
	res, err := c.BackConsume(ctx, cardReq())
	require.NoError(t, err, "accepted, though ctx ended while OnCall ran")
	assert.Equal(t, "00", res.RespCode)
	require.Error(t, ctx.Err(), "OnCall outlived the ctx")
}
