package reconcile

import (
	"bufio"
	"fmt"
	"io"
	"iter"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

const benchLines = 1_000_000

// scanBuffer is the buffer of the bare line scans the parser is compared
// with: bufio.Scanner's largest token, and 64 KiB reads. It is fixed here,
// not taken from the parser's read size, so that tuning the parser does not
// move its baseline.
const scanBuffer = 64 << 10

// bareScan counts the lines of r with a bare bufio.Scanner, the baseline the
// parser is compared with, and fails tb unless there are want (any, if want < 0).
func bareScan(tb testing.TB, r io.Reader, want int) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, scanBuffer), scanBuffer)
	n := 0
	for sc.Scan() {
		n++
	}
	require.NoError(tb, sc.Err())
	if want >= 0 {
		require.Equal(tb, want, n)
	}
}

// benchRecords returns a generator of realistic records: ASCII but for one
// line in a hundred with Chinese in the sub-merchant and reserved fields.
func benchRecords() func(i int) *Record {
	base := randomRecord(rand.New(rand.NewPCG(3, 4)), 1)
	base.ClearingAmt, base.POSEntryMode, base.MobilePayFlag, base.RetrievalRefNo = 0, "", "", ""
	var rec Record
	return func(i int) *Record {
		rec = base
		rec.TraceNo = fmt.Sprintf("%06d", i%1000000)
		rec.QueryID = fmt.Sprintf("2025123112000%08d", i)
		rec.OrderID = fmt.Sprintf("ORD%012d", i)
		rec.TxnTime = settle.Add(time.Duration(i%86400) * time.Second)
		rec.TxnAmt = int64(100 + i%100000)
		rec.MerchantFee = -rec.TxnAmt * 6 / 1000
		rec.SettleAmt = rec.TxnAmt + rec.MerchantFee
		rec.NetSettleAmt = rec.SettleAmt
		if i%100 == 0 {
			rec.SubMerAbbr, rec.MerReserved = "测试商户", "中文备注"
		} else {
			rec.SubMerAbbr, rec.MerReserved = "", "plain ascii reserved"
		}
		return &rec
	}
}

// writeZM writes n generated ZM lines (609 bytes each with CRLF) to w.
func writeZM(b testing.TB, w io.Writer, n int) {
	zw := NewZMWriter(w)
	gen := benchRecords()
	for i := range n {
		require.NoError(b, zw.Write(gen(i)))
	}
	require.NoError(b, zw.Flush())
}

// writeBigZM writes n generated ZM lines to path and returns the file size.
func writeBigZM(b *testing.B, path string, n int) int64 {
	f, err := os.Create(path)
	require.NoError(b, err)
	writeZM(b, f, n)
	require.NoError(b, f.Close())
	st, err := os.Stat(path)
	require.NoError(b, err)
	return st.Size()
}

// peakHeap runs fn while sampling the heap's live-object bytes every
// millisecond and returns the maximum seen (MiB).
func peakHeap(fn func()) float64 {
	runtime.GC()
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	var peak uint64
	read := func() {
		metrics.Read(sample)
		peak = max(peak, sample[0].Value.Uint64())
	}
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		tick := time.NewTicker(time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-done:
				return
			case <-tick.C:
				read()
			}
		}
	})
	fn()
	close(done)
	wg.Wait()
	read()
	return float64(peak) / (1 << 20)
}

