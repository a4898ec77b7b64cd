package unionpaytest_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/reconcile"
	"github.com/goacp/unionpay/unionpay"
	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

// recordsMerchant is a merchant with a unionpay client on the same gateway.
func recordsMerchant(t *testing.T, opts ...unionpaytest.Option) (*merchant, *unionpay.Client, *inbox) {
	t.Helper()
	m := newMerchant(t, opts...)
	c, err := unionpay.NewClient(m.srv.Config())
	require.NoError(t, err)
	return m, c, newInbox(t, m.verifier)
}

// downloadZM downloads day's file with the client and returns its ZM records. It fails by its
// error, not the test: tests call it from goroutines too, where t.FailNow is not allowed.
func downloadZM(c *unionpay.Client, day time.Time) ([]reconcile.Record, error) {
	f, err := c.DownloadFile(context.Background(), &unionpay.FileRequest{SettleDate: day})
	if err != nil {
		return nil, err
	}
	arch, err := reconcile.Open(f.Content)
	if err != nil {
		return nil, err
	}
	m := arch.First(reconcile.KindZM)
	if m == nil {
		return nil, errors.New("no ZM member in the file")
	}
	rc, err := m.Open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	var out []reconcile.Record
	for r, err := range reconcile.ZM(rc, day) {
		if err != nil {
			return nil, err
		}
		r.Line = 0
		out = append(out, r)
	}
	return out, nil
}

func beijingDay(t time.Time) time.Time {
	t = t.In(time.FixedZone("CST", 8*3600))
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, t.Location())
}

// TestRecordsThroughDownload: the edits and additions show in the file the client
// downloads exactly as Records returns them (ledger order, edited, then additions in the order
// added); a later AlterRecord replaces the edit, a nil one removes it.
func TestRecordsThroughDownload(t *testing.T) {
	t.Parallel()
	m, c, in := recordsMerchant(t)
	day := beijingDay(m.clock.Now())
	qid := map[string]string{}
	for _, id := range []string{"RVREC0001", "RVREC0002", "RVREC0003"} {
		qid[id] = m.appConsume(id, "1000", in.URL())
	}
	plain := m.srv.Records(day)
	require.Len(t, plain, 3)
	m.srv.AlterRecord(qid["RVREC0001"], func(r *reconcile.Record) bool { r.TxnAmt = 1; return true })
	m.srv.AlterRecord(qid["RVREC0001"], func(r *reconcile.Record) bool { r.TxnAmt, r.SettleAmt = 999, 993; return true })
	m.srv.AlterRecord(qid["RVREC0002"], func(*reconcile.Record) bool { return false })
	m.srv.AlterRecord("NOSUCHQUERYID000000000", func(*reconcile.Record) bool { return false })
	x1, x2 := plain[2], plain[2]
	x1.OrderID, x1.QueryID = "RVEXTRA01", "261125100000999999991"
	x2.OrderID, x2.QueryID = "RVEXTRA02", "261125100000999999990" // sorts first: additions stay in order
	require.NoError(t, m.srv.AddRecord(day, x1))
	require.NoError(t, m.srv.AddRecord(day, x2))

	want := []reconcile.Record{plain[0], plain[2], x1, x2}
	want[0].TxnAmt, want[0].SettleAmt = 999, 993
	got := m.srv.Records(day)
	for i := range got {
		got[i].Line = 0
	}
	assert.Equal(t, want, got)
	file, err := downloadZM(c, day)
	require.NoError(t, err)
	require.Len(t, file, 4)
	assert.Equal(t, []string{"RVREC0001", "RVREC0003", "RVEXTRA01", "RVEXTRA02"},
		[]string{file[0].OrderID, file[1].OrderID, file[2].OrderID, file[3].OrderID})
	assert.Equal(t, int64(999), file[0].TxnAmt)
	assert.Equal(t, int64(993), file[0].SettleAmt)
	assert.Equal(t, plain[2].TxnAmt, file[1].TxnAmt)

	got[0].TxnAmt = 5 // Records returns a copy
	assert.Equal(t, int64(999), m.srv.Records(day)[0].TxnAmt)

	m.srv.AlterRecord(qid["RVREC0001"], nil)
	m.srv.AlterRecord(qid["RVREC0002"], nil)
	file, err = downloadZM(c, day)
	require.NoError(t, err)
	require.Len(t, file, 5)
	assert.Equal(t, plain[0].TxnAmt, file[0].TxnAmt)
}

