package notify_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/notify"
	"github.com/goacp/unionpay/sign"
	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

// TestRetriedUntilAccepted runs the Handler against the fake gateway's
// retrying notifier: OnNotify fails twice, then succeeds. The gateway must
// see 500, 500, 200 and stop; OnNotify must see, each time, the fields of
// the body exactly as the gateway sent them.
func TestRetriedUntilAccepted(t *testing.T) {
	t.Parallel()
	gw := unionpaytest.NewServer(unionpaytest.WithNotifySchedule(0, 50*time.Millisecond,
		50*time.Millisecond, 50*time.Millisecond, 50*time.Millisecond))
	t.Cleanup(gw.Close)
	v, err := gw.NotifyVerifier()
	require.NoError(t, err)

	var (
		mu     sync.Mutex
		bodies []string               // as received on the wire
		seen   []*notify.Notification // as given to OnNotify
	)
	h := &notify.Handler{Verifier: v, OnNotify: func(_ context.Context, n *notify.Notification) error {
		mu.Lock()
		defer mu.Unlock()
		seen = append(seen, n)
		if len(seen) <= 2 {
			return errors.New("order store unavailable")
		}
		return nil
	}}
	merchant := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, err := io.ReadAll(r.Body)
		assert.NoError(t, err) // not require: this is the server's goroutine
		mu.Lock()
		bodies = append(bodies, string(b))
		mu.Unlock()
		r.Body = io.NopCloser(bytes.NewReader(b))
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(merchant.Close)

	const orderID = "RETRY20261125"
	appConsume(t, gw, orderID, merchant.URL+"/unionpay/notify?shop=1")
	code, err := gw.Complete(orderID, "")
	require.NoError(t, err)
	require.Equal(t, "00", code)

	require.Eventually(t, func() bool { return len(gw.Deliveries()) >= 3 }, 10*time.Second, 10*time.Millisecond)
	time.Sleep(300 * time.Millisecond) // the schedule has two more sends left: none may come

	var statuses []int
	for _, d := range gw.Deliveries() {
		statuses = append(statuses, d.Status)
	}
	assert.Equal(t, []int{500, 500, 200}, statuses)

	mu.Lock()
	defer mu.Unlock()
	require.Len(t, seen, 3)
	require.Len(t, bodies, 3)
	for i, n := range seen {
		sent, err := sign.ParseForm(bodies[i])
		require.NoError(t, err)
		assert.Equal(t, sent, n.Raw, "attempt %d: OnNotify sees the fields as sent", i+1)
		assert.Equal(t, bodies[0], bodies[i], "attempt %d: the gateway resends the same message", i+1)
		assert.Equal(t, orderID, n.OrderID)
		assert.Equal(t, int64(1999), n.TxnAmt)
		assert.Equal(t, notify.Succeeded, n.Status())
		assert.NotContains(t, n.Raw, "shop", "backUrl's query string is not part of the message")
	}
}

// appConsume places an app consume (txnType 01 on the app endpoint) with the
// gateway's test merchant, to be paid with gw.Complete.
func appConsume(t *testing.T, gw *unionpaytest.Server, orderID, backURL string) {
	t.Helper()
	signer, err := gw.MerchantSigner()
	require.NoError(t, err)
	f := sign.Fields{
		"version": sign.Version510, "encoding": "UTF-8", "txnType": "01", "txnSubType": "01",
		"bizType": "000201", "accessType": "0", "channelType": "08", "merId": gw.MerchantID(),
		"orderId": orderID, "txnTime": gw.Now().Format("20060102150405"), "txnAmt": "1999",
		"currencyCode": "156", "backUrl": backURL,
	}
	require.NoError(t, sign.Sign(signer, f))
	body, err := sign.Encode(f)
	require.NoError(t, err)
	req, err := http.NewRequestWithContext(context.Background(), http.MethodPost,
		gw.URLFor(unionpaytest.EndpointApp), strings.NewReader(body))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded;charset=UTF-8")
	resp, err := gw.HTTPClient().Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, resp.StatusCode, string(raw))
	answer, err := sign.ParseRaw(string(raw))
	require.NoError(t, err)
	require.Equal(t, "00", answer["respCode"], answer["respMsg"])
}
