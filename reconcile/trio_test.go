package reconcile

import (
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/internal/ascii"
)

// TestTrioAgreesWithSetText checks textDecoder.trio, which parses traceNo, queryId and orderId
// together, against setText, which parses them one by one: the same strings, the same LF flag, and
// no result (the fields left to setText) when one of them is not ASCII.
func TestTrioAgreesWithSetText(t *testing.T) {
	// trio has the offsets and widths of the layout written in.
	require.Equal(t, []int{28, 6, 87, 21, 112, 32}, []int{
		zmLayout[zmTraceNo].off, zmLayout[zmTraceNo].width, zmLayout[zmQueryID].off,
		zmLayout[zmQueryID].width, zmLayout[zmOrderID].off, zmLayout[zmOrderID].width})
	r := rand.New(rand.NewPCG(5, 6))
	alphabet := []byte("0123456789ABCZ ")
	tests := []struct {
		name string
		odd  []byte // bytes sprinkled into the fields now and then
	}{
		{"ascii", nil},
		{"spaces", []byte{' '}},
		{"lf", []byte{'\n', '\r'}},
		{"gbk", []byte{0xB2, 0xE2, 0x80, 0xFF}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for range 3000 {
				line := make([]byte, zmLength)
				for i := range line {
					line[i] = ' '
				}
				for _, f := range []int{zmTraceNo, zmQueryID, zmOrderID} {
					fl := zmLayout[f]
					n := r.IntN(fl.width + 1)
					if r.IntN(4) == 0 {
						n = fl.width
					}
					for i := range n {
						c := alphabet[r.IntN(len(alphabet))]
						if len(tt.odd) > 0 && r.IntN(12) == 0 {
							c = tt.odd[r.IntN(len(tt.odd))]
						}
						line[fl.off+i] = c
					}
				}
				var fast, slow Record
				var tdFast, tdSlow textDecoder
				ok := tdFast.trio(line, &fast)
				var fp fieldParser
				fp.init(line, 1, zmLayout[:], &tdSlow)
				fp.setText(zmTraceNo, &slow.TraceNo)
				fp.setText(zmQueryID, &slow.QueryID)
				fp.setText(zmOrderID, &slow.OrderID)
				allASCII := ascii.Is(line[28:144])
				require.Equal(t, allASCII, ok, "%q", line[28:144])
				if !ok {
					require.Equal(t, Record{}, fast, "nothing set")
					continue
				}
				require.Equal(t, slow, fast, "%q", line[28:144])
				require.Equal(t, tdSlow.lf, tdFast.lf, "%q", line[28:144])
			}
		})
	}
}
