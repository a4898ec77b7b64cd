package unionpaytest_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/reconcile"
)

// TestAlterAndAddRecord: AlterRecord and AddRecord make the settlement file disagree with the
// gateway's ledger, as UnionPay's can with a merchant's (a QA trial had to corrupt its own store
// instead): an amount changed, a transaction left out, a record nobody answered; the merchant's
// reconciliation then reports each (AmountMismatch, MissingAtUnionPay, UnknownToMerchant), from
// Records and from the file download's zip alike. A bad added record is refused.
func TestAlterAndAddRecord(t *testing.T) {
	t.Parallel()
	m := newMerchant(t)
	in := newInbox(t, m.verifier)
	day := m.clock.Now()
	var orders []reconcile.Order
	qid := map[string]string{}
	for _, id := range []string{"ALTER0001", "ALTER0002", "ALTER0003"} {
		m.appConsume(id, "1000", in.URL())
		_, err := m.srv.Complete(id, "")
		require.NoError(t, err)
		qid[id] = m.query(id, day.Format("20060102150405"))["queryId"]
		orders = append(orders, reconcile.Order{OrderID: id, Amount: 1000, TxnType: "01", State: reconcile.StateSucceeded})
	}
	m.srv.AlterRecord(qid["ALTER0001"], func(r *reconcile.Record) bool {
		r.TxnAmt, r.SettleAmt = 999, 999
		return true
	})
	m.srv.AlterRecord(qid["ALTER0002"], func(*reconcile.Record) bool { return false })
	extra := m.srv.Records(day)[0]
	extra.OrderID, extra.QueryID = "NOBODY001", "261125100000999999999"
	require.NoError(t, m.srv.AddRecord(day, extra))
	bad := extra
	bad.TxnTime = time.Time{}
	require.ErrorContains(t, m.srv.AddRecord(day, bad), "unionpaytest: AddRecord: ")
	require.ErrorContains(t, m.srv.AddRecord(time.Time{}, extra), "zero day")

	classes := func(records []reconcile.Record) map[string]reconcile.Class {
		got := map[string]reconcile.Class{}
		seq := func(yield func(reconcile.Record, error) bool) {
			for _, r := range records {
				if !yield(r, nil) {
					return
				}
			}
		}
		orderSeq := func(yield func(reconcile.Order, error) bool) {
			for _, o := range orders {
				if !yield(o, nil) {
					return
				}
			}
		}
		for res, err := range reconcile.Match(seq, orderSeq) {
			require.NoError(t, err)
			id := res.Order.OrderID
			if !res.HasOrder() {
				id = res.Record.OrderID
			}
			got[id] = res.Class
		}
		return got
	}
	want := map[string]reconcile.Class{"ALTER0001": reconcile.AmountMismatch, "ALTER0002": reconcile.MissingAtUnionPay,
		"ALTER0003": reconcile.Matched, "NOBODY001": reconcile.UnknownToMerchant}
	assert.Equal(t, want, classes(m.srv.Records(day)))

	zipped, err := m.srv.Settlement(day)
	require.NoError(t, err)
	arch, err := reconcile.Open(zipped)
	require.NoError(t, err)
	rc, err := arch.First(reconcile.KindZM).Open()
	require.NoError(t, err)
	defer rc.Close()
	var fromFile []reconcile.Record
	for r, err := range reconcile.ZM(rc, day) {
		require.NoError(t, err)
		fromFile = append(fromFile, r)
	}
	assert.Equal(t, want, classes(fromFile))

	m.srv.AlterRecord(qid["ALTER0002"], nil) // removed: settled again
	assert.Len(t, m.srv.Records(day), 4)
}
