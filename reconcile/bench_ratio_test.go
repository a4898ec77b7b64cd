package reconcile

import (
	"fmt"
	"iter"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// BenchmarkZM1MRatio measures BenchmarkZM1M's two ratios with the three
// operations interleaved: each iteration scans, parses and matches the same
// 1,000,000-line file once each, in a rotating order, timing each (wall and
// process CPU) from a collected heap (the merchant's 1,000,000 orders are
// made, untimed, just before the match and dropped after it). It reports the medians over the iterations of
// x-scan = scan time / parse time (target >= 0.5) and
// x-parse = match time / parse time (target <= 2), in wall and CPU time,
// and x-parse-first, the first iteration's (a process's first match, on a
// heap that has not grown yet), with faults-parse and faults-match, the
// medians of the minor page faults each took (a first touch of memory the
// runtime took from the kernel: cheap on most machines, ~10 µs a page on
// some virtual ones, where the match's ~100 MB of fresh memory then weighs
// on x-parse). On a shared machine separate benchmarks
// drift apart between runs; interleaving exposes all three to the same
// load. Run it alone:
//
//	go test -run '^$' -bench ZM1MRatio -benchtime 7x ./reconcile/
func BenchmarkZM1MRatio(b *testing.B) {
	path := filepath.Join(b.TempDir(), "INN25123188ZM_777290058110097")
	size := writeBigZM(b, path, benchLines)
	var orders []Order // the merchant's, made before the match (untimed) and dropped after it
	seq := iter.Seq2[Order, error](func(yield func(Order, error) bool) {
		for _, o := range orders {
			if !yield(o, nil) {
				return
			}
		}
	})
	open := func() *os.File {
		f, err := os.Open(path)
		require.NoError(b, err)
		return f
	}
	ops := [3]func(){
		func() { // scan
			f := open()
			defer f.Close()
			bareScan(b, f, benchLines)
		},
		func() { // parse
			f := open()
			defer f.Close()
			var sum int64
			for rec, err := range ZM(f, settle) {
				if err != nil {
					b.Fatal(err)
				}
				sum += rec.TxnAmt
			}
			require.NotZero(b, sum)
		},
		func() { // match
			f := open()
			defer f.Close()
			var rep Report
			for res, err := range Match(ZM(f, settle), seq) {
				if err != nil {
					b.Fatal(err)
				}
				rep.Add(res)
			}
			require.Equal(b, int64(benchLines), rep.Totals[Matched].Count)
		},
	}
	var wall, cpu, faults [3][]float64
	var firstMatch, firstParse float64
	b.SetBytes(size)
	b.ResetTimer()
	i := 0
	for b.Loop() {
		for k := range 3 {
			op := (i + k) % 3
			b.StopTimer()
			if op == 2 {
				orders = make([]Order, benchLines)
				for j := range orders {
					orders[j] = Order{State: StateSucceeded, OrderID: fmt.Sprintf("ORD%012d", j), Amount: int64(100 + j%100000)}
				}
			}
			runtime.GC() // each operation starts from a collected heap
			b.StartTimer()
			w0, c0, f0 := time.Now(), cpuTime(), pageFaults()
			ops[op]()
			wall[op] = append(wall[op], float64(time.Since(w0)))
			cpu[op] = append(cpu[op], float64(cpuTime()-c0))
			faults[op] = append(faults[op], float64(pageFaults()-f0))
			orders = nil
		}
		if i == 0 {
			firstMatch, firstParse = wall[2][0], wall[1][0]
		}
		i++
	}
	med := func(v []float64) float64 {
		v = slices.Clone(v)
		slices.Sort(v)
		return v[len(v)/2]
	}
	ratio := func(num, den []float64) float64 { // median of the per-iteration ratios
		r := make([]float64, len(num))
		for k := range num {
			r[k] = num[k] / den[k]
		}
		return med(r)
	}
	b.ReportMetric(ratio(wall[0], wall[1]), "x-scan")
	b.ReportMetric(ratio(cpu[0], cpu[1]), "x-scan-cpu")
	b.ReportMetric(ratio(wall[2], wall[1]), "x-parse")
	b.ReportMetric(ratio(cpu[2], cpu[1]), "x-parse-cpu")
	b.ReportMetric(firstMatch/firstParse, "x-parse-first")
	b.ReportMetric(med(wall[1])/1e6, "parse-ms")
	b.ReportMetric(med(faults[1]), "faults-parse")
	b.ReportMetric(med(faults[2]), "faults-match")
}
