package main

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/sign"
)

// gbkBytes is 中文 in GBK: D6 D0 CE C4, not valid UTF-8.
const gbkBytes = "\xd6\xd0\xce\xc4"

// TestInputNotUTF8: key=value lines are UTF-8 whatever the encoding field, and a form body's
// values decode in the charset it names. A value that is not valid UTF-8 then (a file saved in
// GBK, as a GBK merchant's editor or the Java SDK's GBK log writes it; GBK bytes percent-encoded
// in a body declared UTF-8) is refused by sign, verify and verify -request, naming its line and
// field. It was signed as it was: with encoding GBK the error said the value was "not
// representable in GBK", and with UTF-8 a body went out whose signature UnionPay, decoding it,
// could not compute. The same text in UTF-8 lines, or percent-encoded GBK in a GBK body, signs.
func TestInputNotUTF8(t *testing.T) {
	t.Parallel()
	key := []string{"-sign-method", "11", "-secure-key", "k"}
	verifyKey := []string{"-secure-key", "k"}
	tests := []struct {
		name  string
		args  []string
		stdin string
		want  string // "" for success
	}{
		{"sign GBK lines declared GBK", append([]string{"sign"}, key...),
			"encoding=GBK\norderDesc=" + gbkBytes + "\ntxnType=01\n", `line 2: field "orderDesc" is not valid UTF-8`},
		{"sign GBK lines declared UTF-8", append([]string{"sign"}, key...),
			"encoding=UTF-8\ntxnType=01\norderDesc=" + gbkBytes + "\n", `line 3: field "orderDesc" is not valid UTF-8`},
		{"sign GBK lines without encoding", append([]string{"sign"}, key...),
			"txnType=01\nreqReserved=" + gbkBytes + "\n", `line 2: field "reqReserved" is not valid UTF-8`},
		{"sign GBK form declared UTF-8", append([]string{"sign"}, key...),
			"encoding=UTF-8&orderDesc=%D6%D0%CE%C4&reqReserved=%D6%D0&txnType=01", `field "orderDesc" is not valid UTF-8`},
		{"sign GBK form one field", append([]string{"sign"}, key...),
			"encoding=UTF-8&reqReserved=%D6%D0&txnType=01", `field "reqReserved" is not valid UTF-8`},
		{"verify GBK lines", append([]string{"verify"}, verifyKey...),
			"encoding=GBK\norderDesc=" + gbkBytes + "\nsignMethod=11\nsignature=00\n", `line 2: field "orderDesc" is not valid UTF-8`},
		{"verify -request GBK lines", append([]string{"verify", "-request"}, verifyKey...),
			"encoding=GBK\norderDesc=" + gbkBytes + "\nsignMethod=11\nsignature=00\n", `line 2: field "orderDesc" is not valid UTF-8`},
		{"sign UTF-8 lines declared GBK", append([]string{"sign"}, key...),
			"encoding=GBK\norderDesc=中文\ntxnType=01\n", ""},
		{"sign GBK form declared GBK", append([]string{"sign"}, key...),
			"encoding=GBK&orderDesc=%D6%D0%CE%C4&txnType=01", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := runCLI(t, tt.stdin, tt.args...)
			if tt.want != "" {
				requireFailure(t, r, exitFailed, tt.want)
				assert.NotContains(t, r.stderr, gbkBytes[:2], "the value is not quoted")
				return
			}
			require.Equal(t, exitOK, r.code, "stderr %q", r.stderr)
			assert.True(t, strings.Contains(r.stdout, "orderDesc=%D6%D0%CE%C4&"), "sent in GBK: %q", r.stdout)
		})
	}
}

// TestParseFieldsNotUTF8IsCharset: the refusal of a value that is not valid UTF-8 matches
// sign.ErrCharset (not sign.ErrMalformed: the message is well formed, in the wrong charset),
// for key=value lines and a form body alike, naming the line or the field.
func TestParseFieldsNotUTF8IsCharset(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name, in, want string
	}{
		{"lines", "txnType=01\norderDesc=" + gbkBytes + "\n", `line 2: field "orderDesc"`},
		{"form body", "encoding=UTF-8&orderDesc=%D6%D0%CE%C4&txnType=01", `field "orderDesc"`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := parseFields([]byte(tt.in))
			require.ErrorIs(t, err, sign.ErrCharset)
			assert.NotErrorIs(t, err, sign.ErrMalformed)
			assert.ErrorContains(t, err, tt.want)
		})
	}
}
