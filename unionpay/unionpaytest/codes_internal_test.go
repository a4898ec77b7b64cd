package unionpaytest

import (
	"regexp"
	"strings"
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

// review15c: respMsgWhy puts the reason between the text and the detail code, after a full-width
// colon, with its brackets turned to parentheses: the only bracketed part is the final [7 digits],
// and an unbalanced bracket in the reason does not make the answer unsafe (and the reason lost).
func TestReview15cRespMsgWhy(t *testing.T) {
	for _, tc := range []struct{ code, reason, want string }{
		{CodeMalformed, "txnAmt missing", "报文格式错误：txnAmt missing[0000010]"},
		{CodeMalformed, "field [x] bad", "报文格式错误：field (x) bad[0000010]"},
		{CodeMalformed, "unbalanced ] and [", "报文格式错误：unbalanced ) and ([0000010]"},
		{CodeMalformed, "a：b", "报文格式错误：a：b[0000010]"},
		{CodeDefect, "why", respText(CodeDefect) + "：why[0000000]"},
	} {
		got := respMsgWhy(tc.code, tc.reason)
		if tc.code == CodeMalformed && !strings.HasPrefix(got, respText(CodeMalformed)) {
			t.Fatalf("respText(10) changed: %q", got)
		}
		if got != tc.want {
			t.Errorf("respMsgWhy(%s, %q) = %q, want %q", tc.code, tc.reason, got, tc.want)
		}
		if strings.Count(got, "[") != 1 || strings.Count(got, "]") != 1 || !rawSafe(got) {
			t.Errorf("respMsgWhy(%s, %q) = %q: more than the detail code bracketed, or not raw-safe", tc.code, tc.reason, got)
		}
	}
}
