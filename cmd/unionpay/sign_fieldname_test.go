package main

import (
	"strings"
	"testing"

	"github.com/goacp/unionpay/internal/leaktest"
)

// TestSignFieldNameErrorShowsNoValue: a field name sign refuses is named up to the character that
// is not allowed, never the text after it, which may be a value run into the name (a space in
// place of '=', a line pasted from a log); the part before it only when it reads as the start of
// a name, so that a card number written first is not shown either.
func TestSignFieldNameErrorShowsNoValue(t *testing.T) {
	t.Parallel()
	const pan = "6216261000000000018"
	tests := []struct {
		name, stdin, want string
		secrets           []string
	}{
		{"space for =", "merId=1\naccNo " + pan + "=\n", `field name "accNo ..." holds ' '`, []string{pan}},
		{"colon for =", "merId=1\naccNo:" + pan + ";txnAmt=1000\n", `field name "accNo:..." holds ':'`, []string{pan}},
		{"in a form body", "merId=1&phoneNo 13552535506 cvn2=741", `field name "phoneNo ..." holds ' '`, []string{"13552535506", "741"}},
		{"card number first", pan + " accNo=1\n", `field name "..." holds ' '`, []string{pan}},
		{"space before =, shown whole", "merId=1\ntxnAmt = 1000\n", `field name "txnAmt " holds ' '`, nil},
		{"a capital first", "merId=1\nAccNo " + pan + "=\n", `field name "AccNo ..." holds ' '`, []string{pan}},
		{"an underscore first", "merId=1\n_acc " + pan + "=\n", `field name "_acc ..." holds ' '`, []string{pan}},
		{"an ideographic space before =, shown whole", "merId=1\ntxnAmt\u3000=1000\n", `field name "txnAmt\u3000" holds '\u3000'`, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			requireSignRefused(t, tt.stdin, tt.want, tt.secrets)
		})
	}
}

// TestSignFormPairWithoutEquals: a form body's pair without '=' is refused, naming it as far as it
// reads as a field name; it was read as an empty field and left out, so that "accNo 6216..." (a
// space typed for '=') signed a request without its card number, exit status 0.
func TestSignFormPairWithoutEquals(t *testing.T) {
	t.Parallel()
	const pan = "6216261000000000018"
	tests := []struct {
		name, stdin, want string
		secrets           []string
	}{
		{"space for =", "version=5.1.0&accNo " + pan + "&txnAmt=1", `pair 2 ("accNo ...") has no '='`, []string{pan}},
		{"a bare name", "version=5.1.0&accNo&txnAmt=1", `pair 2 ("accNo") has no '='`, nil},
		{"a card number alone", pan + "&txnAmt=1", `pair 1 ("...") has no '='`, []string{pan}},
		{"a card number run into the name", "accNo" + pan + "&txnAmt=1", `pair 1 ("accNo...") has no '='`, []string{pan}},
		{"digits in a name are kept", "reserved1&txnAmt=1", `pair 1 ("reserved1") has no '='`, nil},
		{"a capital first", "version=5.1.0&AccNo " + pan + "&txnAmt=1", `pair 2 ("AccNo ...") has no '='`, []string{pan}},
		{"an underscore first", "version=5.1.0&_acc " + pan, `pair 2 ("_acc ...") has no '='`, []string{pan}},
		{"an underscore inside", "version=5.1.0&acc_no " + pan, `pair 2 ("acc_no ...") has no '='`, []string{pan}},
		{"digits inside the name", "version=5.1.0&cvn2 741&txnAmt=1", `pair 2 ("cvn2 ...") has no '='`, nil},
		{"a Chinese name after the field's", "version=5.1.0&accNo卡号" + pan, `pair 2 ("accNo卡...") has no '='`, []string{pan}},
		{"a Chinese name first", "version=5.1.0&卡号" + pan, `pair 2 ("...") has no '='`, []string{pan}},
		{"an empty pair, then one without '='", "version=5.1.0&&accNo", `pair 3 ("accNo") has no '='`, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			requireSignRefused(t, tt.stdin, tt.want, tt.secrets)
		})
	}
	// An empty field written "key=" is still read, and left out of the signature as UnionPay does.
	r := runCLI(t, "version=5.1.0&reserved=&txnAmt=1", "sign", "-sign-method", "11", "-secure-key", "88888888", "-canonical")
	if r.code != 0 || strings.Contains(r.stdout, "reserved") {
		t.Errorf("key= refused or signed: code %d, %q, %s", r.code, r.stdout, r.stderr)
	}
}

// requireSignRefused runs sign on stdin and requires it to fail naming want, with none of
// secrets shown in its output in any form.
func requireSignRefused(t *testing.T, stdin, want string, secrets []string) {
	t.Helper()
	r := runCLI(t, stdin, "sign", "-sign-method", "11", "-secure-key", "88888888")
	requireFailure(t, r, exitFailed, want)
	for _, s := range secrets {
		if ok, form := leaktest.Shows(r.stdout+r.stderr, s); ok {
			t.Errorf("the output shows %q (%s): %s", s, form, strings.TrimSpace(r.stderr))
		}
	}
}
