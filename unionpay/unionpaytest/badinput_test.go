package unionpaytest_test

import (
	"fmt"
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/reconcile"
	"github.com/goacp/unionpay/sign"
	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

// TestUnusableOptions: NewServer panics with an error naming each unusable option, as its doc
// promises. A zero clock panicked with an x509 error naming no option; a bad merId, an empty
// secure key, unknown faults and rates outside [0, 1] were accepted (the merId failing only later
// in unionpay.NewClient, the key enabling nothing). Found in the hostile-input review
// (section 18).
func TestUnusableOptions(t *testing.T) {
	t.Parallel()
	at := func(tm time.Time) unionpaytest.Option {
		return unionpaytest.WithClock(func() time.Time { return tm })
	}
	tests := []struct {
		name string
		opts []unionpaytest.Option
		want string
	}{
		{"zero clock", []unionpaytest.Option{at(time.Time{})},
			"unionpaytest: WithClock: the clock reads 0001-01-01T00:00:00Z; want a time in the years 1950 to 9989"},
		{"clock too late", []unionpaytest.Option{at(time.Date(9995, 1, 1, 0, 0, 0, 0, time.UTC))},
			"unionpaytest: WithClock: the clock reads 9995-01-01T00:00:00Z; want a time in the years 1950 to 9989"},
		{"test clock too early", []unionpaytest.Option{unionpaytest.WithTestClock(unionpaytest.NewClock(time.Date(1949, 12, 31, 0, 0, 0, 0, time.UTC)))},
			"unionpaytest: WithTestClock: the clock reads 1949-12-31T00:00:00Z; want a time in the years 1950 to 9989"},
		{"test clock and WithClock", []unionpaytest.Option{unionpaytest.WithTestClock(newClock()), at(time.Now())},
			"unionpaytest: WithClock and WithTestClock both given: WithTestClock(c) sets the clock, as WithClock(c.Now) does"},
		{"merId with a separator", []unionpaytest.Option{unionpaytest.WithMerchantID("12&x")},
			`unionpaytest: WithMerchantID: merId "12&x" is not 15 digits`},
		{"merId of 16 digits", []unionpaytest.Option{unionpaytest.WithMerchantID("7772900581100481")},
			`unionpaytest: WithMerchantID: merId "7772900581100481" is not 15 digits`},
		{"merId with a letter", []unionpaytest.Option{unionpaytest.WithMerchantID("77729005811004A")},
			`unionpaytest: WithMerchantID: merId "77729005811004A" is not 15 digits`},
		{"nil secure key", []unionpaytest.Option{unionpaytest.WithSecureKey(nil)}, "unionpaytest: WithSecureKey: empty key"},
		{"empty secure key", []unionpaytest.Option{unionpaytest.WithSecureKey([]byte{})}, "unionpaytest: WithSecureKey: empty key"},
		{"unknown fault", []unionpaytest.Option{unionpaytest.WithFaults(1, unionpaytest.FaultRates{unionpaytest.Fault(99): 1})},
			"unionpaytest: WithFaults: Fault(99) is not a fault to draw"},
		{"rate of no fault", []unionpaytest.Option{unionpaytest.WithFaults(1, unionpaytest.FaultRates{unionpaytest.FaultNone: 0.5})},
			"unionpaytest: WithFaults: none is not a fault to draw"},
		{"NaN rate", []unionpaytest.Option{unionpaytest.WithFaults(1, unionpaytest.FaultRates{unionpaytest.FaultDrop: math.NaN()})},
			"unionpaytest: WithFaults: rate NaN of drop is not from 0 to 1"},
		{"negative rate", []unionpaytest.Option{unionpaytest.WithFaults(1, unionpaytest.FaultRates{unionpaytest.Fault5xx: -3})},
			"unionpaytest: WithFaults: rate -3 of 5xx is not from 0 to 1"},
		{"rate over 1", []unionpaytest.Option{unionpaytest.WithFaults(1, unionpaytest.FaultRates{unionpaytest.FaultLateNotify: 1.5})},
			"unionpaytest: WithFaults: rate 1.5 of late-notify is not from 0 to 1"},
		{"NaN time scale", []unionpaytest.Option{unionpaytest.WithTimeScale(math.NaN())},
			"unionpaytest: WithTimeScale: scale NaN is not a finite number"},
		{"infinite time scale", []unionpaytest.Option{unionpaytest.WithTimeScale(math.Inf(1))},
			"unionpaytest: WithTimeScale: scale +Inf is not a finite number"},
		{"several", []unionpaytest.Option{at(time.Time{}), unionpaytest.WithSecureKey(nil),
			unionpaytest.WithFaults(1, unionpaytest.FaultRates{unionpaytest.Fault5xx: 2, unionpaytest.Fault(-1): 0})},
			"unionpaytest: WithSecureKey: empty key\n" +
				"unionpaytest: WithFaults: Fault(-1) is not a fault to draw\n" +
				"unionpaytest: WithFaults: rate 2 of 5xx is not from 0 to 1\n" +
				"unionpaytest: WithClock: the clock reads 0001-01-01T00:00:00Z; want a time in the years 1950 to 9989"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			require.PanicsWithError(t, tt.want, func() { unionpaytest.NewServer(tt.opts...).Close() })
		})
	}
	t.Run("usable bounds", func(t *testing.T) {
		t.Parallel()
		srv := unionpaytest.NewServer(keys(t), at(time.Date(1950, 1, 1, 12, 0, 0, 0, time.UTC)),
			unionpaytest.WithMerchantID("000000000000001"), unionpaytest.WithSecureKey([]byte{0}),
			unionpaytest.WithFaults(1, unionpaytest.FaultRates{unionpaytest.Fault5xx: 0, unionpaytest.FaultDuplicateNotify: 1}))
		defer srv.Close()
		require.Equal(t, "000000000000001", srv.MerchantID())
		require.Equal(t, []byte{0}, srv.VerifierConfig().SecureKey)
	})
}

