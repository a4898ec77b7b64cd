package unionpaytest_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/reconcile"
	"github.com/goacp/unionpay/unionpay"
	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

// TestCutoffLastNanosecond: the settle day ends at 23:00:00 exactly: a transaction at
// 22:59:59.999999999 still settles that day (the cut-off tests stop at whole seconds, so a
// cut-off a nanosecond early or late went unnoticed).
func TestCutoffLastNanosecond(t *testing.T) {
	t.Parallel()
	m := newMerchant(t)
	m.clock.Advance(13*time.Hour - time.Nanosecond) // 2026-11-25 22:59:59.999999999
	m.appConsume("CUTNANO001", "1000", "http://127.0.0.1:1/n")
	require.Equal(t, "1125", m.query("CUTNANO001", m.clock.Now().Format("20060102150405"))["settleDate"])
	m.clock.Advance(time.Nanosecond) // 23:00:00.000000000
	m.appConsume("CUTNANO002", "1000", "http://127.0.0.1:1/n")
	require.Equal(t, "1126", m.query("CUTNANO002", m.clock.Now().Format("20060102150405"))["settleDate"])
}

// TestDayOfNotQuiteMidnight: only an exact midnight is read as the date of its own zone;
// Tokyo's 00:30 or 00:00:00.000000001 is 23:30 (or 23:00:00.000000001) in Beijing the day
// before, the Beijing date it falls in (the existing test covered only one nanosecond before
// midnight).
func TestDayOfNotQuiteMidnight(t *testing.T) {
	t.Parallel()
	m := newMerchant(t)
	m.appConsume("DAYOF00001", "1000", "http://127.0.0.1:1/n") // 2026-11-25 10:00: settles the 25th
	tokyo := time.FixedZone("JST", 9*3600)
	d26 := time.Date(2026, 11, 26, 0, 0, 0, 0, tokyo)
	require.Len(t, m.srv.Records(d26), 0, "the 26th")
	for _, at := range []time.Time{d26.Add(30 * time.Minute), d26.Add(time.Nanosecond), d26.Add(time.Second),
		d26.Add(time.Hour - time.Nanosecond)} {
		assert.Len(t, m.srv.Records(at), 1, "%v is the 25th in Beijing", at)
	}
}

// TestAddedRecordsOfATokyoMidnight: AddRecord and AddErrorRecord read a midnight in another
// zone as that date, as Records, Settlement and the client's FileRequest.SettleDate do.
func TestAddedRecordsOfATokyoMidnight(t *testing.T) {
	t.Parallel()
	m := newMerchant(t)
	m.appConsume("TOKYOADD01", "1000", "http://127.0.0.1:1/n")
	beijing25 := time.Date(2026, 11, 25, 0, 0, 0, 0, reconcile.Beijing())
	tokyo25 := time.Date(2026, 11, 25, 0, 0, 0, 0, time.FixedZone("JST", 9*3600))
	extra := m.srv.Records(beijing25)[0]
	extra.OrderID, extra.QueryID = "TOKYOADD02", "261125100000999999998"
	require.NoError(t, m.srv.AddRecord(tokyo25, extra))
	var ids []string
	for _, r := range m.srv.Records(beijing25) {
		ids = append(ids, r.OrderID)
	}
	assert.ElementsMatch(t, []string{"TOKYOADD01", "TOKYOADD02"}, ids)

	er := reconcile.ErrorRecord{TxnCode: "E22", AcqInsCode: "88022900", SendInsCode: "00049993", TraceNo: "123456",
		TxnTime: time.Date(2026, 11, 25, 9, 30, 0, 0, reconcile.Beijing()), AccNo: "621626******0018", TxnAmt: 1000,
		MerCatCode: "4899", TermType: "07", PayCardType: "01", MerchantFee: 6, SettleAmt: -994, MerID: m.srv.MerchantID()}
	require.NoError(t, m.srv.AddErrorRecord(tokyo25, er))
	zipped, err := m.srv.Settlement(beijing25)
	require.NoError(t, err)
	arch, err := reconcile.Open(zipped)
	require.NoError(t, err)
	assert.NotNil(t, arch.First(reconcile.KindZME), "the error record of the 25th")
}