// TestAddRecordEmptyDay: a record added for a day with no transaction makes a file for it
// (the download is not "no file", 98), holding that record alone; another day is not affected.
func TestAddRecordEmptyDay(t *testing.T) {
	t.Parallel()
	m, c, in := recordsMerchant(t)
	today := beijingDay(m.clock.Now())
	yesterday := today.AddDate(0, 0, -1)
	m.appConsume("RVEMPTY01", "1000", in.URL())
	_, err := downloadZM(c, yesterday)
	require.ErrorIs(t, err, unionpay.ErrNoFile)
	r := m.srv.Records(today)[0]
	r.OrderID, r.QueryID, r.TxnTime = "RVEMPTY02", "261124100000999999999", yesterday.Add(10*time.Hour)
	require.NoError(t, m.srv.AddRecord(yesterday, r))
	file, err := downloadZM(c, yesterday)
	require.NoError(t, err)
	require.Len(t, file, 1)
	assert.Equal(t, "RVEMPTY02", file[0].OrderID)
	assert.Len(t, m.srv.Records(today), 1)
}

// TestAddRecordDayZone: AddRecord's day, as FileRequest.SettleDate, is a date: a midnight
// given in another zone (Tokyo here) names that date. The client sends 1125 for Tokyo's
// midnight of 25 November; the record must be in that file. (AddRecord takes the Beijing date of
// the instant, 24 November.)
func TestAddRecordDayZone(t *testing.T) {
	t.Parallel()
	m, c, in := recordsMerchant(t)
	m.appConsume("RVZONE001", "1000", in.URL())
	today := beijingDay(m.clock.Now())
	r := m.srv.Records(today)[0]
	r.OrderID, r.QueryID = "RVZONE002", "261125100000999999999"
	tokyo := time.FixedZone("JST", 9*3600)
	day := time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, tokyo)
	require.NoError(t, m.srv.AddRecord(day, r))
	file, err := downloadZM(c, day)
	require.NoError(t, err)
	var ids []string
	for _, r := range file {
		ids = append(ids, r.OrderID)
	}
	assert.Contains(t, ids, "RVZONE002", "the record added for 25 November is in the file of 25 November")
}

// TestAddRecordBadInput: a zero day, a negative amount, a zero TxnTime, an orderId too wide
// for its field: each an error naming what is wrong, nothing added, no panic.
func TestAddRecordBadInput(t *testing.T) {
	t.Parallel()
	m, _, in := recordsMerchant(t)
	m.appConsume("RVBAD0001", "1000", in.URL())
	day := beijingDay(m.clock.Now())
	good := m.srv.Records(day)[0]
	good.QueryID = "261125100000999999999"
	for _, tc := range []struct {
		name string
		day  time.Time
		edit func(*reconcile.Record)
		want string
	}{
		{"zero day", time.Time{}, func(*reconcile.Record) {}, "zero day"},
		{"negative amount", day, func(r *reconcile.Record) { r.TxnAmt = -1 }, "field txnAmt"},
		{"zero TxnTime", day, func(r *reconcile.Record) { r.TxnTime = time.Time{} }, "field txnTime"},
		{"orderId too wide", day, func(r *reconcile.Record) { r.OrderID = "X123456789012345678901234567890123" }, "field orderId"},
	} {
		r := good
		tc.edit(&r)
		assert.NotPanics(t, func() {
			err := m.srv.AddRecord(tc.day, r)
			require.Error(t, err, tc.name)
			assert.Contains(t, err.Error(), "unionpaytest: AddRecord: ", tc.name)
			assert.Contains(t, err.Error(), tc.want, tc.name)
		})
	}
	assert.Len(t, m.srv.Records(day), 1, "nothing added")
	assert.NotPanics(t, func() { _ = m.srv.Records(time.Time{}) })
	assert.NotPanics(t, func() { m.srv.AlterRecord("", nil) })
}