// TestUnknownFaultsEndpointsOutcomes: FailOrder, FailEndpoint and Script panic with an error
// naming the method and the value when given a Fault, Endpoint or Outcome that is not one of the
// constants (or not a respCode); they were queued and silently never applied (a Script of ""
// made Pay succeed while the order queried as not found). Found in the hostile-input review
// (section 18).
func TestUnknownFaultsEndpointsOutcomes(t *testing.T) {
	t.Parallel()
	m := newMerchant(t)
	tests := []struct {
		name string
		call func()
		want string // "" for no panic
	}{
		{"FailOrder Fault(99)", func() { m.srv.FailOrder("BADIN001", unionpaytest.FaultDrop, unionpaytest.Fault(99)) },
			"unionpaytest: FailOrder: Fault(99) is not a Fault"},
		{"FailOrder Fault(-1)", func() { m.srv.FailOrder("BADIN001", unionpaytest.Fault(-1)) },
			"unionpaytest: FailOrder: Fault(-1) is not a Fault"},
		{"FailEndpoint unknown endpoint", func() { m.srv.FailEndpoint("/nope", unionpaytest.FaultDrop) },
			`unionpaytest: FailEndpoint: "/nope" is not an Endpoint`},
		{"FailEndpoint Fault(99)", func() { m.srv.FailEndpoint(unionpaytest.EndpointBack, unionpaytest.Fault(99)) },
			"unionpaytest: FailEndpoint: Fault(99) is not a Fault"},
		{"Script empty", func() { m.srv.Script("BADIN001", unionpaytest.Pending, "") },
			`unionpaytest: Script("BADIN001"): step 1: Outcome "" is not a respCode (two digits or capital letters)`},
		{"Script lower case", func() { m.srv.Script("BADIN001", "zz") },
			`unionpaytest: Script("BADIN001"): step 0: Outcome "zz" is not a respCode (two digits or capital letters)`},
		{"Script three digits", func() { m.srv.Script("BADIN001", "000") },
			`unionpaytest: Script("BADIN001"): step 0: Outcome "000" is not a respCode (two digits or capital letters)`},
		{"Script no steps", func() { m.srv.Script("BADIN001") }, `unionpaytest: Script("BADIN001"): no steps`},
		{"FailOrder FaultNone", func() { m.srv.FailOrder("BADIN002", unionpaytest.FaultNone) }, ""},
		{"FailEndpoint file", func() { m.srv.FailEndpoint(unionpaytest.EndpointFile, unionpaytest.FaultNone) }, ""},
		{"Script A6 and 64", func() { m.srv.Script("BADIN003", "A6", unionpaytest.NoBalance) }, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.want == "" {
				require.NotPanics(t, tt.call)
				return
			}
			require.PanicsWithError(t, tt.want, tt.call)
		})
	}
	// Nothing of a refused call was queued: BADIN001 pays and queries as an ordinary order.
	m.appConsume("BADIN001", "100", "http://127.0.0.1:1/n") // requires 00, and pays it
	tx, ok := m.srv.Transaction("BADIN001")
	require.True(t, ok)
	require.Equal(t, "00", tx.RespCode)
}

