package sign_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/goacp/unionpay/sign"
)

// TestEmptyValuesDroppedFieldsKept: a body with more empty values than fields, whose Fields are
// copied into a map of their own size, keeps every field with its value.
func TestEmptyValuesDroppedFieldsKept(t *testing.T) {
	t.Parallel()
	var b strings.Builder
	want := sign.Fields{}
	for i := range 40 {
		if i%8 == 0 {
			k, v := fmt.Sprintf("f%d", i), fmt.Sprintf("v%d", i)
			want[k] = v
			fmt.Fprintf(&b, "%s=%s&", k, v)
			continue
		}
		fmt.Fprintf(&b, "e%d=&", i)
	}
	body := strings.TrimSuffix(b.String(), "&")
	for _, p := range []struct {
		name  string
		parse func(string) (sign.Fields, error)
	}{
		{"ParseForm", sign.ParseForm},
		{"ParseRequestForm", sign.ParseRequestForm},
		{"ParseFormCanonical", func(s string) (sign.Fields, error) {
			f, _, err := sign.ParseFormCanonical([]byte(s), nil)
			return f, err
		}},
	} {
		got, err := p.parse(body)
		if err != nil {
			t.Fatalf("%s: %v", p.name, err)
		}
		if len(got) != len(want) {
			t.Errorf("%s: %d fields %v, want %d %v", p.name, len(got), got, len(want), want)
		}
		for k, v := range want {
			if got[k] != v {
				t.Errorf("%s: %s=%q, want %q", p.name, k, got[k], v)
			}
		}
	}
}
