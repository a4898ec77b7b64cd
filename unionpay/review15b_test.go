package unionpay_test

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/sign"
	"github.com/goacp/unionpay/unionpay"
)

// A query answered busy (06) while ctx ends (its deadline passes as the answer is read) ends
// pending as a cancel does: wrapping ctx's error, and never an *Error, which reads as a rejection
// of the transaction itself (QueryUntilFinal's doc). OnQuery ends ctx between the answer and its
// classification, where a deadline can pass.
func TestReview15bQueryBusyAsCtxEnds(t *testing.T) {
	t.Parallel()
	g := newGateway(t, queryAnswer("06", ""))
	c := newTestClient(t, g, func(cfg *unionpay.Config) {
		cfg.Sleep = func(ctx context.Context, d time.Duration) error { return ctx.Err() }
	})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	b := unionpay.Backoff{Delays: []time.Duration{time.Second, time.Second},
		OnQuery: func(unionpay.QueryAttempt) { cancel() }}
	_, err := c.QueryUntilFinal(ctx, &unionpay.QueryRequest{OrderID: testOrder, TxnTime: testNow}, b)
	require.ErrorIs(t, err, unionpay.ErrPending)
	var ue *unionpay.Error
	assert.False(t, errors.As(err, &ue), "a busy query must not read as a rejection: %v", err)
	assert.ErrorIs(t, err, context.Canceled, "ctx ended: it matches ctx's error, as the doc says")
}

// A query that fails (an HTTP 503) as ctx ends stops the schedule at once, as the doc says
// ("the end of ctx stops at once"), even under a Config.Sleep that does not watch ctx; its
// *PendingError matches ctx's error. (Kills a mutant that dropped ctx.Err() from queryFailed.)
func TestReview15bQueryFailsAsCtxEnds(t *testing.T) {
	t.Parallel()
	g := newGateway(t, func(sign.Fields) reply { return reply{status: 503} })
	sleeps := 0
	c := newTestClient(t, g, func(cfg *unionpay.Config) {
		cfg.Sleep = func(context.Context, time.Duration) error { sleeps++; return nil }
	})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	b := unionpay.Backoff{Delays: []time.Duration{time.Second, time.Second, time.Second},
		OnQuery: func(unionpay.QueryAttempt) { cancel() }}
	_, err := c.QueryUntilFinal(ctx, &unionpay.QueryRequest{OrderID: testOrder, TxnTime: testNow}, b)
	require.ErrorIs(t, err, unionpay.ErrPending)
	assert.Equal(t, 1, sleeps, "stopped at once")
	assert.Equal(t, 1, g.count(), "one query asked")
}

// The same stop's *PendingError matches ctx's error, as QueryUntilFinal's doc says of a
// schedule stopped by the end of ctx ("it matches context.Canceled or DeadlineExceeded too"):
// it wrapped only the 503.
func TestReview15bQueryFailsAsCtxEndsMatchesCtx(t *testing.T) {
	t.Parallel()
	g := newGateway(t, func(sign.Fields) reply { return reply{status: 503} })
	c := newTestClient(t, g, func(cfg *unionpay.Config) {
		cfg.Sleep = func(ctx context.Context, d time.Duration) error { return ctx.Err() }
	})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	b := unionpay.Backoff{Delays: []time.Duration{time.Second, time.Second},
		OnQuery: func(unionpay.QueryAttempt) { cancel() }}
	_, err := c.QueryUntilFinal(ctx, &unionpay.QueryRequest{OrderID: testOrder, TxnTime: testNow}, b)
	require.ErrorIs(t, err, unionpay.ErrPending)
	assert.ErrorIs(t, err, context.Canceled)
	assert.Contains(t, err.Error(), "503", "the query's failure is still told")
}

// A clock that turns zero during a back schedule is a mistake to mend: the schedule stops at
// the query it refuses, asking nothing more. (Kills mutants of queryFailed's *ConfigError case.)
func TestReview15bQueryClockZeroMidBackSchedule(t *testing.T) {
	t.Parallel()
	g := newGateway(t, queryAnswer("00", "05"))
	var broken atomic.Bool
	sleeps := 0
	c := newTestClient(t, g, func(cfg *unionpay.Config) {
		cfg.Now = func() time.Time {
			if broken.Load() {
				return time.Time{}
			}
			return testNow
		}
		cfg.Sleep = func(context.Context, time.Duration) error { sleeps++; return nil }
	})
	b := unionpay.Backoff{Delays: []time.Duration{time.Second, time.Second, time.Second},
		OnQuery: func(unionpay.QueryAttempt) { broken.Store(true) }}
	tx, err := c.QueryUntilFinal(context.Background(), &unionpay.QueryRequest{OrderID: testOrder, TxnTime: testNow}, b)
	var ce *unionpay.ConfigError
	require.ErrorAs(t, err, &ce)
	assert.Equal(t, "Config.Now", ce.Field)
	assert.Equal(t, 1, g.count(), "nothing asked once the clock broke")
	assert.Equal(t, 2, sleeps, "the schedule stopped at the refused query")
	require.NotNil(t, tx)
	assert.Equal(t, unionpay.Pending, tx.State)
}

