package sign_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"maps"
	"math/rand/v2"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/internal/javagbk"
	"github.com/goacp/unionpay/sign"
)

func decodeB64(s string) ([]byte, error) { return base64.StdEncoding.DecodeString(s) }

func sha256Hex(s string) string {
	d := sha256.Sum256([]byte(s))
	return hex.EncodeToString(d[:])
}

func TestParseRaw(t *testing.T) {
	t.Parallel()
	pem := "-----BEGIN CERTIFICATE-----\r\nMIIE+a/b=\r\n-----END CERTIFICATE-----"
	tests := []struct {
		name string
		body string
		want sign.Fields
	}{
		{"empty", "", sign.Fields{}},
		{"outer braces", "{a=1&b=2}", sign.Fields{"a": "1", "b": "2"}},
		{"braces region keeps &", "reserved={x=1&y=2}&z=3", sign.Fields{"reserved": "{x=1&y=2}", "z": "3"}},
		{"brackets region keeps &", "respMsg=ok[A&B]&z=3", sign.Fields{"respMsg": "ok[A&B]", "z": "3"}},
		{"no nesting: region ends at first closer", "a={x={y=1}&z=2}&b=1", sign.Fields{"a": "{x={y=1}", "z": "2}", "b": "1"}},
		{"value keeps = + / and CRLF", "signPubKeyCert=" + pem + "&s=ab+/=", sign.Fields{"signPubKeyCert": pem, "s": "ab+/="}},
		{"no URL decoding", "a=%41+b", sign.Fields{"a": "%41+b"}},
		{"empty value kept", "a=&b=1", sign.Fields{"a": "", "b": "1"}},
		{"chinese", "respMsg=成功[0000000]", sign.Fields{"respMsg": "成功[0000000]"}},
		{"only outer brace stripped once", "{{a=1}}", sign.Fields{"{a": "1}"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := sign.ParseRaw(tt.body)
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestParseRawErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, body, field string
	}{
		{"pair without =", "abc", ""},
		{"& before =", "a&b=1", ""},
		{"empty key", "=1", ""},
		{"trailing &", "a=1&", ""},
		{"repeated key", "a=1&a=2", "a"},
		{"double &", "a=1&&b=2", ""},
		// A region still open at the end would swallow what follows, so that the same signed bytes
		// could be re-split into other pairs (the official SDK keeps it; found in the fourth
		// session's review).
		{"unclosed region", "a={x=1&b=2", "a"},
		{"unclosed region last", "a=1&k={x&ka=9", "k"},
		{"unclosed bracket", "a=[x&b=2", "a"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := sign.ParseRaw(tt.body)
			require.ErrorIs(t, err, sign.ErrMalformed)
			var pe *sign.ParseError
			require.ErrorAs(t, err, &pe)
			assert.Equal(t, tt.field, pe.Field)
		})
	}
}

func TestParseForm(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		body string
		want sign.Fields
	}{
		{"plain", "a=1&b=x+y%3Dz", sign.Fields{"a": "1", "b": "x y=z"}},
		{"& inside braces and brackets", "r=%7Ba%3Db%26c%3Dd%7D&m=%5B1%262%5D", sign.Fields{"r": "{a=b&c=d}", "m": "[1&2]"}},
		{"crlf survives", "c=line1%0D%0Aline2", sign.Fields{"c": "line1\r\nline2"}},
		{"empty values dropped", "a=&b=1&c", sign.Fields{"b": "1"}},
		{"empty segments ignored", "&a=1&&", sign.Fields{"a": "1"}},
		{"utf-8", "m=%E6%88%90%E5%8A%9F", sign.Fields{"m": "成功"}},
		{"gbk", "encoding=GBK&m=%B3%C9%B9%A6", sign.Fields{"encoding": "GBK", "m": "成功"}},
		{"escapes and plus side by side", "k%2B=%2B+%25+a++b%3d", sign.Fields{"k+": "+ % a  b="}},
		{"gbk brace as a second byte", "encoding=GBK&m=%81%7B", sign.Fields{"encoding": "GBK", "m": gbk817B(t)}},
		{"key without value", "a&b=2", sign.Fields{"b": "2"}},
		{"empty", "", sign.Fields{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := sign.ParseForm(tt.body)
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)

			got, _, err = sign.ParseFormCanonical([]byte(tt.body), nil)
			require.NoError(t, err)
			assert.Equal(t, tt.want, got, "ParseFormCanonical")
		})
	}
}

