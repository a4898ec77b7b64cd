package reconcile

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"slices"
)

const (
	readBufferSize = 64 << 10 // size of the reads from record files
	maxLineLength  = 2048     // longer lines are malformed (records are 339 to 608 bytes)
	maxEmptyReads  = 100      // as bufio: a reader returning nothing this often is stuck
)

var (
	errLong      = fmt.Errorf("line longer than %d bytes", maxLineLength)
	errReadCount = errors.New("reader returned an invalid count")
)

// lineReader yields the lines of a record file without their CRLF (or LF),
// counting them from 1. It reads into one buffer of its own and keeps the
// line returned before the last one in it too (see prev), so that a parser
// can compare consecutive lines without copying them.
type lineReader struct {
	r        io.Reader
	buf      []byte
	pos, end int   // unread bytes are buf[pos:end]
	last     int   // offset of the last line returned, -1 if none
	lastLen  int   // its length
	prevOff  int   // offset of the line returned before it, -1 if none
	prevLen  int   // its length
	err      error // the read error (or io.EOF) met at end
	line     int
	raw      int // length of the last line with its CR, without its LF

	ahead       *readAhead // the goroutine reading r, once started
	aheadSize   int        // the size of its buffers; 0: r is read in line
	fills       int        // fills so far in line
	inlineFills int        // fills in line before reading ahead
	panicked    any        // what r.Read panicked with when read ahead
}

// newLineReader returns a lineReader of r that reads ahead (see readAhead)
// in buffers of aheadSize bytes past their room after one fill in line, or
// not at all if aheadSize is 0, or as readsAhead says if it is autoAhead
// (after aheadAfter fills in line).
func newLineReader(r io.Reader, aheadSize int) *lineReader {
	l := &lineReader{r: r, buf: make([]byte, readBufferSize+2*maxLineLength), last: -1, prevOff: -1,
		aheadSize: aheadSize, inlineFills: 1}
	if aheadSize == autoAhead {
		l.aheadSize, l.inlineFills = 0, aheadAfter
		if readsAhead(r) {
			l.aheadSize = aheadBufferSize
		}
	}
	return l
}

// close stops reading ahead, if the lineReader did: once it returns, r is
// read no more. The lineReader must not be used after.
func (l *lineReader) close() {
	if l.ahead != nil {
		l.ahead.close()
		l.ahead = nil
	}
}

// prev returns the line returned before the last one, or nil when there was
// none or an error came between them. It is valid until the next call to next.
func (l *lineReader) prev() []byte {
	if l.prevOff < 0 {
		return nil
	}
	return l.buf[l.prevOff : l.prevOff+l.prevLen : l.prevOff+l.prevLen]
}

// next returns the next line, valid until the call after the next one. err
// is io.EOF at the end, a *LineError for an over-long line (the reader has
// skipped it and may go on), or a read error.
func (l *lineReader) next() ([]byte, error) {
	l.prevOff, l.prevLen = l.last, l.lastLen
	for {
		if i := bytes.IndexByte(l.buf[l.pos:l.end], '\n'); i >= 0 {
			b := l.buf[l.pos : l.pos+i]
			return l.found(b, l.pos+i+1)
		}
		if l.end-l.pos > maxLineLength+1 { // no room left for its CRLF
			return nil, l.skipLong()
		}
		if l.err != nil {
			l.panicAgain()
			if l.pos == l.end {
				if l.err == io.EOF {
					return nil, io.EOF
				}
				return nil, l.readErr(l.line + 1)
			}
			if l.err != io.EOF {
				l.pos = l.end
				l.line++
				return nil, l.readErr(l.line)
			}
			return l.found(l.buf[l.pos:l.end], l.end) // the last line has no LF
		}
		l.fill()
	}
}

// nextSame returns the next line if its LF comes where it would if it had
// the raw length n (the length of a line before with its CR, see rawLen),
// or nil (then call next). It does not look for an earlier LF: the caller
// must check that the line has none, or call unread.
func (l *lineReader) nextSame(n int) []byte {
	e := l.pos + n
	if n <= 0 || n > maxLineLength || e >= l.end || l.buf[e] != '\n' {
		return nil
	}
	l.prevOff, l.prevLen = l.last, l.lastLen
	b, _ := l.found(l.buf[l.pos:e], e+1) // not too long: no error
	return b
}

// unread undoes the last nextSame, as far as next needs: the line is read
// again from its start, the one before it being the last returned.
func (l *lineReader) unread() {
	l.pos, l.last, l.lastLen = l.last, l.prevOff, l.prevLen
	l.line--
}

