package reconcile

import (
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestDigits(t *testing.T) {
	cases := []string{"0", "000000000000", "000000476800", "999999999999", "12345678", "123456789012345678",
		"00000000001", "1234567x", "x2345678", "123456789012345/78", "1234567:", "12345 78", "", "1234567890123456789"}
	for _, s := range cases {
		t.Run(s, func(t *testing.T) {
			want, err := strconv.ParseInt(s, 10, 64)
			ok := err == nil && len(s) <= 18
			for _, c := range s {
				ok = ok && c >= '0' && c <= '9'
			}
			got, gotOK := digits([]byte(s))
			assert.Equal(t, ok, gotOK)
			if ok {
				assert.Equal(t, want, got)
			}
		})
	}
}

func FuzzDigits(f *testing.F) {
	f.Add([]byte("000000476800"))
	f.Fuzz(func(t *testing.T, b []byte) {
		got, ok := digits(b)
		want, err := strconv.ParseUint(string(b), 10, 63)
		valid := err == nil && len(b) > 0 && len(b) <= 18
		for _, c := range b {
			valid = valid && c >= '0' && c <= '9'
		}
		if ok != valid || (ok && uint64(got) != want) {
			t.Fatalf("digits(%q) = %d, %v; want %d, %v", b, got, ok, want, valid)
		}
	})
}
