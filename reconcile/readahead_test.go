package reconcile

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"runtime"
	"slices"
	"strings"
	"testing"
	"testing/iotest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// zmZip returns n generated ZM lines and an archive holding them as its one member, named
// name, opened with opts.
func zmZip(tb testing.TB, name string, n int, opts ...Option) ([]byte, *Archive) {
	tb.Helper()
	var plain, zbuf bytes.Buffer
	writeZM(tb, &plain, n)
	zw := zip.NewWriter(&zbuf)
	w, err := zw.Create(name)
	require.NoError(tb, err)
	_, err = w.Write(plain.Bytes())
	require.NoError(tb, err)
	require.NoError(tb, zw.Close())
	a, err := Open(zbuf.Bytes(), opts...)
	require.NoError(tb, err)
	return plain.Bytes(), a
}

// zmOutput is what zm yields for data read from r (made by newReader from
// data), read ahead in buffers of aheadSize bytes (0: in line), one string
// per element.
func zmOutput(r io.Reader, aheadSize int) []string {
	var out []string
	for rec, err := range zm(r, settle, aheadSize) {
		if err != nil {
			out = append(out, "error "+err.Error())
		} else {
			out = append(out, fmt.Sprintf("%+v", rec))
		}
	}
	return out
}

// mangledZM returns a ZM file of n generated lines with random damage: LFs
// and CR LFs put inside lines, CRs dropped, blank and over-long lines, bad
// amount digits and GBK text.
func mangledZM(t testing.TB, r *rand.Rand, n int) []byte {
	var buf bytes.Buffer
	writeZM(t, &buf, n)
	lines := bytes.SplitAfter(buf.Bytes(), []byte("\n"))
	var out bytes.Buffer
	for _, l := range lines {
		l = bytes.Clone(l)
		switch k := r.IntN(40); {
		case k == 0 && len(l) > 2:
			l[r.IntN(len(l)-2)] = '\n'
		case k == 1 && len(l) > 3:
			copy(l[r.IntN(len(l)-3):], "\r\n")
		case k == 2:
			l = append(l[:len(l)-2], '\n')
		case k == 3:
			out.WriteString("\r\n")
		case k == 4:
			out.WriteString(strings.Repeat("x", maxLineLength+r.IntN(3000)) + "\r\n")
		case k == 5 && len(l) > 300:
			l[250] = 'Z' // inside the amounts
		case k == 6 && len(l) > 500:
			copy(l[400:], "\xb2\xe2\xca\xd4") // 测试 in GBK, in the text fields
		}
		out.Write(l)
	}
	return out.Bytes()
}

// overcountReader reports reading more than it was given room for.
type overcountReader struct{ r io.Reader }

func (o overcountReader) Read(p []byte) (int, error) {
	n, err := o.r.Read(p)
	if err == io.EOF {
		return len(p) + 1, nil
	}
	return n, err
}

// undercountReader reports reading a negative count at the end of its data.
type undercountReader struct{ r io.Reader }

func (u undercountReader) Read(p []byte) (int, error) {
	n, err := u.r.Read(p)
	if err == io.EOF {
		return -1, nil
	}
	return n, err
}

// stutterReader returns nothing every other read: never stuck, since data
// comes between the empty reads.
type stutterReader struct {
	r     io.Reader
	empty bool
}

func (s *stutterReader) Read(p []byte) (int, error) {
	if s.empty = !s.empty; s.empty {
		return 0, nil
	}
	return s.r.Read(p)
}