// TestParseFormLarge covers a body larger than ParseForm's local buffer.
func TestParseFormLarge(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("%41b+", 2000)
	want := sign.Fields{"a": strings.Repeat("Ab ", 2000), "z": "1"}
	got, err := sign.ParseForm("a=" + long + "&z=1")
	require.NoError(t, err)
	assert.Equal(t, want, got)
	got, _, err = sign.ParseFormCanonical([]byte("a="+long+"&z=1"), nil)
	require.NoError(t, err)
	assert.Equal(t, want, got)
}

// TestParseFormCanonical checks that the string to sign built from the
// decoded pairs is the one Canonical builds from the Fields: pairs out of
// order (the captured notification has signPubKeyCert last), empty values, the signature,
// GBK, a key that sorts by a byte past its eighth.
func TestParseFormCanonical(t *testing.T) {
	t.Parallel()
	for _, body := range []string{
		"",
		"a=1",
		"accNo=1&bizType=2&signature=sig&txnType=01&version=5.1.0&signPubKeyCert=-----BEGIN%0D%0A",
		"z=1&y=&signature=&x=3&A=4&origRespMsg=m&origRespCode=c",
		"encoding=GBK&m=%B3%C9%B9%A6&a=1",
		"k%2B=%7B%26%7D&k=v",
	} {
		t.Run(body, func(t *testing.T) {
			t.Parallel()
			want, err := sign.ParseForm(body)
			require.NoError(t, err)
			wantCanonical, err := sign.Canonical(want)
			require.NoError(t, err)
			buf := []byte(body)
			got, canonical, err := sign.ParseFormCanonical(buf, []byte("kept:"))
			require.NoError(t, err)
			scribble(buf) // the caller may reuse it
			assert.Equal(t, want, got)
			assert.Equal(t, "kept:"+string(wantCanonical), string(canonical))
		})
	}
	_, canonical, err := sign.ParseFormCanonical([]byte("a=1&a=2"), []byte("kept"))
	require.ErrorIs(t, err, sign.ErrMalformed)
	assert.Equal(t, "kept", string(canonical))
}

func TestParseFormErrors(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, body string }{
		{"repeated key", "a=1&a=2"},
		{"repeated key, one empty", "a=&a=2"},
		{"bad percent in value", "a=%zz"},
		{"bad percent in key", "%g=1"},
		{"truncated percent", "a=%4"},
		{"empty key", "=1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := sign.ParseForm(tt.body)
			assert.ErrorIs(t, err, sign.ErrMalformed)
			_, _, err2 := sign.ParseFormCanonical([]byte(tt.body), nil)
			assert.Equal(t, err, err2, "ParseFormCanonical")
		})
	}
	_, err := sign.ParseForm("encoding=BIG5&a=1")
	assert.ErrorIs(t, err, sign.ErrCharset)
	assert.ErrorIs(t, err, sign.ErrMalformed)
}

// gbk817B returns the character GBK writes 0x81 0x7B: its second byte is
// '{'.
func gbk817B(t *testing.T) string {
	s, err := sign.DecodeBody([]byte{0x81, 0x7B}, "GBK")
	require.NoError(t, err)
	return s
}

