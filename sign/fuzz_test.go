package sign_test

import (
	"bytes"
	"errors"
	"fmt"
	"maps"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/goacp/unionpay/internal/javagbk"
	"github.com/goacp/unionpay/sign"
)

// FuzzParseRaw compares the raw-response parser with rawOracle, a
// byte-by-byte reading of UnionPay's raw rule written here, and checks two
// round trips: whatever ParseRaw accepts, written back as "k=v&..." in key
// order (bare, and inside an outer "{...}"), parses to the same fields; and
// the fields fuzzFields builds from the same input, made representable in
// the raw format by rawRepresentable, parse back from their raw text
// exactly.
func FuzzParseRaw(f *testing.F) {
	b, err := os.ReadFile(filepath.Join(vectors, "raw_response.txt"))
	if err != nil {
		f.Fatal(err) // a committed vector: the seed must not go missing unnoticed
	}
	f.Add(string(b))
	for _, s := range []string{"", "{}", "a=1", "{a={b=1&c=2}&d=[x&y]}", "a=1&", "a&b=1", "=", "a==&b={&c=}",
		"signPubKeyCert=-----BEGIN CERTIFICATE-----\r\nMII\r\n-----END CERTIFICATE-----&signature=ab+/=",
		"{a=1}&b={2}", "a={[}]&b=]}&c=[{]}", "a=1&a=2", "{a=1&b=2", "a=}&{b=1}", "k={x}{y&z}[&]", "a=1&&b=2",
		// A card number typed into a key: a repeated key, a value left open, a key not a field name.
		"accNo 6216261000000000018=1&accNo 6216261000000000018=2", "accNo6216261000000000018={", "merId=1&accNo 6216261000000000018=x"} {
		f.Add(s)
	}
	addEmptyValueSeeds(f)
	f.Fuzz(func(t *testing.T, body string) {
		if fuzzPairsCapped(body) {
			return
		}
		checkParseRaw(t, body)
	})
}

// checkParseRaw is FuzzParseRaw's check of one body. TestFuzzChecksAtMaxFields runs it on
// maxFieldsBodies, which are not the target's seeds: a mutant of a body of
// sign.MaxFields pairs costs a thousand pairs' work, and minimising one
// stalled the fuzzer for seconds at a time.
func checkParseRaw(t *testing.T, body string) {
	fields, err := sign.ParseRaw(body)
	want, ok := rawOracle(body)
	if (err == nil) != ok || err == nil && !maps.Equal(fields, want) {
		t.Fatalf("ParseRaw(%q) = %q, %v; the raw rule gives %q (ok %v)", body, fields, err, want, ok)
	}
	if err != nil {
		var pe *sign.ParseError
		if !errors.Is(err, sign.ErrMalformed) || !errors.As(err, &pe) || pe.Pos < 0 || pe.Pos > len(body) {
			t.Fatalf("ParseRaw(%q): error %v (%T) is not a *ParseError within the body matching ErrMalformed", body, err, err)
		}
		checkParseErrorKey(t, err)
	} else {
		checkRawRoundTrip(t, fields)
		checkParseErrorKey(t, sign.CheckFieldNames(fields))
	}
	checkRawRoundTrip(t, rawRepresentable(fuzzFields([]byte(body))))
}

// checkRawRoundTrip checks that fields, written in the raw format, parse
// back to themselves.
func checkRawRoundTrip(t *testing.T, fields sign.Fields) {
	t.Helper()
	raw := rawEncode(fields)
	bodies := []string{"{" + raw + "}"}
	if !(len(raw) >= 2 && raw[0] == '{' && raw[len(raw)-1] == '}') { // else the braces would be stripped
		bodies = append(bodies, raw)
	}
	for _, body := range bodies {
		back, err := sign.ParseRaw(body)
		if err != nil || !maps.Equal(back, fields) {
			t.Fatalf("ParseRaw(%q) = %q, %v; want %q", body, back, err, fields)
		}
	}
}

