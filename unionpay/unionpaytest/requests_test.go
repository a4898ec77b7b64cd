package unionpaytest_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/sign"
	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

// noBackURL is a backUrl nothing listens on: the notifications these tests trigger fail, and
// Close stops their retries.
const noBackURL = "http://127.0.0.1:1/n"

// consumeByCard returns a back consume (01/01, 000301) of TestCard, accNo in clear.
func (m *merchant) consumeByCard(orderID, amount string, kv ...string) sign.Fields {
	return m.fields("01", "01", "000301", append([]string{"orderId", orderID, "txnAmt", amount,
		"currencyCode", "156", "channelType", "07", "backUrl", noBackURL, "accNo", unionpaytest.TestCard,
		"customerInfo", "e3Bob25lTm89MTM1NTI1MzU1MDZ9"}, kv...)...)
}

// TestRequests: every request the gateway received is listed, in order, with what it answered:
// accepted, refused for a bad signature or a duplicate, answered 5xx, its answer dropped.
func TestRequests(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		send func(m *merchant) // the requests, each sent once
		want []unionpaytest.Request
	}{
		{
			name: "a consume and its query",
			send: func(m *merchant) {
				m.call(unionpaytest.EndpointBack, m.consumeByCard("REQLOG001", "300"))
				m.query("REQLOG001", m.clock.Now().Format("20060102150405"))
			},
			want: []unionpaytest.Request{
				{Endpoint: unionpaytest.EndpointBack, TxnType: "01", TxnSubType: "01", BizType: "000301",
					OrderID: "REQLOG001", TxnTime: "now", Amount: 300, RespCode: "00"},
				{Endpoint: unionpaytest.EndpointQuery, TxnType: "00", TxnSubType: "00", BizType: "000000",
					OrderID: "REQLOG001", TxnTime: "now", RespCode: "00"},
			},
		},
		{
			name: "a refund, and a refund sent again under its orderId",
			send: func(m *merchant) {
				resp := m.call(unionpaytest.EndpointBack, m.consumeByCard("REQLOG002", "300"))
				m.back("04", "REQLOG003", resp["queryId"], "100", noBackURL)
				m.back("04", "REQLOG003", resp["queryId"], "100", noBackURL)
			},
			want: []unionpaytest.Request{
				{Endpoint: unionpaytest.EndpointBack, TxnType: "01", TxnSubType: "01", BizType: "000301",
					OrderID: "REQLOG002", TxnTime: "now", Amount: 300, RespCode: "00"},
				{Endpoint: unionpaytest.EndpointBack, TxnType: "04", TxnSubType: "00", BizType: "000201",
					OrderID: "REQLOG003", TxnTime: "now", Amount: 100, RespCode: "00", OrigQueryID: "queried"},
				{Endpoint: unionpaytest.EndpointBack, TxnType: "04", TxnSubType: "00", BizType: "000201",
					OrderID: "REQLOG003", TxnTime: "now", Amount: 100, RespCode: "12", OrigQueryID: "queried",
					Refusal: "orderId REQLOG003 already used"},
			},
		},
		{
			name: "a bad signature",
			send: func(m *merchant) {
				f := m.sign(m.consumeByCard("REQLOG004", "300"))
				f["txnAmt"] = "30000" // after signing
				status, _, err := m.postRaw(unionpaytest.EndpointBack, f)
				require.NoError(m.t, err)
				require.Equal(m.t, http.StatusOK, status)
			},
			want: []unionpaytest.Request{
				{Endpoint: unionpaytest.EndpointBack, TxnType: "01", TxnSubType: "01", BizType: "000301",
					OrderID: "REQLOG004", TxnTime: "now", Amount: 30000, RespCode: unionpaytest.CodeBadSignature,
					Refusal: "signature does not verify"},
			},
		},
		{
			name: "a 5xx, then the request sent again, its answer dropped",
			send: func(m *merchant) {
				m.srv.FailOrder("REQLOG005", unionpaytest.Fault5xx, unionpaytest.FaultDrop)
				f := m.sign(m.consumeByCard("REQLOG005", "300"))
				status, _, err := m.postRaw(unionpaytest.EndpointBack, f)
				require.NoError(m.t, err)
				require.Equal(m.t, http.StatusServiceUnavailable, status)
				_, _, err = m.postRaw(unionpaytest.EndpointBack, f)
				require.Error(m.t, err, "dropped")
			},
			want: []unionpaytest.Request{
				{Endpoint: unionpaytest.EndpointBack, TxnType: "01", TxnSubType: "01", BizType: "000301",
					OrderID: "REQLOG005", TxnTime: "now", Amount: 300, Fault: unionpaytest.Fault5xx},
				{Endpoint: unionpaytest.EndpointBack, TxnType: "01", TxnSubType: "01", BizType: "000301",
					OrderID: "REQLOG005", TxnTime: "now", Amount: 300, RespCode: "00", Fault: unionpaytest.FaultDrop},
			},
		},
		{
			name: "a front form paid on the cashier page",
			send: func(m *merchant) {
				f := m.sign(m.fields("01", "01", "000201", "orderId", "REQLOG006", "txnAmt", "500",
					"currencyCode", "156", "channelType", "07", "backUrl", noBackURL, "frontUrl", noBackURL))
				_, err := m.srv.Pay(context.Background(), f, "")
				require.NoError(m.t, err)
			},
			want: []unionpaytest.Request{ // the form; the cashier page's own post is the shopper's
				{Endpoint: unionpaytest.EndpointFront, TxnType: "01", TxnSubType: "01", BizType: "000201",
					OrderID: "REQLOG006", TxnTime: "now", Amount: 500},
			},
		},
		{
			name: "a GET",
			send: func(m *merchant) {
				resp, err := m.hc.Get(m.srv.URLFor(unionpaytest.EndpointQuery))
				require.NoError(m.t, err)
				require.NoError(m.t, resp.Body.Close())
			},
			want: []unionpaytest.Request{
				{Endpoint: unionpaytest.EndpointQuery, RespCode: unionpaytest.CodeMalformed, Refusal: "method GET, want POST"},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			m := newMerchant(t)
			tt.send(m)
			got := m.srv.Requests()
			require.Len(t, got, len(tt.want), "%+v", got)
			for i, r := range got {
				assert.True(t, m.clock.Now().Equal(r.At), "the gateway's clock: %v", r.At)
				r.At = time.Time{}
				want := tt.want[i]
				if want.TxnTime == "now" {
					want.TxnTime = m.clock.Now().Format("20060102150405")
				}
				if want.OrigQueryID == "queried" { // the consume's queryId, which the gateway made
					assert.Len(t, r.OrigQueryID, 21)
					r.OrigQueryID = want.OrigQueryID
				}
				if want.Refusal != "" {
					assert.Contains(t, r.Refusal, want.Refusal)
					r.Refusal = want.Refusal
				}
				assert.Equal(t, want, r, "request %d", i)
			}
		})
	}
}

