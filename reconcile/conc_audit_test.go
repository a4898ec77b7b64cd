package reconcile

// Concurrency audit (helper "audit-conc"): go test -race ./reconcile -run ConcAudit -count=1

import (
	"io"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestConcAuditArchiveSharedAndBrokenEarly: one Archive read from many goroutines at once
// (Records, ErrorRecords, Match, Member.Open), each breaking out at every possible position,
// under -race: no panic (a yield after false), no race, and the full reads agree.
func TestConcAuditArchiveSharedAndBrokenEarly(t *testing.T) {
	day := time.Date(2025, 12, 31, 0, 0, 0, 0, Beijing())
	bad := zmText(t, day, "ORDER0004")
	bad = bad[:len(bad)/2] + "\n" // a malformed line
	b := zipOf(t,
		[2]string{"INN25123188ZM_777290058110097", zmText(t, day, "ORDER0001", "ORDER0002")},
		[2]string{"INN25123188RD_777290058110097", "not read"},
		[2]string{"INN25123189ZM_777290058110097", zmText(t, day, "ORDER0003") + bad},
	)
	a, err := Open(b)
	require.NoError(t, err)
	count := func(seq func(func(Record, error) bool)) int {
		n := 0
		for range seq {
			n++
		}
		return n
	}
	full := count(a.Records(time.Time{}, ""))
	require.Equal(t, 4, full)
	orders := func(yield func(Order, error) bool) {
		for _, id := range []string{"ORDER0001", "ORDER0003", "ORDER0009", "ORDER0001", ""} {
			if !yield(Order{OrderID: id, Amount: 100, TxnType: "01", State: StateSucceeded}, nil) {
				return
			}
		}
	}
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for stop := range full + 1 {
				i := 0
				for range a.Records(time.Time{}, "777290058110097") {
					if i++; i > stop {
						break
					}
				}
				i = 0
				for range a.ErrorRecords(time.Time{}, "") {
					if i++; i > stop {
						break
					}
				}
			}
			for stop := range 10 {
				i := 0
				for range Match(a.Records(time.Time{}, ""), orders) {
					if i++; i > stop {
						break
					}
				}
			}
			for _, m := range a.Members() {
				rc, err := m.Open()
				if assert.NoError(t, err) {
					_, _ = io.Copy(io.Discard, rc)
					assert.NoError(t, rc.Close())
				}
			}
			assert.Equal(t, full, count(a.Records(time.Time{}, "")))
		})
	}
	wg.Wait()
}