// rawEncode writes fields in the raw format: "k=v" in key order, joined
// by '&'.
func rawEncode(fields sign.Fields) string {
	keys := slices.Sorted(maps.Keys(fields))
	var sb strings.Builder
	for i, k := range keys {
		if i > 0 {
			sb.WriteByte('&')
		}
		sb.WriteString(k + "=" + fields[k])
	}
	return sb.String()
}

// rawRepresentable returns the fields of f the raw format can carry, made
// so: keys that are empty or hold '=' or '&' are dropped; in values an '&'
// outside a {...} or [...] region becomes "{&}", and a region left open
// at the end is closed.
func rawRepresentable(f sign.Fields) sign.Fields {
	out := make(sign.Fields, len(f))
	for k, v := range f {
		if k == "" || strings.ContainsAny(k, "=&") {
			continue
		}
		var sb strings.Builder
		var closer byte
		for i := 0; i < len(v); i++ {
			c := v[i]
			switch {
			case closer != 0:
				if c == closer {
					closer = 0
				}
			case c == '&':
				sb.WriteString("{&}")
				continue
			case c == '{':
				closer = '}'
			case c == '[':
				closer = ']'
			}
			sb.WriteByte(c)
		}
		if closer != 0 {
			sb.WriteByte(closer)
		}
		out[k] = sb.String()
	}
	return out
}

// rawOracle reads body by UnionPay's raw rule, one byte at a time: an outer
// "{...}" is removed; a key runs to its '=' and must not be empty or hold
// '&'; in a value '{' opens a region that ends at the next '}', '[' one
// that ends at the next ']', and an '&' outside a region ends the pair. It
// reports false where ParseRaw must fail: a pair without '=', an empty key,
// a trailing '&', a repeated key, a region still open at the end, more than
// sign.MaxFields pairs (FuzzMaxFields checks where ParseRaw stops).
func rawOracle(body string) (sign.Fields, bool) {
	if len(body) >= 2 && strings.HasPrefix(body, "{") && strings.HasSuffix(body, "}") {
		body = body[1 : len(body)-1]
	}
	out := sign.Fields{}
	if body == "" {
		return out, true
	}
	var key, value []byte
	inKey := true
	var closer byte
	for i := 0; i < len(body); i++ {
		c := body[i]
		switch {
		case inKey && c == '=':
			if len(key) == 0 {
				return nil, false
			}
			inKey = false
		case inKey && c == '&':
			return nil, false
		case inKey:
			key = append(key, c)
		case closer != 0:
			if c == closer {
				closer = 0
			}
			value = append(value, c)
		case c == '&':
			if _, dup := out[string(key)]; dup {
				return nil, false
			}
			out[string(key)] = string(value)
			key, value, inKey = key[:0], value[:0], true
		default:
			switch c {
			case '{':
				closer = '}'
			case '[':
				closer = ']'
			}
			value = append(value, c)
		}
	}
	if inKey || closer != 0 {
		return nil, false
	}
	if _, dup := out[string(key)]; dup {
		return nil, false
	}
	out[string(key)] = string(value)
	if len(out) > sign.MaxFields {
		return nil, false
	}
	return out, true
}

// FuzzParseForm checks that the notification form decoder never panics and
// that what it accepts encodes back to a body that decodes to the same
// fields. Where net/url reads the body too (not GBK, no key repeated), the
// Fields are exactly its view less the empty values: buildForm drops those
// and, when they are most of the pairs, copies the rest to a smaller map.
func FuzzParseForm(f *testing.F) {
	for _, s := range []string{"", "a=1&b=2", "a=%zz", "encoding=GBK&m=%B3%C9", "a=1&a=2", "&&=", "k=v%0D%0A+x",
		"z=1&b=&signature=x&a=2&B=3", "encoding=gbk&z=%B3%C9&a=%81", "signPubKeyCert=a%2Bb&x=%41",
		// A card number typed into a key: repeated, a bad escape after it, not GBK, not a field name.
		"accNo+6216261000000000018=1&accNo+6216261000000000018=2", "accNo6216261000000000018=%zz",
		"encoding=GBK&accNo%206216261000000000018=%ff", "merId=1&accNo%206216261000000000018=x"} {
		f.Add(s)
	}
	addEmptyValueSeeds(f)
	f.Fuzz(func(t *testing.T, body string) {
		if fuzzPairsCapped(body) {
			return
		}
		checkParseForm(t, body)
	})
}

