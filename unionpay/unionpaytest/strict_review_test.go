package unionpaytest_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/unionpay"
	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

// TestStrictnessFourthReview: requests UnionPay refuses and the fake accepted, found in the fourth
// session's review of the fake gateway.
func TestStrictnessFourthReview(t *testing.T) {
	t.Parallel()
	m := newMerchant(t)
	in := newInbox(t, m.verifier)
	qid := m.appConsume("STRICT4A1", "1000", in.URL())

	// GBK bytes ("退货原因") declared as UTF-8 and signed as sent: UnionPay decodes the body as
	// UTF-8, so the signature fails.
	f := m.fields("04", "00", "000201", "orderId", "STRICT4R1", "origQryId", qid, "txnAmt", "100",
		"channelType", "07", "backUrl", in.URL(), "reqReserved", "\xcd\xcb\xbb\xf5\xd4\xad\xd2\xf2")
	assert.Equal(t, "11", m.call(unionpaytest.EndpointBack, m.sign(f))["respCode"], "GBK declared as UTF-8")

	// reqReserved is 1 to 1024 bytes.
	f = m.fields("04", "00", "000201", "orderId", "STRICT4R2", "origQryId", qid, "txnAmt", "100",
		"channelType", "07", "backUrl", in.URL(), "reqReserved", strings.Repeat("r", 1025))
	assert.Equal(t, "10", m.call(unionpaytest.EndpointBack, m.sign(f))["respCode"], "reqReserved over 1024")
}

// TestPreAuthCancelWindows: a completion cancel (33) only on the completion's day, a
// pre-authorisation cancel (32) within 30 days of the pre-authorisation, as UnionPay's demos say.
func TestPreAuthCancelWindows(t *testing.T) {
	t.Parallel()
	m := newMerchant(t)
	in := newInbox(t, m.verifier)
	preAuth := func(id string) string {
		resp := m.call(unionpaytest.EndpointApp, m.fields("02", "01", "000201", "orderId", id, "txnAmt", "1000",
			"currencyCode", "156", "channelType", "08", "backUrl", in.URL()))
		require.Equal(t, "00", resp["respCode"], resp["respMsg"])
		_, err := m.srv.Complete(id, "")
		require.NoError(t, err)
		return m.query(id, resp["txnTime"])["queryId"]
	}
	auth1, auth2 := preAuth("WINDOW0001"), preAuth("WINDOW0002")
	done := m.back("03", "WINDOW0003", auth1, "1000", in.URL())
	require.Equal(t, "00", done["respCode"])

	m.clock.Add(24 * time.Hour)
	assert.Equal(t, "35", m.back("33", "WINDOW0004", done["queryId"], "1000", in.URL())["respCode"], "completion cancel the next day")
	m.clock.Add(29 * 24 * time.Hour) // day 30
	assert.Equal(t, "00", m.back("32", "WINDOW0005", auth2, "1000", in.URL())["respCode"], "pre-auth cancel on day 30")

	auth3 := preAuth("WINDOW0006")
	m.clock.Add(31 * 24 * time.Hour)
	assert.Equal(t, "35", m.back("32", "WINDOW0007", auth3, "1000", in.URL())["respCode"], "pre-auth cancel after 30 days")
}

// TestReqReservedGBKLength: the gateway counts reqReserved's 1024 bytes in the message charset,
// as sent: a GBK merchant's 512 Chinese characters (1024 GBK bytes, 1536 in UTF-8) pass (it
// counted them in UTF-8, refusing anything over 341).
func TestReqReservedGBKLength(t *testing.T) {
	t.Parallel()
	srv := unionpaytest.NewServer(keys(t), unionpaytest.WithReporter(t))
	t.Cleanup(srv.Close)
	cfg := srv.Config()
	cfg.Encoding = "GBK"
	c, err := unionpay.NewClient(cfg)
	require.NoError(t, err)
	ctx := context.Background()
	text := strings.Repeat("中", 512)
	_, err = c.AppConsume(ctx, &unionpay.ConsumeRequest{OrderID: "GBKRES001", Amount: 100,
		BackURL: "http://127.0.0.1:1/n", ReqReserved: text})
	require.NoError(t, err, "1024 GBK bytes")
}
