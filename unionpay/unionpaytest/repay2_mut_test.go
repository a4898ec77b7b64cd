package unionpaytest_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

// TestOnlyDeclineRepayable: only a card the cashier declined (DeclinedCard, 64) may be
// paid again; an order refused by its Script keeps its result, whatever the code (RiskDenied,
// 38, or NoBalance, 64: a Script's final step is final).
func TestOnlyDeclineRepayable(t *testing.T) {
	t.Parallel()
	m := newMerchant(t)
	in := newInbox(t, m.verifier)
	m.srv.Script("REVRISK01", unionpaytest.RiskDenied)
	res, err := m.srv.Pay(context.Background(), m.frontForm("REVRISK01", "100", in.URL()), "")
	require.NoError(t, err)
	require.Equal(t, string(unionpaytest.RiskDenied), res["respCode"])
	code, err := m.srv.Complete("REVRISK01", "")
	require.NoError(t, err)
	assert.Equal(t, string(unionpaytest.RiskDenied), code, "a 38 is not paid again")

	m.srv.Script("REVNOBAL1", unionpaytest.NoBalance)
	res, err = m.srv.Pay(context.Background(), m.frontForm("REVNOBAL1", "100", in.URL()), "")
	require.NoError(t, err)
	require.Equal(t, string(unionpaytest.NoBalance), res["respCode"])
	code, err = m.srv.Complete("REVNOBAL1", "")
	require.NoError(t, err)
	assert.Equal(t, string(unionpaytest.NoBalance), code, "a scripted 64 is not paid again")
}

// TestScriptQueryByQueryID: a query naming the order by its queryId alone (as
// unionpay.QueryRequest{QueryID: ...} sends it) takes the order's ScriptQuery codes too.
func TestScriptQueryByQueryID(t *testing.T) {
	t.Parallel()
	m := newMerchant(t)
	in := newInbox(t, m.verifier)
	txnTime := m.clock.Now().Format("20060102150405")
	m.appConsume("REVSQQID1", "100", in.URL())
	_, err := m.srv.Complete("REVSQQID1", "")
	require.NoError(t, err)
	qid := m.query("REVSQQID1", txnTime)["queryId"]
	require.NotEmpty(t, qid)
	m.srv.ScriptQuery("REVSQQID1", "37")
	f := m.fields("00", "00", "000000", "queryId", qid)
	f["txnTime"] = txnTime
	assert.Equal(t, "37", m.call(unionpaytest.EndpointQuery, f)["respCode"])
	assert.Equal(t, "00", m.call(unionpaytest.EndpointQuery, f)["origRespCode"], "then as usual")
}

// TestPayTimeoutNotADate: a payTimeout of 14 digits that is no date is a format error (10,
// reported), not an order that never expires.
func TestPayTimeoutNotADate(t *testing.T) {
	t.Parallel()
	rec := &recorder{}
	m := newMerchant(t, unionpaytest.WithReporter(rec))
	f := m.frontForm("REVPTBAD1", "100", "http://127.0.0.1:1/n")
	f["payTimeout"] = "20261325000000"
	delete(f, "signature")
	_, err := m.srv.Pay(context.Background(), m.sign(f), "")
	require.ErrorContains(t, err, "respCode 10")
	assert.Equal(t, 1, rec.count())
}

// TestRepayAtPayTimeout: a declined order may be paid again at its payTimeout's very
// second ("beyond which ... refused": not at it), and not a second later.
func TestRepayAtPayTimeout(t *testing.T) {
	t.Parallel()
	m := newMerchant(t)
	in := newInbox(t, m.verifier)
	_, err := m.srv.Pay(context.Background(), m.frontForm("REVEDGE01", "100", in.URL()), unionpaytest.DeclinedCard)
	require.NoError(t, err)
	_, err = m.srv.Pay(context.Background(), m.frontForm("REVEDGE02", "100", in.URL()), unionpaytest.DeclinedCard)
	require.NoError(t, err)
	m.clock.Add(15 * time.Minute) // at payTimeout
	code, err := m.srv.Complete("REVEDGE01", "")
	require.NoError(t, err)
	assert.Equal(t, unionpaytest.CodeSuccess, code)
	m.clock.Add(time.Second)
	code, err = m.srv.Complete("REVEDGE02", "")
	require.Error(t, err)
	assert.Equal(t, unionpaytest.CodeExpired, code)
}