// checkParseForm is FuzzParseForm's check of one body. TestFuzzChecksAtMaxFields runs it on
// maxFieldsBodies, which are not the target's seeds: a mutant of a body of
// sign.MaxFields pairs costs a thousand pairs' work, and minimising one
// stalled the fuzzer for seconds at a time.
func checkParseForm(t *testing.T, body string) {
	fields, err := sign.ParseForm(body)
	// The body buffers are scribbled over afterwards: the Fields must
	// not refer to them.
	buf := []byte(body)
	withCanonical, canonical, err3 := sign.ParseFormCanonical(buf, []byte("prefix:"))
	scribble(buf)
	cache := sign.NewValueCache("signPubKeyCert")
	for range 2 { // remembered, then reused
		buf := []byte(body)
		cached, cachedCanonical, err4 := cache.ParseFormCanonical(buf, []byte("prefix:"))
		scribble(buf)
		if !reflect.DeepEqual(err3, err4) || !reflect.DeepEqual(withCanonical, cached) || string(canonical) != string(cachedCanonical) {
			t.Fatalf("ValueCache.ParseFormCanonical(%q) = %q, %q, %v; want %q, %q, %v", body, cached, cachedCanonical, err4, withCanonical, canonical, err3)
		}
	}
	loose, errLoose := sign.ParseRequestForm(body)
	if err == nil && (errLoose != nil || !reflect.DeepEqual(loose, fields)) {
		t.Fatalf("ParseRequestForm(%q) = %q, %v; ParseForm gave %q", body, loose, errLoose, fields)
	}
	if err == nil && sign.Unambiguous(fields) != nil {
		t.Fatalf("ParseForm(%q) returned fields Unambiguous refuses: %v", body, sign.Unambiguous(fields))
	}
	if errors.Is(err, sign.ErrAmbiguous) && (errLoose != nil || sign.Unambiguous(loose) == nil) {
		t.Fatalf("ParseForm(%q) refused it as ambiguous (%v), but ParseRequestForm gave %q, %v", body, err, loose, errLoose)
	}
	if err != nil {
		if err3 == nil {
			t.Fatalf("ParseFormCanonical(%q) accepted what ParseForm refused: %v", body, err)
		}
		checkParseErrorKey(t, err)
		checkParseErrorKey(t, err3)
		checkParseErrorKey(t, errLoose)
		return
	}
	checkParseErrorKey(t, sign.CheckFieldNames(fields))
	if want, cerr := sign.Canonical(fields); cerr != nil {
		if err3 == nil {
			t.Fatalf("ParseFormCanonical(%q) built a string to sign Canonical refuses: %v", body, cerr)
		}
		return
	} else if err3 != nil || !reflect.DeepEqual(fields, withCanonical) || string(canonical) != "prefix:"+string(want) {
		t.Fatalf("ParseFormCanonical(%q) = %q, %q, %v; want %q, %q", body, withCanonical, canonical, err3, fields, want)
	}
	if q, qerr := url.ParseQuery(body); qerr == nil && !strings.EqualFold(fields[sign.FieldEncoding], sign.CharsetGBK) {
		want, single := make(sign.Fields), true
		for k, vs := range q { // net/url agrees wherever it accepts the body
			if len(vs) == 1 && vs[0] != "" && fields[k] != vs[0] {
				t.Fatalf("field %q: %q, net/url says %q", k, fields[k], vs[0])
			}
			single = single && len(vs) == 1
			if len(vs) == 1 && vs[0] != "" {
				want[k] = vs[0]
			}
		}
		if single && !maps.Equal(fields, want) {
			t.Fatalf("ParseForm(%q) = %q; net/url less the empty values %q", body, fields, want)
		}
	}
	enc, err := sign.Encode(fields)
	if err != nil {
		return // e.g. text not representable in GBK
	}
	back, err := sign.ParseForm(enc)
	if err != nil {
		t.Fatalf("re-parse of %q: %v", enc, err)
	}
	if len(back) != len(fields) {
		t.Fatalf("round trip changed the fields: %q -> %q", fields, back)
	}
	for k, v := range fields {
		if back[k] != v && !strings.EqualFold(fields[sign.FieldEncoding], sign.CharsetGBK) {
			t.Fatalf("field %q: %q became %q", k, v, back[k])
		}
	}
}

