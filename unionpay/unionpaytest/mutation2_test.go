package unionpaytest_test

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/sign"
	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

// TestMutationReviewTwoStrictness: requests UnionPay refuses that the fake gateway would accept
// under a mutant that survived the second mutation review. Each must be refused.
func TestMutationReviewTwoStrictness(t *testing.T) {
	t.Parallel()
	m := newMerchant(t, unionpaytest.WithMaxAmount(9_999_999_999_999))
	in := newInbox(t, m.verifier)
	qid := m.appConsume("MUT2ORIG01", "100000", in.URL())
	preAuth := m.call(unionpaytest.EndpointApp, m.fields("02", "01", "000201", "orderId", "MUT2PREA01",
		"txnAmt", "10000", "currencyCode", "156", "channelType", "08", "backUrl", in.URL()))
	require.Equal(t, "00", preAuth["respCode"])
	_, err := m.srv.Complete("MUT2PREA01", "")
	require.NoError(t, err)
	preAuthQID := m.query("MUT2PREA01", preAuth["txnTime"])["queryId"]
	require.NotEmpty(t, preAuthQID)

	refund := func(orderID string, kv ...string) sign.Fields {
		f := m.fields("04", "00", "000201", "orderId", orderID, "origQryId", qid, "txnAmt", "100",
			"channelType", "07", "backUrl", in.URL())
		return edited(f, kv...)
	}
	appConsume := func(orderID string, kv ...string) sign.Fields {
		f := m.fields("01", "01", "000201", "orderId", orderID, "txnAmt", "100", "currencyCode", "156",
			"channelType", "08", "backUrl", in.URL())
		return edited(f, kv...)
	}
	stale := m.clock.Now().Add(-2 * time.Hour).Format("20060102150405")

	tests := []struct {
		name string
		ep   unionpaytest.Endpoint
		f    sign.Fields
	}{
		{"refund without txnAmt", unionpaytest.EndpointBack, refund("MUT2R0001", "txnAmt", "")},
		{"app consume without currencyCode", unionpaytest.EndpointApp, appConsume("MUT2C0001", "currencyCode", "")},
		{"refund without accessType", unionpaytest.EndpointBack, refund("MUT2R0002", "accessType", "")},
		{"refund with a txnTime two hours old", unionpaytest.EndpointBack, refund("MUT2R0003", "txnTime", stale)},
		{"consume of 13 digits of fen", unionpaytest.EndpointApp, appConsume("MUT2C0002", "txnAmt", "1000000000000")},
		{"orderId of 41 characters", unionpaytest.EndpointApp, appConsume(strings.Repeat("A", 41))},
		{"channelType 09", unionpaytest.EndpointApp, appConsume("MUT2C0003", "channelType", "09")},
		{"backUrl without a host", unionpaytest.EndpointApp, appConsume("MUT2C0004", "backUrl", "http://")},
		{"accessType 1 without acqInsCode", unionpaytest.EndpointBack, refund("MUT2R0004", "accessType", "1")},
		{"bizType not all digits", unionpaytest.EndpointApp, appConsume("MUT2C0005", "bizType", "00020A")},
		{"refund of a pre-authorisation", unionpaytest.EndpointBack, refund("MUT2R0005", "origQryId", preAuthQID)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := m.call(tt.ep, tt.f)
			require.NotEqual(t, "00", resp["respCode"], "UnionPay refuses this request: %s", resp["respMsg"])
		})
	}
	// The refusals took nothing: a valid refund still goes through.
	require.Equal(t, "00", m.call(unionpaytest.EndpointBack, refund("MUT2R0006"))["respCode"])
}

