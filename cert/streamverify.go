package cert

import (
	"fmt"
	"hash"
	"strings"

	"github.com/goacp/unionpay/internal/canon"
	"github.com/goacp/unionpay/sign"
)

// This file verifies messages whose string to sign is larger than streamAbove (a settlement
// file's answer, tens of megabytes): the string is written into the hash in pieces
// (canon.Write), never built whole, which would double the memory the message takes. Every
// method hashes the string to sign first and uses only its digest, which internal/verifycore
// checks as it checks a string held whole for sign.VerifyRSA, sign.VerifySM2 and
// sign.SecureKeySigner.Verify, with the same errors. Smaller messages keep the string built in
// a pooled buffer (Verifier.canonical), which is faster.

// streamAbove is the length of a string to sign above which it is hashed in pieces: that of
// the buffers a Verifier pools, beyond which the whole string would be garbage at once.
const streamAbove = maxPooledBuffer

// streamed reports whether f's string to sign is to be hashed in pieces: it is longer than
// streamAbove, f's field names are such that sign.Canonical accepts them, and its charset is
// one Canonical writes. In all other cases Canonical is called, and fails as it would.
func streamed(f sign.Fields) bool {
	if _, ok := streamCharset(f[sign.FieldEncoding]); !ok {
		return false
	}
	n, names := canon.Size(f)
	return names && n > streamAbove
}

// streamCharset reports whether a message of this encoding is in GBK, and whether it is one
// of the charsets sign.Canonical knows (UTF-8, spelled also UTF8 or not at all, and GBK).
func streamCharset(encoding string) (gbk, ok bool) {
	switch {
	case encoding == "" || strings.EqualFold(encoding, sign.CharsetUTF8) || strings.EqualFold(encoding, "UTF8"):
		return false, true
	case strings.EqualFold(encoding, sign.CharsetGBK):
		return true, true
	}
	return false, false
}

// streamWrite writes f's string to sign into h. A value GBK cannot represent fails as
// sign.Canonical fails for it (Canonical is asked for the error, which names the field).
func streamWrite(h hash.Hash, f sign.Fields) error {
	gbk, _ := streamCharset(f[sign.FieldEncoding])
	if err := canon.Write(h, f, gbk); err != nil {
		if _, cerr := sign.Canonical(f); cerr != nil {
			err = cerr
		}
		return fmt.Errorf("cert: building the string to sign: %w", err)
	}
	return nil
}

// streamSum is streamWrite, then h's digest appended to dst.
func streamSum(h hash.Hash, f sign.Fields, dst []byte) ([]byte, error) {
	if err := streamWrite(h, f); err != nil {
		return nil, err
	}
	return h.Sum(dst), nil
}