// BenchmarkZM1M parses a generated 1,000,000-line ZM file (about 609 MB, in a
// temporary directory, generated once per run) next to a bare bufio line scan
// of the same file, then matches it against 1,000,000 orders. Run it alone:
//
//	go test -run '^$' -bench ZM1M -benchtime 2x ./reconcile/
//
// Metrics: MB/s; x-scan = parse throughput / scan throughput (target >= 0.5);
// peak-heap-MiB (target < 32); x-parse = match time / parse time (target <= 2);
// x-scan-default = the same against bufio.NewScanner as it comes (4 KiB reads),
// for scale. The -cpu variants compare process CPU time, steadier on a shared
// machine.
func BenchmarkZM1M(b *testing.B) {
	path := filepath.Join(b.TempDir(), "INN25123188ZM_777290058110097")
	size := writeBigZM(b, path, benchLines)
	var scanNs, parseNs, scanCPU, parseCPU, defaultNs float64

	b.Run("scan", func(b *testing.B) {
		b.SetBytes(size)
		b.ReportAllocs()
		c0 := cpuTime()
		for b.Loop() {
			f, err := os.Open(path)
			require.NoError(b, err)
			bareScan(b, f, benchLines)
			f.Close()
		}
		scanNs = float64(b.Elapsed().Nanoseconds()) / float64(b.N)
		scanCPU = float64(cpuTime()-c0) / float64(b.N)
		b.ReportMetric(scanCPU/1e6, "cpu-ms/op")
	})

	// bufio.NewScanner as it comes (4 KiB reads, no Buffer call), for scale:
	// the main baseline is the 64 KiB scan above, which reads as the parser does.
	b.Run("scan-default", func(b *testing.B) {
		b.SetBytes(size)
		b.ReportAllocs()
		for b.Loop() {
			f, err := os.Open(path)
			require.NoError(b, err)
			sc := bufio.NewScanner(f)
			n := 0
			for sc.Scan() {
				n++
			}
			require.NoError(b, sc.Err())
			require.Equal(b, benchLines, n)
			f.Close()
		}
		defaultNs = float64(b.Elapsed().Nanoseconds()) / float64(b.N)
	})

	b.Run("parse", func(b *testing.B) {
		b.SetBytes(size)
		b.ReportAllocs()
		var peak float64
		c0 := cpuTime()
		for b.Loop() {
			peak = max(peak, peakHeap(func() {
				f, err := os.Open(path)
				require.NoError(b, err)
				var sum int64
				n := 0
				for rec, err := range ZM(f, settle) {
					if err != nil {
						b.Fatal(err)
					}
					sum += rec.TxnAmt
					n++
				}
				require.Equal(b, benchLines, n)
				f.Close()
			}))
		}
		parseNs = float64(b.Elapsed().Nanoseconds()) / float64(b.N)
		parseCPU = float64(cpuTime()-c0) / float64(b.N)
		b.ReportMetric(parseCPU/1e6, "cpu-ms/op")
		b.ReportMetric(peak, "peak-heap-MiB")
		if scanNs > 0 {
			b.ReportMetric(scanNs/parseNs, "x-scan")
			b.ReportMetric(scanCPU/parseCPU, "x-scan-cpu")
		}
		if defaultNs > 0 {
			b.ReportMetric(defaultNs/parseNs, "x-scan-default")
		}
	})

	b.Run("match", func(b *testing.B) {
		orders := make([]Order, benchLines)
		for i := range orders {
			orders[i] = Order{State: StateSucceeded, OrderID: fmt.Sprintf("ORD%012d", i), Amount: int64(100 + i%100000)}
			if i%1000 == 0 {
				orders[i].Amount++
			}
		}
		seq := func(yield func(Order, error) bool) {
			for _, o := range orders {
				if !yield(o, nil) {
					return
				}
			}
		}
		b.SetBytes(size)
		b.ReportAllocs()
		b.ResetTimer()
		c0 := cpuTime()
		for b.Loop() {
			f, err := os.Open(path)
			require.NoError(b, err)
			var rep Report
			for res, err := range Match(ZM(f, settle), iter.Seq2[Order, error](seq)) {
				if err != nil {
					b.Fatal(err)
				}
				rep.Add(res)
			}
			f.Close()
			require.Equal(b, int64(benchLines-benchLines/1000), rep.Totals[Matched].Count)
		}
		matchCPU := float64(cpuTime()-c0) / float64(b.N)
		b.ReportMetric(matchCPU/1e6, "cpu-ms/op")
		if parseNs > 0 {
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/parseNs, "x-parse")
			b.ReportMetric(matchCPU/parseCPU, "x-parse-cpu")
		}
	})
}
