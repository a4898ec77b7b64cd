package reconcile

import (
	"errors"
	"fmt"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// failAfterWriter fails every write once limit bytes have been written, counting the read-ahead
// goroutines running when it first fails.
type failAfterWriter struct {
	limit, n int
	ahead    int // read-ahead goroutines running at the first failed write; -1 before
}

func (w *failAfterWriter) Write(p []byte) (int, error) {
	if w.n+len(p) > w.limit {
		if w.ahead < 0 {
			w.ahead = readAheadGoroutines()
		}
		return 0, errors.New("disk full")
	}
	w.n += len(p)
	return len(p), nil
}

// TestReadAheadEndsWithItsConsumer: an archive member read ahead (its inflation on a goroutine of
// its own) through the ways a caller stops early stops that goroutine before the call returns:
// a loop over Match broken off, WriteCSV whose writer fails midway, ErrorRecords broken off, and
// a loop over Records whose body panics (recovered by the caller). Each case checks that the
// member was being read ahead when it stopped, so that it can fail. Not parallel: it counts
// goroutines.
func TestReadAheadEndsWithItsConsumer(t *testing.T) {
	if runtime.GOMAXPROCS(0) < 2 {
		t.Skip("one processor: members are read in line")
	}
	_, zmArchive := zmZip(t, "INN25123188ZM_777290058110097", 3000) // 1.8 MB: several buffers
	_, zmeArchive := zmZip(t, "INN25123188ZME_777290058110097", 3000)
	const stopAt = 600 // records: past the fills read in line, well before the end
	for _, tc := range []struct {
		name string
		run  func(t *testing.T) (ahead int) // read-ahead goroutines running when it stopped
	}{
		{"Match broken off", func(t *testing.T) (ahead int) {
			n := 0
			for _, err := range Match(zmArchive.Records(time.Time{}, ""), Orders(nil)) {
				require.NoError(t, err)
				if n++; n == stopAt {
					ahead = readAheadGoroutines()
					break
				}
			}
			return ahead
		}},
		{"WriteCSV whose writer fails", func(t *testing.T) int {
			w := &failAfterWriter{limit: 200 << 10, ahead: -1}
			_, err := WriteCSV(w, Match(zmArchive.Records(time.Time{}, ""), Orders(nil)))
			require.ErrorContains(t, err, "disk full")
			return w.ahead
		}},
		{"ErrorRecords broken off", func(t *testing.T) (ahead int) {
			n := 0
			for range zmeArchive.ErrorRecords(time.Time{}, "") {
				if n++; n == stopAt {
					ahead = readAheadGoroutines()
					break
				}
			}
			return ahead
		}},
		{"Records whose loop body panics", func(t *testing.T) (ahead int) {
			defer func() {
				assert.Equal(t, "stop here", recover())
			}()
			n := 0
			for _, err := range zmArchive.Records(time.Time{}, "") {
				require.NoError(t, err)
				if n++; n == stopAt {
					ahead = readAheadGoroutines()
					panic("stop here")
				}
			}
			return ahead
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			require.Zero(t, readAheadGoroutines(), "a read-ahead goroutine left by an earlier test")
			assert.Positive(t, tc.run(t), "the member was not being read ahead when the consumer stopped")
			// The goroutine has closed done, which the sequence's end waited for, just before it
			// returns: allow for that scheduling delay, far shorter than this bound.
			deadline := time.Now().Add(5 * time.Second)
			for readAheadGoroutines() > 0 {
				if time.Now().After(deadline) {
					buf := make([]byte, 1<<20)
					t.Fatalf("read-ahead goroutine left running:\n%s", buf[:runtime.Stack(buf, true)])
				}
				time.Sleep(time.Millisecond)
			}
		})
	}
}

// TestMatchSequenceSharedByGoroutines: one sequence made by Match over Archive.Records and
// Orders, ranged over from several goroutines at once (its members read ahead), gives each of
// them the results a lone range gives, under -race: each range has state of its own, as Match's
// doc says.
func TestMatchSequenceSharedByGoroutines(t *testing.T) {
	t.Parallel()
	_, a := zmZip(t, "INN25123188ZM_777290058110097", 1000)
	var orders []Order
	n := 0
	for rec, err := range a.Records(time.Time{}, "") {
		require.NoError(t, err)
		if n++; n%7 == 0 { // some matched, one of another amount, the rest unknown to the merchant
			orders = append(orders, Order{OrderID: rec.OrderID, TxnTime: rec.TxnTime, Amount: rec.TxnAmt + int64(n%2),
				TxnType: rec.TxnType, State: StateSucceeded})
		}
	}
	orders = append(orders, Order{OrderID: "NOTINTHEFILE0001", Amount: 100, TxnType: "01", State: StateSucceeded})
	seq := Match(a.Records(time.Time{}, ""), Orders(orders))
	results := func() []string {
		var out []string
		for res, err := range seq {
			if err != nil {
				out = append(out, "error "+err.Error())
				continue
			}
			out = append(out, fmt.Sprintf("%v %s %d %s", res.Class, res.Record.OrderID, res.Order.Amount, res.Detail))
		}
		return out
	}
	want := results()
	require.Len(t, want, n+1, "a result per record, and the missing order")
	var wg sync.WaitGroup
	for range 6 {
		wg.Go(func() {
			assert.Equal(t, want, results())
		})
	}
	wg.Wait()
}
