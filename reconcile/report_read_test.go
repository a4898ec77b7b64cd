package reconcile

import (
	"bytes"
	"compress/flate"
	"io"
	"iter"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// truncatedZip returns a zip of one member, name, whose deflate stream of data is cut to half
// its length, the headers declaring the cut size: reading it fails part-way.
func truncatedZip(t *testing.T, name string, data []byte) []byte {
	t.Helper()
	stream := deflateBytes(t, data, flate.BestSpeed)
	return zipOfStream(t, name, data, stream[:len(stream)/2], uint64(len(data)))
}

// TestReportStopsOnTruncatedMember: a member that cannot be read to its end (its deflate stream
// cut short, an error that matches ErrMalformed but is no *LineError) stops WriteCSV and
// WriteJSON, which return it, instead of finishing the report with every unread order as
// missing_at_unionpay. Found in the fourth session's review: both returned nil.
func TestReportStopsOnTruncatedMember(t *testing.T) {
	const n = 2000
	var buf bytes.Buffer
	writeZM(&testing.B{}, &buf, n)
	a, err := Open(truncatedZip(t, "INN25123188ZM_777290058110097", buf.Bytes()))
	require.NoError(t, err)
	gen := benchRecords()
	orders := make([]Order, n)
	for i := range orders {
		rec := gen(i)
		orders[i] = Order{State: StateSucceeded, OrderID: rec.OrderID, Amount: rec.TxnAmt}
	}
	writers := map[string]func(io.Writer, iter.Seq2[Result, error], ...ReportOption) (*Report, error){
		"csv": WriteCSV, "json": WriteJSON,
	}
	for name, write := range writers {
		t.Run(name, func(t *testing.T) {
			rc, err := a.First(KindZM).Open()
			require.NoError(t, err)
			defer rc.Close()
			var out bytes.Buffer
			rep, err := write(&out, Match(ZM(rc, settle), ordersOf(orders...)))
			require.Error(t, err, "a read failure is returned")
			assert.ErrorIs(t, err, io.ErrUnexpectedEOF)
			assert.ErrorIs(t, err, ErrMalformed)
			var le *LineError
			assert.NotErrorAs(t, err, &le)
			require.NotNil(t, rep)
			assert.Zero(t, rep.Totals[MissingAtUnionPay].Count, "no unread order is reported missing")
			assert.Positive(t, rep.Totals[Matched].Count)
			assert.Less(t, rep.Totals[Matched].Count, int64(n))
			assert.Zero(t, rep.ErrorCount)
			assert.NotContains(t, out.String(), "missing_at_unionpay")
			assert.NotContains(t, out.String(), "total")
		})
	}
}

// TestReportDataErrors: bad lines and bad orders are counted and the report goes on; any other
// error ends it, even one that matches ErrMalformed.
func TestReportDataErrors(t *testing.T) {
	cases := []struct {
		name string
		err  error
		data bool
	}{
		{"bad line", &LineError{Line: 2, Field: "txnAmt", Offset: 66, Err: errDigits}, true},
		{"bad order", &OrderError{Index: 1, OrderID: "X", Err: ErrDuplicateOrder}, true},
		{"read error matching ErrMalformed", &readFailure{}, false},
		{"other read error", io.ErrClosedPipe, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var out bytes.Buffer
			rep, err := WriteCSV(&out, Match(recordsOf(rec(1, "A", 1, 0, "01"), c.err, rec(3, "B", 1, 0, "01")), ordersOf()))
			if c.data {
				require.NoError(t, err)
				assert.Equal(t, 1, rep.ErrorCount)
				assert.Equal(t, int64(2), rep.Totals[UnknownToMerchant].Count)
				return
			}
			require.ErrorIs(t, err, c.err)
			assert.Equal(t, int64(1), rep.Totals[UnknownToMerchant].Count)
			assert.False(t, strings.Contains(out.String(), "total"))
		})
	}
}

// readFailure is a reader's error that matches ErrMalformed, as a corrupt member's does.
type readFailure struct{}

func (*readFailure) Error() string        { return "reconcile: member: unexpected EOF" }
func (*readFailure) Is(target error) bool { return target == ErrMalformed }
