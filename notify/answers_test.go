package notify_test

import (
	"context"
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

// gatewayAnswer posts f to the fake gateway's endpoint ep, signed as the
// merchant (or with a made-up signature if forge), and returns the answer's
// fields: signed by the gateway, as UnionPay signs its answers.
func gatewayAnswer(t *testing.T, gw *unionpaytest.Server, ep unionpaytest.Endpoint, f sign.Fields, forge bool) sign.Fields {
	t.Helper()
	f["version"], f["encoding"], f["accessType"], f["merId"] = sign.Version510, "UTF-8", "0", gw.MerchantID()
	signer, err := gw.MerchantSigner()
	require.NoError(t, err)
	require.NoError(t, sign.Sign(signer, f))
	if forge {
		f["signature"] = "AAAA" + f["signature"][4:]
	}
	body, err := sign.Encode(f)
	require.NoError(t, err)
	req, err := http.NewRequestWithContext(context.Background(), http.MethodPost, gw.URLFor(ep), strings.NewReader(body))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded;charset=UTF-8")
	resp, err := gw.HTTPClient().Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	answer, err := sign.ParseRaw(string(raw))
	require.NoError(t, err, string(raw))
	return answer
}

// TestAnswersPostedAsNotifications: UnionPay signs its synchronous answers as
// it signs notifications, so whoever sees an answer can post it to the
// merchant's backUrl, and it verifies. None may read as a success it does not
// state (a penetration test found a declined payment's query answer, an app
// order's tn answer and a refund's "accepted" all reading Succeeded); each
// reads as what it means, and a genuine notification still reads Succeeded.
func TestAnswersPostedAsNotifications(t *testing.T) {
	t.Parallel()
	gw := unionpaytest.NewServer(unionpaytest.WithClock(unionpaytest.BusinessDayClock()),
		unionpaytest.WithNotifySchedule(0))
	t.Cleanup(gw.Close)
	v, err := gw.NotifyVerifier()
	require.NoError(t, err)

	var (
		mu       sync.Mutex
		received []string
	)
	shop := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, err := io.ReadAll(r.Body)
		assert.NoError(t, err)
		mu.Lock()
		received = append(received, string(b))
		mu.Unlock()
	}))
	t.Cleanup(shop.Close)
	txnTime := func() string { return gw.Now().Format("20060102150405") }
	order := func(id, amount string) sign.Fields {
		return sign.Fields{"txnType": "01", "txnSubType": "01", "bizType": "000201", "channelType": "08",
			"orderId": id, "txnTime": txnTime(), "txnAmt": amount, "currencyCode": "156", "backUrl": shop.URL}
	}
	query := func(id, at string) sign.Fields {
		return gatewayAnswer(t, gw, unionpaytest.EndpointQuery, sign.Fields{"txnType": "00", "txnSubType": "00",
			"bizType": "000000", "orderId": id, "txnTime": at}, false)
	}

	// A paid order, its query answer, its genuine notification and a refund's "accepted".
	paid := order("ANSWERPAID1", "1999")
	tnAnswer := gatewayAnswer(t, gw, unionpaytest.EndpointApp, paid, false)
	require.NotEmpty(t, tnAnswer["tn"])
	code, err := gw.Complete("ANSWERPAID1", "")
	require.NoError(t, err)
	require.Equal(t, "00", code)
	paidQuery := query("ANSWERPAID1", paid["txnTime"])
	require.Equal(t, "00", paidQuery["origRespCode"])
	require.Eventually(t, func() bool { mu.Lock(); defer mu.Unlock(); return len(received) == 1 }, 10*time.Second, 10*time.Millisecond)
	refund := gatewayAnswer(t, gw, unionpaytest.EndpointBack, sign.Fields{"txnType": "04", "txnSubType": "00",
		"bizType": "000201", "channelType": "08", "orderId": "ANSWERREFD1", "txnTime": txnTime(), "txnAmt": "500",
		"origQryId": paidQuery["queryId"], "backUrl": shop.URL}, false)
	require.Equal(t, "00", refund["respCode"], refund["respMsg"])

	// A declined order's query answer, an unknown order's, and the answer to a forged request.
	declined := order("ANSWERDECL1", "880000")
	gatewayAnswer(t, gw, unionpaytest.EndpointApp, declined, false)
	code, err = gw.Complete("ANSWERDECL1", unionpaytest.DeclinedCard)
	require.NoError(t, err)
	require.Equal(t, "64", code)
	declinedQuery := query("ANSWERDECL1", declined["txnTime"])
	require.Equal(t, "64", declinedQuery["origRespCode"])
	unknownQuery := query("ANSWERNONE1", txnTime())
	require.Equal(t, "34", unknownQuery["respCode"])
	forged := gatewayAnswer(t, gw, unionpaytest.EndpointBack, sign.Fields{"txnType": "04", "txnSubType": "00",
		"bizType": "000201", "channelType": "07", "orderId": "ANSWERREFD2", "txnTime": txnTime(), "txnAmt": "500",
		"origQryId": paidQuery["queryId"], "backUrl": shop.URL}, true)
	require.Equal(t, "11", forged["respCode"])

	mu.Lock()
	genuine := received[0]
	mu.Unlock()
	tests := []struct {
		name string
		body string
		want notify.Status
	}{
		{"the genuine notification of the payment", genuine, notify.Succeeded},
		{"the app order's answer (tn, nobody paid yet)", encodeAnswer(t, tnAnswer), notify.Pending},
		{"the paid order's query answer", encodeAnswer(t, paidQuery), notify.Succeeded},
		{"the declined order's query answer", encodeAnswer(t, declinedQuery), notify.Failed},
		{"a query's not found", encodeAnswer(t, unknownQuery), notify.Pending},
		{"a refund's accepted", encodeAnswer(t, refund), notify.Pending},
		{"the signed answer to a forged refund (11)", encodeAnswer(t, forged), notify.Pending},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			n, err := notify.Parse(v, []byte(tt.body))
			require.NoError(t, err, "every one verifies: UnionPay signed it")
			assert.Equal(t, tt.want, n.Status(), "txnType %s respCode %s origRespCode %s", n.TxnType, n.RespCode, n.OrigRespCode)
		})
	}
}

