package main

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestFilecontentMasksRespMsg: the error of filecontent given an answer that is not a file quotes
// its respMsg with any card number in it masked, as query prints one (it quoted the text whole).
func TestFilecontentMasksRespMsg(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name, stdin string
		code        int
	}{
		{"rejected", "respCode=14&respMsg=卡号6216261000000000018无效[1000000]&signature=x", exitFailed},
		{"no file", "respCode=98&respMsg=卡号6216\u20132610\u20130000\u20130000\u2013018[9800000]&signature=x", exitNoFile},
		{"spaced groups", "respCode=14&respMsg=card 6216 - 2610 - 0000 - 0000 - 018&signature=x", exitFailed},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := runCLI(t, tt.stdin, "filecontent")
			requireFailure(t, r, tt.code, "621626******0018")
			assert.NotContains(t, r.stderr, "2610")
		})
	}
}
