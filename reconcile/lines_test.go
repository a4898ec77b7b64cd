package reconcile

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// refLines splits data as lineReader must: lines without CRLF (or LF), over-
// long ones as a *LineError, and prev being the line before each.
func refLines(data []byte) []string {
	var out []string
	br := bufio.NewReader(bytes.NewReader(data))
	for n := 1; ; n++ {
		b, err := br.ReadBytes('\n')
		if len(b) == 0 && err == io.EOF {
			return out
		}
		b = bytes.TrimSuffix(b, []byte("\n"))
		b = bytes.TrimSuffix(b, []byte("\r"))
		if len(b) > maxLineLength {
			out = append(out, fmt.Sprintf("error %v", &LineError{Line: n, Field: "line", Err: errLong}))
		} else {
			out = append(out, string(b))
		}
	}
}

// TestLineReader checks lines, long lines and prev against a plain split, for
// random files read whole, one byte at a time and in halves, in line and read
// ahead in buffers of several sizes (down to one byte: every line, the last
// one kept for prev too, crosses buffers).
func TestLineReader(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	for round := range 300 {
		var buf bytes.Buffer
		for range r.IntN(300) {
			switch k := r.IntN(20); {
			case k == 0:
				buf.WriteString(strings.Repeat("y", maxLineLength-2+r.IntN(5)))
			case k == 1:
				buf.WriteString(strings.Repeat("z", r.IntN(3*readBufferSize)))
			case k == 2:
				buf.WriteString("\r")
			default:
				buf.WriteString(strings.Repeat(string(rune('a'+k)), r.IntN(700)))
			}
			if r.IntN(4) == 0 {
				buf.WriteString("\n")
			} else {
				buf.WriteString("\r\n")
			}
		}
		if r.IntN(2) == 0 {
			buf.WriteString("tail without newline")
		}
		want := refLines(buf.Bytes())
		readers := []struct {
			name  string
			r     io.Reader
			ahead int // aheadSize: read ahead in buffers this large, or in line
		}{
			{"whole", bytes.NewReader(buf.Bytes()), 0},
			{"onebyte", iotest.OneByteReader(bytes.NewReader(buf.Bytes())), 0},
			{"half", iotest.HalfReader(bytes.NewReader(buf.Bytes())), 0},
			{"ahead1", bytes.NewReader(buf.Bytes()), 1},
			{"ahead613", iotest.HalfReader(bytes.NewReader(buf.Bytes())), 613},
			{"ahead4096", bytes.NewReader(buf.Bytes()), 4096},
		}
		for _, rd := range readers {
			name := rd.name
			if name == "onebyte" && round%10 != 0 || name == "ahead1" && round%100 != 0 || name == "ahead613" && round%3 != 0 {
				continue
			}
			lr := newLineReader(rd.r, rd.ahead)
			var got []string
			var last []byte
			haveLast := false
			for {
				b, err := lr.next()
				if err == io.EOF {
					break
				}
				if err != nil {
					got = append(got, "error "+err.Error())
					last, haveLast = nil, false
					continue
				}
				require.Equal(t, string(last), string(lr.prev()), "round %d %s line %d", round, name, lr.line)
				require.Equal(t, haveLast, lr.prev() != nil, "round %d %s line %d", round, name, lr.line)
				got = append(got, string(b))
				last, haveLast = append(last[:0:0], b...), true
			}
			lr.close()
			require.Equal(t, want, got, "round %d %s", round, name)
		}
	}
}

// TestLineReaderErrors checks read errors: lines before the error come out,
// then the error naming the line it stopped in; a reader that returns
// nothing forever stops with io.ErrNoProgress.
func TestLineReaderErrors(t *testing.T) {
	fail := errors.New("boom")
	lr := newLineReader(iotest.DataErrReader(io.MultiReader(strings.NewReader("one\r\ntwo\r\nthr"), iotest.ErrReader(fail))), 0)
	for _, want := range []string{"one", "two"} {
		b, err := lr.next()
		require.NoError(t, err)
		assert.Equal(t, want, string(b))
	}
	_, err := lr.next()
	require.ErrorIs(t, err, fail)
	assert.EqualError(t, err, "reconcile: reading line 3: boom")

	lr = newLineReader(emptyReader{}, 0)
	_, err = lr.next()
	require.ErrorIs(t, err, io.ErrNoProgress)
}

