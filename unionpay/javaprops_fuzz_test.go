package unionpay

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"unicode/utf16"
)

// FuzzParseProperties reads arbitrary bytes as an acp_sdk.properties file (decodeProperties,
// then parseProperties) and compares the result with javaLoad, a port of
// java.util.Properties.load (its LineReader and loadConvert, Java 9 to 21) written here without
// the package's code: the same keys and values in the same order, and an error exactly where
// Java throws one (a malformed \uxxxx escape). Properties come on lines of the file, in order.
// An error is a *propertySyntaxError on a line of the file whose text is one of the two fixed
// messages: it never quotes the file, whose values include passwords. And what is read, written
// back as Properties.store writes it, reads back the same.
func FuzzParseProperties(f *testing.F) {
	for _, s := range []string{
		"acpsdk.signCert.path=certs/acp_test_sign.pfx\nacpsdk.signCert.pwd=000000\r\nacpsdk.signCert.type=PKCS12\n",
		"# 银联\n! c\n  a = 1  \n\tb:2\nc 3\n\fd\n",
		"a=x\\\n   y\\\r\n\tz\\\rw\nb=\\u4e2D\\uD83D\\uDE00\\t\\q\n",
		"a=\\u12\n", "\\uzz=1", "a=x\\\n\nb=2", "a=x\\", "a\\=b\\:c\\ d=1", "a\\\\=1",
		"\\\n#c\nb=2", "\\\n\nb=2", "\\\n", "\\\r\n", "\\", "\\\n  \\\n! c \\\nacpsdk.x=1",
		"acpsdk.signCert.pwd\uff1d000000", "\xef\xbb\xbfa=1", "# \xb2\xe2\xca\xd4\na=\xe9",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		text := decodeProperties(data)
		lines := len(splitLines(text))
		props, err := parseProperties(text)
		want, javaErr := javaLoad(text)
		if (err == nil) != (javaErr == nil) {
			t.Fatalf("parseProperties(%q): %v; Java: %v", text, err, javaErr)
		}
		if err != nil {
			var se *propertySyntaxError
			if !errors.As(err, &se) || se.line < 1 || se.line > lines ||
				se.msg != `key: malformed \uxxxx escape (four hex digits wanted)` &&
					se.msg != `value: malformed \uxxxx escape (four hex digits wanted)` {
				t.Fatalf("parseProperties(%q): error %#v", text, err)
			}
			return
		}
		// A lone backslash on the last line but one gives Java an empty key with an empty value,
		// which no SDK reads; parseProperties leaves it out.
		want = slices.DeleteFunc(want, func(kv [2]string) bool { return kv == [2]string{} })
		props = slices.DeleteFunc(props, func(p property) bool { return p.key == "" && p.value == "" })
		if len(props) != len(want) {
			t.Fatalf("parseProperties(%q) = %+v; Java reads %q", text, props, want)
		}
		prev := 0
		for i, p := range props {
			if p.key != want[i][0] || p.value != want[i][1] {
				t.Fatalf("parseProperties(%q): property %d is %q=%q; Java reads %q", text, i, p.key, p.value, want[i])
			}
			if p.line <= prev || p.line > lines {
				t.Fatalf("parseProperties(%q): property %q on line %d, after line %d, of %d", text, p.key, p.line, prev, lines)
			}
			prev = p.line
		}
		stored := storeProperties(props)
		back, err := parseProperties(stored)
		if err != nil || len(back) != len(props) {
			t.Fatalf("stored as %q, read back as %+v, %v; want %+v", stored, back, err, props)
		}
		for i, p := range back {
			if p.key != props[i].key || p.value != props[i].value || p.line != i+1 {
				t.Fatalf("stored as %q, property %d read back as %+v", stored, i, p)
			}
		}
	})
}

