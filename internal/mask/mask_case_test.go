package mask

import (
	"strings"
	"testing"
	"unicode"
)

// TestKindOfAnyCase: every field masked under its own name is masked alike under the name in
// another case, whichever field it is (a card-data field that loses its mask in one case would
// log its value whole).
func TestKindOfAnyCase(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"accNo", "customerInfo", "encryptedInfo", "cardTransData", "tokenPayData",
		"qrNo", "reserved", "riskRateInfo", "fileContent", "signature", "signPubKeyCert", "encryptPubKeyCert",
		"respMsg", "origRespMsg"} {
		want := exactKindOf(name)
		if want == plain {
			t.Fatalf("%s: not masked under its own name", name)
		}
		title := string(unicode.ToUpper(rune(name[0]))) + name[1:]
		for _, key := range []string{strings.ToUpper(name), strings.ToLower(name), title} {
			if got := kindOf(key); got != want {
				t.Errorf("kindOf(%q) = %v, want %v (as %q)", key, got, want, name)
			}
		}
	}
}
