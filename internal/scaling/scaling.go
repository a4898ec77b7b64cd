// Package scaling checks that a decoder of untrusted data costs time and memory in proportion to
// its input, for the tests that guard against slow inputs (algorithmic denial of service): a
// path that rescans what it has read, or concatenates as it goes, costs the square of the input,
// which Go's fuzzer, looking for panics, never reports.
//
// A Case is measured on two inputs of its own shape, the larger at least sixteen times the
// smaller: a linear decoder costs about as much per input byte on both (somewhat more on the
// larger, whose data no longer fits the processor's caches), a quadratic one sixteen times as
// much or more. Time is the least of several measurements, each repeating the decoder for a few
// milliseconds: on a loaded machine some measurements wait for a core, rarely all of them. (A
// thread's CPU time, which would not count the waits, is counted in scheduler ticks on Linux:
// too coarse for a run of a few milliseconds.)
//
// The tests that use it skip under -short and are built without -race: the race detector's
// instrumentation changes what costs what (its shadow of fresh memory made a 64 KiB input cost ten
// times as much per byte as a 4 KiB one, in a decoder that is linear).
package scaling

import (
	"runtime"
	"runtime/debug"
	"testing"
	"time"
)

// Case is one decoder and one shape of input.
type Case struct {
	Name  string
	Build func(n int) []byte // an input of about n units of the shape (n bytes, n fields, n lines)
	Run   func(in []byte)    // decodes in; it must not keep or change in
}

// MaxGrowth is how much more per input byte the larger input may cost than the smaller, in time
// or in bytes allocated: a linear decoder stays well under it (the caches' effect stays
// under 4), a quadratic one over a sixteenfold larger input goes over it.
const MaxGrowth = 8

// allocSlack is allowed on top of the bytes allocated that MaxGrowth allows: what a decoder
// allocates whatever its input (a buffer, a map's first buckets) weighs nothing per byte.
const allocSlack = 64 << 10

// minRun is how long one measurement repeats the decoder: a single decoding of a small input is
// too short to time.
const minRun = 1 * time.Millisecond

// rounds is how many measurements are taken, the least kept.
const rounds = 4

// Check builds c's inputs of small and large units and fails t, naming c, if decoding the larger
// costs more than MaxGrowth times as much per input byte as the smaller in time, or in bytes
// allocated. It logs the figures. Large must be at least 16 times small.
func Check(t testing.TB, c Case, small, large int) {
	t.Helper()
	if large < 16*small {
		t.Fatalf("%s: large %d is less than 16 times small %d", c.Name, large, small)
	}
	a, b := c.Build(small), c.Build(large)
	if len(a) == 0 || len(b) < 8*len(a) {
		t.Fatalf("%s: inputs of %d and %d bytes: the larger should be about %d times the smaller", c.Name, len(a), len(b), large/small)
	}
	ta, tb := perByte(c.Run, a, b)
	ma, mb := allocated(c.Run, a), allocated(c.Run, b)
	t.Logf("%s: %d bytes %.1f ns/byte %d bytes allocated; %d bytes %.1f ns/byte %d bytes allocated: time per byte x%.1f",
		c.Name, len(a), ta, ma, len(b), tb, mb, tb/ta)
	if tb > MaxGrowth*ta {
		t.Errorf("%s: %.1f ns per byte of a %d-byte input, %.1f of a %d-byte one: x%.1f, more than linear (limit x%d)",
			c.Name, tb, len(b), ta, len(a), tb/ta, MaxGrowth)
	}
	if limit := MaxGrowth*float64(ma)*float64(len(b))/float64(len(a)) + allocSlack; float64(mb) > limit {
		t.Errorf("%s: %d bytes allocated for a %d-byte input, %d for a %d-byte one: more than linear (limit %.0f)",
			c.Name, mb, len(b), ma, len(a), limit)
	}
}

// Row is one line of a test's table of cases: a decoder (its name and a run of it), a shape of
// input, and how many units of that shape the smaller input has (the larger has 16 times as many).
type Row struct {
	Decoder string
	Run     func(in []byte)
	Shape   string
	Build   func(n int) []byte
	Small   int
}

// NewRow returns the Row of decoder (run) on inputs of shape (build), the smaller of small units.
func NewRow(decoder string, run func(in []byte), shape string, build func(n int) []byte, small int) Row {
	return Row{Decoder: decoder, Run: run, Shape: shape, Build: build, Small: small}
}

// CheckRows runs [Check] on each row, named "decoder: shape", with Small and 16 times Small units.
func CheckRows(t testing.TB, rows []Row) {
	t.Helper()
	for _, r := range rows {
		Check(t, Case{Name: r.Decoder + ": " + r.Shape, Build: r.Build, Run: r.Run}, r.Small, 16*r.Small)
	}
}

// perByte returns the least time run takes on a and on b, per byte of each, in nanoseconds. The
// rounds alternate between the two inputs, so that a spell of load on the machine weighs on both.
// The garbage collector is off while it measures: its cycles come when the heap has grown by a
// fraction, so how many a measurement pays for depends on the heap the rest of the test left,
// not only on the input.
func perByte(run func([]byte), a, b []byte) (ta, tb float64) {
	defer debug.SetGCPercent(debug.SetGCPercent(-1))
	ins := [2][]byte{a, b}
	var reps [2]int
	best := [2]time.Duration{-1, -1}
	for k, in := range ins {
		run(in) // warm up
		start := time.Now()
		run(in)
		reps[k] = max(1, int(minRun/max(time.Since(start), time.Microsecond)))
	}
	for range rounds {
		for k, in := range ins {
			runtime.GC() // each round from a collected heap: fresh memory costs more than reused
			start := time.Now()
			for range reps[k] {
				run(in)
			}
			if d := time.Since(start); best[k] < 0 || d < best[k] {
				best[k] = d
			}
		}
	}
	per := func(k int) float64 { return float64(best[k]) / float64(reps[k]) / float64(len(ins[k])) }
	return per(0), per(1)
}

// allocated returns the least number of bytes a run of run on in allocates, as the process's
// count of bytes allocated tells: another goroutine's allocations can only add to it.
func allocated(run func([]byte), in []byte) uint64 {
	run(in) // warm up: caches, pools
	var least uint64
	for i := range 2 {
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		run(in)
		runtime.ReadMemStats(&after)
		if n := after.TotalAlloc - before.TotalAlloc; i == 0 || n < least {
			least = n
		}
	}
	return least
}
