package unionpay_test

import (
	"context"
	"math"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/unionpay"
)

// TestAnswerAnnouncingHugeLength: with Config.MaxResponseBytes at math.MaxInt64 (no limit, in
// effect), an answer whose Content-Length header claims far more than its body holds is read as
// the body it is: the header alone does not make the client allocate what it claims (a
// Content-Length of math.MaxInt64 panicked the caller's goroutine, "makeslice: len out of
// range"; a terabyte would have been a fatal out-of-memory).
func TestAnswerAnnouncingHugeLength(t *testing.T) {
	t.Parallel()
	g := newGateway(t, accept(nil))
	c := newTestClient(t, g, func(cfg *unionpay.Config) {
		cfg.MaxResponseBytes = math.MaxInt64
		cfg.HTTPClient = &http.Client{Transport: announcedLength(math.MaxInt64)}
	})
	var res *unionpay.Result
	var err error
	require.NotPanics(t, func() { res, err = c.Refund(context.Background(), followUp()) })
	require.NoError(t, err)
	assert.Equal(t, "00", res.RespCode)
}
