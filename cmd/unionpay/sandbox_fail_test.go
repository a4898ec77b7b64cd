package main

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/unionpay"
	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

// TestSandboxFail: from the shell alone, "unionpay sandbox -fail" makes the orders sent later
// under the orderIds it names show an outage's faults, as Server.FailOrder does, so that a
// client in any language rehearses one over HTTP. Each fault reaches the client as the gateway
// shows it, through the sandbox's proxy: a dropped connection is a dropped connection (not the
// proxy's own 502), a truncated answer a truncated one, the 502 page the gateway's. The faults
// after the request took effect leave the payment for a query to find; 5xx leaves nothing; a
// fault queued after "none" is the order's query's; duplicate-notify sends the notification
// twice. The sandbox says nothing of the faults it was told to show.
func TestSandboxFail(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var stderr syncBuilder
	backURL, _ := acceptingBackURL(t)
	dupURL, dupGot := acceptingBackURL(t)
	info, done := startSandbox(t, ctx, &stderr,
		"-fail", "FAILDROP0001=drop", "-fail", "FAIL5XX00001=5xx", "-fail", "FAILBADGW001=bad-gateway",
		"-fail", "FAILTRUNC001=truncate", "-fail", "FAILDELAY001=delay", "-fail", "FAILPEND0001=pending",
		"-fail", "FAILQUERY001=none,drop", "-fail", "FAILDUP00001=duplicate-notify")
	defer func() {
		cancel()
		<-done
	}()
	jc, err := unionpay.LoadJavaConfig(info["config"])
	require.NoError(t, err)
	jc.Config.MerchantID = info["merId"]
	client, err := unionpay.NewClient(jc.Config)
	require.NoError(t, err)
	jc.Config.HTTPClient = &http.Client{Timeout: 2 * time.Second} // FaultDelay holds the answer a minute
	impatient, err := unionpay.NewClient(jc.Config)
	require.NoError(t, err)

	tests := []struct {
		order   string
		status  int              // the HTTP status of the *StatusError the payment reports, 0 for none
		page    string           // its Page
		resp    string           // the PendingError's RespCode: "" for a transport or status failure
		queries []unionpay.State // the state each query then finds, in turn
	}{
		{"FAILDROP0001", 0, "", "", []unionpay.State{unionpay.Succeeded}},
		{"FAIL5XX00001", http.StatusServiceUnavailable, "", "", []unionpay.State{unionpay.NotFound}},
		{"FAILBADGW001", http.StatusBadGateway, "502 Bad Gateway", "", []unionpay.State{unionpay.Succeeded}},
		{"FAILTRUNC001", 0, "", "", []unionpay.State{unionpay.Succeeded}},
		{"FAILDELAY001", 0, "", "", []unionpay.State{unionpay.Succeeded}},
		{"FAILPEND0001", 0, "", "05", []unionpay.State{unionpay.Pending, unionpay.Succeeded}},
	}
	for _, tt := range tests {
		t.Run(tt.order, func(t *testing.T) {
			pay := client
			if tt.order == "FAILDELAY001" {
				pay = impatient // gives up after 2 s; the others wait as long as a loaded machine needs
			}
			_, err := pay.BackConsume(ctx, &unionpay.CardRequest{OrderID: tt.order, Amount: 1000, TxnTime: time.Now(),
				BackURL: backURL, AccNo: unionpaytest.TestCard})
			var pe *unionpay.PendingError
			require.ErrorAs(t, err, &pe)
			assert.Equal(t, tt.resp, pe.RespCode)
			var se *unionpay.StatusError
			if tt.status == 0 {
				assert.NotErrorAs(t, err, &se, "no HTTP status reached the client: %v", err)
			} else if assert.ErrorAs(t, err, &se) {
				assert.Equal(t, tt.status, se.StatusCode)
				if tt.page != "" {
					assert.Equal(t, tt.page, se.Page)
				}
			}
			for i, want := range tt.queries {
				tx, err := client.Query(ctx, pe.QueryRequest())
				require.NoError(t, err, "query %d", i+1)
				assert.Equal(t, want, tx.State, "query %d", i+1)
			}
		})
	}

	t.Run("FAILQUERY001", func(t *testing.T) {
		tx, err := client.BackConsume(ctx, &unionpay.CardRequest{OrderID: "FAILQUERY001", Amount: 1000, TxnTime: time.Now(),
			BackURL: backURL, AccNo: unionpaytest.TestCard})
		require.NoError(t, err, "none lets the payment through")
		q := tx.QueryRequest()
		_, err = client.Query(ctx, q)
		require.Error(t, err, "the drop is the query's")
		got, err := client.Query(ctx, q)
		require.NoError(t, err)
		assert.Equal(t, unionpay.Succeeded, got.State)
	})

	t.Run("FAILDUP00001", func(t *testing.T) {
		_, err := client.BackConsume(ctx, &unionpay.CardRequest{OrderID: "FAILDUP00001", Amount: 1000, TxnTime: time.Now(),
			BackURL: dupURL, AccNo: unionpaytest.TestCard})
		require.NoError(t, err)
		require.Eventually(t, func() bool { return dupGot() == 2 }, 10*time.Second, 20*time.Millisecond,
			"the notification twice, each answered 200: got %d", dupGot())
	})
	assert.Empty(t, stderr.String(), "the faults asked for are not reported")
}

// TestSandboxFailUsage: a -fail that names no order, holds a word that is not a fault's name, or
// names an order twice is a usage error naming the flag, before the sandbox starts.
func TestSandboxFailUsage(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no faults", []string{"-fail", "ORDER0001"}, "-fail: want ORDERID=FAULT[,FAULT...]"},
		{"no order", []string{"-fail", "=drop"}, "-fail: want ORDERID=FAULT[,FAULT...]"},
		{"empty faults", []string{"-fail", "ORDER0001="}, "-fail: want ORDERID=FAULT[,FAULT...]"},
		{"not a fault", []string{"-fail", "ORDER0001=timeout"}, `fault "timeout" is not one of none, 5xx, drop, truncate, delay, wrong-key, `},
		{"every name listed", []string{"-fail", "ORDER0001=late"}, `, notify-wrong-name, bad-gateway`},
		{"a number", []string{"-fail", "ORDER0001=2"}, `fault "2" is not one of`},
		{"upper case", []string{"-fail", "ORDER0001=DROP"}, `fault "DROP" is not one of`},
		{"trailing comma", []string{"-fail", "ORDER0001=drop,"}, `fault "" is not one of`},
		{"an order twice", []string{"-fail", "ORDER0001=drop", "-fail", "ORDER0001=5xx"}, "orderId ORDER0001 given twice"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			requireFailure(t, runCLI(t, "", append([]string{"sandbox", "-addr", "127.0.0.1:0"}, tt.args...)...), exitUsage, tt.want)
		})
	}
}

// TestSandboxFailNames: -fail takes every fault by the name Fault.String gives it, in the order
// given, "none" included.
func TestSandboxFailNames(t *testing.T) {
	var s sandboxFails
	var names []string
	var want []unionpaytest.Fault
	for f := unionpaytest.FaultNone; f <= unionpaytest.FaultBadGateway; f++ {
		names = append(names, f.String())
		want = append(want, f)
	}
	require.NoError(t, s.Set("ORDER0001="+strings.Join(names, ",")))
	require.NoError(t, s.Set("ORDER0002=late-notify"))
	assert.Equal(t, sandboxFails{
		{"ORDER0001", want},
		{"ORDER0002", []unionpaytest.Fault{unionpaytest.FaultLateNotify}},
	}, s)
}
