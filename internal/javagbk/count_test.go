package javagbk

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"golang.org/x/text/encoding/simplifiedchinese"
)

// TestDocCounts: the package comment's counts: 256 listed characters, 23,940 characters,
// U+E766-E864 for the other empty positions, and 80 positions where x/text decodes another
// character than the JDK.
func TestDocCounts(t *testing.T) {
	table := jdkTable(t)
	assert.Len(t, javaOnlyByRune, 256)
	other, pua := 0, 0
	for r, b := range table {
		x, _ := simplifiedchinese.GBK.NewDecoder().String(b)
		if x != "\uFFFD" && x != string(r) {
			other++
			if r < 0xE000 || r > 0xF8FF {
				t.Logf("% x: JDK U+%04X, x/text %+q", b, r, x)
			}
		}
		if r >= 0xE766 && r <= 0xE864 {
			pua++
		}
	}
	// doc.go and the CHANGELOG say 80: it is 81 of the empty positions (A3 A0 among them, U+3000
	// in x/text) and A8 92 (U+2641 in the JDK, U+2295 in x/text).
	assert.Equal(t, 82, other, "positions where x/text reads another character")
	t.Logf("U+E766-E864 in the JDK table: %d of %d", pua, 0xE864-0xE766+1)
}
