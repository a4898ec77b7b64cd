package unionpaytest_test

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/cert"
	"github.com/goacp/unionpay/notify"
	"github.com/goacp/unionpay/sign"
	"github.com/goacp/unionpay/unionpay"
	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

// errLog is a slog.Handler that keeps the "err" attribute of every record.
type errLog struct {
	mu   sync.Mutex
	errs []error
}

func (l *errLog) Enabled(context.Context, slog.Level) bool { return true }
func (l *errLog) WithAttrs([]slog.Attr) slog.Handler       { return l }
func (l *errLog) WithGroup(string) slog.Handler            { return l }
func (l *errLog) Handle(_ context.Context, r slog.Record) error {
	r.Attrs(func(a slog.Attr) bool {
		if a.Key == "err" {
			if err, ok := a.Value.Any().(error); ok {
				l.mu.Lock()
				l.errs = append(l.errs, err)
				l.mu.Unlock()
			}
		}
		return true
	})
	return nil
}

func (l *errLog) all() []error {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]error(nil), l.errs...)
}

// notifyFaultRun is what a notify.Handler met when a back consume's notification took fault.
type notifyFaultRun struct {
	errs       []error // the handler's rejections, one per attempt
	accepted   int     // OnNotify calls
	deliveries []unionpaytest.Delivery
	log        []unionpaytest.FaultEvent
	srv        *unionpaytest.Server
}

// runNotifyFault sends a back consume (the client configured by mut) whose notification takes
// fault, to the SDK's own notify.Handler, and waits for the three attempts of the schedule.
func runNotifyFault(t *testing.T, fault unionpaytest.Fault, mut func(*unionpay.Config), opts ...unionpaytest.Option) notifyFaultRun {
	t.Helper()
	c := newClock()
	srv := unionpaytest.NewServer(append([]unionpaytest.Option{unionpaytest.WithClock(c.Now), keys(t),
		unionpaytest.WithNotifySchedule(0, 20*time.Millisecond, 20*time.Millisecond)}, opts...)...)
	t.Cleanup(srv.Close)
	v, err := srv.NotifyVerifier()
	require.NoError(t, err)
	logs := &errLog{}
	var mu sync.Mutex
	accepted := 0
	h := &notify.Handler{Verifier: v, Logger: slog.New(logs),
		OnNotify: func(context.Context, *notify.Notification) error {
			mu.Lock()
			defer mu.Unlock()
			accepted++
			return nil
		}}
	var serving atomic.Int32 // the Handler logs once its answer is sent: wait for it to return
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		serving.Add(1)
		defer serving.Add(-1)
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(hook.Close)
	cfg := srv.Config()
	if mut != nil {
		mut(&cfg)
	}
	client, err := unionpay.NewClient(cfg)
	require.NoError(t, err)
	if fault != unionpaytest.FaultNone {
		srv.FailOrder("RVNSIG0001", fault)
	}
	_, err = client.BackConsume(context.Background(), &unionpay.CardRequest{OrderID: "RVNSIG0001", Amount: 1000,
		BackURL: hook.URL, AccNo: unionpaytest.TestCard,
		Customer: &unionpay.Customer{Phone: "13552535506", SMSCode: "111111"}})
	require.NoError(t, err)
	deadline := time.Now().Add(5 * time.Second)
	for {
		ds := srv.Deliveries()
		mu.Lock()
		done := accepted > 0 || len(ds) >= 3
		mu.Unlock()
		if done {
			break
		}
		require.True(t, time.Now().Before(deadline), "deliveries: %+v", ds)
		time.Sleep(10 * time.Millisecond)
	}
	time.Sleep(100 * time.Millisecond)
	require.Eventually(t, func() bool { return serving.Load() == 0 }, 5*time.Second, time.Millisecond,
		"notify.Handler still logging")
	mu.Lock()
	defer mu.Unlock()
	return notifyFaultRun{errs: logs.all(), accepted: accepted, deliveries: srv.Deliveries(), log: srv.FaultLog(), srv: srv}
}

func isReason(r cert.Reason) func(error) bool {
	return func(err error) bool {
		var ie *cert.InvalidError
		return errors.As(err, &ie) && ie.Reason == r
	}
}