// TestParseFormAmbiguous: a pair the string to sign could be read back from
// as other fields is refused, naming the field; first of all a genuine
// "respCode=00&respMsg=success" re-encoded as one field.
func TestParseFormAmbiguous(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, body, field string
	}{
		{"two fields sent as one", "orderId=1&respCode=00%26respMsg%3Dsuccess", "respCode"},
		{"& in a value", "orderId=1&reqReserved=cart%3D42%26note%3D1", "reqReserved"},
		{"& alone in a value", "r=x%26y", "r"},
		{"& after a closed region", "r=%7Ba%7D%26b%3D1", "r"},
		{"open brace", "r=%7Ba%3Db&z=1", "r"},
		{"open bracket", "r=%5Bx", "r"},
		{"bracket in the key, open one in the value", "[=[", "["},
		{"the second of two in a value", "r=%7Ba%7D%7Bb&z=1", "r"},
		{"= in a key", "a%3Db=1", "a=b"},
		{"& in a key", "a%26b=1&c=2", "a&b"},
		{"gbk: & in a value", "encoding=GBK&m=%B3%C9%26a%3D1", "m"},
	}
	cache := sign.NewValueCache("r")
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := sign.ParseForm(tt.body)
			require.ErrorIs(t, err, sign.ErrMalformed)
			var pe *sign.ParseError
			require.ErrorAs(t, err, &pe)
			assert.Equal(t, tt.field, pe.Field)
			_, _, err2 := sign.ParseFormCanonical([]byte(tt.body), nil)
			assert.Equal(t, err, err2, "ParseFormCanonical")
			_, _, err3 := cache.ParseFormCanonical([]byte(tt.body), nil)
			assert.Equal(t, err, err3, "ValueCache.ParseFormCanonical")
		})
	}
}

func TestEncode(t *testing.T) {
	t.Parallel()
	got, err := sign.Encode(sign.Fields{"b": "x y&z=", "a": "成功", "encoding": "UTF-8"})
	require.NoError(t, err)
	assert.Equal(t, "a=%E6%88%90%E5%8A%9F&b=x+y%26z%3D&encoding=UTF-8", got)

	got, err = sign.Encode(sign.Fields{"a": "成功", "encoding": "gbk"})
	require.NoError(t, err)
	assert.Equal(t, "a=%B3%C9%B9%A6&encoding=gbk", got)
	back, err := sign.ParseForm(got)
	require.NoError(t, err)
	assert.Equal(t, "成功", back["a"])

	_, err = sign.Encode(sign.Fields{"a": "😀", "encoding": "GBK"})
	assert.ErrorIs(t, err, sign.ErrCharset)
}

func TestCanonical(t *testing.T) {
	t.Parallel()
	f := sign.Fields{"accessType": "0", "accNo": "x", "B": "1", "signature": "zzz", "empty": ""}
	got, err := sign.Canonical(f)
	require.NoError(t, err)
	assert.Equal(t, "B=1&accNo=x&accessType=0&empty=", string(got), "byte order: upper case first, accNo before accessType")

	gbk, err := sign.Canonical(sign.Fields{"encoding": "GBK", "m": "成功"})
	require.NoError(t, err)
	assert.Equal(t, []byte("encoding=GBK&m=\xb3\xc9\xb9\xa6"), gbk)

	_, err = sign.Canonical(sign.Fields{"encoding": "ISO-8859-1"})
	assert.ErrorIs(t, err, sign.ErrCharset)
}

// TestCanonicalOrder compares the string to sign with a plain sort of the
// keys, for messages below and above the size sorted on the stack, with
// keys that share long prefixes, are shorter than eight bytes, or hold
// zero bytes.
func TestCanonicalOrder(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(1, 2))
	parts := []string{"settle", "sign", "txn", "orig", "Resp", "a", "", "\x00", "\xff", "Code", "Amt"}
	for _, n := range []int{0, 1, 2, 7, 25, 48, 49, 60, 200} {
		f := sign.Fields{}
		for len(f) < n {
			k := ""
			for range 1 + rng.IntN(4) {
				k += parts[rng.IntN(len(parts))]
			}
			if k != "" {
				f[k] = fmt.Sprint(rng.IntN(1000))
			}
		}
		f[sign.FieldSignature] = "excluded"
		keys := slices.Sorted(maps.Keys(f))
		var want []byte
		for _, k := range keys {
			if k == sign.FieldSignature {
				continue
			}
			if len(want) > 0 {
				want = append(want, '&')
			}
			want = append(want, k+"="+f[k]...)
		}
		assert.Equal(t, string(want), string(sign.AppendCanonical(nil, f)), "%d fields", n)
	}
}