// FuzzCanonical builds messages of 0 to 60 fields from the fuzz input
// (odd bytes, '=' and '&', empty values and keys, keys sharing their first
// eight bytes, a signature, each charset), on both sides of the 48-field
// line between AppendCanonical's two code paths, and compares the string
// to sign with canonicalOracle, written here without sign's code.
// Canonical and AppendCanonical, after a non-empty prefix, must agree with
// it and leave the message as it was; for a GBK message, Canonical's bytes
// are checked by checkGBK against GBK bytes written out by hand.
func FuzzCanonical(f *testing.F) {
	f.Add([]byte{})
	f.Add([]byte{4, 4, 0x07, 'v', 'e', 'r', 's', 'i', 'o', 'n', 5, '5', '.', '1', '.', '0', 0x01, 'b', 0, 0x11, 'a', 6, 0xe6, 0x88, 0x90, 0xe5, 0x8a, 0x9f, 0x02, '&', '=', 3, '=', '&', '='})
	f.Add([]byte{4, 2, 0x21, 'x', 2, 'o', 'k', 0x31, 'a', 1, 'b', 0x00, 0x02, 0xff, 0xfe, 2, 0x80, '\r', 0x35, 'a', 'b', 'c', '=', '&', 0})
	f.Add([]byte{48, 4})                 // 48 fields and a signature: the large path
	f.Add([]byte{47, 4})                 // 47 fields and a signature: the small path
	f.Add([]byte{48, 0})                 // 48 fields: the small path
	f.Add([]byte{60, 1})                 // the large path with the charset field
	f.Add([]byte{49, 0, 0x3f, 'o', 'r'}) // long keys, shared prefixes
	f.Add([]byte{5, 3, 0x12, 'k', 1, 'v'})
	f.Fuzz(func(t *testing.T, data []byte) {
		fields := fuzzFields(data)
		before := fields.Clone()
		want := canonicalOracle(fields)

		prefix := []byte("prefix&k=v&")
		for _, spare := range []int{0, len(want) + 8} {
			dst := append(make([]byte, 0, len(prefix)+spare), prefix...)
			got := sign.AppendCanonical(dst, fields)
			if !bytes.Equal(got, append(slices.Clone(prefix), want...)) {
				t.Fatalf("AppendCanonical(%q, %q) = %q, want the prefix then %q", prefix, fields, got, want)
			}
		}
		if got := sign.AppendCanonical(nil, fields); !bytes.Equal(got, want) {
			t.Fatalf("AppendCanonical(nil, %q) = %q, want %q", fields, got, want)
		}

		got, err := sign.Canonical(fields)
		badKey := false // a key UnionPay cannot have: empty, or not printable ASCII
		for k := range fields {
			badKey = badKey || k == "" || strings.IndexFunc(k, func(r rune) bool { return r < '!' || r > '~' }) >= 0
		}
		switch charset := fields[sign.FieldEncoding]; {
		case !strings.EqualFold(charset, sign.CharsetGBK) && charset != "" &&
			!strings.EqualFold(charset, sign.CharsetUTF8) && !strings.EqualFold(charset, "UTF8"):
			if !errors.Is(err, sign.ErrCharset) && !(badKey && errors.Is(err, sign.ErrMalformed)) {
				t.Fatalf("Canonical with encoding %q: %q, %v; want an error matching ErrCharset", charset, got, err)
			}
		case badKey:
			if !errors.Is(err, sign.ErrMalformed) {
				t.Fatalf("Canonical with a key %q cannot send: %q, %v; want an error matching ErrMalformed", slices.Sorted(maps.Keys(fields)), got, err)
			}
		case strings.EqualFold(charset, sign.CharsetGBK):
			checkGBK(t, fields, want, got, err)
		default:
			if err != nil || !bytes.Equal(got, want) {
				t.Fatalf("Canonical(%q) = %q, %v; want %q", fields, got, err, want)
			}
		}
		if !maps.Equal(fields, before) {
			t.Fatalf("the message changed: %q, was %q", fields, before)
		}
	})
}