// TestZMReadAhead checks that ZM yields the same records and errors (line
// numbers included) read ahead, in buffers of several sizes, as in line: for
// damaged files, read whole or in halves, and ending in a read error, a
// stuck reader, or a reader that miscounts (too many or negative); read a
// byte at a time, or so with an empty read before each read of data.
func TestZMReadAhead(t *testing.T) {
	r := rand.New(rand.NewPCG(18, 5))
	fail := errors.New("disk on fire")
	for round := range 5 {
		data := mangledZM(t, r, 500+r.IntN(400))
		cut := r.IntN(len(data))
		sources := map[string]func() io.Reader{
			"whole": func() io.Reader { return bytes.NewReader(data) },
			"half":  func() io.Reader { return iotest.HalfReader(bytes.NewReader(data)) },
			"fails": func() io.Reader {
				return io.MultiReader(bytes.NewReader(data[:cut]), iotest.ErrReader(fail))
			},
			"stuck":      func() io.Reader { return io.MultiReader(bytes.NewReader(data[:cut]), emptyReader{}) },
			"overcount":  func() io.Reader { return overcountReader{bytes.NewReader(data[:cut])} },
			"undercount": func() io.Reader { return undercountReader{bytes.NewReader(data[:cut])} },
			"stutter": func() io.Reader {
				return &stutterReader{r: iotest.OneByteReader(bytes.NewReader(data[:min(cut, 3000)]))}
			},
			"one byte": func() io.Reader { return iotest.OneByteReader(bytes.NewReader(data[:min(cut, 3000)])) },
		}
		for name, src := range sources {
			want := zmOutput(src(), 0)
			require.NotEmpty(t, want)
			for _, size := range []int{1, 5, 607, 4096, aheadBufferSize} {
				if size < 600 && (name != "whole" || round > 1) {
					continue // the costly sizes, on one source
				}
				got := zmOutput(src(), size)
				require.Equal(t, want, got, "round %d, %s, buffers of %d", round, name, size)
			}
		}
	}
}

// endlessZM yields ZM lines forever, counting its reads without a lock:
// a read after the sequence ended would race with the test's look at n.
type endlessZM struct {
	line []byte
	off  int
	n    int
}

func (c *endlessZM) Read(p []byte) (int, error) {
	c.n++
	k := 0
	for k < len(p) {
		m := copy(p[k:], c.line[c.off:])
		k += m
		c.off = (c.off + m) % len(c.line)
	}
	return k, nil
}

// TestZMReadAheadStops breaks off a ZM read ahead, early and late: once the
// loop is over, the reader is read no more (under -race, a read by a
// goroutine still running would be reported against the test's reads of
// the count).
func TestZMReadAheadStops(t *testing.T) {
	var buf bytes.Buffer
	writeZM(t, &buf, 1)
	for _, stop := range []int{1, 150, 5000} {
		cr := &endlessZM{line: buf.Bytes()}
		seen := 0
		for _, err := range zm(cr, settle, 4096) {
			require.NoError(t, err)
			if seen++; seen == stop {
				break
			}
		}
		reads := cr.n
		time.Sleep(10 * time.Millisecond)
		assert.Equal(t, reads, cr.n, "stopped after %d records", stop)
	}
}

// panickyReader gives a few lines of data, then panics.
type panickyReader struct{ r io.Reader }

func (p panickyReader) Read(b []byte) (int, error) {
	n, err := p.r.Read(b)
	if err == io.EOF {
		panic("reader broke")
	}
	return n, err
}

// TestZMReadAheadPanic: a reader that panics on the goroutine reading ahead
// panics the loop reading the records, with the same value, as it would in
// line.
func TestZMReadAheadPanic(t *testing.T) {
	var buf bytes.Buffer
	writeZM(t, &buf, 600)
	for _, size := range []int{0, 4096} {
		n := 0
		require.PanicsWithValue(t, "reader broke", func() {
			for _, err := range zm(panickyReader{bytes.NewReader(buf.Bytes())}, settle, size) {
				require.NoError(t, err)
				n++
			}
		}, "buffers of %d", size)
		assert.Equal(t, 600, n, "buffers of %d: the records before the panic", size)
	}
	// A panic while an over-long line is skipped.
	long := append(bytes.Clone(buf.Bytes()), strings.Repeat("x", 2*maxLineLength)...)
	for _, size := range []int{0, 4096} {
		n := 0
		require.PanicsWithValue(t, "reader broke", func() {
			for range zm(panickyReader{bytes.NewReader(long)}, settle, size) {
				n++
			}
		}, "over-long line, buffers of %d", size)
		assert.Equal(t, 600, n, "over-long line, buffers of %d: the records before the panic", size)
	}
}

