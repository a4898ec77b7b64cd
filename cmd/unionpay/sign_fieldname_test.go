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
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := runCLI(t, tt.stdin, "sign", "-sign-method", "11", "-secure-key", "88888888")
			requireFailure(t, r, exitFailed, tt.want)
			for _, s := range tt.secrets {
				if ok, form := leaktest.Shows(r.stdout+r.stderr, s); ok {
					t.Errorf("the output shows %q (%s): %s", s, form, strings.TrimSpace(r.stderr))
				}
			}
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
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := runCLI(t, tt.stdin, "sign", "-sign-method", "11", "-secure-key", "88888888")
			requireFailure(t, r, exitFailed, tt.want)
			for _, s := range tt.secrets {
				if ok, form := leaktest.Shows(r.stdout+r.stderr, s); ok {
					t.Errorf("the output shows %q (%s): %s", s, form, strings.TrimSpace(r.stderr))
				}
			}
		})
	}
	// An empty field written "key=" is still read, and left out of the signature as UnionPay does.
	r := runCLI(t, "version=5.1.0&reserved=&txnAmt=1", "sign", "-sign-method", "11", "-secure-key", "88888888", "-canonical")
	if r.code != 0 || strings.Contains(r.stdout, "reserved") {
		t.Errorf("key= refused or signed: code %d, %q, %s", r.code, r.stdout, r.stderr)
	}
}
