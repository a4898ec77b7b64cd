package unionpay_test

import (
	"context"
	"encoding/base64"
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/unionpay"
)

// TestGBKCustomerNamePUA: a GBK merchant's customer whose name holds a character of GBK's
// user-defined areas (生僻字, U+E000 in Java) is sent in customerInfo in Java's GBK (AA A1), as
// the CHANGELOG says rare characters in names now are.
func TestGBKCustomerNamePUA(t *testing.T) {
	t.Parallel()
	g := newGateway(t, accept(nil))
	c := newTestClient(t, g, func(cfg *unionpay.Config) { cfg.Encoding = "GBK" })
	r := cardReq()
	r.Customer.Name = "\ue000名"
	_, err := c.Payout(context.Background(), r)
	var re *unionpay.RequestError
	require.False(t, errors.As(err, &re), "%v", err)
	g.mu.Lock()
	defer g.mu.Unlock()
	require.NotEmpty(t, g.reqs)
	raw, err := base64.StdEncoding.DecodeString(g.reqs[len(g.reqs)-1]["customerInfo"])
	require.NoError(t, err)
	assert.Contains(t, string(raw), "customerNm=\xaa\xa1\xc3\xfb")
}

// TestReqReservedLengthPUA: reqReserved's 1024 bytes are counted in Java's GBK for the
// user-defined areas too: 512 such characters fit (they were counted as 3 UTF-8 bytes each if the
// count fell back on UTF-8), 513 do not.
func TestReqReservedLengthPUA(t *testing.T) {
	t.Parallel()
	for _, n := range []int{512, 513} {
		g := newGateway(t, accept(nil))
		c := newTestClient(t, g, func(cfg *unionpay.Config) { cfg.Encoding = "GBK" })
		r := followUp()
		r.ReqReserved = strings.Repeat("\ue000", n)
		_, err := c.Refund(context.Background(), r)
		var re *unionpay.RequestError
		if n == 512 {
			require.False(t, errors.As(err, &re), "%d: %v", n, err)
			continue
		}
		require.ErrorAs(t, err, &re)
		assert.Equal(t, "ReqReserved", re.Field)
	}
}

// TestGBKFrontRefusalReason: the euro sign in a GBK form is refused with the GBK reason
// (not the control-character one), naming the field.
func TestGBKFrontRefusalReason(t *testing.T) {
	t.Parallel()
	g := newGateway(t, accept(nil))
	c := newTestClient(t, g, func(cfg *unionpay.Config) { cfg.Encoding = "GBK" })
	r := consumeReq()
	r.OrderDesc = "礼品卡€5"
	_, err := c.FrontConsume(r)
	var re *unionpay.RequestError
	require.ErrorAs(t, err, &re)
	assert.Equal(t, "OrderDesc", re.Field)
	assert.Contains(t, re.Reason, "euro")
}
