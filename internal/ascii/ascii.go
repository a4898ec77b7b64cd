// Package ascii tells whether text is ASCII only: one check for the packages that take a
// shortcut when it is (a GBK value or body that needs no decoding or encoding, since ASCII reads
// alike in UTF-8 and GBK) or refuse what is not (a secure key, a host name); and whether it is
// ASCII letters and digits only (IsAlnum: a merId, a subMerId, a termId, a token).
package ascii

import "unicode/utf8"

// Is reports whether s holds only ASCII bytes (each below utf8.RuneSelf, 0x80); "" does. It
// takes a []byte as it is, without the copy a string conversion would make of one longer than
// a few words, and is small enough to be inlined into its callers' loops.
func Is[T string | []byte](s T) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// IsAlnum reports whether s holds only ASCII letters and digits; "" does (a caller that wants
// one at least checks its length).
func IsAlnum(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; !('0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z') {
			return false
		}
	}
	return true
}