// TestAlterRecordUnwritable: an edit that makes the record unwritable fails the download
// (documented), and the failure goes to the Reporter; Records still returns it.
func TestAlterRecordUnwritable(t *testing.T) {
	t.Parallel()
	rep := &recorder{}
	m, c, in := recordsMerchant(t, unionpaytest.WithReporter(rep))
	q := m.appConsume("RVUNW0001", "1000", in.URL())
	day := beijingDay(m.clock.Now())
	m.srv.AlterRecord(q, func(r *reconcile.Record) bool { r.TxnAmt = -5; return true })
	_, err := c.DownloadFile(context.Background(), &unionpay.FileRequest{SettleDate: day}) // the download itself fails
	require.Error(t, err)
	assert.NotErrorIs(t, err, unionpay.ErrNoFile)
	assert.Equal(t, 1, rep.count())
	assert.Equal(t, int64(-5), m.srv.Records(day)[0].TxnAmt)
	_, err = m.srv.Settlement(day)
	assert.ErrorContains(t, err, "field txnAmt")
}

// TestAlterRecordDropsAll: leaving out the day's only transaction: the file download then
// answers "no file" (98), as UnionPay does for a day without transactions.
func TestAlterRecordDropsAll(t *testing.T) {
	t.Parallel()
	m, c, in := recordsMerchant(t)
	q := m.appConsume("RVDROP001", "1000", in.URL())
	day := beijingDay(m.clock.Now())
	m.srv.AlterRecord(q, func(*reconcile.Record) bool { return false })
	assert.Empty(t, m.srv.Records(day))
	_, err := downloadZM(c, day)
	assert.ErrorIs(t, err, unionpay.ErrNoFile)
}

// TestAlterRecordRunsOncePerDownload: "edit changes its ZM record each time the file (or
// Records) is built": one download builds one file, so the edit runs once. The gateway runs it
// twice (once to decide whether there is a file, once to build it), so an edit that changes
// with the call (settled late: left out of the first file only) gives a first file with the
// record in it.
func TestAlterRecordRunsOncePerDownload(t *testing.T) {
	t.Parallel()
	m, c, in := recordsMerchant(t)
	q := m.appConsume("RVONCE001", "1000", in.URL())
	m.appConsume("RVONCE002", "1000", in.URL())
	day := beijingDay(m.clock.Now())
	var calls atomic.Int32
	m.srv.AlterRecord(q, func(*reconcile.Record) bool { return calls.Add(1) > 1 }) // left out of the first file
	file, err := downloadZM(c, day)
	require.NoError(t, err)
	assert.Equal(t, int32(1), calls.Load(), "edit calls for one download")
	assert.Len(t, file, 1, "the first file leaves RVONCE001 out")
}

// TestAlterRecordCallsServer: "edit runs without the Server's lock": an edit may call the
// Server (AlterRecord, AddRecord, Records of another day, Transactions, Now, FaultLog) without a
// deadlock, from Records and from a download alike.
func TestAlterRecordCallsServer(t *testing.T) {
	t.Parallel()
	m, c, in := recordsMerchant(t)
	q := m.appConsume("RVCALL001", "1000", in.URL())
	day := beijingDay(m.clock.Now())
	m.srv.AlterRecord(q, func(r *reconcile.Record) bool {
		_ = m.srv.Transactions()
		_ = m.srv.Records(day.AddDate(0, 0, -1))
		_ = m.srv.FaultLog()
		m.srv.AlterRecord("OTHERQUERYID", nil)
		r.TxnAmt = int64(len(m.srv.Transactions())) * 100
		return true
	})
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = m.srv.Records(day)
		_, err := downloadZM(c, day)
		assert.NoError(t, err)
	}()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("deadlock: an edit calling the Server")
	}
	assert.Equal(t, int64(100), m.srv.Records(day)[0].TxnAmt)
}