// TestCompleteRefusesNonCards: Complete with a card that is not a card number (13 to 19 digits,
// as the cashier page requires) is an error and leaves the order unpaid; it paid it ("00").
// Found in the hostile-input review (section 18).
func TestCompleteRefusesNonCards(t *testing.T) {
	t.Parallel()
	m := newMerchant(t)
	order := func(id string) {
		resp := m.call(unionpaytest.EndpointApp, m.fields("01", "01", "000201", "orderId", id, "txnAmt", "100",
			"currencyCode", "156", "channelType", "08", "backUrl", "http://127.0.0.1:1/n"))
		require.Equal(t, "00", resp["respCode"], resp["respMsg"])
	}
	tests := []struct {
		name, card string
	}{
		{"text with a NUL", "not a card\x00"},
		{"12 digits", "621626100000"},
		{"20 digits", "62162610000000000180"},
		{"spaced", "6216 2610 0000 0000 018"},
		{"full-width digits", "６２１６２６１０００００００００１８"},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			id := fmt.Sprintf("BADCARD%02d", i)
			order(id)
			code, err := m.srv.Complete(id, tt.card)
			require.EqualError(t, err, fmt.Sprintf("unionpaytest: complete: order %q: card is not a card number (13 to 19 digits)", id))
			require.Empty(t, code)
			tx, ok := m.srv.Transaction(id)
			require.True(t, ok)
			require.Empty(t, tx.RespCode, "unpaid")
			code, err = m.srv.Complete(id, unionpaytest.TestCard)
			require.NoError(t, err)
			require.Equal(t, "00", code, "the order can still be paid")
		})
	}
}

// TestSignRefusesMethodsItCannotUse: Sign, SignWithFault and SignNotification refuse a
// signMethod the server cannot sign with (unknown, 11 or 12 without WithSecureKey, 21 without
// WithSM2), and SignWithFault a fault that is not one of the constants; they signed with 01
// instead. Found in the hostile-input review (section 18).
func TestSignRefusesMethodsItCannotUse(t *testing.T) {
	t.Parallel()
	m := newMerchant(t)
	fields := func(method string) sign.Fields {
		f := sign.Fields{"txnType": "01", "orderId": "SIGNBAD01", "respCode": "00"}
		if method != "" {
			f["signMethod"] = method
		}
		return f
	}
	calls := []struct {
		name string
		sign func(f sign.Fields) error
	}{
		{"Sign", func(f sign.Fields) error { _, err := m.srv.Sign(f); return err }},
		{"SignWithFault", func(f sign.Fields) error { _, err := m.srv.SignWithFault(f, unionpaytest.FaultNone); return err }},
		{"SignNotification", func(f sign.Fields) error { _, err := m.srv.SignNotification(f); return err }},
	}
	tests := []struct {
		method string
		want   string // after "unionpaytest: <method>: "; "" for signed
	}{
		{"99", `unknown signMethod "99" (01, 11, 12 or 21)`},
		{"1", `unknown signMethod "1" (01, 11, 12 or 21)`},
		{"11", "signMethod 11 needs a server started WithSecureKey"},
		{"12", "signMethod 12 needs a server started WithSecureKey"},
		{"21", "signMethod 21 needs a server started WithSM2"},
		{"01", ""},
		{"", ""},
	}
	for _, c := range calls {
		for _, tt := range tests {
			t.Run(c.name+"/"+tt.method, func(t *testing.T) {
				err := c.sign(fields(tt.method))
				if tt.want == "" {
					require.NoError(t, err)
					return
				}
				caller := c.name
				if caller == "SignNotification" {
					caller = "Sign"
				}
				require.EqualError(t, err, "unionpaytest: "+caller+": "+tt.want)
			})
		}
	}
	t.Run("SignWithFault Fault(99)", func(t *testing.T) {
		_, err := m.srv.SignWithFault(fields(""), unionpaytest.Fault(99))
		require.EqualError(t, err, "unionpaytest: SignWithFault: Fault(99) is not a Fault")
	})
	t.Run("with a secure key", func(t *testing.T) {
		srv := unionpaytest.NewServer(keys(t), unionpaytest.WithSecureKey([]byte("88888888")))
		defer srv.Close()
		signed, err := srv.Sign(fields("11"))
		require.NoError(t, err)
		require.Equal(t, "11", signed["signMethod"])
	})
}

