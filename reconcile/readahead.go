package reconcile

import (
	"errors"
	"io"
	"runtime"
)

const (
	aheadBufferSize = 256 << 10            // bytes each read-ahead buffer holds past its room
	aheadRoom       = 2*maxLineLength + 16 // room before them for the bytes a buffer passes on
	aheadBuffers    = 3                    // one being parsed, two being filled or waiting
	aheadAfter      = 2                    // in-line fills first: a small file starts no goroutine
	autoAhead       = -1                   // newLineReader's aheadSize: as readsAhead says
)

// readAhead reads a record file on a goroutine of its own, into buffers the
// lineReader parses in turn, so that the reading (an archive member's
// inflation) overlaps the parsing. Each buffer has
// aheadRoom bytes before its data, where the lineReader copies the bytes it
// still needs from the buffer before (the last line and a partial one): the
// data is copied once, as without read-ahead.
type readAhead struct {
	full chan chunk    // buffers filled, in order; the last carries the error that ended the reads
	free chan []byte   // buffers to fill
	stop chan struct{} // closed when the lineReader is done
	done chan struct{} // closed when the goroutine has returned: it reads r no more
}

type chunk struct {
	buf      []byte // data at buf[aheadRoom:aheadRoom+n]
	n        int
	err      error
	panicked any // what r.Read panicked with, raised again by the lineReader (see errReadPanic)
}

// readsAhead reports whether a record file read from r is read on a second
// goroutine: only with a second processor to run it, and only for an
// archive member (see Member.Open), whose reading is inflation, as costly as
// the parse, and ends promptly (the bytes are in memory), so that stopping
// waits for no one. Any other reader is read in line: a file's reading is
// mostly the kernel's copy, which overlapping gains nothing measurable
// (docs/PERFORMANCE.md, eighteenth session) for more CPU, and a pipe or a
// socket could keep stopping waiting.
func readsAhead(r io.Reader) bool {
	_, member := r.(*boundedReader)
	return member && runtime.GOMAXPROCS(0) > 1
}

// startReadAhead starts reading r on a goroutine, into buffers of size
// bytes past their room.
func startReadAhead(r io.Reader, size int) *readAhead {
	a := &readAhead{
		full: make(chan chunk, aheadBuffers),
		free: make(chan []byte, aheadBuffers),
		stop: make(chan struct{}),
		done: make(chan struct{}),
	}
	for range aheadBuffers - 1 { // the last is made when the lineReader gives one back
		a.free <- make([]byte, aheadRoom+size)
	}
	go a.run(r)
	return a
}

// run fills free buffers from r and passes them on until an error (io.EOF
// included) or stop.
func (a *readAhead) run(r io.Reader) {
	defer close(a.done)
	for {
		var buf []byte
		select {
		case buf = <-a.free:
		case <-a.stop:
			return
		}
		c := chunk{buf: buf}
		c.fill(r)
		select {
		case a.full <- c:
		case <-a.stop:
			return
		}
		if c.err != nil {
			return
		}
	}
}

// errReadPanic ends the reads after r.Read panicked; the lineReader panics
// with the value where it would have called Read itself.
var errReadPanic = errors.New("reader panicked")

// fill reads from r into the buffer until it is full or r fails, with
// readSome as lineReader.fill reads, but in as many reads as the buffer
// takes. A panic in r.Read is caught and kept, with
// the bytes read before it.
func (c *chunk) fill(r io.Reader) {
	defer func() {
		if p := recover(); p != nil {
			c.panicked, c.err = p, errReadPanic
		}
	}()
	p := c.buf[aheadRoom:]
	for c.n < len(p) && c.err == nil {
		var m int
		m, c.err = readSome(r, p[c.n:])
		c.n += m
	}
}

// close stops the goroutine and waits for it: once close returns, r is read
// no more.
func (a *readAhead) close() {
	close(a.stop)
	<-a.done
}
