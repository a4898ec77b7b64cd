package unionpaytest_test

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

// TestQRCodeChecks: a QR-code application (01/07) and a consume by the payer's code (01/06),
// bizType 000000, as UnionPay's QR samples (upacp_demo_qrc) send them, are accepted at
// backTransReq.do only; another bizType, a card alongside, a missing or malformed qrNo (never
// quoted) or termId, are refused as violations and reported.
func TestQRCodeChecks(t *testing.T) {
	t.Parallel()
	const qrNo = "6220000000000000001"
	base := []string{"txnAmt", "1234", "currencyCode", "156", "channelType", "07", "backUrl", "http://127.0.0.1:1/n"}
	consume := append([]string{"qrNo", qrNo, "termId", "T0000001"}, base...)
	tests := []struct {
		name, sub, biz string
		ep             unionpaytest.Endpoint
		kv             []string
		wantCode       string
	}{
		{"apply", "07", "000000", unionpaytest.EndpointBack, base, "00"},
		{"apply with a terminal", "07", "000000", unionpaytest.EndpointBack, append([]string{"termId", "T1"}, base...), "00"},
		{"consume", "06", "000000", unionpaytest.EndpointBack, consume, "00"},
		{"apply at the app endpoint", "07", "000000", unionpaytest.EndpointApp, base, unionpaytest.CodeNotAllowed},
		{"consume at the card endpoint", "06", "000000", unionpaytest.EndpointCard, consume, unionpaytest.CodeNotAllowed},
		{"apply, another bizType", "07", "000301", unionpaytest.EndpointBack, base, unionpaytest.CodeMalformed},
		{"consume, no qrNo", "06", "000000", unionpaytest.EndpointBack, append([]string{"termId", "T0000001"}, base...),
			unionpaytest.CodeMissingField},
		{"consume, no termId", "06", "000000", unionpaytest.EndpointBack, append([]string{"qrNo", qrNo}, base...),
			unionpaytest.CodeMissingField},
		{"consume, qrNo with letters", "06", "000000", unionpaytest.EndpointBack,
			append([]string{"qrNo", qrNo + "x", "termId", "T0000001"}, base...), unionpaytest.CodeMalformed},
		{"consume, qrNo of 20 digits (the longest)", "06", "000000", unionpaytest.EndpointBack,
			append([]string{"qrNo", qrNo + "1", "termId", "T0000001"}, base...), "00"},
		{"consume, termId with a dash", "06", "000000", unionpaytest.EndpointBack,
			append([]string{"qrNo", qrNo, "termId", "T-01"}, base...), unionpaytest.CodeMalformed},
		{"consume with a token", "06", "000000", unionpaytest.EndpointBack,
			append([]string{"tokenPayData", "{trId=62000000001&token=6299990000012345}"}, consume...), unionpaytest.CodeMalformed},
		{"consume, qrNo of 21 digits", "06", "000000", unionpaytest.EndpointBack,
			append([]string{"qrNo", qrNo + "12", "termId", "T0000001"}, base...), unionpaytest.CodeMalformed},
		{"consume, termId of 9", "06", "000000", unionpaytest.EndpointBack,
			append([]string{"qrNo", qrNo, "termId", "T00000001"}, base...), unionpaytest.CodeMalformed},
		{"consume with a card", "06", "000000", unionpaytest.EndpointBack,
			append([]string{"accNo", unionpaytest.TestCard}, consume...), unionpaytest.CodeMalformed},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			rec := &recorder{}
			m := newMerchant(t, unionpaytest.WithReporter(rec))
			kv := append([]string{"orderId", "QRCHECK" + string(rune('A'+i)) + "01"}, tt.kv...)
			resp := m.call(tt.ep, m.fields("01", tt.sub, tt.biz, kv...))
			assert.Equal(t, tt.wantCode, resp["respCode"], resp["respMsg"])
			assert.NotContains(t, resp["respMsg"], qrNo, "the payer's code is not quoted")
			assert.Equal(t, tt.wantCode != "00", rec.count() > 0, "reported")
			if tt.wantCode == "00" && tt.sub == "07" {
				assert.True(t, strings.HasPrefix(resp["qrCode"], m.srv.URL+"/qrcode/"), resp["qrCode"])
			} else {
				assert.Empty(t, resp["qrCode"])
			}
		})
	}
}

