package reconcile

import (
	"bufio"
	"errors"
	"fmt"
	"io"
)

const (
	readBufferSize = 64 << 10 // bufio buffer for record files
	maxLineLength  = 2048     // longer lines are malformed (records are 339 to 608 bytes)
)

var errLong = fmt.Errorf("line longer than %d bytes", maxLineLength)

// lineReader yields the lines of a record file without their CRLF (or LF),
// counting them from 1. The returned slice is valid until the next call.
type lineReader struct {
	br   *bufio.Reader
	line int
}

func newLineReader(r io.Reader) *lineReader {
	return &lineReader{br: bufio.NewReaderSize(r, readBufferSize)}
}

// next returns the next line. err is io.EOF at the end, a *LineError for an
// over-long line (the reader has skipped it and may go on), or a read error.
func (l *lineReader) next() ([]byte, error) {
	b, err := l.br.ReadSlice('\n')
	if len(b) == 0 && err != nil {
		if err == io.EOF {
			return nil, io.EOF
		}
		return nil, fmt.Errorf("reconcile: reading line %d: %w", l.line+1, err)
	}
	l.line++
	if err != nil {
		if errors.Is(err, bufio.ErrBufferFull) {
			return nil, l.skipLong()
		}
		if err != io.EOF {
			return nil, fmt.Errorf("reconcile: reading line %d: %w", l.line, err)
		}
	}
	if n := len(b); n > 0 && b[n-1] == '\n' {
		b = b[:n-1]
	}
	if n := len(b); n > 0 && b[n-1] == '\r' {
		b = b[:n-1]
	}
	if len(b) > maxLineLength {
		return nil, &LineError{Line: l.line, Field: "line", Err: errLong}
	}
	return b, nil
}

// skipLong discards the rest of an over-long line.
func (l *lineReader) skipLong() error {
	line := l.line
	for {
		_, err := l.br.ReadSlice('\n')
		if err == nil || err == io.EOF {
			return &LineError{Line: line, Field: "line", Err: errLong}
		}
		if !errors.Is(err, bufio.ErrBufferFull) {
			return fmt.Errorf("reconcile: reading line %d: %w", line, err)
		}
	}
}
