package javagbk

import (
	"bytes"
	"io"
	"math/rand/v2"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/transform"
)

// gbkInputs returns GBK byte strings, valid and not: every kind of byte at every position, a
// lead byte at the end, pairs with ASCII, 0x7F and 0xFF trails.
func gbkInputs() [][]byte {
	rng := rand.New(rand.NewPCG(1, 2))
	alphabet := []byte{'a', ' ', 0x30, 0x40, 0x7e, 0x7f, 0x80, 0x81, 0xa1, 0xa2, 0xaa, 0xb0, 0xd6, 0xd7, 0xe3, 0xf8, 0xfe, 0xff}
	ins := [][]byte{{}, {0x81}, {0xd6, 0xd0}, {0xd6}, {'a', 0xd6}, {0x81, 0x30, 0x81, 0x30}, {0xa2, 0xe3, 0x80}}
	for range 3000 {
		n := rng.IntN(12)
		b := make([]byte, n)
		for i := range b {
			if rng.IntN(3) == 0 {
				b[i] = byte(rng.IntN(256))
			} else {
				b[i] = alphabet[rng.IntN(len(alphabet))]
			}
		}
		ins = append(ins, b)
	}
	return ins
}

// chunked runs t over src given in chunks of srcN bytes with a dst of dstN bytes, as a
// transform.Reader would but with tiny buffers: ErrShortSrc asks for more input, ErrShortDst
// for an emptied dst.
func chunked(t *testing.T, tr transform.Transformer, src []byte, srcN, dstN int) ([]byte, error) {
	t.Helper()
	tr.Reset()
	var out []byte
	dst := make([]byte, dstN)
	pending := []byte{}
	pos := 0
	for range 100000 {
		if pos < len(src) && (len(pending) < srcN || len(pending) == 0) {
			end := min(pos+srcN-len(pending), len(src))
			if end == pos {
				end = pos + 1
			}
			pending = append(pending, src[pos:end]...)
			pos = end
		}
		atEOF := pos == len(src)
		nd, ns, err := tr.Transform(dst, pending, atEOF)
		out = append(out, dst[:nd]...)
		pending = pending[ns:]
		switch {
		case err == nil:
			if atEOF && len(pending) == 0 {
				return out, nil
			}
			if atEOF {
				t.Fatalf("nil error at EOF with %d bytes left", len(pending))
			}
		case err == transform.ErrShortDst:
			if nd == 0 && ns == 0 && dstN >= 4 {
				t.Fatalf("ErrShortDst without progress with a dst of %d", dstN)
			}
		case err == transform.ErrShortSrc:
			if atEOF {
				t.Fatalf("ErrShortSrc at EOF")
			}
			if pos < len(src) {
				pending = append(pending, src[pos])
				pos++
			}
		default:
			return out, err
		}
	}
	t.Fatal("no progress")
	return nil, nil
}

// TestDecoderStreaming: the decoder's output does not depend on how src and dst are cut.
func TestDecoderStreaming(t *testing.T) {
	for _, in := range gbkInputs() {
		want, err := NewDecoder().Bytes(in)
		require.NoError(t, err)
		for _, srcN := range []int{1, 2, 3, 5} {
			for _, dstN := range []int{3, 4, 5} {
				got, err := chunked(t, NewDecoder(), in, srcN, dstN)
				require.NoError(t, err)
				require.Equal(t, string(want), string(got), "% x src %d dst %d", in, srcN, dstN)
			}
		}
		for name, r := range map[string]func(io.Reader) io.Reader{"one": iotest.OneByteReader, "half": iotest.HalfReader, "dataerr": iotest.DataErrReader} {
			got, err := io.ReadAll(transform.NewReader(r(bytes.NewReader(in)), NewDecoder()))
			require.NoError(t, err)
			require.Equal(t, string(want), string(got), "%s % x", name, in)
		}
	}
}

// TestEncoderStreaming: the same for the encoder, on valid text and on invalid UTF-8 (an
// error wherever it is cut, with everything before it written).
func TestEncoderStreaming(t *testing.T) {
	texts := []string{"", "a", "中文€", "ab中文€\ue000测试 ", "\ue765\ue766\ue864\u2641x", "a\xffb", "中\xe4\xb8", "\xe4\xb8中", "€😀", "\ue5e5"}
	for _, s := range texts {
		want, wantErr := NewEncoder().String(s)
		for _, srcN := range []int{1, 2, 3, 4} {
			for _, dstN := range []int{2, 3, 4} {
				got, err := chunked(t, NewEncoder(), []byte(s), srcN, dstN)
				if wantErr != nil {
					require.Error(t, err, "%q", s)
					continue
				}
				require.NoError(t, err, "%q src %d dst %d", s, srcN, dstN)
				require.Equal(t, want, string(got), "%q src %d dst %d", s, srcN, dstN)
			}
		}
		got, err := io.ReadAll(transform.NewReader(iotest.OneByteReader(strings.NewReader(s)), NewEncoder()))
		if wantErr != nil {
			require.Error(t, err, "%q", s)
		} else {
			require.NoError(t, err)
			require.Equal(t, want, string(got))
		}
	}
}