// TestMutationReviewTwoSettlementRecords: the settlement records carry the ledger's amounts
// and the sign of every kind of transaction.
func TestMutationReviewTwoSettlementRecords(t *testing.T) {
	t.Parallel()
	m := newMerchant(t)
	in := newInbox(t, m.verifier)
	m.appConsume("MUT2SETC01", "1234", in.URL())
	preAuth := m.call(unionpaytest.EndpointApp, m.fields("02", "01", "000201", "orderId", "MUT2SETP01",
		"txnAmt", "10000", "currencyCode", "156", "channelType", "08", "backUrl", in.URL()))
	require.Equal(t, "00", preAuth["respCode"])
	_, err := m.srv.Complete("MUT2SETP01", "")
	require.NoError(t, err)
	preAuthQID := m.query("MUT2SETP01", preAuth["txnTime"])["queryId"]
	done := m.back("03", "MUT2SETD01", preAuthQID, "10000", in.URL())
	require.Equal(t, "00", done["respCode"])
	require.Equal(t, "00", m.back("33", "MUT2SETU01", done["queryId"], "10000", in.URL())["respCode"])

	byOrder := map[string]int64{}
	amounts := map[string]int64{}
	for _, r := range m.srv.Records(m.clock.Now()) {
		byOrder[r.OrderID] = r.SettleAmt
		amounts[r.OrderID] = r.TxnAmt
	}
	tests := []struct {
		orderID  string
		amount   int64
		positive bool
	}{
		{"MUT2SETC01", 1234, true},
		{"MUT2SETD01", 10000, true},
		{"MUT2SETU01", 10000, false}, // a completion cancel moves money back
	}
	for _, tt := range tests {
		t.Run(tt.orderID, func(t *testing.T) {
			require.Contains(t, amounts, tt.orderID)
			require.Equal(t, tt.amount, amounts[tt.orderID])
			if tt.positive {
				require.Positive(t, byOrder[tt.orderID])
			} else {
				require.Negative(t, byOrder[tt.orderID])
			}
		})
	}
}

// TestMutationReviewTwoPendingOnOriginal: while a completion or a cancel of an original is
// pending, UnionPay refuses a second completion or cancel of it.
func TestMutationReviewTwoPendingOnOriginal(t *testing.T) {
	t.Parallel()
	m := newMerchant(t)
	in := newInbox(t, m.verifier)
	preAuth := m.call(unionpaytest.EndpointApp, m.fields("02", "01", "000201", "orderId", "MUT2PENP01",
		"txnAmt", "10000", "currencyCode", "156", "channelType", "08", "backUrl", in.URL()))
	require.Equal(t, "00", preAuth["respCode"])
	_, err := m.srv.Complete("MUT2PENP01", "")
	require.NoError(t, err)
	preAuthQID := m.query("MUT2PENP01", preAuth["txnTime"])["queryId"]
	consumeQID := m.appConsume("MUT2PENC01", "1000", in.URL())

	tests := []struct {
		name            string
		kind, origQID   string
		amount          string
		firstID, nextID string
		nextKind        string
	}{
		{"second completion", "03", preAuthQID, "5000", "MUT2PEND01", "MUT2PEND02", "03"},
		{"second cancel", "31", consumeQID, "1000", "MUT2PENU01", "MUT2PENU02", "31"},
		{"refund during a cancel", "31", "", "1000", "", "MUT2PENR01", "04"},
	}
	for _, tt := range tests {
		if tt.firstID != "" {
			m.srv.Script(tt.firstID, unionpaytest.Succeed, unionpaytest.Pending, unionpaytest.Succeed)
			require.Equal(t, "00", m.back(tt.kind, tt.firstID, tt.origQID, tt.amount, in.URL())["respCode"], tt.name)
		}
		orig := tt.origQID
		if orig == "" {
			orig = consumeQID
		}
		amount := tt.amount
		if tt.nextKind == "04" {
			amount = "100"
		}
		t.Run(tt.name, func(t *testing.T) {
			require.NotEqual(t, "00", m.back(tt.nextKind, tt.nextID, orig, amount, in.URL())["respCode"])
		})
	}
}

// TestMutationReviewTwoKinds: transaction kinds and formats UnionPay refuses at an endpoint.
func TestMutationReviewTwoKinds(t *testing.T) {
	t.Parallel()
	m := newMerchant(t)
	in := newInbox(t, m.verifier)
	m.appConsume("MUT2K0000", "100", in.URL()) // the day has a file
	day := m.clock.Now().Format("0102")
	require.Equal(t, "00", m.call(unionpaytest.EndpointFile, m.fields("76", "01", "000000", "settleDate", day,
		"fileType", "00"))["respCode"])
	tests := []struct {
		name string
		ep   unionpaytest.Endpoint
		f    sign.Fields
	}{
		{"collection without accNo", unionpaytest.EndpointBack, m.fields("11", "00", "000501", "orderId", "MUT2K0001",
			"txnAmt", "100", "currencyCode", "156", "channelType", "07", "backUrl", in.URL())},
		{"instalment consume at the back endpoint", unionpaytest.EndpointBack, m.fields("01", "03", "000301",
			"orderId", "MUT2K0002", "txnAmt", "100", "currencyCode", "156", "channelType", "07", "backUrl", in.URL(),
			"accNo", unionpaytest.TestCard)},
		{"gateway consume (000201) at the back endpoint", unionpaytest.EndpointBack, m.fields("01", "01", "000201",
			"orderId", "MUT2K0003", "txnAmt", "100", "currencyCode", "156", "channelType", "07", "backUrl", in.URL(),
			"accNo", unionpaytest.TestCard)},
		{"payTimeout not all digits", unionpaytest.EndpointApp, m.fields("01", "01", "000201", "orderId", "MUT2K0004",
			"txnAmt", "100", "currencyCode", "156", "channelType", "08", "backUrl", in.URL(),
			"payTimeout", "2025010112000A")},
		{"fileType 01", unionpaytest.EndpointFile, m.fields("76", "01", "000000", "settleDate", day, "fileType", "01")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := m.call(tt.ep, tt.f)
			require.NotEqual(t, "00", resp["respCode"], "UnionPay refuses this request: %s", resp["respMsg"])
		})
	}
}