// TestReadsAhead: ZM reads ahead only an archive's member, and only with a
// second processor; never a file, a pipe or bytes in memory. Not parallel: it
// sets GOMAXPROCS to 1 for a moment, and no test runs beside a serial one.
func TestReadsAhead(t *testing.T) {
	_, a := zmZip(t, "INN25123188ZM_777290058110097", 10)
	member, err := a.First(KindZM).Open()
	require.NoError(t, err)
	defer member.Close()

	file, err := os.CreateTemp(t.TempDir(), "ZM")
	require.NoError(t, err)
	defer file.Close()
	pr, pw, err := os.Pipe()
	require.NoError(t, err)
	defer pr.Close()
	defer pw.Close()

	procs := runtime.GOMAXPROCS(0)
	assert.Equal(t, procs > 1, readsAhead(member), "a member, with %d processors", procs)
	for name, r := range map[string]io.Reader{"file": file, "pipe": pr, "bytes": bytes.NewReader(nil)} {
		assert.False(t, readsAhead(r), name)
	}
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	assert.False(t, readsAhead(member), "a member, with one processor")
}

// TestArchiveRecordsReadAhead reads a member long enough to be read ahead
// through Archive.Records and checks it against the member's bytes parsed
// in line, and that every goroutine ZM started has returned. Not parallel: it
// counts goroutines, which a test beside it would start.
func TestArchiveRecordsReadAhead(t *testing.T) {
	if runtime.GOMAXPROCS(0) < 2 {
		t.Skip("one processor: members are read in line")
	}
	plain, a := zmZip(t, "INN25123188ZM_777290058110097", 3000) // 1.8 MB: several buffers

	before := runtime.NumGoroutine()
	var got []string
	for rec, err := range a.Records(time.Time{}, "") {
		require.NoError(t, err)
		got = append(got, fmt.Sprintf("%+v", rec))
	}
	assert.Equal(t, zmOutput(bytes.NewReader(plain), 0), got)
	ahead := 0
	for stop := range 50 { // broken off mid-file, once reading ahead
		n := 0
		for range a.Records(time.Time{}, "") {
			if n++; n == 400+stop*50 {
				ahead += readAheadGoroutines()
				break
			}
		}
	}
	assert.Positive(t, ahead, "no stop came while the member was read ahead")

	// The goroutine closes done, which the loop's end waits for, before it returns: its exit
	// may trail the loop by a scheduling delay (a millisecond's sleep put after close(done)
	// failed the count every run). One left waiting or reading never goes: wait for the
	// count far longer than any such delay.
	for deadline := time.Now().Add(10 * time.Second); runtime.NumGoroutine() > before || readAheadGoroutines() > 0; {
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<20)
			t.Fatalf("goroutines left running: %d, %d before\n%s", runtime.NumGoroutine(), before, buf[:runtime.Stack(buf, true)])
		}
		time.Sleep(time.Millisecond)
	}
}

// readAheadGoroutines returns how many goroutines are running readAhead.run.
func readAheadGoroutines() int {
	buf := make([]byte, 1<<20)
	return strings.Count(string(buf[:runtime.Stack(buf, true)]), "reconcile.(*readAhead).run(")
}

// FuzzZMReadAhead: any bytes, read ahead in buffers of any size from 1 to
// 5,000 bytes, yield what they yield read in line.
func FuzzZMReadAhead(f *testing.F) {
	var buf bytes.Buffer
	writeZM(f, &buf, 4)
	f.Add(buf.Bytes(), uint16(1))
	f.Add(buf.Bytes(), uint16(606))
	f.Add(mangledZM(f, rand.New(rand.NewPCG(1, 2)), 8), uint16(700))
	f.Add(mangledZM(f, rand.New(rand.NewPCG(3, 4)), 200), uint16(96))
	f.Add([]byte("\r\n\n"+strings.Repeat("x", maxLineLength+1)+"\n"), uint16(3))
	f.Fuzz(func(t *testing.T, data []byte, size uint16) {
		want := zmOutput(bytes.NewReader(data), 0)
		got := zmOutput(iotest.HalfReader(bytes.NewReader(data)), 1+int(size)%5000)
		if !slices.Equal(want, got) {
			t.Fatalf("read ahead in buffers of %d:\n%q\nin line:\n%q", 1+int(size)%5000, got, want)
		}
	})
}

// afterErrorReader gives its data, then fails, counting the reads after it
// failed without a lock: a read by a goroutine still running when the
// sequence has ended would race with the test's look at the count.
type afterErrorReader struct {
	r     io.Reader
	err   error
	after int
}

func (a *afterErrorReader) Read(p []byte) (int, error) {
	if a.err != nil {
		a.after++
		return 0, a.err
	}
	n, err := a.r.Read(p)
	if err == io.EOF {
		a.err = errors.New("disk on fire")
		return n, a.err
	}
	return n, err
}

