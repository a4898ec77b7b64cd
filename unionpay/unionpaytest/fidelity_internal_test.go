package unionpaytest

import (
	"regexp"
	"testing"
)

// TestFidelityDetailCodeDigits: every respMsg ends with a 7-DIGIT detail code.
func TestFidelityDetailCodeDigits(t *testing.T) {
	re := regexp.MustCompile(`\[\d{7}\]$`)
	for _, c := range []string{CodeSuccess, CodeDefect, CodeMalformed, CodeIssuerBusy, "01", "A6"} {
		if m := respMsg(c, ""); !re.MatchString(m) {
			t.Errorf("respMsg(%s) = %q: detail code not 7 digits", c, m)
		}
	}
}