type emptyReader struct{}

func (emptyReader) Read([]byte) (int, error) { return 0, nil }

// refZM is ZM without shortcuts: lines split at every LF, each parsed alone.
func refZM(data []byte) []string {
	var out []string
	for n, line := range bytes.Split(data, []byte("\n")) {
		if n == len(bytes.Split(data, []byte("\n")))-1 && len(line) == 0 {
			break
		}
		line = bytes.TrimSuffix(line, []byte("\r"))
		switch {
		case len(line) > maxLineLength:
			out = append(out, (&LineError{Line: n + 1, Field: "line", Err: errLong}).Error())
		case len(line) > 0:
			rec, err := newZMParser(settle).parse(line, n+1)
			if err != nil {
				out = append(out, err.Error())
			} else {
				out = append(out, fmt.Sprintf("%+v", rec))
			}
		}
	}
	return out
}

func gotZM(data []byte) []string {
	var out []string
	for rec, err := range ZM(bytes.NewReader(data), settle) {
		if err != nil {
			out = append(out, err.Error())
		} else {
			out = append(out, fmt.Sprintf("%+v", rec))
		}
	}
	return out
}

// TestZMGuessedLineEnds puts an LF (and, in turn, a CR LF) at every byte of
// a line that follows one of the same length, in every layout, so that the
// reader's guess of where it ends is wrong: ZM must split it as a plain
// split at LF does.
func TestZMGuessedLineEnds(t *testing.T) {
	var buf bytes.Buffer
	writeZM(&testing.B{}, &buf, 4)
	lines := bytes.Split(bytes.TrimSuffix(buf.Bytes(), []byte("\r\n")), []byte("\r\n"))
	variants := map[string]func([]byte) []byte{
		"v2": func(l []byte) []byte { return l },
		"v2-608": func(l []byte) []byte {
			return append(append([]byte(nil), l...), ' ')
		},
		"v3": func(l []byte) []byte {
			return append(append([]byte(nil), l[:zmV3Start]...), "C000000000100 05 1 123456789012 "+strings.Repeat(" ", 67)...)
		},
	}
	for name, variant := range variants {
		set := make([][]byte, len(lines))
		for i, l := range lines {
			set[i] = variant(l)
		}
		for _, ins := range []string{"\n", "\r\n"} {
			for pos := range len(set[2]) {
				bad := append([]byte(nil), set[2]...)
				copy(bad[pos:], ins)
				file := append(bytes.Join([][]byte{set[0], set[1], bad, set[3]}, []byte("\r\n")), "\r\n"...)
				require.Equal(t, refZM(file), gotZM(file), "%s %q at %d", name, ins, pos)
			}
		}
	}
}

// TestZMGuessKeepsBlankLine: a 608-byte line ended by CR LF, then one ended by a bare LF and
// followed by a blank line: the guess that the second ends where the first did (one byte
// further, on the blank line's LF) must not swallow the blank line, or every later line number
// is one too low. Found in the third session's review.
func TestZMGuessKeepsBlankLine(t *testing.T) {
	var buf bytes.Buffer
	writeZM(&testing.B{}, &buf, 3)
	lines := bytes.Split(bytes.TrimSuffix(buf.Bytes(), []byte("\r\n")), []byte("\r\n"))
	for i := range lines { // 608-byte lines
		lines[i] = append(append([]byte(nil), lines[i]...), ' ')
	}
	var file []byte
	file = append(append(file, lines[0]...), "\r\n"...)
	file = append(append(file, lines[1]...), "\n\n"...)
	file = append(append(file, lines[2]...), "\r\n"...)
	require.Equal(t, refZM(file), gotZM(file))
}