// gbkTable holds the GBK bytes of a few characters, written out here and
// checked against Python's gbk codec and iconv: common ones, and ones whose
// second byte is ASCII ('\\', '{', '@'), which a byte-wise reading of GBK
// text would take for ASCII.
var gbkTable = map[rune]string{
	'中': "\xd6\xd0", '国': "\xb9\xfa", '银': "\xd2\xf8", '联': "\xc1\xaa", '文': "\xce\xc4",
	'成': "\xb3\xc9", '功': "\xb9\xa6", '对': "\xb6\xd4", '账': "\xd5\xcb", '商': "\xc9\xcc",
	'户': "\xbb\xa7", '交': "\xbd\xbb", '易': "\xd2\xd7", '退': "\xcd\xcb", '货': "\xbb\xf5",
	'元': "\xd4\xaa", '\u3000': "\xa1\xa1", '乗': "\x81\x5c", '亄': "\x81\x7b", '丂': "\x81\x40",
}

// tableGBK returns s in GBK if it is valid UTF-8 of ASCII and characters
// of gbkTable only.
func tableGBK(s []byte) ([]byte, bool) {
	var out []byte
	for len(s) > 0 {
		r, n := utf8.DecodeRune(s)
		switch g, ok := gbkTable[r]; {
		case r < utf8.RuneSelf && n == 1:
			out = append(out, byte(r))
		case ok:
			out = append(out, g...)
		default:
			return nil, false
		}
		s = s[n:]
	}
	return out, true
}

// checkGBK checks Canonical's answer (got, err) for a GBK message whose
// string to sign, in UTF-8, is want. Text of ASCII and gbkTable's
// characters must give the bytes the table gives; other text must give
// bytes that decode (x/text's GBK decoder) back to want, or an error
// matching ErrCharset.
func checkGBK(t *testing.T, fields sign.Fields, want, got []byte, err error) {
	t.Helper()
	if gbk, ok := tableGBK(want); ok {
		if err != nil || !bytes.Equal(got, gbk) {
			t.Fatalf("Canonical(%q) = %q, %v; want %q in GBK", fields, got, err, gbk)
		}
		return
	}
	if err != nil {
		if !errors.Is(err, sign.ErrCharset) {
			t.Fatalf("Canonical(%q): %v, want an error matching ErrCharset", fields, err)
		}
		return
	}
	back, derr := javagbk.NewDecoder().Bytes(got) // Java's GBK, UnionPay's (x/text's lacks the user-defined areas)
	if derr != nil || !bytes.Equal(back, want) {
		t.Fatalf("Canonical(%q) = %q, which GBK decodes to %q (%v); want %q", fields, got, back, derr, want)
	}
}

