package unionpay_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/sign"
	"github.com/goacp/unionpay/unionpay"
)

// TestAnswerOverMaxFields: an answer of more than sign.MaxFields pairs (within MaxResponseBytes,
// whose 16 MiB default fits two million tiny ones) is unreadable, matching sign.ErrTooManyFields:
// a query's error, a refund pending, as every unreadable answer is. It is refused before it is
// verified, and before a map of all its pairs is built.
func TestAnswerOverMaxFields(t *testing.T) {
	t.Parallel()
	var b strings.Builder
	for i := range 4 * sign.MaxFields {
		fmt.Fprintf(&b, "k%x=1&", i)
	}
	body := b.String() + "respCode=00"
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		_, _ = io.WriteString(w, body)
	}))
	t.Cleanup(srv.Close)
	c, err := unionpay.NewClient(testConfig(t, srv.URL))
	require.NoError(t, err)
	t.Cleanup(c.CloseIdleConnections)

	_, err = c.Query(context.Background(), &unionpay.QueryRequest{OrderID: testOrder, TxnTime: testNow})
	require.ErrorIs(t, err, sign.ErrTooManyFields)
	assert.NotErrorIs(t, err, unionpay.ErrPending)
	assert.Contains(t, err.Error(), "more than 1024 fields (sign.MaxFields)")

	_, err = c.Refund(context.Background(), followUp())
	require.ErrorIs(t, err, sign.ErrTooManyFields)
	require.ErrorIs(t, err, unionpay.ErrPending)
}
