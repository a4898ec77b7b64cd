package main

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/sign"
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