// TestNotifySignFaultsThroughHandler: each notification signing fault reaches the SDK's own
// notify.Handler on every attempt, which answers 400 with the documented typed error and never
// calls OnNotify; the sends run out (three here); FaultLog lists the fault once.
func TestNotifySignFaultsThroughHandler(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		fault unionpaytest.Fault
		is    func(error) bool
	}{
		{unionpaytest.FaultNotifyWrongKey, func(err error) bool { return errors.Is(err, sign.ErrSignature) }},
		{unionpaytest.FaultNotifyExpiredCert, isReason(cert.Expired)},
		{unionpaytest.FaultNotifyWrongName, isReason(cert.WrongOwner)},
	} {
		t.Run(tc.fault.String(), func(t *testing.T) {
			t.Parallel()
			run := runNotifyFault(t, tc.fault, nil)
			assert.Zero(t, run.accepted, "OnNotify must not see it")
			require.Len(t, run.deliveries, 3, "every attempt refused, the schedule runs out")
			for _, d := range run.deliveries {
				assert.Equal(t, 400, d.Status, "%+v", d)
			}
			require.Len(t, run.errs, 3)
			for _, err := range run.errs {
				assert.True(t, tc.is(err), "%v", err)
			}
			assert.Equal(t, []unionpaytest.FaultEvent{{Endpoint: unionpaytest.EndpointBack, OrderID: "RVNSIG0001",
				Notification: true, Fault: tc.fault}}, run.log)
		})
	}
	t.Run("none", func(t *testing.T) {
		t.Parallel()
		run := runNotifyFault(t, unionpaytest.FaultNone, nil)
		assert.Equal(t, 1, run.accepted)
		assert.Empty(t, run.log)
	})
}

// TestNotifySignFaultsSM2: the same on a 国密 gateway (signMethod 21).
func TestNotifySignFaultsSM2(t *testing.T) {
	t.Parallel()
	for _, f := range []unionpaytest.Fault{unionpaytest.FaultNotifyWrongKey, unionpaytest.FaultNotifyExpiredCert,
		unionpaytest.FaultNotifyWrongName} {
		t.Run(f.String(), func(t *testing.T) {
			t.Parallel()
			run := runNotifyFault(t, f, nil, unionpaytest.WithSM2())
			assert.Zero(t, run.accepted, "OnNotify must not see it")
			assert.Len(t, run.errs, 3)
		})
	}
}

// TestNotifySignFaultsSecureKey: a merchant signing with the secure key (signMethod 11)
// gets secure-key notifications. FaultNotifyExpiredCert and FaultNotifyWrongName have no
// certificate to be wrong about there: the notification verifies and is accepted, while FaultLog
// says the fault was shown. Nothing in the doc says so (the answer counterparts behave the same).
func TestNotifySignFaultsSecureKey(t *testing.T) {
	t.Parallel()
	key := []byte("88888888")
	secure := func(cfg *unionpay.Config) {
		s, err := sign.NewSecureKeySigner(sign.MethodSHA256Key, key)
		if err != nil {
			panic(err)
		}
		cfg.Signer = s
	}
	for _, f := range []unionpaytest.Fault{unionpaytest.FaultNotifyWrongKey, unionpaytest.FaultNotifyExpiredCert,
		unionpaytest.FaultNotifyWrongName} {
		t.Run(f.String(), func(t *testing.T) {
			t.Parallel()
			run := runNotifyFault(t, f, secure, unionpaytest.WithSecureKey(key))
			require.Len(t, run.log, 1)
			assert.Zero(t, run.accepted, "FaultLog says %v was shown, yet the handler accepted the notification", f)
		})
	}
}

// TestNotifyAfterSignFault: the README's pattern holds notifications back
// (WithNotifySchedule(time.Hour)) and delivers them with Server.Notify. With FaultNotifyWrongKey
// queued, the scheduled notification took it (FaultLog lists it); Notify sends a genuine one, as
// its doc says (review).
func TestNotifyAfterSignFault(t *testing.T) {
	t.Parallel()
	m := newMerchant(t, unionpaytest.WithNotifySchedule(time.Hour))
	v := m.verifier
	var mu sync.Mutex
	accepted := 0
	hook := httptest.NewServer(&notify.Handler{Verifier: v, OnNotify: func(context.Context, *notify.Notification) error {
		mu.Lock()
		defer mu.Unlock()
		accepted++
		return nil
	}})
	t.Cleanup(hook.Close)
	m.srv.FailOrder("RVNHOLD01", unionpaytest.FaultNotifyWrongKey)
	m.appConsume("RVNHOLD01", "100", hook.URL)
	require.Len(t, m.srv.FaultLog(), 1)
	err := m.srv.Notify(context.Background(), "RVNHOLD01")
	mu.Lock()
	defer mu.Unlock()
	assert.NoError(t, err, "Notify sends a genuine notification")
	assert.Equal(t, 1, accepted)
}

