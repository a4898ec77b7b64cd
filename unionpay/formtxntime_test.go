package unionpay_test

import (
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/unionpay"
)

// TestFormTxnTimeAhead: a front form is not sent by the client, so its TxnTime is bounded only
// ahead: one more than TxnTimeWindow after Config.Now (a stored Beijing txnTime read as UTC, eight
// hours ahead) is refused with ErrTxnTimeNotCurrent, naming TxnTime and ParseTxnTime, before a
// shopper meets the refusal at the cashier; an old one (a form shown again) is built.
func TestFormTxnTimeAhead(t *testing.T) {
	t.Parallel()
	naive, err := time.Parse("20060102150405", testNow.Format("20060102150405"))
	require.NoError(t, err)
	forms := []struct {
		name  string
		build func(*unionpay.Client, time.Time) (*unionpay.Form, error)
	}{
		{"FrontConsume", func(c *unionpay.Client, at time.Time) (*unionpay.Form, error) {
			r := consumeReq()
			r.TxnTime, r.PayTimeout = at, at.Add(15*time.Minute)
			return c.FrontConsume(r)
		}},
		{"FrontPreAuth", func(c *unionpay.Client, at time.Time) (*unionpay.Form, error) {
			r := consumeReq()
			r.TxnTime, r.PayTimeout = at, at.Add(15*time.Minute)
			return c.FrontPreAuth(r)
		}},
		{"FrontOpenCard", func(c *unionpay.Client, at time.Time) (*unionpay.Form, error) {
			r := frontOpenReq()
			r.TxnTime = at
			if !r.PayTimeout.IsZero() {
				r.PayTimeout = at.Add(15 * time.Minute)
			}
			return c.FrontOpenCard(r)
		}},
	}
	c := newTestClient(t, newGateway(t, accept(nil)))
	for _, f := range forms {
		for _, tt := range []struct {
			name string
			at   time.Time
			ok   bool
		}{
			{"parsed as UTC", naive, false},
			{"one second past the window", testNow.Add(unionpay.TxnTimeWindow + time.Second), false},
			{"at the window", testNow.Add(unionpay.TxnTimeWindow), true},
			{"an hour ago", testNow.Add(-time.Hour), true},
		} {
			t.Run(f.name+"/"+tt.name, func(t *testing.T) {
				t.Parallel()
				form, err := f.build(c, tt.at)
				if tt.ok {
					require.NoError(t, err)
					assert.Equal(t, tt.at.In(testNow.Location()).Format("20060102150405"), form.Fields["txnTime"])
					return
				}
				require.ErrorIs(t, err, unionpay.ErrTxnTimeNotCurrent)
				re, ok := errors.AsType[*unionpay.RequestError](err)
				require.True(t, ok, "want *RequestError, got %v", err)
				assert.Equal(t, "TxnTime", re.Field)
				assert.Contains(t, re.Reason, "ParseTxnTime")
				assert.Nil(t, form)
			})
		}
	}
}