// TestZMReadAheadStopsAtError: the reads end at the first error, as in
// line: r is not read again after it failed, whichever buffer size.
func TestZMReadAheadStopsAtError(t *testing.T) {
	var buf bytes.Buffer
	writeZM(t, &buf, 300)
	for _, size := range []int{0, 607, 4096, aheadBufferSize} {
		for range 20 {
			r := &afterErrorReader{r: bytes.NewReader(buf.Bytes())}
			out := zmOutput(r, size)
			require.NotEmpty(t, out)
			assert.Equal(t, "error reconcile: reading line 301: disk on fire", out[len(out)-1], "buffers of %d", size)
			require.Zero(t, r.after, "buffers of %d: reads after the error", size)
		}
	}
}

// emptyCounter gives its data, then nothing, counting the empty reads.
type emptyCounter struct {
	r     io.Reader
	empty int
}

func (e *emptyCounter) Read(p []byte) (int, error) {
	n, err := e.r.Read(p)
	if err == io.EOF {
		e.empty++
		return 0, nil
	}
	return n, err
}

// TestZMReadAheadStuck: a reader returning nothing is taken as stuck after
// as many empty reads read ahead as in line.
func TestZMReadAheadStuck(t *testing.T) {
	var buf bytes.Buffer
	writeZM(t, &buf, 50)
	for _, size := range []int{0, 607, 4096, aheadBufferSize} {
		r := &emptyCounter{r: bytes.NewReader(buf.Bytes())}
		out := zmOutput(r, size)
		require.NotEmpty(t, out)
		assert.Contains(t, out[len(out)-1], io.ErrNoProgress.Error(), "buffers of %d", size)
		assert.Equal(t, maxEmptyReads, r.empty, "buffers of %d: empty reads", size)
	}
}

// TestLineReaderStartsReadingAhead: a member's lines are read ahead after
// two fills in line (one when the buffer size is given), and a file's never.
func TestLineReaderStartsReadingAhead(t *testing.T) {
	if runtime.GOMAXPROCS(0) < 2 {
		t.Skip("one processor: members are read in line")
	}
	plain, a := zmZip(t, "INN25123188ZM_777290058110097", 1000) // 600 KB: many fills
	for _, tc := range []struct {
		name      string
		r         func() io.Reader
		aheadSize int
		fills     int  // fills in line
		ahead     bool // whether it read ahead
	}{
		{"member", func() io.Reader {
			m, err := a.First(KindZM).Open()
			require.NoError(t, err)
			t.Cleanup(func() { _ = m.Close() })
			return m
		}, autoAhead, 2, true},
		{"bytes", func() io.Reader { return bytes.NewReader(plain) }, autoAhead, -1, false},
		{"size given", func() io.Reader { return bytes.NewReader(plain) }, 4096, 1, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			lr := newLineReader(tc.r(), tc.aheadSize)
			defer lr.close()
			lines := 0
			for {
				_, err := lr.next()
				if err == io.EOF {
					break
				}
				require.NoError(t, err)
				lines++
			}
			assert.Equal(t, 1000, lines)
			assert.Equal(t, tc.ahead, lr.ahead != nil, "read ahead")
			if tc.fills >= 0 {
				assert.Equal(t, tc.fills, lr.fills, "fills in line")
			}
		})
	}
}

// TestZMEReadAheadStops: ZME, whose lines each reads, stops its read-ahead
// goroutine when the sequence is broken off, as ZM does.
func TestZMEReadAheadStops(t *testing.T) {
	if runtime.GOMAXPROCS(0) < 2 {
		t.Skip("one processor: members are read in line")
	}
	// ZM lines, malformed as ZME ones: 1.8 MB, more than is read ahead after 128 KB
	_, a := zmZip(t, "INN25123188ZME_777290058110097", 3000)
	m, err := a.First(KindZME).Open()
	require.NoError(t, err)
	defer m.Close()
	before := runtime.NumGoroutine()
	n := 0
	for range ZME(m, settle) {
		if n++; n == 600 {
			break
		}
	}
	require.Equal(t, 600, n)
	deadline := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond) // done is closed just before run returns
	}
	assert.LessOrEqual(t, runtime.NumGoroutine(), before, "the read-ahead goroutine left running")
}