// TestSignWithNotificationFaults: SignWithFault maps every notification signing fault to
// its answer counterpart, and signs normally with the other notification faults.
func TestSignWithNotificationFaults(t *testing.T) {
	t.Parallel()
	m := newMerchant(t)
	msg := sign.Fields{"orderId": "SWF000002", "respCode": "00"}
	for _, tc := range []struct {
		fault unionpaytest.Fault
		is    func(error) bool
	}{
		{unionpaytest.FaultNotifyWrongKey, func(err error) bool { return errors.Is(err, sign.ErrSignature) }},
		{unionpaytest.FaultNotifyExpiredCert, isReason(cert.Expired)},
		{unionpaytest.FaultNotifyWrongName, isReason(cert.WrongOwner)},
		{unionpaytest.FaultWrongKey, func(err error) bool { return errors.Is(err, sign.ErrSignature) }},
		{unionpaytest.FaultExpiredCert, isReason(cert.Expired)},
		{unionpaytest.FaultWrongName, isReason(cert.WrongOwner)},
		{unionpaytest.FaultForgedNotify, func(err error) bool { return err == nil }},
		{unionpaytest.FaultNone, func(err error) bool { return err == nil }},
	} {
		f, err := m.srv.SignWithFault(msg, tc.fault)
		require.NoError(t, err)
		_, err = m.verifier.Verify(f)
		assert.True(t, tc.is(err), "%v: %v", tc.fault, err)
	}
	_, err := m.srv.SignWithFault(msg, unionpaytest.FaultBadGateway+1)
	assert.ErrorContains(t, err, "is not a Fault")
}

// TestNotifyFaultNames: the new faults' names, and that FailEndpoint and FailOrder queue
// them as notification faults (not taken by the request's answer).
func TestNotifyFaultNames(t *testing.T) {
	t.Parallel()
	assert.Equal(t, "notify-wrong-key", unionpaytest.FaultNotifyWrongKey.String())
	assert.Equal(t, "notify-expired-cert", unionpaytest.FaultNotifyExpiredCert.String())
	assert.Equal(t, "notify-wrong-name", unionpaytest.FaultNotifyWrongName.String())
	assert.Equal(t, "Fault(17)", (unionpaytest.FaultBadGateway + 1).String())

	m := newMerchant(t)
	in := newInbox(t, m.verifier)
	m.srv.FailEndpoint(unionpaytest.EndpointApp, unionpaytest.FaultNotifyExpiredCert)
	resp := m.call(unionpaytest.EndpointApp, m.fields("01", "01", "000201", "orderId", "RVNNAME01", "txnAmt", "100",
		"currencyCode", "156", "channelType", "08", "backUrl", in.URL())) // the answer verifies
	require.Equal(t, "00", resp["respCode"])
	assert.Empty(t, m.srv.FaultLog(), "an app order triggers no notification: the fault waits")
	assert.Panics(t, func() { m.srv.FailOrder("X", unionpaytest.FaultBadGateway+1) })
	assert.NotPanics(t, func() {
		unionpaytest.NewServer(keys(t), unionpaytest.WithFaults(1, unionpaytest.FaultRates{unionpaytest.FaultNotifyWrongName: 1})).Close()
	})
}

// TestNotifySignFaults500: on 5.0.0 (certificates configured by certId) the faults are
// refused as their answer counterparts are documented to be: wrong key as a bad signature,
// expired as expired (LegacyCerts), wrong name as an unknown certId.
func TestNotifySignFaults500(t *testing.T) {
	t.Parallel()
	v500 := func(cfg *unionpay.Config) { cfg.Version = sign.Version500 }
	for _, tc := range []struct {
		fault unionpaytest.Fault
		is    func(error) bool
	}{
		{unionpaytest.FaultNotifyWrongKey, func(err error) bool { return errors.Is(err, sign.ErrSignature) }},
		{unionpaytest.FaultNotifyExpiredCert, isReason(cert.Expired)},
		{unionpaytest.FaultNotifyWrongName, func(err error) bool { return errors.Is(err, cert.ErrNoCertificate) }},
	} {
		t.Run(tc.fault.String(), func(t *testing.T) {
			t.Parallel()
			run := runNotifyFault(t, tc.fault, v500)
			assert.Zero(t, run.accepted)
			require.Len(t, run.errs, 3)
			for _, err := range run.errs {
				assert.True(t, tc.is(err), "%v", err)
			}
		})
	}
}
