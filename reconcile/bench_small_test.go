package reconcile

import (
	"bytes"
	"testing"
)

// smallZM returns n generated ZM lines in memory.
func smallZM(b testing.TB, n int) []byte {
	var buf bytes.Buffer
	writeZM(b, &buf, n)
	return buf.Bytes()
}

// BenchmarkZMLines parses 10,000 in-memory lines: a quick figure per line,
// next to a bare line scan of the same bytes.
func BenchmarkZMLines(b *testing.B) {
	data := smallZM(b, 10000)
	b.Run("scan", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		b.ReportAllocs()
		c0 := cpuTime()
		for b.Loop() {
			bareScan(b, bytes.NewReader(data), -1)
		}
		b.ReportMetric(float64(cpuTime()-c0)/float64(b.N), "cpu-ns/op")
	})
	b.Run("parse", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		b.ReportAllocs()
		c0 := cpuTime()
		for b.Loop() {
			for _, err := range ZM(bytes.NewReader(data), settle) {
				if err != nil {
					b.Fatal(err)
				}
			}
		}
		b.ReportMetric(float64(cpuTime()-c0)/float64(b.N), "cpu-ns/op")
	})
}

// BenchmarkParseLine parses one ASCII ZM line over and over: the parser alone.
func BenchmarkParseLine(b *testing.B) {
	data := smallZM(b, 2)
	line := data[609 : 609+607]
	p := newZMParser(settle)
	b.SetBytes(int64(len(line)) + 2)
	b.ReportAllocs()
	c0 := cpuTime()
	for b.Loop() {
		if _, err := p.parse(line, 1); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(cpuTime()-c0)/float64(b.N), "cpu-ns/op")
}

// BenchmarkMatchLines matches 100,000 in-memory lines against as many orders.
func BenchmarkMatchLines(b *testing.B) {
	const n = 100000
	data := smallZM(b, n)
	gen := benchRecords()
	orders := make([]Order, n)
	for i := range orders {
		rec := gen(i)
		orders[i] = Order{State: StateSucceeded, OrderID: rec.OrderID, Amount: rec.TxnAmt, TxnType: rec.TxnType}
	}
	seq := func(yield func(Order, error) bool) {
		for _, o := range orders {
			if !yield(o, nil) {
				return
			}
		}
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	c0 := cpuTime()
	for b.Loop() {
		var rep Report
		for res, err := range Match(ZM(bytes.NewReader(data), settle), seq) {
			if err != nil {
				b.Fatal(err)
			}
			rep.Add(res)
		}
		if rep.Totals[Matched].Count != n {
			b.Fatal(rep.Totals)
		}
	}
	b.ReportMetric(float64(cpuTime()-c0)/float64(b.N), "cpu-ns/op")
}
