package unionpaytest_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/unionpay"
	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

// TestCompleteSaysWhatIsMissing: Complete of an order the gateway has not seen (a front form
// signed but never posted) says that the form must be posted first, and Complete of a back
// transaction says what it is not; both said "no front or app order", which sent a tester
// looking for an order that was in fact only never posted.
func TestCompleteSaysWhatIsMissing(t *testing.T) {
	t.Parallel()
	m := newMerchant(t)
	paid := m.appConsume("COMPLETE01", "1000", "http://127.0.0.1:1/n")
	resp := m.back("04", "COMPLETE02", paid, "100", "http://127.0.0.1:1/n")
	require.Equal(t, "00", resp["respCode"], resp["respMsg"])
	// A back consume is a txnType 01 order like a front one, but paid already: only its being
	// made at the back endpoint tells it apart.
	client, err := unionpay.NewClient(m.srv.Config())
	require.NoError(t, err)
	_, err = client.BackConsume(context.Background(), exampleCard("COMPLETE04", "http://127.0.0.1:1/n"))
	require.NoError(t, err)
	tests := []struct {
		name, orderID, want string
	}{
		{"back consume", "COMPLETE04", `unionpaytest: complete: order "COMPLETE04" is not a front, app or QR-code order`},
		{"form never posted", "COMPLETE03", `unionpaytest: complete: no order "COMPLETE03" at the gateway ` +
			`(a front form reaches it only when posted: Server.Pay, or the browser; an app order when AppConsume or AppPreAuth is sent)`},
		{"back transaction", "COMPLETE02", `unionpaytest: complete: order "COMPLETE02" is not a front, app or QR-code order`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, err := m.srv.Complete(tt.orderID, unionpaytest.TestCard)
			require.EqualError(t, err, tt.want)
			require.Empty(t, code)
		})
	}
}