// TestReceived counts the requests of a txnType with an orderId, whatever they were answered;
// a query counts under the queried orderId.
func TestReceived(t *testing.T) {
	t.Parallel()
	m := newMerchant(t)
	resp := m.call(unionpaytest.EndpointBack, m.consumeByCard("RECVD0001", "300"))
	m.back("04", "RECVD0002", resp["queryId"], "100", noBackURL)
	m.back("04", "RECVD0002", resp["queryId"], "100", noBackURL) // refused 12: counted
	m.query("RECVD0002", m.clock.Now().Format("20060102150405"))
	tests := []struct {
		orderID, txnType string
		want             int
	}{
		{"RECVD0001", "01", 1},
		{"RECVD0001", "04", 0},
		{"RECVD0002", "04", 2},
		{"RECVD0002", "00", 1},
		{"RECVD0003", "04", 0},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, m.srv.Received(tt.orderID, tt.txnType), "%s %s", tt.orderID, tt.txnType)
	}
	for _, txnType := range []string{"RECVD0002", "", "4", "004", "0x"} {
		assert.PanicsWithError(t, fmt.Sprintf("unionpaytest: Received(%q, %q): txnType %q is not two digits (orderID comes first)",
			"04", txnType, txnType), func() { m.srv.Received("04", txnType) })
	}
}

// TestRequestsHoldNoCardData: neither a request's card number (in accNo, in a refusal's quoted
// value) nor its customerInfo is in any Request, however it is printed or encoded.
func TestRequestsHoldNoCardData(t *testing.T) {
	t.Parallel()
	m := newMerchant(t)
	m.call(unionpaytest.EndpointBack, m.consumeByCard("NOCARD001", "300"))
	// A value the gateway quotes in its refusal: a card number there is masked.
	resp := m.call(unionpaytest.EndpointBack, m.consumeByCard("NOCARD002", "300", "reqReserved", "{"+unionpaytest.TestCard))
	require.Equal(t, unionpaytest.CodeMalformed, resp["respCode"])
	got := m.srv.Requests()
	require.Len(t, got, 2)
	require.Contains(t, got[1].Refusal, "reqReserved", "the refusal quotes it")
	require.Contains(t, got[1].Refusal, "621626******0018", "masked")
	js, err := json.Marshal(got)
	require.NoError(t, err)
	for _, text := range []string{fmt.Sprintf("%v", got), fmt.Sprintf("%+v", got), fmt.Sprintf("%#v", got), string(js)} {
		assert.NotContains(t, text, unionpaytest.TestCard)
		assert.NotContains(t, text, "e3Bob25lTm89MTM1NTI1MzU1MDZ9", "customerInfo")
		assert.NotContains(t, text, "13552535506", "the customerInfo's phone number")
	}
}

// TestRequestsConcurrent reads Requests and Received while clients send: run with -race.
func TestRequestsConcurrent(t *testing.T) {
	t.Parallel()
	const clients = 8
	m := newMerchant(t)
	stop := make(chan struct{})
	var readers sync.WaitGroup
	readers.Go(func() {
		for {
			select {
			case <-stop:
				return
			default:
				for _, r := range m.srv.Requests() {
					_ = m.srv.Received(r.OrderID, r.TxnType)
				}
			}
		}
	})
	var wg sync.WaitGroup
	for i := range clients {
		wg.Go(func() {
			id := fmt.Sprintf("REQCONC%02d", i)
			f := m.sign(m.consumeByCard(id, "300"))
			if _, _, err := m.postRaw(unionpaytest.EndpointBack, f); !assert.NoError(t, err) {
				return
			}
			assert.Equal(t, 1, m.srv.Received(id, "01"), "listed once its answer is in")
		})
	}
	wg.Wait()
	close(stop)
	readers.Wait()
	got := m.srv.Requests()
	assert.Len(t, got, clients)
	for i := range clients {
		assert.Equal(t, 1, m.srv.Received(fmt.Sprintf("REQCONC%02d", i), "01"))
	}
	got[0].OrderID = "changed"
	assert.NotEqual(t, "changed", m.srv.Requests()[0].OrderID, "a copy")
}
