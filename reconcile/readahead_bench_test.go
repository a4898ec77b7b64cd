package reconcile

import (
	"io"
	"testing"

	"github.com/stretchr/testify/require"
)

// BenchmarkArchiveZM reads the ZM member of a settlement zip (100,000 lines,
// deflated as UnionPay's are) through ZM, as Archive.Records does: "ahead"
// lets ZM inflate on a goroutine of its own while it parses (the member's
// reader is one it reads ahead), "inline" hides the reader's type so that it
// inflates and parses in turn. cpu-ms/op is the process's CPU time.
func BenchmarkArchiveZM(b *testing.B) {
	_, a := zmZip(b, "INN25123188ZM_777290058110097", 100_000, WithMaxMemberSize(1<<30), WithMaxTotalSize(1<<30))
	m := a.First(KindZM)
	for _, mode := range []string{"ahead", "inline"} {
		b.Run(mode, func(b *testing.B) {
			b.SetBytes(int64(m.Size))
			b.ReportAllocs()
			c0 := cpuTime()
			for b.Loop() {
				rc, err := m.Open()
				require.NoError(b, err)
				var r io.Reader = rc
				if mode == "inline" {
					r = struct{ io.Reader }{rc}
				}
				n := 0
				for _, err := range ZM(r, settle) {
					require.NoError(b, err)
					n++
				}
				require.Equal(b, 100_000, n)
				require.NoError(b, rc.Close())
			}
			b.ReportMetric(float64(cpuTime()-c0)/float64(b.N)/1e6, "cpu-ms/op")
		})
	}
}