// TestAlterRecordPanicReleasesLock: a panicking edit leaves the Server usable.
func TestAlterRecordPanicReleasesLock(t *testing.T) {
	t.Parallel()
	m, _, in := recordsMerchant(t)
	q := m.appConsume("RVPANIC01", "1000", in.URL())
	day := beijingDay(m.clock.Now())
	m.srv.AlterRecord(q, func(*reconcile.Record) bool { panic("edit") })
	assert.Panics(t, func() { m.srv.Records(day) })
	done := make(chan struct{})
	go func() { defer close(done); m.srv.AlterRecord(q, nil); _ = m.srv.Records(day) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("the lock is still held after a panicking edit")
	}
}

// TestRecordsConcurrent: downloads, Records, AlterRecord, AddRecord and new payments at
// once (run with -race); every download is a consistent file.
func TestRecordsConcurrent(t *testing.T) {
	t.Parallel()
	m, c, in := recordsMerchant(t)
	day := beijingDay(m.clock.Now())
	q := m.appConsume("RVCONC001", "1000", in.URL())
	base := m.srv.Records(day)[0]
	var wg sync.WaitGroup
	for i := range 3 {
		wg.Go(func() {
			for range 5 {
				_, err := downloadZM(c, day)
				assert.NoError(t, err)
			}
		})
		wg.Go(func() {
			for j := range 5 {
				amt := int64(i*10 + j + 1)
				m.srv.AlterRecord(q, func(r *reconcile.Record) bool { r.TxnAmt = amt; return true })
				r := base
				r.OrderID, r.QueryID = fmt.Sprintf("RVADD%d%03d", i, j), fmt.Sprintf("2611251000009999999%d%d", i, j)
				assert.NoError(t, m.srv.AddRecord(day, r))
				_ = m.srv.Records(day)
			}
		})
	}
	wg.Wait()
	recs := m.srv.Records(day)
	assert.Len(t, recs, 16)
	var ids []string
	for _, r := range recs[1:] {
		ids = append(ids, r.OrderID)
	}
	assert.Len(t, slices.Compact(slices.Sorted(slices.Values(ids))), 15)
}

// TestAddRecordInstant: a day given as an instant other than midnight names its Beijing
// date (as Records and FileRequest.SettleDate take it): 20:00 UTC on 24 November is 25 November.
func TestAddRecordInstant(t *testing.T) {
	t.Parallel()
	m, c, in := recordsMerchant(t)
	m.appConsume("RVINST001", "1000", in.URL())
	today := beijingDay(m.clock.Now())
	r := m.srv.Records(today)[0]
	r.OrderID, r.QueryID = "RVINST002", "261125100000999999999"
	require.NoError(t, m.srv.AddRecord(time.Date(2026, 11, 24, 20, 0, 0, 0, time.UTC), r))
	recs := m.srv.Records(today)
	require.Len(t, recs, 2)
	assert.Equal(t, "RVINST002", recs[1].OrderID)
	file, err := downloadZM(c, today)
	require.NoError(t, err)
	assert.Len(t, file, 2)
}

// TestAddRecordConcurrent: AddRecord from several goroutines at once keeps every record
// (run with -race).
func TestAddRecordConcurrent(t *testing.T) {
	t.Parallel()
	m, _, in := recordsMerchant(t)
	m.appConsume("RVACONC01", "1000", in.URL())
	day := beijingDay(m.clock.Now())
	base := m.srv.Records(day)[0]
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range 4 {
		wg.Go(func() {
			<-start
			for j := range 20 {
				r := base
				r.OrderID, r.QueryID = fmt.Sprintf("RVAC%d%03d", i, j), fmt.Sprintf("261125100000999999%d%02d", i, j)
				assert.NoError(t, m.srv.AddRecord(day, r))
			}
		})
	}
	close(start)
	wg.Wait()
	assert.Len(t, m.srv.Records(day), 81)
}