// canonicalOracle is the string to sign as the protocol states it, in
// UTF-8: every key but "signature", sorted by byte order, "k=v" joined by
// '&'.
func canonicalOracle(f sign.Fields) []byte {
	var keys []string
	for k := range f {
		if k != "signature" {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	pairs := make([]string, len(keys))
	for i, k := range keys {
		pairs[i] = k + "=" + f[k]
	}
	return []byte(strings.Join(pairs, "&"))
}

// fuzzFields builds a message from fuzz input: a field count (0 to 60), a
// byte of flags (bits 0-1: no encoding field, UTF-8, GBK or an unknown
// charset; bit 2: a signature field), then per field a control byte (bits
// 0-3: the key's length; bits 4-5: the key as is, made unique with the
// field's number, after an eight-byte prefix shared with other fields, or
// followed by a zero byte), the key's bytes, the value's length (mod 40)
// and its bytes. When the input runs out, the remaining fields are
// fillerNNN=vNNN, in reverse order, sharing their first eight bytes.
func fuzzFields(data []byte) sign.Fields {
	src := fuzzSource(data)
	n := int(src.next()) % 61
	flags := src.next()
	f := make(sign.Fields, n+2)
	for i := range n {
		if len(src) == 0 {
			f[fmt.Sprintf("filler%03d", n-i)] = fmt.Sprintf("v%03d", i)
			continue
		}
		ctl := src.next()
		key := src.take(int(ctl & 0x0f))
		switch ctl >> 4 & 3 {
		case 1:
			key = fmt.Sprintf("%s#%02d", key, i)
		case 2:
			key = "orderInf" + key
		case 3:
			key += "\x00"
		}
		f[key] = src.take(int(src.next()) % 40)
	}
	switch flags & 3 {
	case 1:
		f[sign.FieldEncoding] = "utf-8"
	case 2:
		f[sign.FieldEncoding] = "gbk"
	case 3:
		f[sign.FieldEncoding] = "ISO-8859-1"
	}
	if flags&4 != 0 {
		f[sign.FieldSignature] = "c2lnbmF0dXJl+/="
	}
	return f
}

// fuzzSource hands out fuzz input byte by byte; zeros once it is used up.
type fuzzSource []byte

func (s *fuzzSource) next() byte {
	if len(*s) == 0 {
		return 0
	}
	c := (*s)[0]
	*s = (*s)[1:]
	return c
}

// take returns the next n bytes as a string, or what is left if fewer.
func (s *fuzzSource) take(n int) string {
	n = min(n, len(*s))
	v := string((*s)[:n])
	*s = (*s)[n:]
	return v
}

// scribble overwrites b, as a caller reusing a buffer would.
func scribble(b []byte) {
	for i := range b {
		b[i] = 'X'
	}
}

// addEmptyValueSeeds adds bodies of mostly empty values, which buildForm drops and then copies
// the rest to a smaller map: none kept, one, half, all but one; an empty one repeated. The body
// of them at sign.MaxFields is in maxFieldsBodies.
func addEmptyValueSeeds(f *testing.F) {
	for _, s := range []string{"a=&b=&c=", "a=1&b=&c=&d=", "a=1&b=2&c=&d=", "a=1&b=2&c=3&d=", "a=&a=&b=1",
		"a=1" + strings.Repeat("&=", 8), "a=%41&b=&c=&encoding=UTF-8&signature=x+y"} {
		f.Add(s)
	}
}

// checkParseErrorKey fails if the text of err, a parse error or CheckFieldNames' (nil passes),
// shows 12 ASCII digits in a row of the key it names (a card number typed into a key,
// "accNo 6216261000000000018", which notify.Handler logs in the error of a refused body), or,
// its message about the pair left out (which may quote a value: an unsupported charset), 12
// ASCII digits in a row at all.
func checkParseErrorKey(t *testing.T, err error) {
	t.Helper()
	if err == nil {
		return
	}
	var key, text string
	if pe, ok := errors.AsType[*sign.ParseError](err); ok {
		key, text = pe.Field, strings.Replace(err.Error(), pe.Msg, "", 1)
	} else if _, k, ok := strings.Cut(err.Error(), "field name "); ok { // CheckFieldNames
		key, text = k, err.Error()
	}
	for _, run := range append(digitRuns(key), digitRuns(text)...) {
		for i := 0; i+12 <= len(run); i++ {
			if strings.Contains(text, run[i:i+12]) {
				t.Fatalf("%q shows %s, of a card number in a key", err, run[i:i+12])
			}
		}
	}
}
