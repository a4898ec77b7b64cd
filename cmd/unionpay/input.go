package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/goacp/unionpay/sign"
)

// Limits on standard input: a message is a few KiB; a file-download answer carries a whole
// settlement file in base64.
const (
	maxMessageBytes = 16 << 20
	maxFileBytes    = 256 << 20
)

// readInput reads all of r, refusing more than limit bytes.
func readInput(r io.Reader, limit int64) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, fmt.Errorf("reading standard input: %w", err)
	}
	if int64(len(b)) > limit {
		return nil, fmt.Errorf("standard input exceeds %d bytes", limit)
	}
	return b, nil
}

// readFileLimited reads the file at path, refusing one larger than limit bytes (a settlement
// file named on the command line may be anything, /dev/zero included).
func readFileLimited(path string, limit int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", path, err)
	}
	if int64(len(b)) > limit {
		return nil, fmt.Errorf("%s exceeds %d bytes", path, limit)
	}
	return b, nil
}

// parseFields reads a message to sign: an application/x-www-form-urlencoded body on one line,
// or key=value lines (split at the first '=', values taken literally, blank lines and lines
// starting with '#' skipped). Input with more than one non-blank line is read as lines.
//
// Lines are UTF-8 text whatever the encoding field says, and a form body's values decode in
// the charset it names: a value that is not valid UTF-8 after that (a file saved in GBK, or
// GBK bytes percent-encoded in a body declared UTF-8) is refused, naming its field: UnionPay
// decodes the message in its charset, so it would never compute the string signed from it.
func parseFields(b []byte) (sign.Fields, error) {
	text := strings.TrimSpace(string(b))
	if text == "" {
		return nil, fmt.Errorf("no fields on standard input")
	}
	if !strings.ContainsAny(text, "\r\n") {
		if err := checkPairsHaveEquals(text); err != nil {
			return nil, err
		}
		f, err := sign.ParseRequestForm(text)
		if err != nil {
			return nil, fmt.Errorf("reading the form body: %w", err)
		}
		var bad []string
		for k, v := range f {
			if !utf8.ValidString(v) {
				bad = append(bad, k)
			}
		}
		if len(bad) > 0 {
			return nil, fmt.Errorf("reading the form body: field %q is not valid UTF-8, the message's charset "+
				"(GBK bytes? declare encoding=GBK): %w", keyShown(slices.Min(bad)), sign.ErrCharset)
		}
		return f, nil
	}
	f := sign.Fields{}
	for i, line := range strings.Split(text, "\n") {
		line = strings.TrimSuffix(line, "\r")
		if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		if !ok || k == "" {
			return nil, fmt.Errorf("line %d: want key=value: %w", i+1, sign.ErrMalformed)
		}
		if _, dup := f[k]; dup {
			return nil, fmt.Errorf("line %d: field %q repeated: %w", i+1, keyShown(k), sign.ErrMalformed)
		}
		if !utf8.ValidString(v) {
			return nil, fmt.Errorf("line %d: field %q is not valid UTF-8 (key=value lines are read as UTF-8 whatever "+
				"the encoding field: a file saved in GBK? convert it, iconv -f GBK -t UTF-8, or give the form body): %w",
				i+1, keyShown(k), sign.ErrCharset)
		}
		f[k] = v
	}
	return f, nil
}

// checkPairsHaveEquals refuses a form body's pair without '=': read as a field with an empty
// value, it would be left out of the message and its signature without a word ("accNo 6216...",
// a space typed for '=', signed a request without its card). An empty field is written "key=".
// The pair is shown as far as it reads as a field name (see nameShown): what follows may be a
// value.
func checkPairsHaveEquals(body string) error {
	for i, pair := range strings.Split(body, "&") {
		if pair == "" || strings.Contains(pair, "=") {
			continue
		}
		shown := pair
		if c := pair[0]; c != '_' && !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z') {
			shown = "..." // not a name: maybe a card number
		}
		for j, c := range pair {
			if shown != "..." && c != '_' && (c >= utf8.RuneSelf || !unicode.IsLetter(c) && !unicode.IsDigit(c)) {
				shown = nameShown(pair, j, c)
				break
			}
		}
		return fmt.Errorf("reading the form body: pair %d (%q) has no '=': write key=value, or key= for an empty "+
			"field: %w", i+1, cutDigitRun(shown), sign.ErrMalformed)
	}
	return nil
}

// cutDigitRun cuts s before its first run of five or more ASCII digits, which no field name
// holds and a value run into a name may ("accNo6216261000000000018", its '=' lost): "accNo...".
func cutDigitRun(s string) string {
	for i, run := 0, 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			run = 0
			continue
		}
		if run++; run == 5 {
			if head := s[:i-4]; head != "" {
				return head + "..."
			}
			return "..."
		}
	}
	return s
}

// keyShown returns what an error shows of k, a field name read from the user's input: k as it
// is when it holds only what a field name does (ASCII letters, digits and '_') and no run of five
// digits; else cut as nameShown and cutDigitRun cut it, since the rest may be a value run into
// the name ("accNo 6216261000000000018" from a line with a space typed for '=').
func keyShown(k string) string {
	for i, c := range k {
		if c != '_' && (c >= utf8.RuneSelf || !unicode.IsLetter(c) && !unicode.IsDigit(c)) {
			return cutDigitRun(nameShown(k, i, c))
		}
	}
	return cutDigitRun(k)
}

// trimFinalNewline removes one line feed that a shell or an editor appended to a raw body
// (echo, a file saved with a final newline). A CR LF at the end is kept: it could belong to a
// value, as the PEM in signPubKeyCert holds CR LFs.
func trimFinalNewline(b []byte) []byte {
	if bytes.HasSuffix(b, []byte("\n")) && !bytes.HasSuffix(b, []byte("\r\n")) {
		return b[:len(b)-1]
	}
	return b
}
