package cert

import (
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/goacp/unionpay/sign"
)

// FuzzCustomerInfoMerged: a customerInfo of plain distinct pairs (k0=1 ..., as many as plain
// says) and an encryptedInfo, the fuzz text inner encrypted for the test merchant, read with the
// merchant's Decrypter. FuzzParseCustomerInfo cannot reach the merge: it has no key to encrypt
// with. What ParseCustomerInfo accepts is at most sign.MaxFields pairs, without encryptedInfo,
// the plain pairs and inner's (sign.ParseRaw) together; more than sign.MaxFields in all is an
// error matching sign.ErrTooManyFields and sign.ErrMalformed.
func FuzzCustomerInfoMerged(f *testing.F) {
	for _, inner := range []string{"phoneNo=13552535506&cvn2=123", "", "a", "k0=2", "encryptedInfo=x", "a=1&a=2",
		"x=&y={a=1&b=2}&z=[1&2]"} {
		f.Add(uint16(2), inner)
	}
	f.Add(uint16(sign.MaxFields-2), "phoneNo=13552535506&cvn2=123")
	f.Add(uint16(sign.MaxFields-2), "phoneNo=13552535506&cvn2=123&expired=2311")
	f.Add(uint16(sign.MaxFields), "x=1")
	e, d := opensslMerchant(f)
	f.Fuzz(func(t *testing.T, plain uint16, inner string) {
		n := int(plain) % (sign.MaxFields + 2) // to one past the limit, encryptedInfo counted
		enc, err := e.Encrypt(inner)
		if err != nil {
			return // longer than RSA-OAEP carries
		}
		var b strings.Builder
		b.WriteString("{")
		for i := range n {
			fmt.Fprintf(&b, "k%x=1&", i)
		}
		b.WriteString(CustomerEncryptedInfo + "=" + enc + "}")
		pairs, err := ParseCustomerInfo(base64.StdEncoding.EncodeToString([]byte(b.String())), d)
		innerFields, innerErr := sign.ParseRaw(inner)
		if err != nil {
			if pairs != nil {
				t.Fatalf("%d plain pairs and %q: pairs %q with error %v", n, inner, pairs, err)
			}
			if errors.Is(err, sign.ErrTooManyFields) && innerErr == nil && n+len(innerFields) <= sign.MaxFields {
				t.Fatalf("%d plain pairs and %q, %d in all: %v", n, inner, n+len(innerFields), err)
			}
			return
		}
		if len(pairs) > sign.MaxFields {
			t.Fatalf("%d plain pairs and %q: %d pairs, more than sign.MaxFields", n, inner, len(pairs))
		}
		if innerErr != nil || len(pairs) != n+len(innerFields) {
			t.Fatalf("%d plain pairs and %q (%d fields, %v): %d pairs", n, inner, len(innerFields), innerErr, len(pairs))
		}
		for _, p := range pairs {
			if p.Key == CustomerEncryptedInfo {
				t.Fatalf("%d plain pairs and %q: encryptedInfo in the result", n, inner)
			}
		}
	})
}