// encodeAnswer turns answer fields into the form body that would be posted
// to backUrl: the signature still holds.
func encodeAnswer(t *testing.T, f sign.Fields) string {
	t.Helper()
	body, err := sign.Encode(f)
	require.NoError(t, err)
	return body
}

// TestStatusRules: each of Status's rules for messages that only an answer
// can be, alone (the other fields as a genuine notification has them).
func TestStatusRules(t *testing.T) {
	t.Parallel()
	const qid, day = "772611251000000000001", "1125"
	tests := []struct {
		name string
		n    notify.Notification
		want notify.Status
	}{
		{"consume succeeded", notify.Notification{TxnType: "01", RespCode: "00", QueryID: qid, SettleDate: day}, notify.Succeeded},
		{"consume failed", notify.Notification{TxnType: "01", RespCode: "61", QueryID: qid}, notify.Failed},
		{"money-moving, no queryId", notify.Notification{TxnType: "01", RespCode: "61"}, notify.Pending},
		{"succeeded, no queryId", notify.Notification{TxnType: "04", RespCode: "00", SettleDate: day}, notify.Pending},
		{"refund accepted: no settleDate", notify.Notification{TxnType: "04", RespCode: "00", QueryID: qid}, notify.Pending},
		{"payout accepted: no settleDate", notify.Notification{TxnType: "12", BizType: "000401", RespCode: "00", QueryID: qid}, notify.Pending},
		{"with defect, no settleDate", notify.Notification{TxnType: "31", RespCode: "A6", QueryID: qid}, notify.Pending},
		{"pre-auth succeeded", notify.Notification{TxnType: "02", RespCode: "00", QueryID: qid, SettleDate: day}, notify.Succeeded},
		{"pre-auth accepted: no settleDate", notify.Notification{TxnType: "02", RespCode: "00", QueryID: qid}, notify.Pending},
		{"pre-auth cancel accepted: no settleDate", notify.Notification{TxnType: "32", RespCode: "00", QueryID: qid}, notify.Pending},
		{"consume SMS's answer (shares the consume's orderId)", notify.Notification{TxnType: "77", RespCode: "00", QueryID: qid, SettleDate: day}, notify.Pending},
		{"real-name check is no money", notify.Notification{TxnType: "72", RespCode: "00"}, notify.Succeeded},
		{"refused request 10", notify.Notification{TxnType: "04", RespCode: "10", QueryID: qid}, notify.Pending},
		{"refused request 11", notify.Notification{TxnType: "01", RespCode: "11", QueryID: qid}, notify.Pending},
		{"refused request 13", notify.Notification{TxnType: "03", RespCode: "13", QueryID: qid}, notify.Pending},
		{"refused request 14", notify.Notification{TxnType: "12", RespCode: "14", QueryID: qid}, notify.Pending},
		{"refused request 12 (not a payout)", notify.Notification{TxnType: "04", RespCode: "12", QueryID: qid}, notify.Pending},
		{"query: original succeeded", notify.Notification{TxnType: "01", RespCode: "00", OrigRespCode: "00", QueryID: qid}, notify.Succeeded},
		{"query: original with defect", notify.Notification{TxnType: "01", RespCode: "00", OrigRespCode: "A6"}, notify.Succeeded},
		{"query: original declined", notify.Notification{TxnType: "01", RespCode: "00", OrigRespCode: "64", QueryID: qid}, notify.Failed},
		{"query: original pending", notify.Notification{TxnType: "04", RespCode: "00", OrigRespCode: "05", QueryID: qid}, notify.Pending},
		{"query: the query failed", notify.Notification{TxnType: "01", RespCode: "34", OrigRespCode: "00", QueryID: qid}, notify.Pending},
		{"query: payout processing", notify.Notification{TxnType: "12", BizType: "000401", RespCode: "00", OrigRespCode: "34", QueryID: qid}, notify.Pending},
		{"query's own answer", notify.Notification{TxnType: "00", RespCode: "00", QueryID: qid, SettleDate: day}, notify.Pending},
		{"query's own refusal", notify.Notification{TxnType: "00", RespCode: "37"}, notify.Pending},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tt.want, tt.n.Status())
		})
	}
}
