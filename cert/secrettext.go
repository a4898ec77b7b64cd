package cert

import (
	"bytes"
	"encoding/base64"
)

// base64Text returns the bytes data encodes when data is base64 text (standard alphabet, white
// space and a UTF-8 BOM ignored, as the .sm2 file's base64 is read), as a secret store or an
// environment variable holds a binary file; ok is false otherwise. It is only asked once data
// has failed to load, to say so in the error.
func base64Text(data []byte) (decoded []byte, ok bool) {
	if len(data) > 2*maxFileSize {
		return nil, false
	}
	decoded, err := decodeBase64Text(data)
	if err != nil || len(decoded) == 0 {
		return nil, false
	}
	return decoded, true
}

// decodeBase64Text decodes base64 text in the standard alphabet, white space (space, tab, CR,
// LF) and a leading UTF-8 BOM ignored, as commons-codec reads a .sm2 file's.
func decodeBase64Text(data []byte) ([]byte, error) {
	text := bytes.Map(func(r rune) rune {
		switch r {
		case ' ', '\t', '\r', '\n':
			return -1
		}
		return r
	}, bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")))
	decoded := make([]byte, base64.StdEncoding.DecodedLen(len(text)))
	n, err := base64.StdEncoding.Decode(decoded, text)
	if err != nil {
		return nil, err
	}
	return decoded[:n], nil
}

// hintBase64 is the advice in the error for a file given as base64 text.
const hintBase64 = "not the file's bytes but base64 text (as a secret store or an environment variable " +
	"holds it): decode it first (encoding/base64)"

// escapedPEM reports whether PEM text has its line breaks written as the two characters \n (an
// environment variable or a JSON value pasted as it was escaped), and no line break of its own
// after the BEGIN line.
func escapedPEM(pemText []byte) bool {
	_, rest, _ := bytes.Cut(pemText, []byte("-----BEGIN CERTIFICATE-----"))
	return bytes.HasPrefix(rest, []byte(`\n`)) || bytes.HasPrefix(rest, []byte(`\r\n`))
}
