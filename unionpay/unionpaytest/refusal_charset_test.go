package unionpaytest

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestRefusalReasonInAnswerCharset: a protocol refusal's respMsg says why, quoting what the
// request parser read, which an answer in GBK cannot always carry (a UTF-8 key in a body declared
// GBK); the characters GBK lacks are written \uXXXX and the refusal is sent, 200 with respCode 10,
// where the gateway answered 500 ("field respMsg not representable in GBK"), which no UnionPay
// answer is. A UTF-8 answer keeps them. Found by FuzzRequestBody (seed a8713b1de1f458a7).
func TestRefusalReasonInAnswerCharset(t *testing.T) {
	g, err := newFuzzGateway()
	if err != nil {
		t.Fatal(err)
	}
	defer g.close()
	for _, tc := range []struct {
		name, body, encoding, respMsg string
	}{
		// The parser quotes a key that is not a field name cut (sign.ParseError: it may hold a value),
		// "..." here; inCharset is tested on its own below.
		{"a UTF-8 key in a GBK body", "encoding=GBK&\u01e9=\xff", "GBK", `field "...": invalid GBK`},
		{"GBK lacks the second character only", "encoding=GBK&中\u01e9=\xff", "GBK", `field "...": invalid GBK`},
		{"a UTF-8 body", "encoding=UTF-8&\u01e9=%zz", "UTF-8", `field "...": invalid percent-encoding`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp := g.answer(t, EndpointBack, tc.body) // fails the test unless 200 and a signed answer
			assert.Equal(t, CodeMalformed, resp["respCode"])
			assert.Equal(t, tc.encoding, resp["encoding"])
			assert.Contains(t, resp["respMsg"], tc.respMsg)
		})
	}
}

// TestInCharset: what a GBK answer cannot carry is written \uXXXX, the rest kept; a UTF-8 answer
// keeps every character.
func TestInCharset(t *testing.T) {
	for _, tc := range []struct{ v, encoding, want string }{
		{"\u01e9", "GBK", `\u01E9`},
		{"中\u01e9", "GBK", `中\u01E9`},
		{"中文", "GBK", "中文"},
		{"\u01e9", "UTF-8", "\u01e9"},
		{"\u01e9", "gbk", `\u01E9`},
	} {
		assert.Equal(t, tc.want, inCharset(tc.v, tc.encoding), "%q in %s", tc.v, tc.encoding)
	}
}
