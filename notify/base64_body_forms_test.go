package notify_test

import (
	"encoding/base64"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/notify"
)

// TestBodyBase64FormNeedsBothSeparators: the hint that a body is still base64 is given for a form
// in base64, however short, and not for base64 of text holding only one of a form's '=' and '&'
// (a single value, not a form of fields).
func TestBodyBase64FormNeedsBothSeparators(t *testing.T) {
	t.Parallel()
	v := testPKI().verifier(t)
	for text, hint := range map[string]bool{
		"a=1&b=2":             true,
		"orderId=1":           false,
		"orderId&txnAmt":      false,
		"plain text, no form": false,
	} {
		_, err := notify.Parse(v, []byte(base64.StdEncoding.EncodeToString([]byte(text))))
		require.Error(t, err, text)
		assert.Equal(t, hint, strings.Contains(err.Error(), "base64"), "%q: %v", text, err)
	}
}
