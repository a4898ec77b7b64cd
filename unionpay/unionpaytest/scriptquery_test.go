package unionpaytest_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/unionpay"
	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

// TestScriptQuery: ScriptQuery answers the next queries of an order with the query's own
// respCode, which the client reads as the unionpay package documents: a query answered 03 is
// Pending, one answered 37 (queried too often) an *Error, one answered 34 NotFound; then the
// order is queried as usual, its Script not moved on by those answers; QueryUntilFinal asks
// again through them. (A QA engineer's trial could not provoke a query's own pending or busy
// answer.)
func TestScriptQuery(t *testing.T) {
	t.Parallel()
	c := newClock()
	srv := unionpaytest.NewServer(unionpaytest.WithClock(c.Now), keys(t))
	t.Cleanup(srv.Close)
	cfg := srv.Config()
	var slept []time.Duration
	cfg.Sleep = func(_ context.Context, d time.Duration) error { slept = append(slept, d); return nil }
	client, err := unionpay.NewClient(cfg)
	require.NoError(t, err)
	ctx := context.Background()
	srv.Script("SCRIPTQ01", unionpaytest.Succeed, unionpaytest.Pending, unionpaytest.Succeed)
	app, err := client.AppConsume(ctx, &unionpay.ConsumeRequest{OrderID: "SCRIPTQ01", Amount: 1000,
		BackURL: "http://127.0.0.1:1/n"})
	require.NoError(t, err)
	_, err = srv.Complete("SCRIPTQ01", "")
	require.NoError(t, err)
	q := &unionpay.QueryRequest{OrderID: "SCRIPTQ01", TxnTime: app.TxnTime}

	srv.ScriptQuery("SCRIPTQ01", unionpaytest.Pending, "37", unionpaytest.Succeed, "34")
	tx, err := client.Query(ctx, q)
	require.NoError(t, err)
	assert.Equal(t, unionpay.Pending, tx.State)
	assert.Equal(t, "05", tx.RespCode)
	assert.Empty(t, tx.OrigRespCode, "the query's own answer says nothing of the order")
	_, err = client.Query(ctx, q)
	var ue *unionpay.Error
	require.ErrorAs(t, err, &ue)
	assert.Equal(t, "37", ue.RespCode)
	tx, err = client.Query(ctx, q)
	require.NoError(t, err)
	assert.Equal(t, "05", tx.OrigRespCode, "the order's Script, not moved on by the scripted answers")
	tx, err = client.Query(ctx, q)
	require.NoError(t, err)
	assert.Equal(t, unionpay.NotFound, tx.State)

	srv.ScriptQuery("SCRIPTQ01", "37", unionpaytest.Pending)
	tx, err = client.QueryUntilFinal(ctx, q, unionpay.BackBackoff())
	require.NoError(t, err)
	assert.Equal(t, unionpay.Succeeded, tx.State)
	assert.Len(t, slept, 3, "two scripted answers, then the order's next step")

	assert.PanicsWithError(t, `unionpaytest: ScriptQuery("X"): no codes`, func() { srv.ScriptQuery("X") })
	assert.Panics(t, func() { srv.ScriptQuery("X", "5") })
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