// TestChain: decoder then encoder in a transform.Chain gives back valid GBK byte for byte,
// through one-byte reads.
func TestChain(t *testing.T) {
	table := jdkTable(t)
	var b strings.Builder
	for _, v := range table {
		b.WriteString(v)
		b.WriteByte('x')
	}
	in := b.String()
	got, err := io.ReadAll(transform.NewReader(iotest.OneByteReader(strings.NewReader(in)), transform.Chain(NewDecoder(), NewEncoder())))
	require.NoError(t, err)
	assert.Equal(t, in, string(got))
}

// TestEncoderErrorHandlers: invalid UTF-8 and characters outside GBK with x/text's
// handlers: HTML references for characters, the replacement for invalid UTF-8 (as x/text's own
// encoders do: U+FFFD as a reference), through tiny buffers too.
func TestEncoderErrorHandlers(t *testing.T) {
	got, err := encoding.HTMLEscapeUnsupported(NewEncoder()).String("a\ue5e5b😀c\xffd€")
	require.NoError(t, err)
	assert.Equal(t, "a\xa3\xa0b&#128512;c&#65533;d\xa2\xe3", got)
	r := transform.NewReader(iotest.OneByteReader(strings.NewReader("中😀€")), encoding.HTMLEscapeUnsupported(NewEncoder()))
	out, err := io.ReadAll(r)
	require.NoError(t, err)
	assert.Equal(t, "\xd6\xd0&#128512;\xa2\xe3", string(out))
	_, err = NewEncoder().String("a\xffb")
	require.Error(t, err)
}

// TestDecoderInvalidLikeJava: the decoder's U+FFFD for invalid input, next to what the
// JDK's String(bytes, "GBK") gives (measured with OpenJDK 17 on this machine).
func TestDecoderInvalidLikeJava(t *testing.T) {
	for _, tt := range []struct{ in, java string }{
		{"\x80", "\uFFFD"},
		{"\xff", "\uFFFD"},
		{"\x81", "\uFFFD"},
		{"\x81\x30", "\uFFFD0"},
		{"\x81\x7f", "\uFFFD\x7f"},
		{"\x81\x81\x40", "\u4e96@"},
		{"\x81\x20", "\uFFFD "},
		// A lead byte and 0xFF (neither a character nor a lead byte) are one pair to the JDK.
		{"\x81\xff", "\uFFFD"},
		{"\xfe\xff", "\uFFFD"},
		{"\x81\xffA", "\uFFFDA"},
		{"\xffA", "\uFFFDA"},
		{"\x80\xff", "\uFFFD\uFFFD"},
		{"\x81\x80", "\u4e90"},
		{"\x81\x80\x80", "\u4e90\uFFFD"},
	} {
		got, err := NewDecoder().String(tt.in)
		require.NoError(t, err)
		assert.Equal(t, tt.java, got, "% x", tt.in)
	}
}

// TestASCII: every ASCII byte, DEL and the control characters too, is itself both ways.
func TestASCII(t *testing.T) {
	var b []byte
	for c := range 0x80 {
		b = append(b, byte(c))
	}
	got, err := NewEncoder().Bytes(b)
	require.NoError(t, err)
	assert.Equal(t, b, got)
	got, err = NewDecoder().Bytes(b)
	require.NoError(t, err)
	assert.Equal(t, b, got)
}

// TestTruncatedUTF8AtEOF: UTF-8 cut short at the end is invalid input, a repertoire error
// that x/text's handlers replace as they do for x/text's own GBK encoder (not ErrShortSrc).
func TestTruncatedUTF8AtEOF(t *testing.T) {
	got, err := encoding.HTMLEscapeUnsupported(NewEncoder()).String("a\xe4\xb8")
	require.NoError(t, err)
	want, err := encoding.HTMLEscapeUnsupported(simplifiedchinese.GBK.NewEncoder()).String("a\xe4\xb8")
	require.NoError(t, err)
	assert.Equal(t, want, got)
	got, err = encoding.ReplaceUnsupported(NewEncoder()).String("a\xe4\xb8")
	require.NoError(t, err)
	want, err = encoding.ReplaceUnsupported(simplifiedchinese.GBK.NewEncoder()).String("a\xe4\xb8")
	require.NoError(t, err)
	assert.Equal(t, want, got)
}
