package javagbk_test

import (
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/internal/javagbk"
	"github.com/goacp/unionpay/sign"
)

// checkLikeDecodeBody fails t unless DecodeString gives for s exactly what sign.DecodeBody gives
// for its bytes in GBK: the same text, or a refusal where DecodeBody refuses.
func checkLikeDecodeBody(t *testing.T, s string) {
	t.Helper()
	want, err := sign.DecodeBody([]byte(s), "GBK")
	got, ok := javagbk.DecodeString(s)
	if ok != (err == nil) {
		t.Fatalf("DecodeString(%+q): ok %v, DecodeBody: error %v", s, ok, err)
	}
	if ok && got != want {
		t.Fatalf("DecodeString(%+q) = %+q, DecodeBody %+q", s, got, want)
	}
	if !ok {
		require.ErrorIs(t, err, sign.ErrCharset)
	}
}

// TestDecodeStringLikeDecodeBody: DecodeString accepts and refuses what sign.DecodeBody does, and
// gives its text, on the cases Java's GBK treats apart, alone and inside ASCII (a settlement
// file's answer: base64, and a respMsg in Chinese).
func TestDecodeStringLikeDecodeBody(t *testing.T) {
	t.Parallel()
	base64 := strings.Repeat("UEsDBBQAAAAIAA+/", 64)
	for _, tt := range []struct {
		name, s string
		ok      bool
	}{
		{"empty", "", true},
		{"ASCII", "respCode=00&fileContent=" + base64, true},
		{"respMsg in Chinese", "respCode=00&respMsg=\xb3\xc9\xb9\xa6[0000000]&fileContent=" + base64, true},
		{"Chinese only", "\xb3\xc9\xb9\xa6\xd2\xf8\xc1\xaa", true},
		{"Chinese last", base64 + "\xb3\xc9", true},
		{"trail byte ASCII", "\x81\x40\xfe\x7e", true},
		{"euro, Java's A2 E3", "\xa2\xe3", true},
		{"user-defined AAA1", "\xaa\xa1x", true},
		{"user-defined F8A1 and FEFE", "\xf8\xa1\xfe\xfe", true},
		{"user-defined A140 and A7A0", "\xa1\x40\xa7\xa0", true},
		{"empty position, U+E766 on", "\xa2\xa1", true},
		{"0x80", "\x80", false},
		{"0x80 in ASCII", "abc\x80def", false},
		{"0xFF", "abc\xff", false},
		{"lone lead byte at the end", "respMsg=\xb3\xc9\xb9", false},
		{"lead byte alone", "\xb3", false},
		{"lead byte then a control byte", "\xb3\x0a", false},
		{"lead byte then 0x7F", "\xb3\x7f", false},
		{"lead byte then 0xFF", "\xb3\xffabc", false},
		{"lead byte then 0x80 at the end", "\xb3\x80", true}, // 0x80 is a trail byte
		{"invalid after a long valid text", base64 + "\xb3\xc9" + base64 + "\x80" + base64, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, ok := javagbk.DecodeString(tt.s)
			assert.Equal(t, tt.ok, ok, "accepted")
			checkLikeDecodeBody(t, tt.s)
		})
	}
}

// TestDecodeStringEveryPair: every byte from 0x80 followed by every byte, as they are, between
// ASCII, and ending the text, decodes (or is refused) as sign.DecodeBody decodes it.
func TestDecodeStringEveryPair(t *testing.T) {
	t.Parallel()
	for lead := 0x80; lead <= 0xff; lead++ {
		checkLikeDecodeBody(t, "ab"+string([]byte{byte(lead)}))
		for trail := 0; trail <= 0xff; trail++ {
			pair := string([]byte{byte(lead), byte(trail)})
			checkLikeDecodeBody(t, pair)
			checkLikeDecodeBody(t, "a="+pair+"&b=c")
		}
	}
}

// TestDecodeStringAllocations: an ASCII text is its own decoding, and any other is built in one
// buffer sized for it (the decoder aside), not grown: a settlement file's answer is megabytes.
func TestDecodeStringAllocations(t *testing.T) {
	ascii := strings.Repeat("UEsDBBQAAAAIAA+/", 1<<14)
	gbk := "respMsg=\xb3\xc9\xb9\xa6\xa1\xa4\xa2\xe3&fileContent=" + ascii + "&reserved=" + strings.Repeat("\xd2\xf8\xc1\xaa", 1<<13)
	assert.Zero(t, testing.AllocsPerRun(10, func() { _, _ = javagbk.DecodeString(ascii) }))
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	s, ok := javagbk.DecodeString(gbk)
	runtime.ReadMemStats(&after)
	require.True(t, ok)
	assert.Equal(t, "respMsg=成功·€&fileContent="+ascii+"&reserved="+strings.Repeat("银联", 1<<13), s)
	assert.Less(t, after.TotalAlloc-before.TotalAlloc, uint64(len(s)*5/4), "bytes allocated (one buffer, rounded up to pages)")
}

// FuzzDecodeString: DecodeString gives sign.DecodeBody's text or refusal for any bytes.
func FuzzDecodeString(f *testing.F) {
	for _, s := range []string{"", "abc", "\xb3\xc9\xb9\xa6", "\x80", "\xb3", "\xb3\xff", "\xaa\xa1", "\xa1\x40", "a\xa2\xe3b"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		checkLikeDecodeBody(t, string(b))
	})
}
