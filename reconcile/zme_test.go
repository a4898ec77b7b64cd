package reconcile

import (
	"bytes"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// TestMutation2ZMEMalformed: ZME bytes that must be refused.
func TestMutation2ZMEMalformed(t *testing.T) {
	rec := ErrorRecord{TxnCode: "E74", TxnTime: settle.Add(time.Hour), TxnAmt: 1, Reserved: "note"}
	var buf bytes.Buffer
	w := NewZMEWriter(&buf)
	require.NoError(t, w.Write(&rec))
	require.NoError(t, w.Flush())
	good := buf.Bytes()
	cases := []struct {
		name  string
		at    int
		bytes string
		field string
	}{
		{"origSettleDate with its first three bytes blank", 108, "   1", "origSettleDate"},
		{"separator before the reserved field", 203, "x", "reserved"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			b := bytes.Clone(good)
			copy(b[c.at:], c.bytes)
			var errs []error
			for _, err := range ZME(bytes.NewReader(b), settle) {
				if err != nil {
					errs = append(errs, err)
				}
			}
			require.Len(t, errs, 1)
			require.ErrorContains(t, errs[0], c.field)
		})
	}
}