// TestMutationReviewTwoFrontResubmit: a browser resubmitting an unpaid front order gets its
// session back only for the very same order; another amount under its orderId is a duplicate.
func TestMutationReviewTwoFrontResubmit(t *testing.T) {
	t.Parallel()
	m := newMerchant(t)
	form := m.frontForm("MUT2FRONT1", "100", "http://127.0.0.1:1/n")
	other := form.Clone()
	other["txnAmt"] = "200"
	other = m.sign(other)
	tests := []struct {
		name      string
		f         sign.Fields
		duplicate bool
	}{
		{"first submit", form, false},
		{"same order again", form, false},
		{"another amount", other, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, body, err := m.postRaw(unionpaytest.EndpointFront, tt.f)
			require.NoError(t, err)
			require.Equal(t, 200, status)
			if tt.duplicate {
				require.Contains(t, body, "already used")
			} else {
				require.NotContains(t, body, "already used")
			}
		})
	}
}

// TestMutationReviewTwoSecureKeyWrongKey: FaultWrongKey makes a secure-key signature fail too.
func TestMutationReviewTwoSecureKeyWrongKey(t *testing.T) {
	t.Parallel()
	key := []byte("0123456789abcdef0123456789abcdef")
	srv := unionpaytest.NewServer(unionpaytest.WithSecureKey(key), keys(t))
	t.Cleanup(srv.Close)
	for _, method := range []string{sign.MethodSHA256Key, sign.MethodSM3Key} {
		t.Run(method, func(t *testing.T) {
			f := sign.Fields{"version": "5.1.0", "encoding": "UTF-8", "signMethod": method, "respCode": "00",
				"orderId": "MUT2SKEY01"}
			good, err := srv.Sign(f)
			require.NoError(t, err)
			canonical, err := sign.Canonical(good)
			require.NoError(t, err)
			require.NoError(t, sign.VerifySecureKey(method, key, canonical, good["signature"]))
			bad, err := srv.SignWithFault(f, unionpaytest.FaultWrongKey)
			require.NoError(t, err)
			canonical, err = sign.Canonical(bad)
			require.NoError(t, err)
			require.ErrorIs(t, sign.VerifySecureKey(method, key, canonical, bad["signature"]), sign.ErrSignature)
		})
	}
}

// TestMutationReviewTwoFileOfLastYear: in January, settleDate MMDD of a day in last year's
// November names that day (the latest such date not after today).
func TestMutationReviewTwoFileOfLastYear(t *testing.T) {
	t.Parallel()
	m := newMerchant(t)
	in := newInbox(t, m.verifier)
	day := m.clock.Now()
	m.appConsume("MUT2YEAR01", "100", in.URL())
	m.clock.Add(time.Date(day.Year()+1, 1, 2, 10, 0, 0, 0, day.Location()).Sub(day))
	tests := []struct {
		settleDate string
		code       string
	}{
		{day.Format("0102"), "00"},
	}
	for _, tt := range tests {
		t.Run(tt.settleDate, func(t *testing.T) {
			resp := m.call(unionpaytest.EndpointFile, m.fields("76", "01", "000000", "settleDate", tt.settleDate,
				"fileType", "00"))
			require.Equal(t, tt.code, resp["respCode"], resp["respMsg"])
			require.NotEmpty(t, resp["fileContent"])
		})
	}
}

// edited sets in f the fields kv (key, value, ...), deleting those given an empty value, and
// returns f.
func edited(f sign.Fields, kv ...string) sign.Fields {
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] == "" {
			delete(f, kv[i])
		} else {
			f[kv[i]] = kv[i+1]
		}
	}
	return f
}
