package reconcile

import (
	"bytes"
	"io"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// OnResult sees every result, matched ones included, whether or not the
// report writes it, in the order the report counts them; several may be
// given, and a nil one is ignored.
func TestOnResult(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name  string
		write func(io.Writer, []ReportOption) (*Report, error)
	}{
		{"CSV", func(w io.Writer, o []ReportOption) (*Report, error) {
			records, orders := matchFixture()
			return WriteCSV(w, Match(records, orders), o...)
		}},
		{"JSON", func(w io.Writer, o []ReportOption) (*Report, error) {
			records, orders := matchFixture()
			return WriteJSON(w, Match(records, orders), o...)
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var seen, again []Class
			rep, err := tt.write(&bytes.Buffer{}, []ReportOption{OnResult(func(r Result) { seen = append(seen, r.Class) }),
				OnResult(nil), OnResult(func(r Result) { again = append(again, r.Class) })})
			require.NoError(t, err)
			want := []Class{Matched, AmountMismatch, StateMismatch, StateMismatch, StateMismatch, Duplicate,
				UnknownToMerchant, MissingAtUnionPay}
			assert.Equal(t, want, seen, "matched included, though not written")
			assert.Equal(t, want, again)
			var n int64
			for _, c := range Classes() {
				n += rep.Totals[c].Count
			}
			assert.Equal(t, int64(len(seen)), n, "what the totals count")
		})
	}
}
