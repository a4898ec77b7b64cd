package unionpaytest

import (
	"strings"
	"testing"

	"github.com/goacp/unionpay/sign"
)

// FuzzDeclaredGBK checks declaredGBK, which picks the charset of the refusal of a request body
// that could not be parsed, against the parser on the bodies it can read: a body ParseRequestForm
// reads with encoding GBK (any case) is found to declare GBK, and one read with another encoding
// (or none) is not; and the answer is {encoding: GBK} or nil, nothing else.
func FuzzDeclaredGBK(f *testing.F) {
	for _, s := range []string{"", "encoding=GBK", "encoding=gbk&a=1", "a=1&encoding=GBK", "encoding=UTF-8",
		"encoding=GBK&encoding=UTF-8", "xencoding=GBK", "encoding=GBK2", "encoding=GB%4B", "%65ncoding=GBK", "encoding=%47BK",
		"encoding=GBK&a=%", "a=%ZZ&encoding=GBK", "encoding=GBK;", "encoding=+GBK", "&&encoding=GBK&&"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		got := declaredGBK(body)
		if got != nil && (len(got) != 1 || got["encoding"] != sign.CharsetGBK) {
			t.Fatalf("declaredGBK(%q) = %q", body, got)
		}
		fields, err := sign.ParseRequestForm(string(body))
		if err != nil {
			return
		}
		if gbk := strings.EqualFold(fields["encoding"], sign.CharsetGBK); gbk != (got != nil) {
			t.Fatalf("declaredGBK(%q) = %q, but the body parses with encoding %q", body, got, fields["encoding"])
		}
	})
}

// TestDeclaredGBKPercentEncoded: a body declaring GBK percent-encoded (encoding=%47BK, which the
// form parser reads as GBK) gets its refusal in GBK too.
func TestDeclaredGBKPercentEncoded(t *testing.T) {
	for _, body := range []string{"encoding=%47BK&a=%ZZ", "%65ncoding=gbk&a=%ZZ", "a=%ZZ&encoding=GB%4b"} {
		if declaredGBK([]byte(body)) == nil {
			t.Errorf("declaredGBK(%q) = nil, want GBK", body)
		}
	}
	if got := declaredGBK([]byte("encoding=%ZZ&a=%ZZ")); got != nil {
		t.Errorf("declaredGBK(encoding=%%ZZ) = %q, want nil", got)
	}
}