// TestAddErrorRecordRefusesBadRecords: AddErrorRecord refuses a zero day, or a record the ZME
// writer cannot write, with an error naming the field, and adds nothing; a zero record was
// accepted and the next file download failed with an unexplained "99 交易失败". Found in the
// hostile-input review (section 18).
func TestAddErrorRecordRefusesBadRecords(t *testing.T) {
	t.Parallel()
	m := newMerchant(t)
	day := time.Date(2026, 11, 25, 0, 0, 0, 0, reconcile.Beijing())
	good := reconcile.ErrorRecord{TxnCode: "E22", AcqInsCode: "88022900", SendInsCode: "00049993", TraceNo: "123456",
		TxnTime: time.Date(2026, 11, 25, 9, 30, 0, 0, reconcile.Beijing()), AccNo: "621626******0018", TxnAmt: 1000,
		MerCatCode: "4899", TermType: "07", PayCardType: "01", MerchantFee: 6, SettleAmt: -994, MerID: m.srv.MerchantID()}
	tests := []struct {
		name string
		day  time.Time
		rec  func(r *reconcile.ErrorRecord)
		want string
	}{
		{"zero record", day, func(r *reconcile.ErrorRecord) { *r = reconcile.ErrorRecord{} }, "txnTime"},
		{"zero day", time.Time{}, func(*reconcile.ErrorRecord) {}, "unionpaytest: AddErrorRecord: zero day"},
		{"negative amount", day, func(r *reconcile.ErrorRecord) { r.TxnAmt = -1 }, "txnAmt"},
		{"merId too long", day, func(r *reconcile.ErrorRecord) { r.MerID += "0" }, "merId"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := good
			tt.rec(&r)
			err := m.srv.AddErrorRecord(tt.day, r)
			require.ErrorContains(t, err, "unionpaytest: AddErrorRecord: ")
			require.ErrorContains(t, err, tt.want)
		})
	}
	zipped, err := m.srv.Settlement(day)
	require.NoError(t, err, "nothing bad was added")
	arch, err := reconcile.Open(zipped)
	require.NoError(t, err)
	require.Nil(t, arch.First(reconcile.KindZME), "no error record was added")
	require.NoError(t, m.srv.AddErrorRecord(day, good))
	zipped, err = m.srv.Settlement(day)
	require.NoError(t, err)
	arch, err = reconcile.Open(zipped)
	require.NoError(t, err)
	require.NotNil(t, arch.First(reconcile.KindZME))
}

// TestSettlementZeroDay: Settlement of the zero day is an error; it returned a zip for
// 0001-01-01. Found in the hostile-input review (section 18).
func TestSettlementZeroDay(t *testing.T) {
	t.Parallel()
	m := newMerchant(t)
	tests := []struct {
		name string
		day  time.Time
		want string
	}{
		{"zero", time.Time{}, "unionpaytest: Settlement: zero day"},
		{"the gateway's day", m.srv.Now(), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			zipped, err := m.srv.Settlement(tt.day)
			if tt.want != "" {
				require.EqualError(t, err, tt.want)
				require.Nil(t, zipped)
				return
			}
			require.NoError(t, err)
			require.NotEmpty(t, zipped)
		})
	}
}
