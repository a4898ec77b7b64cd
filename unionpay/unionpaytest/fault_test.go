package unionpaytest_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/cert"
	"github.com/goacp/unionpay/sign"
	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

func TestResponseFaults(t *testing.T) {
	t.Parallel()
	tests := []struct {
		fault   unionpaytest.Fault
		check   func(t *testing.T, status int, body string, err error, v *cert.Verifier)
		applied bool // the transaction took effect anyway
	}{
		{unionpaytest.Fault5xx, func(t *testing.T, status int, _ string, err error, _ *cert.Verifier) {
			require.NoError(t, err)
			assert.Equal(t, http.StatusServiceUnavailable, status)
		}, false},
		{unionpaytest.FaultDrop, func(t *testing.T, _ int, _ string, err error, _ *cert.Verifier) {
			require.Error(t, err, "connection closed without an answer")
		}, true},
		{unionpaytest.FaultTruncate, func(t *testing.T, _ int, _ string, err error, _ *cert.Verifier) {
			require.ErrorIs(t, err, io.ErrUnexpectedEOF)
		}, true},
		{unionpaytest.FaultDelay, func(t *testing.T, _ int, _ string, err error, _ *cert.Verifier) {
			var ne interface{ Timeout() bool }
			require.ErrorAs(t, err, &ne)
			assert.True(t, ne.Timeout())
		}, true},
		{unionpaytest.FaultWrongKey, verifyFails(func(t *testing.T, err error) {
			require.ErrorIs(t, err, sign.ErrSignature)
		}), true},
		{unionpaytest.FaultExpiredCert, verifyFails(func(t *testing.T, err error) {
			var ie *cert.InvalidError
			require.ErrorAs(t, err, &ie)
			assert.Equal(t, cert.Expired, ie.Reason)
		}), true},
		{unionpaytest.FaultWrongName, verifyFails(func(t *testing.T, err error) {
			var ie *cert.InvalidError
			require.ErrorAs(t, err, &ie)
			assert.Equal(t, cert.WrongOwner, ie.Reason)
		}), true},
	}
	for _, tt := range tests {
		t.Run(tt.fault.String(), func(t *testing.T) {
			t.Parallel()
			m := newMerchant(t, unionpaytest.WithFaultDelay(10*time.Second))
			m.hc.Timeout = 2 * time.Second // generous: the machine may be loaded
			qid := m.appConsume("FAULTORD1", "1000", "http://127.0.0.1:1/n")
			m.srv.FailEndpoint(unionpaytest.EndpointBack, tt.fault)
			status, body, err := m.postRaw(unionpaytest.EndpointBack, m.sign(m.fields("04", "00", "000201",
				"orderId", "FAULTREF1", "origQryId", qid, "txnAmt", "100", "channelType", "07",
				"backUrl", "http://127.0.0.1:1/n")))
			tt.check(t, status, body, err, m.verifier)
			q := m.query("FAULTREF1", m.clock.Now().Format("20060102150405"))
			if tt.applied {
				assert.Equal(t, "00", q["origRespCode"], "the refund took effect; only its answer was lost")
			} else {
				assert.Equal(t, "34", q["respCode"], "a 5xx has no effect")
			}
			assert.Equal(t, "00", m.back("04", "FAULTREF2", qid, "100", "http://127.0.0.1:1/n")["respCode"],
				"one fault per queued entry")
		})
	}
}

func verifyFails(check func(*testing.T, error)) func(*testing.T, int, string, error, *cert.Verifier) {
	return func(t *testing.T, status int, body string, err error, v *cert.Verifier) {
		require.NoError(t, err)
		require.Equal(t, http.StatusOK, status)
		resp, err := sign.ParseRaw(body)
		require.NoError(t, err)
		assert.Equal(t, "00", resp["respCode"])
		_, err = v.Verify(resp)
		check(t, err)
	}
}

