package mask

import (
	"strings"
	"testing"
)

// sensitiveNames are the field names kindOf masks, as the gateway spells them.
var sensitiveNames = [...]string{"accNo", "customerInfo", "encryptedInfo", "cardTransData", "tokenPayData", "qrNo",
	"reserved", "riskRateInfo", "fileContent", "signature", "signPubKeyCert", "encryptPubKeyCert", "respMsg",
	"origRespMsg"}

// FuzzFieldCaseFold holds kindOf's case folding to its rule: a key that strings.EqualFold finds
// equal to a masked field's name is masked as that name is, whatever its length in bytes (Unicode
// folds the Kelvin sign U+212A to k and the long s U+017F to s, each of more bytes than the
// letter); any other key masks as exactKindOf has it.
func FuzzFieldCaseFold(f *testing.F) {
	for _, k := range []string{"accNo", "ACCNO", "AccNo", "accno", "qrno", "Signature", "encryptpubkeycert",
		"encryptPub\u212aeyCert", "ſignature", "tokenPay\u212aData", "orderId", "accNo ", ""} {
		f.Add(k, "6216261000000000018")
		f.Add(k, "{accNo=6216261000000000018&phoneNo=13552535506}")
	}
	f.Fuzz(func(t *testing.T, key, v string) {
		want := Field(key, v)
		if exactKindOf(key) == plain {
			want = v
			if v == "" {
				want = ""
			}
		}
		for _, name := range sensitiveNames {
			if strings.EqualFold(key, name) {
				want = Field(name, v)
				break
			}
		}
		if got := Field(key, v); got != want {
			t.Fatalf("Field(%q, %q) = %q, want %q (masked as the field whose name it folds to)", key, v, got, want)
		}
	})
}
