package canon_test

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"errors"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/internal/canon"
	"github.com/goacp/unionpay/sign"
)

const vectors = "../../testdata/official-sdk-vectors"

// chunked records what Write writes, refusing a write longer than the chunk Write copies a
// value in: the string to sign is never handed over whole.
type chunked struct {
	out bytes.Buffer
	max int
}

func (c *chunked) Write(p []byte) (int, error) {
	c.max = max(c.max, len(p))
	return c.out.Write(p)
}

// maxWrite is the most Write hands over at once: its chunk (32 KiB), or less.
const maxWrite = 32 << 10

// checkAgainstCanonical holds Write and Size to sign.Canonical and sign.AppendCanonical for f:
// the same bytes, or both failing; the same SHA-256 when written into a hash; no write past a
// chunk.
func checkAgainstCanonical(t *testing.T, f sign.Fields) {
	t.Helper()
	n, names := canon.Size(f)
	assert.Equal(t, sign.CheckFieldNames(f) == nil, names, "Size's names against CheckFieldNames")
	assert.Equal(t, len(sign.AppendCanonical(nil, f)), n, "Size against AppendCanonical")
	if !names {
		return // Canonical refuses f; the verifier asks it for the error
	}
	enc := f[sign.FieldEncoding]
	gbk := strings.EqualFold(enc, sign.CharsetGBK)
	want, wantErr := sign.Canonical(f)
	w := &chunked{}
	err := canon.Write(w, f, gbk)
	if wantErr != nil {
		require.ErrorIs(t, err, canon.ErrNotGBK, "Canonical fails with %v", wantErr)
		require.ErrorIs(t, wantErr, sign.ErrCharset)
		return
	}
	require.NoError(t, err)
	require.Equal(t, string(want), w.out.String())
	assert.LessOrEqual(t, w.max, maxWrite, "a write longer than a chunk")
	h := sha256.New()
	require.NoError(t, canon.Write(h, f, gbk))
	assert.Equal(t, sha256.Sum256(want), [sha256.Size]byte(h.Sum(nil)), "digest in pieces against digest of the whole")
}

