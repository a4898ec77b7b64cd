package reconcile

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestZMEStream: ZME streams a file as ZM does: blank lines skipped, an over-long line a
// *LineError naming its line with ranging going on, a break stopping it, a zero settle date its
// only element's error (these paths of the shared line loop had no ZME test).
func TestZMEStream(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	w := NewZMEWriter(&buf)
	for i := range 3 {
		require.NoError(t, w.Write(&ErrorRecord{TxnCode: "E74", TxnTime: settle.Add(time.Duration(i+1) * time.Hour), TxnAmt: int64(i + 1)}))
	}
	require.NoError(t, w.Flush())
	lines := strings.SplitAfter(buf.String(), "\r\n")
	file := lines[0] + "\r\n" + strings.Repeat("Y", 3000) + "\r\n" + lines[1] + "\n" + lines[2]

	type item struct {
		amt  int64
		line int
		err  string
	}
	var got []item
	for rec, err := range ZME(strings.NewReader(file), settle) {
		it := item{amt: rec.TxnAmt, line: rec.Line}
		if err != nil {
			var le *LineError
			require.True(t, errors.As(err, &le), "%v", err)
			it.line, it.err = le.Line, le.Field
		}
		got = append(got, it)
	}
	assert.Equal(t, []item{{1, 1, ""}, {0, 3, "line"}, {2, 4, ""}, {3, 6, ""}}, got,
		"line 2 blank, line 3 too long, line 5 blank")

	n := 0
	for range ZME(strings.NewReader(file), settle) {
		n++
		break
	}
	assert.Equal(t, 1, n)

	var errs []error
	for _, err := range ZME(strings.NewReader(file), time.Time{}) {
		errs = append(errs, err)
	}
	require.Len(t, errs, 1)
	assert.ErrorIs(t, errs[0], errNoSettleDate)
}
