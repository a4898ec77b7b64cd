package unionpaytest

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestTokenOpenTrIDBreakingRawAnswer: a token open (79, bizType 000902) whose tokenPayData names a
// trId that would break the raw answer's tokenPayData ({token=...&trId=...&tokenType=...}, which
// quotes it: a '}' in it ends that value early) is refused 10, at the back, card and front
// endpoints alike, as an echoed field that would break the answer is. The gateway opened the
// card and answered 00 with a tokenPayData a client reads cut short, and a stray field after it
// (at the front, the cashier page, then a notification so made). A trId the raw format carries
// (letters and digits, or a '{', which opens no region inside one) still opens, and the answer
// quotes it as sent.
func TestTokenOpenTrIDBreakingRawAnswer(t *testing.T) {
	g, err := newFuzzGateway()
	if err != nil {
		t.Fatal(err)
	}
	defer g.close()
	for i, tc := range []struct {
		name, trID, want string
	}{
		{"a '}' in trId", "1}2", CodeMalformed},
		{"a '}' ending trId", "62000000001}", CodeMalformed},
		{"a '{' in trId", "{", CodeSuccess},
		{"letters and digits", "62000000001", CodeSuccess},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for j, ep := range []Endpoint{EndpointBack, EndpointCard, EndpointFront} {
				body := signedRequest(t, g, g.key, "FUZZTPD"+string(rune('A'+i))+string(rune('A'+j))+"01", "txnType", "79",
					"txnSubType", "00", "bizType", tokenBizType, "channelType", "07", "accNo", TestCard,
					"tokenPayData", "{trId="+tc.trID+"&tokenType=01}", "frontUrl", "https://shop.example/return")
				if ep == EndpointFront {
					want := tc.want
					if want == CodeSuccess {
						want = "" // the cashier page
					}
					assert.Equal(t, want, g.frontAnswer(t, body), ep)
					continue
				}
				resp := g.answer(t, ep, body) // fails the test unless a signed answer that verifies
				if assert.Equal(t, tc.want, resp["respCode"], ep) && tc.want == CodeSuccess {
					assert.Equal(t, tc.trID, bracedValue(resp["tokenPayData"], "trId"), ep)
					assert.NotContains(t, resp, "tokenType", ep)
				}
			}
		})
	}
}

// TestTokenOpenDefaultTokenType: a token open whose tokenPayData gives no tokenType is answered
// with tokenType 01, beside the trId sent.
func TestTokenOpenDefaultTokenType(t *testing.T) {
	g, err := newFuzzGateway()
	if err != nil {
		t.Fatal(err)
	}
	defer g.close()
	body := signedRequest(t, g, g.key, "FUZZTPDTT01", "txnType", "79", "txnSubType", "00", "bizType", tokenBizType,
		"channelType", "07", "accNo", TestCard, "tokenPayData", "{trId=62000000001}")
	resp := g.answer(t, EndpointBack, body)
	if assert.Equal(t, CodeSuccess, resp["respCode"]) {
		assert.Equal(t, "01", bracedValue(resp["tokenPayData"], "tokenType"))
		assert.Equal(t, "62000000001", bracedValue(resp["tokenPayData"], "trId"))
	}
}
