package unionpaytest_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/unionpay"
	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

// TestFaultLog: FaultLog lists the faults requests and notifications took, queued (FailOrder,
// FailEndpoint) or drawn (WithFaults, marked Random), with where, for which order and
// transaction type, and not the requests let through. (A QA trial could not tell which fault
// made a seeded test fail.)
func TestFaultLog(t *testing.T) {
	t.Parallel()
	srv, client, _ := clientGateway(t)
	ctx := context.Background()
	srv.FailOrder("FAULTLOG1", unionpaytest.FaultWrongKey)
	_, err := client.AppConsume(ctx, &unionpay.ConsumeRequest{OrderID: "FAULTLOG1", Amount: 100, BackURL: "http://127.0.0.1:1/n"})
	require.Error(t, err)
	srv.FailEndpoint(unionpaytest.EndpointQuery, unionpaytest.FaultNone, unionpaytest.Fault5xx)
	q := &unionpay.QueryRequest{OrderID: "FAULTLOG1", TxnTime: srv.Now()}
	_, err = client.Query(ctx, q) // let through
	require.NoError(t, err)
	_, err = client.Query(ctx, q)
	require.Error(t, err)
	assert.Equal(t, []unionpaytest.FaultEvent{
		{Endpoint: unionpaytest.EndpointApp, OrderID: "FAULTLOG1", TxnType: "01", Fault: unionpaytest.FaultWrongKey},
		{Endpoint: unionpaytest.EndpointQuery, OrderID: "FAULTLOG1", TxnType: "00", Fault: unionpaytest.Fault5xx},
	}, srv.FaultLog())
	srv.FailOrder("FAULTLOG3", unionpaytest.FaultLateNotify)
	_, err = client.AppConsume(ctx, &unionpay.ConsumeRequest{OrderID: "FAULTLOG3", Amount: 100, BackURL: "http://127.0.0.1:1/n"})
	require.NoError(t, err)
	_, err = srv.Complete("FAULTLOG3", "")
	require.NoError(t, err)
	log := srv.FaultLog()
	require.Len(t, log, 3)
	assert.Equal(t, unionpaytest.FaultEvent{Endpoint: unionpaytest.EndpointFront, OrderID: "FAULTLOG3", Notification: true,
		Fault: unionpaytest.FaultLateNotify}, log[2], "the notification the payment triggered")

	drawn, client2, _ := clientGateway(t, unionpaytest.WithFaults(7, unionpaytest.FaultRates{unionpaytest.Fault5xx: 1}))
	_, err = client2.AppConsume(ctx, &unionpay.ConsumeRequest{OrderID: "FAULTLOG2", Amount: 100, BackURL: "http://127.0.0.1:1/n"})
	require.Error(t, err)
	assert.Equal(t, []unionpaytest.FaultEvent{{Endpoint: unionpaytest.EndpointApp, OrderID: "FAULTLOG2", TxnType: "01",
		Fault: unionpaytest.Fault5xx, Random: true}}, drawn.FaultLog())
}