func TestPrepare(t *testing.T) {
	t.Parallel()
	in := sign.Fields{"a": " 1 ", "b": "", "c": " \t", "d": "x"}
	out := sign.Prepare(in)
	assert.Equal(t, sign.Fields{"a": "1", "d": "x"}, out)
	assert.Equal(t, " 1 ", in["a"], "Prepare must not modify its input")
}

func TestDecodeBody(t *testing.T) {
	t.Parallel()
	s, err := sign.DecodeBody([]byte("m=\xb3\xc9\xb9\xa6"), "GBK")
	require.NoError(t, err)
	assert.Equal(t, "m=成功", s)
	s, err = sign.DecodeBody([]byte("m=成功"), "")
	require.NoError(t, err)
	assert.Equal(t, "m=成功", s)
	_, err = sign.DecodeBody([]byte("x"), "EBCDIC")
	assert.ErrorIs(t, err, sign.ErrCharset)
}

// A body of as many pairs as sign.MaxFields allows, in reverse order,
// costs a few times what the same pairs in order cost, not the 40 times of
// a quadratic sort (140 times for the 9,000 pairs that fit in the 64 KiB a
// notification handler reads, before MaxFields).
func TestParseFormCanonicalManyPairs(t *testing.T) {
	t.Parallel()
	body := func(reverse bool) string {
		var b strings.Builder
		for i := range sign.MaxFields {
			if reverse {
				i = sign.MaxFields - 1 - i
			}
			fmt.Fprintf(&b, "%04x=1&", i)
		}
		return b.String()
	}
	fastest := func(body string) time.Duration {
		best := time.Hour
		for range 10 {
			start := time.Now()
			f, canonical, err := sign.ParseFormCanonical([]byte(body), nil)
			best = min(best, time.Since(start))
			require.NoError(t, err)
			want, err := sign.Canonical(f)
			require.NoError(t, err)
			require.Equal(t, string(want), string(canonical))
		}
		return best
	}
	reversed, sorted := body(true), body(false)
	require.Less(t, len(reversed), 64<<10)
	r, s := fastest(reversed), fastest(sorted)
	// n log n against linear: a few times; insertion sort took 140 times.
	assert.Less(t, r, 20*s, "reverse order %v, in order %v", r, s)
}

// TestParseFormAmbiguousGBK: in GBK the second byte of a character may be
// '{' (0x81 0x7B), which must neither hide an '&' nor open a region.
func TestParseFormAmbiguousGBK(t *testing.T) {
	t.Parallel()
	// "丂&b=1}" read as bytes has its '&' inside {...}; read as characters
	// it does not.
	_, err := sign.ParseForm("encoding=GBK&a=%81%7B%26b%3D1%7D")
	require.ErrorIs(t, err, sign.ErrMalformed)
	var pe *sign.ParseError
	require.ErrorAs(t, err, &pe)
	assert.Equal(t, "a", pe.Field)
	_, _, err2 := sign.ParseFormCanonical([]byte("encoding=GBK&a=%81%7B%26b%3D1%7D"), nil)
	assert.Equal(t, err, err2)
}

// TestParseRequestForm: the gateway's side reads '&' in free text as the
// merchant sent it, and otherwise decodes as ParseForm does.
func TestParseRequestForm(t *testing.T) {
	t.Parallel()
	got, err := sign.ParseRequestForm("orderDesc=shirt+%26+jeans&frontUrl=https%3A%2F%2Fshop%2Fback%3Fa%3D1%26b%3D2&x=")
	require.NoError(t, err)
	assert.Equal(t, sign.Fields{"orderDesc": "shirt & jeans", "frontUrl": "https://shop/back?a=1&b=2"}, got)
	_, err = sign.ParseForm("orderDesc=shirt+%26+jeans")
	require.ErrorIs(t, err, sign.ErrMalformed)
	_, err = sign.ParseRequestForm("a=%zz")
	require.ErrorIs(t, err, sign.ErrMalformed)
}

