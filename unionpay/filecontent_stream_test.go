package unionpay_test

import (
	"bytes"
	"compress/zlib"
	"encoding/base64"
	"errors"
	"io"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/unionpay"
)

// decodeWhole is DecodeFileContent as it was before it streamed the base64 into the inflater:
// the whole text decoded first (strictly: DecodeString), then inflated. It returns the error's
// text ("" for none).
func decodeWhole(s string, limit int64) ([]byte, string) {
	s = strings.NewReplacer("\r", "", "\n", "").Replace(s)
	if s == "" {
		return nil, "unionpay: fileContent is empty"
	}
	z, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		return nil, "unionpay: fileContent is not base64: " + err.Error()
	}
	zr, err := zlib.NewReader(bytes.NewReader(z))
	if err != nil {
		return nil, "unionpay: fileContent is not a zlib stream: " + err.Error()
	}
	out, err := io.ReadAll(io.LimitReader(zr, limit+1))
	switch {
	case err != nil:
		return nil, "unionpay: fileContent: inflating: " + err.Error()
	case int64(len(out)) > limit:
		return nil, "too large"
	}
	return out, ""
}

// checkSameAsWhole fails unless DecodeFileContent decodes s as decodeWhole does: the same
// bytes, or the same error.
func checkSameAsWhole(t *testing.T, s string, limit int64) {
	t.Helper()
	want, wantErr := decodeWhole(s, limit)
	got, err := unionpay.DecodeFileContent(s, limit)
	switch {
	case wantErr == "too large":
		assert.ErrorIs(t, err, unionpay.ErrFileTooLarge)
	case wantErr != "":
		assert.EqualError(t, err, wantErr)
	default:
		require.NoError(t, err)
		assert.True(t, bytes.Equal(want, got), "decoded otherwise")
	}
}

// TestDecodeFileContentStreamsAsWhole: DecodeFileContent decodes the base64 a chunk at a time
// into the inflater, never whole, yet reads a text exactly as base64.StdEncoding.DecodeString
// reads it whole, errors and their byte offsets included: a '=' before the text's end (which
// base64.NewDecoder would take, as the end of one padded text and the start of another), at a
// chunk's end or inside one, a bad character past the zlib stream's end (where the inflater stops
// reading), line breaks anywhere (after a last chunk of exactly 4096 characters, padded, too),
// a text cut mid-quantum.
func TestDecodeFileContentStreamsAsWhole(t *testing.T) {
	t.Parallel()
	file := make([]byte, 20000)
	_, _ = rand.NewChaCha8([32]byte{2}).Read(file[:10000]) // half random: some of each chunk size
	good := unionpay.EncodeFileContent(file)
	require.Greater(t, len(good), 3*4096)
	small := unionpay.EncodeFileContent([]byte("hello"))
	// A text of exactly one chunk (4096 characters) ending in padding: a zlib stream and bytes
	// after it (which the inflater does not read), 3070 bytes, base64 "...==".
	z := must(base64.StdEncoding.DecodeString(small))
	chunk := base64.StdEncoding.EncodeToString(append(z, make([]byte, 3070-len(z))...))
	require.True(t, strings.HasSuffix(chunk, "=="))
	extra := 1
	for (len(z)+extra)%3 == 0 {
		extra++
	}
	padded := base64.StdEncoding.EncodeToString(append(z, make([]byte, extra)...)) // "...=" or "...=="
	require.True(t, strings.HasSuffix(padded, "="))
	require.Len(t, chunk, 4096)
	withBreaks := func(s string, every int) string {
		var b strings.Builder
		for i := 0; i < len(s); i += every {
			b.WriteString(s[i:min(i+every, len(s))])
			b.WriteString("\r\n")
		}
		return b.String()
	}
	tests := map[string]string{
		"good":                              good,
		"small":                             small,
		"line breaks every 76":              withBreaks(good, 76),
		"line breaks every 4096":            withBreaks(good, 4096),
		"line breaks every 4095":            withBreaks(good, 4095),
		"LF only":                           strings.ReplaceAll(withBreaks(good, 64), "\r", ""),
		"leading line breaks":               "\n\n\r\n" + good,
		"trailing line breaks":              good + "\r\n\r\n",
		"padded then more":                  padded + small,
		"padded chunk then more":            chunk + small,
		"padded chunk then line break more": chunk + "\r\n" + small,
		"padded chunk alone":                chunk,
		"padded chunk then line breaks":     chunk + "\r\n",
		"bad character in the 3rd chunk":    good[:3*4096+5] + "!" + good[3*4096+6:],
		"bad character in the 1st chunk":    good[:100] + "*" + good[101:],
		"bad character after the stream":    small + "@@@@",
		"valid base64 after the stream":     small + "QUJD",
		"cut mid-quantum":                   good[:len(good)-1],
		"cut mid-quantum, small":            small[:len(small)-2],
		"cut to a chunk":                    good[:4096],
		"cut to a chunk and one":            good[:4097],
		"padding only":                      "====",
		"space inside":                      good[:5000] + " " + good[5000:],
		"not zlib":                          base64.StdEncoding.EncodeToString([]byte("plain text")),
		"not zlib, bad later":               base64.StdEncoding.EncodeToString([]byte("plain text")) + "!!!!",
		"empty":                             "",
		"line breaks only":                  "\r\n\n",
	}
	for name, s := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			checkSameAsWhole(t, s, 1<<20)
			checkSameAsWhole(t, s, int64(len(file)-1)) // over the limit: the base64 is still checked first
		})
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// FuzzDecodeFileContentAsWhole: whatever the text, DecodeFileContent, streaming, decodes it as
// DecodeString and then the inflater would, to the same bytes or the same error.
func FuzzDecodeFileContentAsWhole(f *testing.F) {
	f.Add(unionpay.EncodeFileContent([]byte("hello")), int64(100))
	f.Add(unionpay.EncodeFileContent([]byte("hello, world"))+"QUJD", int64(100))
	f.Add(unionpay.EncodeFileContent(bytes.Repeat([]byte("row\n"), 5000))+"\r\n", int64(1000))
	f.Add("eJzLSM3JyVcozy/KSQEAGgQEXQ==\n!", int64(100))
	f.Fuzz(func(t *testing.T, s string, limit int64) {
		if limit <= 0 || limit > 1<<20 {
			return
		}
		checkSameAsWhole(t, s, limit)
	})
}

// TestDecodeFileContentStreamErrors: the errors stay those of a whole decode, matching what they
// did (a CorruptInputError for base64).
func TestDecodeFileContentStreamErrors(t *testing.T) {
	t.Parallel()
	_, err := unionpay.DecodeFileContent(unionpay.EncodeFileContent([]byte("hello"))+"!", 100)
	var ce base64.CorruptInputError
	require.True(t, errors.As(err, &ce), "%v", err)
}
