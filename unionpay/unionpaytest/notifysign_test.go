package unionpaytest_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/cert"
	"github.com/goacp/unionpay/sign"
	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

// TestNotificationSignatureFaults: FaultNotifyWrongKey, FaultNotifyExpiredCert and
// FaultNotifyWrongName sign a real notification as the answer faults sign an answer, so that a
// merchant's handler meets them end to end (a QA trial could only build them by hand): its
// verifier refuses each for the matching reason; FaultLog lists it; the order itself is paid.
func TestNotificationSignatureFaults(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		fault unionpaytest.Fault
		check func(t *testing.T, err error)
	}{
		{unionpaytest.FaultNotifyWrongKey, func(t *testing.T, err error) { assert.ErrorIs(t, err, sign.ErrSignature) }},
		{unionpaytest.FaultNotifyExpiredCert, func(t *testing.T, err error) {
			var ie *cert.InvalidError
			require.True(t, errors.As(err, &ie), "%v", err)
			assert.Equal(t, cert.Expired, ie.Reason)
		}},
		{unionpaytest.FaultNotifyWrongName, func(t *testing.T, err error) {
			var ie *cert.InvalidError
			require.True(t, errors.As(err, &ie), "%v", err)
			assert.Equal(t, cert.WrongOwner, ie.Reason)
		}},
	} {
		t.Run(tc.fault.String(), func(t *testing.T) {
			t.Parallel()
			m := newMerchant(t)
			in := newInbox(t, m.verifier)
			m.srv.FailOrder("NOTIFSIG1", tc.fault)
			_, err := m.srv.Pay(context.Background(), m.frontForm("NOTIFSIG1", "100", in.URL()), "")
			require.NoError(t, err)
			got := in.wait(t, 1, 5*time.Second)
			_, err = m.verifier.Verify(got[0])
			require.Error(t, err)
			tc.check(t, err)
			assert.Equal(t, "NOTIFSIG1", got[0]["orderId"])
			assert.Equal(t, "00", m.query("NOTIFSIG1", got[0]["txnTime"])["origRespCode"], "paid all the same")
			log := m.srv.FaultLog()
			require.NotEmpty(t, log)
			assert.Equal(t, tc.fault, log[len(log)-1].Fault)
			assert.True(t, log[len(log)-1].Notification)
		})
	}
}

// TestSignWithNotificationFault: SignWithFault signs with a notification signing fault as with
// its answer counterpart (FaultNotifyWrongKey as FaultWrongKey).
func TestSignWithNotificationFault(t *testing.T) {
	t.Parallel()
	m := newMerchant(t)
	f, err := m.srv.SignWithFault(sign.Fields{"orderId": "SWF000001", "respCode": "00"}, unionpaytest.FaultNotifyWrongKey)
	require.NoError(t, err)
	_, err = m.verifier.Verify(f)
	assert.ErrorIs(t, err, sign.ErrSignature)
}
