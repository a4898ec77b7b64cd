package unionpaytest_test

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/internal/logtest"
	"github.com/goacp/unionpay/internal/readmerecipe"
	"github.com/goacp/unionpay/sign"
	"github.com/goacp/unionpay/unionpay"
	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

// TestReadmeFrontReturn runs the README's FrontReturn on a payment made on the fake gateway's
// cashier: whatever comes to frontUrl (the genuine return, a forged one, one cut short by a
// proxy, a GET on a refresh or a bookmark) is answered 303 See Other to the order's own page,
// named by the shop's own FrontURL and not by the return's fields; what does not verify is logged
// at Warn. (The README answered a bare 400 to a return that did not verify, and 405 to a GET.)
func TestReadmeFrontReturn(t *testing.T) {
	t.Parallel()
	readme, err := os.ReadFile("../../README.md")
	require.NoError(t, err)
	for _, line := range []string{
		`FrontURL:   base + "/unionpay/return/" + orderID,`,
		`mux.Handle("/unionpay/return/{order}", FrontReturn(v, log))`,
		`order := r.PathValue("order") // from this shop's own FrontURL, not from the return's fields`,
		`if _, err := notify.ReadRequest(w, r, v, 0); err != nil {`,
		`log.WarnContext(r.Context(), "unionpay: front return refused", "order", order, "err", err)`,
		`http.Redirect(w, r, "/orders/"+url.PathEscape(order), http.StatusSeeOther) // the stored state`,
	} {
		require.Contains(t, string(readme), line, "readmerecipe.FrontReturn is no longer the README's")
	}

	srv, c, c0 := clientGateway(t)
	v, err := srv.NotifyVerifier()
	require.NoError(t, err)
	var logs bytes.Buffer
	mux := http.NewServeMux()
	mux.Handle("/unionpay/return/{order}", readmerecipe.FrontReturn(v, slog.New(slog.NewTextHandler(&logs, logtest.Untimed()))))

	const orderID = "READMERET0001"
	now := c0.Now()
	form, err := c.FrontConsume(&unionpay.ConsumeRequest{OrderID: orderID, Amount: 12800, TxnTime: now,
		Channel: unionpay.ChannelPC, FrontURL: "https://shop.example.com/unionpay/return/" + orderID,
		BackURL: "https://shop.example.com/unionpay/notify", PayTimeout: now.Add(15 * time.Minute)})
	require.NoError(t, err)
	ret, err := srv.Pay(context.Background(), form.Fields, unionpaytest.TestCard)
	require.NoError(t, err)
	genuine, err := sign.Encode(ret)
	require.NoError(t, err)
	forged := ret.Clone()
	forged["txnAmt"] = "1"
	forgedBody, err := sign.Encode(forged)
	require.NoError(t, err)

	tests := []struct {
		name, method, target, body string
		warn                       bool
	}{
		{"the genuine return", http.MethodPost, "/unionpay/return/" + orderID, genuine, false},
		{"a forged return", http.MethodPost, "/unionpay/return/" + orderID, forgedBody, true},
		{"a return cut short", http.MethodPost, "/unionpay/return/" + orderID, genuine[:len(genuine)/2], true},
		{"a refresh or a bookmark", http.MethodGet, "/unionpay/return/" + orderID, "", false},
		{"another order's genuine return", http.MethodPost, "/unionpay/return/READMERET0002", genuine, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			logs.Reset()
			r := httptest.NewRequest(tt.method, tt.target, strings.NewReader(tt.body))
			r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			rec := httptest.NewRecorder()
			mux.ServeHTTP(rec, r)
			assert.Equal(t, http.StatusSeeOther, rec.Code)
			assert.Equal(t, "/orders/"+strings.TrimPrefix(tt.target, "/unionpay/return/"), rec.Header().Get("Location"))
			if tt.warn {
				assert.Contains(t, logs.String(), `level=WARN msg="unionpay: front return refused" order=READMERET0001`)
			} else {
				assert.Empty(t, logs.String())
			}
		})
	}
}