// A clock that turns zero during a FromTxnTime schedule is refused before the wait: with the
// zero time, the wait to txnTime+delay is centuries (a real Sleep would hold the call until ctx
// ends). (Kills a mutant that dropped wait's checkClock.)
func TestReview15bQueryClockZeroMidFrontSchedule(t *testing.T) {
	t.Parallel()
	g := newGateway(t, queryAnswer("00", "05"))
	var broken atomic.Bool
	var waits []time.Duration
	c := newTestClient(t, g, func(cfg *unionpay.Config) {
		cfg.Now = func() time.Time {
			if broken.Load() {
				return time.Time{}
			}
			return testNow
		}
		cfg.Sleep = func(_ context.Context, d time.Duration) error { waits = append(waits, d); return nil }
	})
	b := unionpay.Backoff{Delays: []time.Duration{time.Minute, 2 * time.Minute}, FromTxnTime: true,
		OnQuery: func(unionpay.QueryAttempt) { broken.Store(true) }}
	_, err := c.QueryUntilFinal(context.Background(), &unionpay.QueryRequest{OrderID: testOrder, TxnTime: testNow}, b)
	var ce *unionpay.ConfigError
	require.ErrorAs(t, err, &ce)
	assert.Equal(t, "Config.Now", ce.Field)
	for _, d := range waits {
		assert.LessOrEqual(t, d, time.Hour, "no wait of centuries")
	}
	assert.Len(t, waits, 1)
}

// Config.validate reports the first field refused, in the order the checks ran before the
// tidy split them into steps (e8e262f: "same checks, same order"): merchant, Version, Encoding,
// keys, Verifier, Endpoints, transport.
func TestReview15bConfigFirstRefusedOrder(t *testing.T) {
	t.Parallel()
	badMerchant := func(c *unionpay.Config) { c.MerchantID = "short" }
	badVersion := func(c *unionpay.Config) { c.Version = "9.9.9" }
	badEncoding := func(c *unionpay.Config) { c.Encoding = "Big5" }
	noSigner := func(c *unionpay.Config) { c.Signer = nil }
	noVerifier := func(c *unionpay.Config) { c.Verifier = nil }
	badEndpoint := func(c *unionpay.Config) { c.Endpoints.Back = "" }
	badLimit := func(c *unionpay.Config) { c.MaxResponseBytes = -1 }
	for _, tt := range []struct {
		name  string
		edits []func(*unionpay.Config)
		want  string
	}{
		{"MerchantID before Version", []func(*unionpay.Config){badMerchant, badVersion}, "Config.MerchantID"},
		{"Version before Encoding", []func(*unionpay.Config){badVersion, badEncoding}, "Config.Version"},
		{"Encoding before Signer", []func(*unionpay.Config){badEncoding, noSigner}, "Config.Encoding"},
		{"Signer before Verifier", []func(*unionpay.Config){noSigner, noVerifier}, "Config.Signer"},
		{"Verifier before Endpoints", []func(*unionpay.Config){noVerifier, badEndpoint}, "Config.Verifier"},
		{"Endpoints before MaxResponseBytes", []func(*unionpay.Config){badEndpoint, badLimit}, "Config.Endpoints.Back"},
	} {
		cfg := testConfig(t, "http://127.0.0.1:1")
		for _, e := range tt.edits {
			e(&cfg)
		}
		_, err := unionpay.NewClient(cfg)
		var ce *unionpay.ConfigError
		require.ErrorAs(t, err, &ce, tt.name)
		assert.Equal(t, tt.want, ce.Field, tt.name)
	}
}

// Extra["reserved"] given with a Reserved that sends something is refused in legacyExtra's
// words, naming the typed field to keep ("set only one"), not addExtra's bare collision.
func TestReview15bExtraCollisionNamesTypedField(t *testing.T) {
	t.Parallel()
	for _, op := range bracedOps() {
		g := newGateway(t, accept(nil))
		c := newTestClient(t, g)
		_, err := op.do(context.Background(), c, braced{risk: sign.Fields{"commodityName": "课程"},
			extra: sign.Fields{"riskRateInfo": "{commodityName=课程}"}})
		var re *unionpay.RequestError
		require.ErrorAs(t, err, &re, op.name)
		assert.Equal(t, `Extra["riskRateInfo"]`, re.Field, op.name)
		assert.Contains(t, re.Reason, "RiskRateInfo, which is given (set only one)", op.name)
	}
}

// In GBK, the typed reserved fields go out in GBK and verify at the gateway; a character GBK
// lacks is refused naming the typed field; AccountRequest.ReqReserved's 1024 bytes are counted
// in GBK (512 Chinese characters fit, 513 do not), as the other requests' are.
func TestReview15bBackReservedGBK(t *testing.T) {
	t.Parallel()
	gbk := func(cfg *unionpay.Config) { cfg.Encoding = "GBK" }
	for _, op := range bracedOps() {
		g := newGateway(t, accept(nil))
		c := newTestClient(t, g, gbk)
		_, err := op.do(context.Background(), c, braced{reserved: sign.Fields{"comDebitCardAccName": "某某公司"},
			risk: sign.Fields{"commodityName": "课程"}})
		require.NoError(t, err, op.name)
		assert.Equal(t, "{comDebitCardAccName=某某公司}", g.last()["reserved"], op.name)
		assert.Equal(t, "{commodityName=课程}", g.last()["riskRateInfo"], op.name)

		_, err = op.do(context.Background(), c, braced{risk: sign.Fields{"commodityName": "课😀"}})
		var re *unionpay.RequestError
		require.ErrorAs(t, err, &re, op.name)
		assert.Equal(t, "RiskRateInfo", re.Field, op.name)
		assert.Contains(t, re.Reason, "GBK", op.name)
		if op.account {
			_, err = op.do(context.Background(), c, braced{reqReserved: strings.Repeat("中", 512)})
			require.NoError(t, err, op.name)
			_, err = op.do(context.Background(), c, braced{reqReserved: strings.Repeat("中", 513)})
			require.ErrorAs(t, err, &re, op.name)
			assert.Equal(t, "ReqReserved", re.Field, op.name)
			assert.Contains(t, re.Reason, "GBK", op.name)
		}
	}
}
