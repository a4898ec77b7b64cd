package main

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/sign"
	"github.com/goacp/unionpay/unionpay"
	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

// A genuine payment of another amount than the order's, known by query only (its
// notification refused), must go to Review, never Failed: money was taken (it went to Failed
// once the query named the amount; found by a review).
func TestQueryPaidAnotherAmount(t *testing.T) {
	s := newSite(t)
	fields := s.checkout(t, "pc")
	id := fields["orderId"]
	// The form as paid carries another amount (the shop's bug, or a form re-issued with a new
	// price under the same orderId and txnTime): signed by the merchant, genuine.
	fields["txnAmt"] = "1"
	delete(fields, "signature")
	signer, err := s.srv.MerchantSigner()
	require.NoError(t, err)
	require.NoError(t, sign.Sign(signer, fields))
	s.srv.FailEndpoint(unionpaytest.EndpointFront, unionpaytest.FaultNotifyWrongKey) // no usable notification
	_, err = s.srv.Pay(context.Background(), fields, "")
	require.NoError(t, err)

	s.later(5 * time.Minute)
	s.shop.CheckPending(context.Background())
	s.later(10 * time.Minute)
	s.shop.CheckPending(context.Background())
	s.later(30 * time.Minute)
	s.shop.CheckPending(context.Background())
	assert.Equal(t, Review, s.status(id), "UnionPay took 1 fen for this order: a person must look")
}

// A genuine payment of the order's amount in another currency (yen), known by query only (its
// notification refused), must go to Review, never Paid: the notification path compares the
// currency (Notification.Check), and so does the query (QueryRequest.Currency: the yen payment
// reads NotFound, in Other); it went to Paid before the shop compared it.
func TestQueryPaidAnotherCurrency(t *testing.T) {
	for _, tt := range []struct {
		currency string
		want     Status
	}{
		{"156", Paid},
		{"", Paid}, // an answer without currencyCode: the order's own, as Notification.Check reads it
		{"392", Review},
	} {
		t.Run("currency "+tt.currency, func(t *testing.T) {
			s := newSite(t)
			s.shop.Client = clientWithQueryCurrency(t, s.srv, tt.currency)
			fields := s.checkout(t, "pc")
			id := fields["orderId"]
			s.srv.FailEndpoint(unionpaytest.EndpointFront, unionpaytest.FaultNotifyWrongKey) // no usable notification
			_, err := s.srv.Pay(context.Background(), fields, "")
			require.NoError(t, err)

			s.later(5 * time.Minute)
			assert.Equal(t, 1, s.shop.CheckPending(context.Background()))
			assert.Equal(t, tt.want, s.status(id))
		})
	}
}

// clientWithQueryCurrency returns a client of srv whose query answers come back with currencyCode
// set to currency ("" removes it), signed by srv as UnionPay would sign them.
func clientWithQueryCurrency(t *testing.T, srv *unionpaytest.Server, currency string) *unionpay.Client {
	t.Helper()
	proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		req, err := http.NewRequestWithContext(r.Context(), http.MethodPost, srv.URLFor(unionpaytest.EndpointQuery), r.Body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		req.Header.Set("Content-Type", r.Header.Get("Content-Type"))
		resp, err := srv.HTTPClient().Do(req)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		defer resp.Body.Close()
		body, err := io.ReadAll(resp.Body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		f, err := sign.ParseRaw(string(body))
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		delete(f, "signature")
		delete(f, "signPubKeyCert")
		f["currencyCode"] = currency
		if currency == "" {
			delete(f, "currencyCode")
		}
		if f, err = srv.Sign(f); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		pairs := make([]string, 0, len(f))
		for k, v := range f {
			pairs = append(pairs, k+"="+v)
		}
		_, _ = io.WriteString(w, strings.Join(pairs, "&"))
	}))
	t.Cleanup(proxy.Close)
	cfg := srv.Config()
	cfg.Endpoints.Query = proxy.URL
	client, err := unionpay.NewClient(cfg)
	require.NoError(t, err)
	return client
}