// readKV reads an official vector file (key=value lines, \r \n \t \\ escapes in values).
func readKV(t *testing.T, name string) sign.Fields {
	t.Helper()
	file, err := os.Open(filepath.Join(vectors, name))
	require.NoError(t, err)
	defer file.Close()
	f := sign.Fields{}
	sc := bufio.NewScanner(file)
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), "=")
		require.True(t, ok, "line %q", sc.Text())
		f[k] = strings.NewReplacer(`\r`, "\r", `\n`, "\n", `\t`, "\t", `\\`, `\`).Replace(v)
	}
	require.NoError(t, sc.Err())
	return f
}

// withEncoding returns a copy of f declaring encoding.
func withEncoding(f sign.Fields, encoding string) sign.Fields {
	c := f.Clone()
	c[sign.FieldEncoding] = encoding
	return c
}

// TestWriteOfficialVectors: the string to sign of every official vector, and of the official
// raw answer (Chinese text, values holding '&'), written in pieces, is Canonical's, in UTF-8
// and in GBK; the vectors' own canonical.txt lines are Canonical's already (sign's tests).
func TestWriteOfficialVectors(t *testing.T) {
	t.Parallel()
	names, err := filepath.Glob(filepath.Join(vectors, "*.kv"))
	require.NoError(t, err)
	require.NotEmpty(t, names)
	var sets []sign.Fields
	for _, name := range names {
		sets = append(sets, readKV(t, filepath.Base(name)))
	}
	raw, err := os.ReadFile(filepath.Join(vectors, "raw_response.txt"))
	require.NoError(t, err)
	resp, err := sign.ParseRaw(strings.TrimRight(string(raw), "\r\n"))
	require.NoError(t, err)
	sets = append(sets, resp)
	want, err := os.ReadFile(filepath.Join(vectors, "raw_response.canonical.txt"))
	require.NoError(t, err)
	var w bytes.Buffer
	require.NoError(t, canon.Write(&w, resp, false))
	assert.Equal(t, strings.SplitN(string(want), "\n", 2)[0], w.String(), "the official SDK's string to sign")
	for i, f := range sets {
		for _, enc := range []string{"UTF-8", "GBK", "gbk", "UTF8"} {
			t.Run(filepath.Base(append(names, "raw_response.txt")[i])+"/"+enc, func(t *testing.T) {
				checkAgainstCanonical(t, withEncoding(f, enc))
			})
		}
	}
}

// TestWriteEdges: values that cross a chunk's end (a Chinese character cut by it), keys longer
// than a chunk, odd printable names, empty values, the signature left out, characters GBK
// lacks and invalid UTF-8 (both fail), more fields than sign sorts on the stack.
func TestWriteEdges(t *testing.T) {
	t.Parallel()
	han := strings.Repeat("成功", 1<<15)           // 192 KiB of three-byte characters
	cut := strings.Repeat("a", maxWrite-5) + han // the chunk ends inside a character
	many := sign.Fields{"signature": "x", "encoding": "GBK"}
	for i := range 60 {
		many[strings.Repeat("k", 60-i)] = strings.Repeat("值", i)
	}
	for _, tt := range []struct {
		name string
		f    sign.Fields
	}{
		{"empty", sign.Fields{}},
		{"signature alone", sign.Fields{"signature": "abc"}},
		{"empty value", sign.Fields{"a": "", "b": "x", "signature": "s"}},
		{"odd names", sign.Fields{"a=b": "1", "&": "2", "~!": "3", "{[": "]}", "Signature": "kept", "signature~": "kept"}},
		{"name that trims to signature", sign.Fields{"signature ": "x", "a": "b"}},
		{"long key", sign.Fields{strings.Repeat("K", 3*maxWrite+7): "v", "a": "b"}},
		{"long key after another", sign.Fields{"A": "b", strings.Repeat("K", 3*maxWrite+7): "v"}},
		{"long key, long value", sign.Fields{strings.Repeat("K", maxWrite): strings.Repeat("v", maxWrite+1)}},
		{"key a chunk less two", sign.Fields{strings.Repeat("K", maxWrite-2): "v", "a": "b"}},
		{"key a chunk less one", sign.Fields{"a": "b", strings.Repeat("K", maxWrite-1): "v"}},
		{"long ASCII value", sign.Fields{"fileContent": strings.Repeat("QUJD", 1<<17), "respMsg": "成功[0000000]"}},
		{"Chinese cut by a chunk", sign.Fields{"respMsg": cut, "z": "end"}},
		{"Chinese", sign.Fields{"respMsg": han}},
		{"two-byte characters", sign.Fields{"v": strings.Repeat("é£", 1<<15)}},
		{"not in GBK", sign.Fields{"a": strings.Repeat("x", maxWrite) + "😀"}},
		{"invalid UTF-8", sign.Fields{"a": "成\xe5\x8a"}},
		{"invalid UTF-8 at a chunk's end", sign.Fields{"a": strings.Repeat("x", maxWrite-1) + "\xe6", "b": "c"}},
		{"lone continuation", sign.Fields{"a": "\x80"}},
		{"bad name", sign.Fields{"a b": "1"}},
		{"empty name", sign.Fields{"": "1"}},
		{"non-ASCII name", sign.Fields{"名": "1"}},
		{"many fields", many},
	} {
		for _, enc := range []string{"", "GBK"} {
			t.Run(tt.name+"/"+enc, func(t *testing.T) {
				f := tt.f.Clone()
				if enc != "" {
					f[sign.FieldEncoding] = enc
				}
				checkAgainstCanonical(t, f)
			})
		}
	}
}

// TestWriteGenerated: random messages of random printable names and values mixing ASCII,
// Chinese, other GBK characters and characters GBK lacks, some long enough to span chunks.
func TestWriteGenerated(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(31, 1))
	pieces := []string{"a", "Z", "0", "&", "=", "{", "]", " ", "\r\n", "成", "功", "€", "é", "·", "😀", "\u3000", "\x7f"}
	for i := range 300 {
		f := sign.Fields{}
		for range r.IntN(12) {
			var k strings.Builder
			for range 1 + r.IntN(6) {
				k.WriteByte(byte('!' + r.IntN('~'-'!'+1)))
			}
			var v strings.Builder
			n := r.IntN(40)
			if r.IntN(10) == 0 {
				n = 20_000 + r.IntN(20_000) // past a chunk, some of them
			}
			for range n {
				v.WriteString(pieces[r.IntN(len(pieces))])
			}
			f[k.String()] = v.String()
		}
		if r.IntN(2) == 0 {
			f[sign.FieldEncoding] = "GBK"
		}
		if r.IntN(3) == 0 {
			f[sign.FieldSignature] = "sig"
		}
		t.Run(strconv.Itoa(i), func(t *testing.T) { checkAgainstCanonical(t, f) })
	}
}

// FuzzWrite: any message built from the fuzzer's bytes writes Canonical's string to sign, or
// fails where Canonical fails.
func FuzzWrite(f *testing.F) {
	f.Add("respMsg", "成功", "fileContent", "QUJD", true)
	f.Add("a=b", "&x", "c", "\xe6\x88", true)
	f.Add("k", strings.Repeat("功", maxWrite/3+1), "k2", "😀", false)
	f.Fuzz(func(t *testing.T, k1, v1, k2, v2 string, gbk bool) {
		if len(v1) < maxWrite && len(v1) > 0 {
			v1 = strings.Repeat(v1, maxWrite/len(v1)+2)[:maxWrite+len(v1)%7] // across a chunk
		}
		fields := sign.Fields{k1: v1, k2: v2}
		if gbk {
			fields[sign.FieldEncoding] = "GBK"
		}
		checkAgainstCanonical(t, fields)
	})
}

// TestWriteWriterError: an error of the writer is returned (a hash has none).
func TestWriteWriterError(t *testing.T) {
	t.Parallel()
	boom := errors.New("boom")
	for _, f := range []sign.Fields{{"a": "b"}, {strings.Repeat("K", maxWrite+1): "v"}, {"a": strings.Repeat("b", maxWrite+1)}} {
		assert.ErrorIs(t, canon.Write(failing{boom}, f, false), boom)
	}
	assert.ErrorIs(t, canon.Write(failing{boom}, sign.Fields{"a": "成功"}, true), boom, "before the value")
}

type failing struct{ err error }

func (w failing) Write([]byte) (int, error) { return 0, w.err }