// javaLoad reads text as java.util.Properties.load(Reader) does (Java 9 to 21), rune by rune:
// its LineReader.readLine makes the logical lines, and load0 and loadConvert split and unescape
// them. It returns the pairs in file order, or an error where loadConvert throws.
func javaLoad(text string) ([][2]string, error) {
	in := []rune(text)
	off := 0
	// readLine returns the next logical line, or ok false at the end of the input.
	readLine := func() (line []rune, ok bool) {
		skipWhiteSpace, appendedLineBegin, precedingBackslash := true, false, false
		for {
			if off >= len(in) {
				if len(line) == 0 {
					return nil, false
				}
				if precedingBackslash {
					line = line[:len(line)-1]
				}
				return line, true
			}
			c := in[off]
			off++
			if skipWhiteSpace {
				if c == ' ' || c == '\t' || c == '\f' {
					continue
				}
				if !appendedLineBegin && (c == '\r' || c == '\n') {
					continue
				}
				skipWhiteSpace, appendedLineBegin = false, false
			}
			if len(line) == 0 && (c == '#' || c == '!') {
				for off < len(in) && in[off] != '\n' && in[off] != '\r' {
					off++
				}
				if off < len(in) {
					off++
				}
				skipWhiteSpace = true
				continue
			}
			if c != '\n' && c != '\r' {
				line = append(line, c)
				precedingBackslash = c == '\\' && !precedingBackslash
				continue
			}
			if len(line) == 0 {
				skipWhiteSpace = true
				continue
			}
			if off >= len(in) {
				if precedingBackslash {
					line = line[:len(line)-1]
				}
				return line, true
			}
			if !precedingBackslash {
				return line, true
			}
			line = line[:len(line)-1]
			skipWhiteSpace, appendedLineBegin, precedingBackslash = true, true, false
			if c == '\r' && in[off] == '\n' {
				off++
			}
		}
	}
	var out [][2]string
	for {
		line, ok := readLine()
		if !ok {
			return out, nil
		}
		keyLen, valueStart, hasSep, backslash := 0, len(line), false, false
		for ; keyLen < len(line); keyLen++ {
			c := line[keyLen]
			if (c == '=' || c == ':') && !backslash {
				valueStart, hasSep = keyLen+1, true
				break
			}
			if (c == ' ' || c == '\t' || c == '\f') && !backslash {
				valueStart = keyLen + 1
				break
			}
			backslash = c == '\\' && !backslash
		}
		for ; valueStart < len(line); valueStart++ {
			if c := line[valueStart]; c != ' ' && c != '\t' && c != '\f' {
				if hasSep || c != '=' && c != ':' {
					break
				}
				hasSep = true
			}
		}
		key, err := javaConvert(line[:keyLen])
		if err != nil {
			return nil, err
		}
		value, err := javaConvert(line[valueStart:])
		if err != nil {
			return nil, err
		}
		out = append(out, [2]string{key, value})
	}
}

// javaConvert is Properties.loadConvert: \t, \n, \r, \f and \uxxxx (a UTF-16 code unit) are
// escapes, a backslash before any other character stands for that character.
func javaConvert(s []rune) (string, error) {
	var units []uint16
	for i := 0; i < len(s); {
		c := s[i]
		i++
		if c == '\\' && i < len(s) {
			c = s[i]
			i++
			switch c {
			case 'u':
				if i > len(s)-4 {
					return "", errors.New("malformed \\uxxxx encoding")
				}
				var u uint16
				for _, d := range s[i : i+4] {
					switch {
					case '0' <= d && d <= '9':
						u = u<<4 | uint16(d-'0')
					case 'a' <= d && d <= 'f':
						u = u<<4 | uint16(d-'a'+10)
					case 'A' <= d && d <= 'F':
						u = u<<4 | uint16(d-'A'+10)
					default:
						return "", errors.New("malformed \\uxxxx encoding")
					}
				}
				i += 4
				units = append(units, u)
				continue
			case 't':
				c = '\t'
			case 'n':
				c = '\n'
			case 'r':
				c = '\r'
			case 'f':
				c = '\f'
			}
		}
		units = utf16.AppendRune(units, c)
	}
	return string(utf16.Decode(units)), nil
}

// storeProperties writes props one a line as Properties.store does (saveConvert): in keys
// every space is escaped, in values a leading one; \t, \n, \r and \f as escapes; '\\', '=', ':',
// '#' and '!' behind a backslash; characters outside printable ASCII as \uxxxx.
func storeProperties(props []property) string {
	var b strings.Builder
	write := func(s string, key bool) {
		for i, u := range utf16.Encode([]rune(s)) {
			switch {
			case u == ' ' && (key || i == 0):
				b.WriteString(`\ `)
			case u == '\t':
				b.WriteString(`\t`)
			case u == '\n':
				b.WriteString(`\n`)
			case u == '\r':
				b.WriteString(`\r`)
			case u == '\f':
				b.WriteString(`\f`)
			case strings.ContainsRune(`\=:#!`, rune(u)):
				b.WriteByte('\\')
				b.WriteByte(byte(u))
			case u < 0x20 || u > 0x7e:
				const hex = "0123456789ABCDEF"
				b.WriteString(`\u`)
				b.WriteByte(hex[u>>12])
				b.WriteByte(hex[u>>8&15])
				b.WriteByte(hex[u>>4&15])
				b.WriteByte(hex[u&15])
			default:
				b.WriteByte(byte(u))
			}
		}
	}
	for _, p := range props {
		write(p.key, true)
		b.WriteByte('=')
		write(p.value, false)
		b.WriteByte('\n')
	}
	return b.String()
}
