package javagbk

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/hex"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"testing/iotest"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/transform"
)

// jdkTable reads OpenJDK 17's GBK table (testdata/README.md): code point to bytes.
func jdkTable(t testing.TB) map[rune]string {
	t.Helper()
	f, err := os.Open("testdata/jdk17-gbk.txt.gz")
	require.NoError(t, err)
	defer f.Close()
	zr, err := gzip.NewReader(f)
	require.NoError(t, err)
	table := map[rune]string{}
	sc := bufio.NewScanner(zr)
	for sc.Scan() {
		cp, b, ok := strings.Cut(sc.Text(), " ")
		require.True(t, ok, sc.Text())
		r, err := strconv.ParseUint(cp, 16, 32)
		require.NoError(t, err)
		raw, err := hex.DecodeString(b)
		require.NoError(t, err)
		table[rune(r)] = string(raw)
	}
	require.NoError(t, sc.Err())
	require.Len(t, table, 23940)
	return table
}

// TestJDKTable: every character of the JDK's GBK encodes to the JDK's bytes and those bytes
// decode back to it; every other BMP character is refused; every other two-byte sequence and
// the single bytes 0x80 and 0xFF decode to U+FFFD.
func TestJDKTable(t *testing.T) {
	t.Parallel()
	table := jdkTable(t)
	enc, dec := NewEncoder(), NewDecoder()
	decoded := map[string]bool{}
	for r := rune(0x80); r <= 0xFFFF; r++ {
		if r >= 0xD800 && r <= 0xDFFF {
			continue
		}
		got, err := enc.String(string(r))
		want, ok := table[r]
		if !ok {
			require.Error(t, err, "U+%04X is not in the JDK's GBK, encoded as % x", r, got)
			continue
		}
		require.NoError(t, err, "U+%04X", r)
		require.Equal(t, want, got, "U+%04X", r)
		back, err := dec.String(want)
		require.NoError(t, err)
		require.Equal(t, string(r), back, "% x", want)
		decoded[want] = true
	}
	for lead := 0x81; lead <= 0xFE; lead++ {
		for trail := 0x30; trail <= 0xFF; trail++ {
			b := string([]byte{byte(lead), byte(trail)})
			if decoded[b] {
				continue
			}
			got, err := dec.String(b)
			require.NoError(t, err)
			require.Contains(t, got, "\uFFFD", "% x is not in the JDK's GBK, decoded as %q", b, got)
		}
	}
	for _, b := range []string{"\x80", "\xff", "\x81", "\x81\x30\x81\x30"} {
		got, err := dec.String(b)
		require.NoError(t, err)
		assert.True(t, strings.HasPrefix(got, "\uFFFD"), "% x decoded as %q", b, got)
	}
}

// TestAgainstXText: x/text's WHATWG GBK writes the same bytes for every character both have
// but the euro sign (0x80 there, A2 E3 in Java's); the JDK alone has the Private Use Area
// characters of GBK's empty positions and U+2641.
func TestAgainstXText(t *testing.T) {
	t.Parallel()
	table := jdkTable(t)
	x := simplifiedchinese.GBK.NewEncoder()
	onlyJava := 0
	for r, want := range table {
		got, err := x.String(string(r))
		switch {
		case err != nil:
			onlyJava++
		case r == '€':
			assert.Equal(t, "\x80", got)
			assert.Equal(t, "\xa2\xe3", want)
		default:
			require.Equal(t, want, got, "U+%04X", r)
		}
	}
	assert.Equal(t, 2149, onlyJava, "the Private Use Area characters and U+2641")
}

