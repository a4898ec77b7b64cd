package unionpay

import (
	"errors"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// property is one key and value of a Java .properties file, with the line its logical line
// starts on (1-based).
type property struct {
	key, value string
	line       int
}

// propertySyntaxError is a malformed line of a .properties file: a \u escape without four hex
// digits, which java.util.Properties.load refuses too.
type propertySyntaxError struct {
	line int
	key  string // "" when the key itself is malformed
	msg  string
}

func (e *propertySyntaxError) Error() string { return e.msg }

// decodeProperties turns the bytes of a .properties file into text: UTF-8 when they are valid
// UTF-8 (a leading byte-order mark dropped), ISO-8859-1 otherwise, as Java 9's
// PropertyResourceBundle reads such files. java.util.Properties.load(InputStream), which the Java
// SDK calls, always reads ISO-8859-1: the two agree on ASCII, \u escapes included, which is all a
// working acp_sdk.properties holds outside its comments.
func decodeProperties(data []byte) string {
	if utf8.Valid(data) {
		return strings.TrimPrefix(string(data), "\uFEFF")
	}
	r := make([]rune, len(data))
	for i, b := range data {
		r[i] = rune(b)
	}
	return string(r)
}

// parseProperties reads text as java.util.Properties.load (Java 9 and later) does: lines end at
// \n, \r or \r\n; a line whose first character other than space, tab or form feed is # or ! is a
// comment (and is never continued), also after a line holding only a backslash, which adds
// nothing; a line ending in an odd number of backslashes goes on on the next line, whose
// leading white space is dropped; the key ends at the first unescaped '=', ':' or white space,
// after which white space, one '=' or ':' and more white space are skipped; the value is the rest
// of the line, trailing white space included. In keys and values \t, \n, \r, \f and \uXXXX are
// escapes and a backslash before any other character stands for that character. Properties come
// in file order; a key given twice is listed twice (Java keeps the last).
func parseProperties(text string) ([]property, error) {
	var props []property
	lines := splitLines(text)
	for i := 0; i < len(lines); i++ {
		line := strings.TrimLeft(lines[i], " \t\f")
		if line == "" || line[0] == '#' || line[0] == '!' {
			continue
		}
		if line == `\` && i+1 < len(lines) {
			// A logical line still empty when continued starts afresh on the next line, where a
			// comment is a comment (Java 9 and later).
			continue
		}
		start := i + 1
		if endsInBackslash(line) && i+1 < len(lines) {
			var b strings.Builder // not line += next: a file of short continued lines would cost its length squared
			for endsInBackslash(line) && i+1 < len(lines) {
				b.WriteString(line[:len(line)-1])
				i++
				line = strings.TrimLeft(lines[i], " \t\f")
				if line == "" {
					break // a blank line ends the logical line, as in Java
				}
			}
			b.WriteString(line)
			line = b.String()
		}
		if endsInBackslash(line) { // the last line of the file
			line = line[:len(line)-1]
		}
		key, value := splitProperty(line)
		k, err := unescapeProperty(key)
		if err != nil {
			return nil, &propertySyntaxError{line: start, msg: "key: " + err.Error()}
		}
		v, err := unescapeProperty(value)
		if err != nil {
			return nil, &propertySyntaxError{line: start, key: k, msg: "value: " + err.Error()}
		}
		props = append(props, property{key: k, value: v, line: start})
	}
	return props, nil
}

// splitLines splits text at \n, \r and \r\n.
func splitLines(text string) []string {
	text = strings.ReplaceAll(text, "\r\n", "\n")
	return strings.Split(strings.ReplaceAll(text, "\r", "\n"), "\n")
}

// endsInBackslash reports whether s ends in an odd number of backslashes.
func endsInBackslash(s string) bool {
	n := 0
	for n < len(s) && s[len(s)-1-n] == '\\' {
		n++
	}
	return n%2 == 1
}

// splitProperty splits a logical line (leading white space removed) into its raw key and value.
func splitProperty(line string) (key, value string) {
	end := len(line)
	escaped := false
	for i := 0; i < len(line); i++ {
		c := line[i]
		if !escaped && (c == '=' || c == ':' || c == ' ' || c == '\t' || c == '\f') {
			end = i
			break
		}
		escaped = c == '\\' && !escaped
	}
	rest := strings.TrimLeft(line[end:], " \t\f")
	if rest != "" && (rest[0] == '=' || rest[0] == ':') {
		rest = strings.TrimLeft(rest[1:], " \t\f")
	}
	return line[:end], rest
}

// unescapeProperty resolves the escapes of a key or value. \uXXXX escapes are UTF-16 code units:
// a surrogate pair written as two escapes is one character.
func unescapeProperty(s string) (string, error) {
	if !strings.Contains(s, `\`) {
		return s, nil
	}
	var units []uint16
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		if r != '\\' || i == len(s) {
			units = utf16.AppendRune(units, r)
			continue
		}
		r, size = utf8.DecodeRuneInString(s[i:])
		i += size
		switch r {
		case 't':
			units = append(units, '\t')
		case 'n':
			units = append(units, '\n')
		case 'r':
			units = append(units, '\r')
		case 'f':
			units = append(units, '\f')
		case 'u':
			var u uint16
			for j := 0; j < 4; j++ {
				d, ok := hexDigit(s, i+j)
				if !ok {
					// The escape itself is not quoted: it may be part of a password.
					return "", errors.New(`malformed \uxxxx escape (four hex digits wanted)`)
				}
				u = u<<4 | d
			}
			i += 4
			units = append(units, u)
		default:
			units = utf16.AppendRune(units, r)
		}
	}
	return string(utf16.Decode(units)), nil
}

// hexDigit returns the value of the hex digit s[i].
func hexDigit(s string, i int) (uint16, bool) {
	if i >= len(s) {
		return 0, false
	}
	switch c := s[i]; {
	case c >= '0' && c <= '9':
		return uint16(c - '0'), true
	case c >= 'a' && c <= 'f':
		return uint16(c-'a') + 10, true
	case c >= 'A' && c <= 'F':
		return uint16(c-'A') + 10, true
	}
	return 0, false
}