// TestUnambiguous checks the rule on fields decoded by other means.
func TestUnambiguous(t *testing.T) {
	t.Parallel()
	require.NoError(t, sign.Unambiguous(sign.Fields{"reserved": "{a=b&c=d}", "respMsg": "成功[0000000]", "x": "a=b", "e": ""}))
	for _, tt := range []struct {
		f     sign.Fields
		field string
	}{
		{sign.Fields{"respCode": "00&respMsg=success", "orderId": "1"}, "respCode"},
		{sign.Fields{"b": "x&y", "a": "{"}, "a"}, // the first in key order
		{sign.Fields{"k=": "1"}, "k="},
	} {
		err := sign.Unambiguous(tt.f)
		require.ErrorIs(t, err, sign.ErrMalformed)
		var pe *sign.ParseError
		require.ErrorAs(t, err, &pe)
		assert.Equal(t, tt.field, pe.Field)
	}
}

// TestUnambiguousRandom compares the rule on values with a plain reading
// of it, for values of every length up to 300 made of the bytes that
// matter and others (among them '{' and '[' with the 0x20 bit flipped).
func TestUnambiguousRandom(t *testing.T) {
	t.Parallel()
	ref := func(v string) bool {
		var closer byte
		for i := 0; i < len(v); i++ {
			switch c := v[i]; {
			case closer != 0:
				if c == closer {
					closer = 0
				}
			case c == '{':
				closer = '}'
			case c == '[':
				closer = ']'
			case c == '&':
				return false
			}
		}
		return closer == 0
	}
	rng := rand.New(rand.NewPCG(5, 6))
	alphabet := []byte("ab=&{}[]\x5b\x7b\x06\xdb\xfb 中")
	for range 20000 {
		b := make([]byte, rng.IntN(300))
		for i := range b {
			if rng.IntN(8) == 0 {
				b[i] = alphabet[rng.IntN(len(alphabet))]
			} else {
				b[i] = 'a' + byte(rng.IntN(26))
			}
		}
		v := string(b)
		assert.Equal(t, ref(v), sign.Unambiguous(sign.Fields{"k": v}) == nil, "%q", v)
	}
}

// TestInvalidGBK: the GBK decoder replaces bytes that are not GBK with U+FFFD rather than
// failing, so invalid GBK used to pass the parsers (and fail later, as a charset error instead
// of a signature error). A body or field that decodes to U+FFFD is now refused where it is read.
// Found in the third session's review.
func TestInvalidGBK(t *testing.T) {
	t.Parallel()
	_, err := sign.DecodeBody([]byte("a=\x81\x20&b=\xff"), "GBK")
	require.ErrorIs(t, err, sign.ErrCharset)
	for _, body := range []string{"encoding=GBK&b=%FF&a=%81%20", "encoding=GBK&a=%81%20&b=%FF"} {
		_, err = sign.ParseForm(body)
		require.ErrorIs(t, err, sign.ErrMalformed)
		var pe *sign.ParseError
		require.ErrorAs(t, err, &pe)
		assert.Equal(t, "a", pe.Field, "the first invalid field in key order, whatever the body order")
	}
	f, err := sign.ParseForm("encoding=GBK&m=%B3%C9%B9%A6")
	require.NoError(t, err)
	assert.Equal(t, "成功", f["m"])
}

// TestParseFormEmptyPairsExempt: a pair with an empty value is dropped before the message is
// verified, so its key cannot make the string to sign ambiguous, in GBK as in UTF-8 (the GBK
// path used to refuse it, where ParseRequestForm gave fields Unambiguous accepts).
func TestParseFormEmptyPairsExempt(t *testing.T) {
	t.Parallel()
	for _, body := range []string{"a=1&%26=", "encoding=GBK&a=1&%26="} {
		f, err := sign.ParseForm(body)
		require.NoError(t, err, body)
		assert.NotContains(t, f, "&")
		require.NoError(t, sign.Unambiguous(f))
	}
}