// TestCases: the bytes of a few characters, and the errors.
func TestCases(t *testing.T) {
	t.Parallel()
	enc, dec := NewEncoder(), NewDecoder()
	for _, tt := range []struct{ s, b string }{
		{"中文", "\xd6\xd0\xce\xc4"},
		{"€", "\xa2\xe3"},
		{"\ue000", "\xaa\xa1"}, // the first user-defined character
		{"a测试b", "a\xb2\xe2\xca\xd4b"},
	} {
		got, err := enc.String(tt.s)
		require.NoError(t, err)
		assert.Equal(t, tt.b, got, tt.s)
		back, err := dec.String(tt.b)
		require.NoError(t, err)
		assert.Equal(t, tt.s, back)
	}
	for _, s := range []string{"😀", "a\xffb", "\U00020000"} {
		_, err := enc.String(s)
		require.Error(t, err, "%q", s)
	}
	got, err := encoding.HTMLEscapeUnsupported(NewEncoder()).String("a😀€")
	require.NoError(t, err)
	assert.Equal(t, "a&#128512;\xa2\xe3", got)
	got, err = encoding.ReplaceUnsupported(NewEncoder()).String("a😀b")
	require.NoError(t, err)
	assert.Equal(t, "a\x1ab", got)
	// Every pair of a lead (81-FE) and a trail (40-FE but 7F) is a character; a lead byte with
	// an ASCII trail is one U+FFFD and the trail is read again (0x81 0x30 is GB18030's four-byte
	// form, not GBK); a lead byte and 0xFF are one (as Java); 0x80 and 0xFF alone one each.
	got, err = dec.String("\x81\x30\x80\xa2\xff\x81\x40")
	require.NoError(t, err)
	assert.Equal(t, "\uFFFD0\uFFFD\uFFFD丂", got)
}

// TestStreaming: the transformers give the same output however the input is cut.
func TestStreaming(t *testing.T) {
	t.Parallel()
	s := strings.Repeat("ab中文€\ue000测试 ", 500)
	b, err := NewEncoder().String(s)
	require.NoError(t, err)
	var out bytes.Buffer
	_, err = out.ReadFrom(transform.NewReader(iotest.OneByteReader(strings.NewReader(s)), NewEncoder()))
	require.NoError(t, err)
	assert.Equal(t, b, out.String())
	out.Reset()
	_, err = out.ReadFrom(transform.NewReader(iotest.OneByteReader(strings.NewReader(b)), NewDecoder()))
	require.NoError(t, err)
	assert.Equal(t, s, out.String())
	// Small destination buffers.
	for _, n := range []int{3, 4, 5, 7} { // room for one character at least
		dst := make([]byte, n)
		var got []byte
		src := []byte(b)
		tr := NewDecoder()
		for len(src) > 0 {
			nd, ns, err := tr.Transform(dst, src, true)
			got = append(got, dst[:nd]...)
			src = src[ns:]
			if err != nil {
				require.ErrorIs(t, err, transform.ErrShortDst)
			}
		}
		assert.Equal(t, s, string(got), "dst %d", n)
	}
}

// FuzzRoundTrip: decoding never fails or panics; what decodes without U+FFFD encodes back to
// the same bytes, and what encodes decodes back to the same text.
func FuzzRoundTrip(f *testing.F) {
	for _, s := range []string{"", "abc", "\xd6\xd0\xce\xc4", "\xa2\xe3", "\x80", "\x81\x30\x81\x30", "\xaa\xa1\xfe\xfe", "\x81"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		s, err := NewDecoder().Bytes(b)
		require.NoError(t, err)
		require.True(t, utf8.Valid(s))
		if !bytes.ContainsRune(s, utf8.RuneError) {
			back, err := NewEncoder().Bytes(s)
			require.NoError(t, err)
			require.Equal(t, b, back)
		}
		if e, err := NewEncoder().Bytes(b); err == nil {
			back, err := NewDecoder().Bytes(e)
			require.NoError(t, err)
			require.Equal(t, b, back)
		}
	})
}

// TestJavaOnlyTables: tables.go holds exactly the JDK's characters that x/text's GBK does not
// write as the JDK does and the user-defined areas do not cover, in both orders.
func TestJavaOnlyTables(t *testing.T) {
	t.Parallel()
	x := simplifiedchinese.GBK.NewEncoder()
	var want []pair
	for r, b := range jdkTable(t) {
		if got, err := x.String(string(r)); err == nil && got == b {
			continue
		}
		if _, ok := userDefined(r); ok {
			continue
		}
		want = append(want, pair{r, uint16(b[0])<<8 | uint16(b[1])})
	}
	slices.SortFunc(want, func(a, b pair) int { return int(a.r - b.r) })
	require.Equal(t, want, javaOnlyByRune[:])
	slices.SortFunc(want, func(a, b pair) int { return int(a.b) - int(b.b) })
	require.Equal(t, want, javaOnlyByBytes[:])
}
