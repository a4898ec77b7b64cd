package unionpay_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/notify"
	"github.com/goacp/unionpay/sign"
	"github.com/goacp/unionpay/unionpay"
)

// TestTokenPayDataClientAgreesWithNotify: the client reads the tokenPayData of an answer as
// notify.Notification.Token reads a notification's, taking off exactly one pair of braces
// ({{token=a}} has no token, its pair is "{token" = "a}"): for each value, both find the same
// token, or both refuse it as malformed. Each value is one the answer's raw body keeps whole.
func TestTokenPayDataClientAgreesWithNotify(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, v   string
		wantToken string // "" = none
		malformed bool
	}{
		{"braced", "{token=a&trId=62000000001}", "a", false},
		{"braced twice", "{{token=a}}", "", false},
		{"braced twice, with trId", "{{token=a&trId=1}}", "", false},
		{"opened twice, closed once", "{{token=a}", "", false},
		{"closed twice", "{token=a}}", "a}", false},
		{"no pair", "{}", "", false},
		{"region in the token", "{token={a&b}}", "{a&b}", false},
		{"not braced", "token=a", "", true},
		{"repeated token", "{token=a&token=b}", "", true},
		{"empty key", "{=a}", "", true},
		{"pair without '='", "{token}", "", true},
		{"trailing '&'", "{token=a&}", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			n := &notify.Notification{Raw: sign.Fields{"tokenPayData": tt.v}}
			nTok, nErr := n.Token()
			var fe *notify.FieldError
			if tt.malformed {
				require.ErrorAs(t, nErr, &fe, "notify")
			} else if tt.wantToken == "" {
				require.ErrorIs(t, nErr, notify.ErrNoToken, "notify")
			} else {
				require.NoError(t, nErr, "notify")
			}
			assert.Equal(t, tt.wantToken, nTok, "notify")

			g := newGateway(t, accept(sign.Fields{"tokenPayData": tt.v}))
			c := newTestClient(t, g)
			r := accountReq()
			r.BizType, r.TokenRequestorID = unionpay.BizTypeToken, "62000000001"
			res, err := c.OpenCard(context.Background(), r)
			if tt.malformed {
				assert.ErrorIs(t, err, sign.ErrMalformed, "client")
				assert.ErrorContains(t, err, "answer field tokenPayData", "client")
				return
			}
			require.NoError(t, err, "client")
			assert.Equal(t, tt.wantToken, res.Token, "client")
		})
	}
}