// TestQRCodePayment: an applied code is not found by a query until PayQRCode pays it; paid, it
// notifies backUrl and is queried as a success of its amount, paying it again changes nothing,
// and an unknown code is an error. A code paid with DeclinedCard fails 64; a Script of the
// orderId decides the payment, a pending one settled by queries.
func TestQRCodePayment(t *testing.T) {
	t.Parallel()
	m := newMerchant(t)
	in := newInbox(t, m.verifier)
	apply := func(orderID string) (qrCode, txnTime string) {
		f := m.fields("01", "07", "000000", "orderId", orderID, "txnAmt", "1234", "currencyCode", "156",
			"channelType", "08", "backUrl", in.URL())
		resp := m.call(unionpaytest.EndpointBack, f)
		require.Equal(t, "00", resp["respCode"], resp["respMsg"])
		return resp["qrCode"], f["txnTime"]
	}
	code, txnTime := apply("QRPAY001")
	assert.Equal(t, unionpaytest.CodeNotFound, m.query("QRPAY001", txnTime)["respCode"], "unpaid")

	got, err := m.srv.PayQRCode(code, "")
	require.NoError(t, err)
	assert.Equal(t, "00", got)
	n := in.wait(t, 1, 5*time.Second)[0]
	assert.Equal(t, "QRPAY001", n["orderId"])
	assert.Equal(t, "00", n["respCode"])
	assert.Equal(t, "07", n["txnSubType"])
	q := m.query("QRPAY001", txnTime)
	assert.Equal(t, "00", q["origRespCode"])
	assert.Equal(t, "1234", q["txnAmt"])
	got, err = m.srv.PayQRCode(code, unionpaytest.DeclinedCard)
	require.NoError(t, err)
	assert.Equal(t, "00", got, "paid already")

	_, err = m.srv.PayQRCode(m.srv.URL+"/qrcode/0", "")
	require.Error(t, err)

	declined, _ := apply("QRPAY002")
	got, err = m.srv.PayQRCode(declined, unionpaytest.DeclinedCard)
	require.NoError(t, err)
	assert.Equal(t, unionpaytest.CodeDeclined, got)

	m.srv.Script("QRPAY003", unionpaytest.Pending, unionpaytest.Succeed)
	pending, txnTime3 := apply("QRPAY003")
	got, err = m.srv.PayQRCode(pending, "")
	require.NoError(t, err)
	assert.Equal(t, "05", got)
	assert.Equal(t, "00", m.query("QRPAY003", txnTime3)["origRespCode"], "the second step")
}

// TestQRCodeOrders: PayQRCode of "" (the code of an application that failed) pays no order,
// not an order that has no code; a code paid by PayQRCode (or Complete) takes the notification
// faults queued for EndpointBack, where the QR-code order was placed, not EndpointFront's.
func TestQRCodeOrders(t *testing.T) {
	t.Parallel()
	m := newMerchant(t)
	in := newInbox(t, m.verifier)
	applied := m.call(unionpaytest.EndpointBack, m.fields("01", "07", "000000", "orderId", "QRORDER1", "txnAmt", "1234",
		"currencyCode", "156", "channelType", "08", "backUrl", in.URL()))
	require.Equal(t, "00", applied["respCode"], applied["respMsg"])
	app := m.call(unionpaytest.EndpointApp, m.fields("01", "01", "000201", "orderId", "QRORDER2", "txnAmt", "100",
		"currencyCode", "156", "channelType", "08", "backUrl", in.URL()))
	require.Equal(t, "00", app["respCode"], "an unpaid order without a code: %s", app["respMsg"])
	_, err := m.srv.PayQRCode("", "")
	require.Error(t, err)

	m.srv.FailEndpoint(unionpaytest.EndpointFront, unionpaytest.FaultLateNotify)
	m.srv.FailEndpoint(unionpaytest.EndpointBack, unionpaytest.FaultDuplicateNotify)
	code, err := m.srv.PayQRCode(applied["qrCode"], "")
	require.NoError(t, err)
	assert.Equal(t, "00", code)
	assert.Equal(t, []unionpaytest.FaultEvent{{Endpoint: unionpaytest.EndpointBack, OrderID: "QRORDER1",
		Notification: true, Fault: unionpaytest.FaultDuplicateNotify}}, m.srv.FaultLog())
}
