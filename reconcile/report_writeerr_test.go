package reconcile

import (
	"errors"
	"iter"
	"testing"

	"github.com/stretchr/testify/require"
)

// failingWriter fails every write.
type failingWriter struct{}

var errDiskFull = errors.New("disk full")

func (failingWriter) Write([]byte) (int, error) { return 0, errDiskFull }

// TestReportWriteErrors: a write that fails while results stream comes back
// from WriteCSV and WriteJSON as a reconcile error that wraps the writer's,
// as one on the header or the totals does (found by an API audit: it came
// back bare, like an error the results carried).
func TestReportWriteErrors(t *testing.T) {
	results := iter.Seq2[Result, error](func(yield func(Result, error) bool) {
		for i := range 2000 { // past the writers' buffers
			if !yield(Result{Class: UnknownToMerchant, Record: Record{Line: i + 1, OrderID: "ORD1"}}, nil) {
				return
			}
		}
	})
	lineErrors := iter.Seq2[Result, error](func(yield func(Result, error) bool) { // data errors only: CSV error rows
		for i := range 2000 {
			if !yield(Result{}, &LineError{Line: i + 1, Field: "txnAmt", Offset: 100, Err: errors.New("not a number")}) {
				return
			}
		}
	})
	for name, write := range map[string]func() (*Report, error){
		"WriteCSV":            func() (*Report, error) { return WriteCSV(failingWriter{}, results) },
		"WriteCSV error rows": func() (*Report, error) { return WriteCSV(failingWriter{}, lineErrors) },
		"WriteJSON":           func() (*Report, error) { return WriteJSON(failingWriter{}, results) },
	} {
		t.Run(name, func(t *testing.T) {
			_, err := write()
			require.ErrorIs(t, err, errDiskFull)
			require.ErrorContains(t, err, "reconcile: writing report: ")
		})
	}
}