// TestScriptQueryAppends: a second ScriptQuery adds its codes after those not used
// yet, and the codes are copied (the caller's slice may be reused).
func TestScriptQueryAppends(t *testing.T) {
	t.Parallel()
	m := newMerchant(t)
	in := newInbox(t, m.verifier)
	txnTime := m.clock.Now().Format("20060102150405")
	m.appConsume("REVSQAPP1", "100", in.URL())
	codes := []unionpaytest.Outcome{"37", unionpaytest.Pending}
	m.srv.ScriptQuery("REVSQAPP1", codes...)
	m.srv.ScriptQuery("REVSQAPP1", "06")
	codes[1] = "02"
	var got []string
	for range 4 {
		got = append(got, m.query("REVSQAPP1", txnTime)["respCode"])
	}
	assert.Equal(t, []string{"37", "05", "06", "00"}, got)
}

// TestScriptQueryQuiet: a scripted query answer is the test's choice, not the
// merchant's mistake: nothing reaches the Reporter. And ScriptQuery applies to queries sent
// before the order exists (a query racing the order, answered 37 rather than 34).
func TestScriptQueryQuiet(t *testing.T) {
	t.Parallel()
	rec := &recorder{}
	m := newMerchant(t, unionpaytest.WithReporter(rec))
	in := newInbox(t, m.verifier)
	txnTime := m.clock.Now().Format("20060102150405")
	m.srv.ScriptQuery("REVSQQUI1", "37")
	assert.Equal(t, "37", m.query("REVSQQUI1", txnTime)["respCode"], "before the order exists")
	m.appConsume("REVSQQUI1", "100", in.URL())
	m.srv.ScriptQuery("REVSQQUI1", unionpaytest.IssuerBusy)
	assert.Equal(t, "83", m.query("REVSQQUI1", txnTime)["respCode"])
	assert.Equal(t, "00", m.query("REVSQQUI1", txnTime)["respCode"])
	assert.Zero(t, rec.count())
}

// TestRepayIsANewAttempt: the paying attempt has its own queryId and is settled at its
// own time, with the card it was paid with (not the declined one): across Beijing midnight the
// settle date is the payment's.
func TestRepayIsANewAttempt(t *testing.T) {
	t.Parallel()
	m := newMerchant(t)
	in := newInbox(t, m.verifier)
	res, err := m.srv.Pay(context.Background(), m.frontForm("REVNEWAT1", "100", in.URL()), unionpaytest.DeclinedCard)
	require.NoError(t, err)
	m.clock.Add(2 * time.Minute)
	paidAt := m.clock.Now()
	code, err := m.srv.Complete("REVNEWAT1", unionpaytest.TestCard)
	require.NoError(t, err)
	require.Equal(t, unionpaytest.CodeSuccess, code)
	x, ok := m.srv.Transaction("REVNEWAT1")
	require.True(t, ok)
	assert.NotEqual(t, res["queryId"], x.QueryID, "a new attempt, a new queryId")
	assert.True(t, x.Settled.Equal(paidAt), "settled when paid (%v), not when declined", x.Settled)
	recs := m.srv.Records(paidAt)
	require.NotEmpty(t, recs)
	assert.Equal(t, "621626******0018", recs[0].AccNo, "the card that paid")
}

// TestCompletePaidAfterPayTimeout: Complete on an order already paid returns its
// result, with no error, even after its payTimeout.
func TestCompletePaidAfterPayTimeout(t *testing.T) {
	t.Parallel()
	m := newMerchant(t)
	in := newInbox(t, m.verifier)
	_, err := m.srv.Pay(context.Background(), m.frontForm("REVPAIDT1", "100", in.URL()), "")
	require.NoError(t, err)
	m.clock.Add(time.Hour)
	code, err := m.srv.Complete("REVPAIDT1", unionpaytest.DeclinedCard)
	require.NoError(t, err)
	assert.Equal(t, unionpaytest.CodeSuccess, code)
}