// TestInvalidGBKError: a GBK form whose value is not GBK (UTF-8 declared as GBK, the usual
// mistake) is a *sign.ParseError matching ErrCharset as well as ErrMalformed, at the byte where the
// field starts, naming the likely cause (it said "at byte 0" and matched ErrMalformed only).
func TestInvalidGBKError(t *testing.T) {
	t.Parallel()
	body := "encoding=GBK&orderId=A0001&reqReserved=" + url.QueryEscape("中") // UTF-8: E4 B8 AD, a lead byte left alone
	_, err := sign.ParseForm(body)
	var pe *sign.ParseError
	require.ErrorAs(t, err, &pe)
	require.ErrorIs(t, err, sign.ErrMalformed)
	require.ErrorIs(t, err, sign.ErrCharset)
	assert.Equal(t, "reqReserved", pe.Field)
	assert.Equal(t, strings.Index(body, "reqReserved"), pe.Pos)
	assert.Contains(t, err.Error(), "UTF-8")
}

// FuzzDecodeBody: DecodeBody (an answer's bytes, before ParseRaw) gives text that is what
// Java's GBK decoder (UnionPay's) reads in the GBK bytes, refuses GBK it would have to replace,
// returns a UTF-8 body as it is, and refuses any other charset with ErrCharset.
func FuzzDecodeBody(f *testing.F) {
	f.Add([]byte("respCode=00&respMsg=\xb3\xc9\xb9\xa6"), "GBK")
	f.Add([]byte("respMsg=\x81"), "gbk")
	f.Add([]byte("respMsg=成功"), "UTF-8")
	f.Add([]byte("a=\xff"), "")
	f.Add([]byte("a=1"), "ISO-8859-1")
	f.Fuzz(func(t *testing.T, body []byte, encoding string) {
		s, err := sign.DecodeBody(body, encoding)
		if err != nil {
			if s != "" || !errors.Is(err, sign.ErrCharset) {
				t.Fatalf("DecodeBody(%q, %q) = %q, %v", body, encoding, s, err)
			}
			return
		}
		switch encoding {
		case "GBK", "gbk", "Gbk":
			want, derr := javagbk.NewDecoder().Bytes(body)
			if derr != nil || s != string(want) || !utf8.ValidString(s) || bytes.ContainsRune(want, utf8.RuneError) {
				t.Fatalf("DecodeBody(%q, GBK) = %q; Java reads %q", body, s, want)
			}
			if back, err := javagbk.NewEncoder().Bytes([]byte(s)); err != nil || !bytes.Equal(back, body) {
				t.Fatalf("DecodeBody(%q, GBK) = %q, which encodes back to %q, %v", body, s, back, err)
			}
		case "UTF-8", "utf-8", "UTF8", "":
			if s != string(body) {
				t.Fatalf("DecodeBody(%q, %q) = %q", body, encoding, s)
			}
		}
	})
}

// TestParseRawOuterBracesAndLineEnds: only a body both starting with '{'
// and ending with '}' loses them (as the SDK's convertResultStringToMap
// does), and values keep every byte, trailing CR LF included: they are
// signed as received.
func TestParseRawOuterBracesAndLineEnds(t *testing.T) {
	t.Parallel()
	const cert = "-----BEGIN CERTIFICATE-----\r\nMIIB\r\n-----END CERTIFICATE-----\r\n"
	for _, tc := range []struct {
		name, body string
		want       sign.Fields
	}{
		{"wrapped", "{a=1&b=2}", sign.Fields{"a": "1", "b": "2"}},
		{"leading brace only", "{a=1", sign.Fields{"{a": "1"}},
		{"trailing brace only", "a=1}", sign.Fields{"a": "1}"}},
		{"trailing CR LF", "a=x\r\n&b=1", sign.Fields{"a": "x\r\n", "b": "1"}},
		{"trailing LF at end", "b=1&a=x\n", sign.Fields{"a": "x\n", "b": "1"}},
		{"certificate", "signPubKeyCert=" + cert + "&respCode=00", sign.Fields{"signPubKeyCert": cert, "respCode": "00"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := sign.ParseRaw(tc.body)
			require.NoError(t, err)
			require.Equal(t, tc.want, got)
		})
	}
}