// TestFormPaidAfterCutoff: a front consume settles on the day it is paid, not on the day of its
// txnTime, as unionpay.SettleDay's documentation warns: a form signed at 22:55 and paid at 23:05
// is in the next day's file, which its query's settleDate names (a newcomer's trial).
func TestFormPaidAfterCutoff(t *testing.T) {
	t.Parallel()
	m := newMerchant(t)
	client, err := unionpay.NewClient(m.srv.Config())
	require.NoError(t, err)
	m.clock.Advance(12*time.Hour + 55*time.Minute) // 2026-11-25 22:55
	form, err := client.FrontConsume(&unionpay.ConsumeRequest{OrderID: "LATEFORM01", Amount: 1234,
		FrontURL: "http://127.0.0.1:1/r", BackURL: "http://127.0.0.1:1/n", PayTimeout: m.clock.Now().Add(15 * time.Minute)})
	require.NoError(t, err)
	m.clock.Advance(10 * time.Minute) // 23:05: the shopper pays
	_, err = m.srv.Pay(context.Background(), form.Fields, unionpaytest.TestCard)
	require.NoError(t, err)
	tx, err := client.Query(context.Background(), &unionpay.QueryRequest{OrderID: form.OrderID, TxnTime: form.TxnTime,
		TxnType: "01", Amount: 1234})
	require.NoError(t, err)
	require.Equal(t, unionpay.Succeeded, tx.State)

	d25 := time.Date(2026, 11, 25, 0, 0, 0, 0, reconcile.Beijing())
	assert.Equal(t, d25, unionpay.SettleDay(form.TxnTime), "the day of the txnTime")
	assert.Equal(t, "1126", tx.SettleDate, "the day it was paid")
	day, err := unionpay.ParseSettleDate(tx.SettleDate, form.TxnTime)
	require.NoError(t, err)
	assert.Equal(t, d25.AddDate(0, 0, 1), day)
	assert.Empty(t, m.srv.Records(d25))
	require.Len(t, m.srv.Records(day), 1)
	assert.Equal(t, "LATEFORM01", m.srv.Records(day)[0].OrderID)
}

// TestPendingOverCutoffSettlesWhenFinal: a refund still pending when its settle day ends settles
// on the day it becomes final, which the query that makes it final reports: the day's file, once
// the day has ended, never changes (a month-end trial found the refund added to a file the
// finance team had closed, and to no later one).
func TestPendingOverCutoffSettlesWhenFinal(t *testing.T) {
	t.Parallel()
	m := newMerchant(t)
	client, err := unionpay.NewClient(m.srv.Config())
	require.NoError(t, err)
	ctx := context.Background()
	m.clock.Advance(4 * time.Hour) // 2026-11-25 14:00
	pay := m.appConsume("OVERPAY001", "10000", "http://127.0.0.1:1/n")
	m.clock.Advance(time.Hour)
	m.srv.Script("OVERREF001", unionpaytest.Pending, unionpaytest.Pending, unionpaytest.Succeed)
	_, err = client.Refund(ctx, &unionpay.FollowUpRequest{OrderID: "OVERREF001", OrigQueryID: pay, Amount: 4000,
		BackURL: "http://127.0.0.1:1/n"})
	require.ErrorIs(t, err, unionpay.ErrPending)
	var pe *unionpay.PendingError
	require.ErrorAs(t, err, &pe)
	query := func() *unionpay.Transaction {
		tx, err := client.Query(ctx, &unionpay.QueryRequest{OrderID: "OVERREF001", TxnTime: pe.TxnTime, TxnType: "04", Amount: 4000})
		require.NoError(t, err)
		return tx
	}
	require.Equal(t, unionpay.Pending, query().State)

	d25 := time.Date(2026, 11, 25, 0, 0, 0, 0, reconcile.Beijing())
	m.clock.Advance(19 * time.Hour) // the 26th, 10:00: the 25th has ended and its file is fetched
	closed := m.srv.Records(d25)
	require.Len(t, closed, 1, "the payment alone")
	tx := query() // the refund succeeds now
	require.Equal(t, unionpay.Succeeded, tx.State)
	assert.Equal(t, "1126", tx.SettleDate, "the day it became final")
	assert.Equal(t, closed, m.srv.Records(d25), "the 25th's file has not changed")
	d26 := m.srv.Records(d25.AddDate(0, 0, 1))
	require.Len(t, d26, 1)
	assert.Equal(t, "OVERREF001", d26[0].OrderID)
	assert.Equal(t, int64(4000), d26[0].TxnAmt)
}

// TestPendingBeforeCutoffKeepsItsDay: a transaction that becomes final on the day it was accepted
// stays on that day.
func TestPendingBeforeCutoffKeepsItsDay(t *testing.T) {
	t.Parallel()
	m := newMerchant(t)
	client, err := unionpay.NewClient(m.srv.Config())
	require.NoError(t, err)
	ctx := context.Background()
	pay := m.appConsume("SAMEPAY001", "10000", "http://127.0.0.1:1/n") // 2026-11-25 10:00
	m.srv.Script("SAMEREF001", unionpaytest.Pending, unionpaytest.Succeed)
	_, err = client.Refund(ctx, &unionpay.FollowUpRequest{OrderID: "SAMEREF001", OrigQueryID: pay, Amount: 4000,
		BackURL: "http://127.0.0.1:1/n"})
	require.ErrorIs(t, err, unionpay.ErrPending)
	m.clock.Advance(12*time.Hour + 59*time.Minute) // 22:59
	tx, err := client.Query(ctx, &unionpay.QueryRequest{OrderID: "SAMEREF001", TxnTime: m.clock.Now().Add(-(12*time.Hour + 59*time.Minute)),
		TxnType: "04", Amount: 4000})
	require.NoError(t, err)
	require.Equal(t, unionpay.Succeeded, tx.State)
	assert.Equal(t, "1125", tx.SettleDate)
	assert.Len(t, m.srv.Records(time.Date(2026, 11, 25, 0, 0, 0, 0, reconcile.Beijing())), 2)
}
