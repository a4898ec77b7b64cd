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
		{"a UTF-8 key in a GBK body", "encoding=GBK&\u01e9=\xff", "GBK", `field "\u01E9": invalid GBK`},
		{"GBK lacks the second character only", "encoding=GBK&中\u01e9=\xff", "GBK", `field "中\u01E9": invalid GBK`},
		{"a UTF-8 body", "encoding=UTF-8&\u01e9=%zz", "UTF-8", "field \"\u01e9\""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp := g.answer(t, EndpointBack, tc.body) // fails the test unless 200 and a signed answer
			assert.Equal(t, CodeMalformed, resp["respCode"])
			assert.Equal(t, tc.encoding, resp["encoding"])
			assert.Contains(t, resp["respMsg"], tc.respMsg)
		})
	}
}
