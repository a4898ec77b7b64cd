package notify_test

import (
	"encoding/base64"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/notify"
	"github.com/goacp/unionpay/sign"
)

// A body still base64-encoded (an API gateway's or a function platform's event with
// isBase64Encoded, handed over undecoded) is refused as malformed, with a hint that says to decode
// it, not as a message without a signature (which counts as a forgery); a body that is not one
// gets no hint, and the decoded body verifies.
func TestBodyBase64Encoded(t *testing.T) {
	t.Parallel()
	p := testPKI()
	v := p.verifier(t)
	body := encode(t, signWith(t, p.leaf, consumeFields("ORDER20260601")))
	const hint = "base64"
	std := base64.StdEncoding.EncodeToString([]byte(body))
	tests := []struct {
		name string
		body string
		hint bool
		ok   bool
	}{
		{"decoded", body, false, true},
		{"base64", std, true, false},
		{"base64 and a line break", std + "\n", true, false},
		{"base64 of two bytes more", base64.StdEncoding.EncodeToString([]byte(body + "&x")), true, false},
		{"base64 of a body one byte longer", base64.StdEncoding.EncodeToString([]byte(body + "x")), true, false},
		{"base64 without padding", base64.RawStdEncoding.EncodeToString([]byte(body + "x")), true, false},
		{"base64 of text that is no form", base64.StdEncoding.EncodeToString([]byte("hello, world")), false, false},
		{"letters only", "garbage", false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, via := range []string{"Parse", "ReadRequest"} {
				var n *notify.Notification
				var err error
				if via == "Parse" {
					n, err = notify.Parse(v, []byte(tt.body))
				} else {
					r := httptest.NewRequest(http.MethodPost, "/unionpay/notify", strings.NewReader(tt.body))
					r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
					n, err = notify.ReadRequest(nil, r, v, 0)
				}
				if tt.ok {
					require.NoError(t, err, via)
					assert.Equal(t, "ORDER20260601", n.OrderID, via)
					continue
				}
				require.Error(t, err, via)
				assert.Equal(t, http.StatusBadRequest, notify.HTTPStatus(err), via)
				if tt.hint {
					require.ErrorIs(t, err, sign.ErrMalformed, via)
					assert.Equal(t, "malformed", notify.Reason(err), via)
					assert.Contains(t, err.Error(), hint, via)
				} else {
					assert.NotContains(t, err.Error(), hint, via)
				}
			}
		})
	}
}
