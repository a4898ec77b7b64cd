package sign_test

import (
	"bytes"
	"errors"
	"testing"
	"unicode/utf8"

	"github.com/goacp/unionpay/internal/javagbk"
	"github.com/goacp/unionpay/sign"
)

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