// rawLen returns the length of the last line returned with its CR.
func (l *lineReader) rawLen() int { return l.raw }

// found returns line b, whose next line starts at offset next.
func (l *lineReader) found(b []byte, next int) ([]byte, error) {
	l.line++
	l.raw = len(b)
	l.last, l.pos = l.pos, next
	if n := len(b); n > 0 && b[n-1] == '\r' {
		b = b[:n-1]
	}
	l.lastLen = len(b)
	if len(b) > maxLineLength {
		l.last, l.prevOff = -1, -1
		return nil, &LineError{Line: l.line, Field: "line", Err: errLong}
	}
	return slices.Clip(b), nil
}

func (l *lineReader) readErr(line int) error {
	l.last, l.prevOff = -1, -1
	return readLineErr(line, l.err)
}

// readLineErr reports a read error at line. An error of this package's own (a *memberReadError:
// "reconcile: malformed settlement file: member ...") keeps its prefix, said once; any other
// reader's error, whatever its text, comes after the package's.
func readLineErr(line int, err error) error {
	return readErr(fmt.Sprintf("reading line %d", line), err)
}

// readErr reports a read error while doing what: after the package's prefix, or, for an error of
// the package's own (a *memberReadError), with what after it, so that the prefix is said once.
func readErr(what string, err error) error {
	if _, own := err.(*memberReadError); own {
		return fmt.Errorf("%w (%s)", err, what)
	}
	return fmt.Errorf("reconcile: %s: %w", what, err)
}

// fill moves the unread bytes (and the last line returned, which prev will
// need; prev, set from it, moves with it) to the front of the buffer and reads more after them.
func (l *lineReader) fill() {
	keep := l.pos
	if l.last >= 0 {
		keep = l.last
	}
	if l.ahead == nil && l.aheadSize > 0 && l.fills >= l.inlineFills {
		l.ahead = startReadAhead(l.r, l.aheadSize)
	}
	if l.ahead != nil {
		l.nextChunk(keep)
		return
	}
	l.fills++
	if keep > 0 {
		copy(l.buf, l.buf[keep:l.end])
		l.end -= keep
		l.pos -= keep
		if l.last >= 0 {
			l.last -= keep
		}
		if l.prevOff >= 0 {
			l.prevOff -= keep
		}
	}
	n, err := readSome(l.r, l.buf[l.end:])
	l.end += n
	l.err = err
}

// readSome reads into p until a read returns anything: bytes, an error or both. As bufio does,
// a reader that returns nothing maxEmptyReads times in a row is stuck (io.ErrNoProgress), and a
// count out of range is an error (errReadCount), no bytes taken.
func readSome(r io.Reader, p []byte) (int, error) {
	for range maxEmptyReads {
		n, err := r.Read(p)
		if n < 0 || n > len(p) {
			return 0, errReadCount
		}
		if n > 0 || err != nil {
			return n, err
		}
	}
	return 0, io.ErrNoProgress
}

// nextChunk moves to the next buffer read ahead, copying the bytes from keep
// on into the room before its data, and gives the buffer it leaves back.
func (l *lineReader) nextChunk(keep int) {
	c := <-l.ahead.full
	k := l.end - keep
	start := aheadRoom - k
	copy(c.buf[start:aheadRoom], l.buf[keep:l.end])
	if len(l.buf) == len(c.buf) {
		l.ahead.free <- l.buf
	} else { // the first buffer read ahead: the in-line one is left
		l.ahead.free <- make([]byte, len(c.buf))
	}
	shift := start - keep
	l.buf = c.buf
	l.pos += shift
	l.end = aheadRoom + c.n
	if l.last >= 0 {
		l.last += shift
	}
	if l.prevOff >= 0 {
		l.prevOff += shift
	}
	l.err, l.panicked = c.err, c.panicked
}

// panicAgain panics with what r.Read panicked with on the goroutine reading
// ahead, once the lines read before are used: where Read would have been
// called in line.
func (l *lineReader) panicAgain() {
	if l.panicked != nil {
		panic(l.panicked)
	}
}

// skipLong discards the rest of an over-long line.
func (l *lineReader) skipLong() error {
	l.line++
	l.last, l.prevOff = -1, -1
	for {
		if i := bytes.IndexByte(l.buf[l.pos:l.end], '\n'); i >= 0 {
			l.pos += i + 1
			return &LineError{Line: l.line, Field: "line", Err: errLong}
		}
		l.pos = l.end
		if l.err != nil {
			l.panicAgain()
			if l.err == io.EOF {
				return &LineError{Line: l.line, Field: "line", Err: errLong}
			}
			return readLineErr(l.line, l.err)
		}
		l.fill()
	}
}
