package unionpaytest

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestRefusalOfKeyNotUTF8IsText: a UTF-8 request with a field whose value is not valid UTF-8, nor
// its name, is refused 11 with a respMsg (or, at the front endpoint, a page) that quotes the name escaped, valid UTF-8,
// where the gateway wrote the name's bytes as they came: a UTF-8 answer, or page, that is not
// UTF-8. Found by FuzzFrontRequest (seed FuzzFrontRequest/3da287271fff3a24).
func TestRefusalOfKeyNotUTF8IsText(t *testing.T) {
	g, err := newFuzzGateway()
	if err != nil {
		t.Fatal(err)
	}
	defer g.close()
	const body = "\xad=\xff\x10&encoding=UTF-8"
	const quoted = `field "\xad" is not valid UTF-8`
	for _, ep := range []Endpoint{EndpointBack, EndpointApp, EndpointCard, EndpointQuery, EndpointBatch, EndpointFile} {
		t.Run(string(ep), func(t *testing.T) {
			resp := g.answer(t, ep, body) // fails the test unless a signed answer in valid UTF-8
			assert.Equal(t, CodeBadSignature, resp["respCode"])
			assert.Contains(t, resp["respMsg"], quoted)
		})
	}
	t.Run(string(EndpointFront), func(t *testing.T) {
		assert.Equal(t, CodeBadSignature, g.frontAnswer(t, body)) // fails the test unless a UTF-8 page
	})
}
