// Package canon writes a message's string to sign (the bytes sign.Canonical returns) in pieces,
// for a verifier that hashes it: a settlement file's answer is tens of megabytes, and its string
// to sign built whole would be as large again. Small messages keep building it in one buffer
// (sign.AppendCanonical), which is faster.
package canon

import (
	"errors"
	"io"
	"slices"

	"golang.org/x/text/transform"

	"github.com/goacp/unionpay/internal/ascii"
	"github.com/goacp/unionpay/internal/javagbk"
)

// signature is the field left out of the string to sign (sign.FieldSignature).
const signature = "signature"

// ErrNotGBK reports a value that GBK cannot represent (or that is not UTF-8), for which
// sign.Canonical fails: the caller asks it for the error, which names the field.
var ErrNotGBK = errors.New("canon: value not representable in GBK")

// Size reports the length of f's string to sign in UTF-8 (every field but the signature, as
// "k=v" joined by '&'), and whether every key is printable ASCII (sign.CheckFieldNames accepts
// f: it finds and names the bad key when one is not).
func Size(f map[string]string) (n int, names bool) {
	names = true
	for k, v := range f {
		if !printableASCII(k) {
			names = false
		}
		if k != signature {
			n += len(k) + len(v) + 2
		}
	}
	return max(n-1, 0), names
}

// printableASCII reports whether s is not empty and holds only the bytes from '!' to '~', as
// sign's field names must.
func printableASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] <= ' ' || s[i] > '~' {
			return false
		}
	}
	return s != ""
}

// chunk is how many bytes of a value Write copies at a time into the writer (a hash takes
// bytes, not strings).
const chunk = 32 << 10

// Write writes f's string to sign to w: every field but the signature, sorted by key in byte
// order, joined as "k=v&k=v", the values converted from UTF-8 to GBK if gbk is set (keys are
// ASCII: check them with Size first). It writes the bytes sign.Canonical returns for f, without
// holding them whole: a value is copied to w a chunk at a time. A value GBK cannot represent is
// ErrNotGBK; so is an error of w while a value is converted (a hash returns none), which is
// otherwise returned as it is.
func Write(w io.Writer, f map[string]string, gbk bool) error {
	keys := make([]string, 0, len(f))
	for k := range f {
		if k != signature {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	buf := make([]byte, chunk)
	for i, k := range keys {
		b := buf[:0]
		if i > 0 {
			b = append(b, '&')
		}
		v := f[k]
		if len(k)+2 > len(buf) { // not UnionPay's, but a key may be long
			if err := writeString(w, string(b), buf[len(b):]); err != nil {
				return err
			}
			if err := writeString(w, k, buf); err != nil {
				return err
			}
			b = append(buf[:0], '=')
		} else {
			b = append(b, k...)
			b = append(b, '=')
		}
		if gbk && !ascii.Is(v) {
			if _, err := w.Write(b); err != nil {
				return err
			}
			if err := writeGBK(w, v, buf); err != nil {
				return err
			}
			continue
		}
		// The key and the value's first bytes go in one write.
		n := copy(buf[len(b):], v)
		if _, err := w.Write(buf[:len(b)+n]); err != nil {
			return err
		}
		if err := writeString(w, v[n:], buf); err != nil {
			return err
		}
	}
	return nil
}

// writeString writes s to w, copied into buf a chunk at a time.
func writeString(w io.Writer, s string, buf []byte) error {
	for len(s) > 0 {
		n := copy(buf, s)
		if _, err := w.Write(buf[:n]); err != nil {
			return err
		}
		s = s[n:]
	}
	return nil
}

// writeGBK writes UTF-8 text s to w in GBK, as javagbk's encoder converts it whole: the
// encoder keeps a character cut at a chunk's end for the next chunk, and a value that ends
// inside one is invalid UTF-8, as it is followed by '&' or nothing in the whole string.
func writeGBK(w io.Writer, s string, buf []byte) error {
	ew := transform.NewWriter(w, javagbk.NewEncoder())
	for len(s) > 0 {
		n := copy(buf, s)
		if _, err := ew.Write(buf[:n]); err != nil {
			return ErrNotGBK // the encoder's: a hash, the writer, returns no error
		}
		s = s[n:]
	}
	if err := ew.Close(); err != nil {
		return ErrNotGBK
	}
	return nil
}