func TestFailOrderOnlyTouchesItsOrder(t *testing.T) {
	t.Parallel()
	m := newMerchant(t)
	m.srv.FailOrder("FAILED001", unionpaytest.FaultDrop, unionpaytest.Fault5xx)
	app := func(orderID string) (int, error) {
		status, _, err := m.postRaw(unionpaytest.EndpointApp, m.sign(m.fields("01", "01", "000201", "orderId", orderID,
			"txnAmt", "100", "currencyCode", "156", "channelType", "08", "backUrl", "http://127.0.0.1:1/n")))
		return status, err
	}
	status, err := app("UNTOUCHED")
	require.NoError(t, err)
	assert.Equal(t, http.StatusOK, status)
	_, err = app("FAILED001")
	require.Error(t, err, "dropped")
	status, err = app("FAILED002")
	require.NoError(t, err)
	assert.Equal(t, http.StatusOK, status)
	status, err = app("FAILED001")
	require.NoError(t, err)
	assert.Equal(t, http.StatusServiceUnavailable, status, "second queued fault")
}

// outcomes runs the same request sequence against a server with random faults and classifies
// each answer.
func outcomes(t *testing.T, seed uint64) []string {
	m := newMerchant(t, unionpaytest.WithFaults(seed, unionpaytest.FaultRates{
		unionpaytest.Fault5xx: 0.2, unionpaytest.FaultDrop: 0.2, unionpaytest.FaultWrongKey: 0.2,
	}))
	var out []string
	for i := range 30 {
		f := m.fields("00", "00", "000000", "orderId", "RANDOM"+string(rune('A'+i%26))+"00")
		status, body, err := m.postRaw(unionpaytest.EndpointQuery, m.sign(f))
		switch {
		case err != nil:
			out = append(out, "drop")
		case status != http.StatusOK:
			out = append(out, "5xx")
		default:
			resp, perr := sign.ParseRaw(body)
			require.NoError(t, perr)
			if _, verr := m.verifier.Verify(resp); errors.Is(verr, sign.ErrSignature) {
				out = append(out, "wrong-key")
			} else {
				out = append(out, resp["respCode"])
			}
		}
	}
	return out
}

func TestRandomFaultsAreSeeded(t *testing.T) {
	t.Parallel()
	a, b, c := outcomes(t, 42), outcomes(t, 42), outcomes(t, 7)
	assert.Equal(t, a, b, "same seed, same faults")
	assert.NotEqual(t, a, c)
	for _, want := range []string{"drop", "5xx", "wrong-key", "34"} {
		assert.Contains(t, a, want)
	}
}

func TestFaultPending(t *testing.T) {
	t.Parallel()
	m := newMerchant(t)
	qid := m.appConsume("PENDORDER", "1000", "http://127.0.0.1:1/n")
	m.srv.FailEndpoint(unionpaytest.EndpointBack, unionpaytest.FaultPending)
	assert.Equal(t, "05", m.back("04", "PENDREF01", qid, "100", "http://127.0.0.1:1/n")["respCode"])
	txnTime := m.clock.Now().Format("20060102150405")
	assert.Equal(t, "05", m.query("PENDREF01", txnTime)["origRespCode"])
	assert.Equal(t, "00", m.query("PENDREF01", txnTime)["origRespCode"])
	assert.Equal(t, "00", m.back("04", "PENDREF02", qid, "100", "http://127.0.0.1:1/n")["respCode"], "one fault, one request")

	m.srv.FailEndpoint(unionpaytest.EndpointFront, unionpaytest.FaultPending)
	result, err := m.srv.Pay(context.Background(), m.frontForm("PENDFRONT", "300", "http://127.0.0.1:1/n"), "")
	require.NoError(t, err)
	assert.Equal(t, "05", result["respCode"], "the browser comes back with a pending result")
	assert.Equal(t, "05", m.query("PENDFRONT", txnTime)["origRespCode"])
	assert.Equal(t, "00", m.query("PENDFRONT", txnTime)["origRespCode"])
}
