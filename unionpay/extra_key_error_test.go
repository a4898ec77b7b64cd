package unionpay_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/internal/leaktest"
	"github.com/goacp/unionpay/sign"
	"github.com/goacp/unionpay/unionpay"
)

// TestExtraKeyHoldingValueNotInError: a request's Extra whose key holds key=value text given whole
// as a key (a card number after '=', ':' or a space, or run into the name) is refused with a
// *RequestError whose Field names the key only as far as it reads as a field name, as cert's
// errors show a customerInfo key: the error is what OnCall and the caller log. A field name is
// shown whole.
func TestExtraKeyHoldingValueNotInError(t *testing.T) {
	t.Parallel()
	g := newGateway(t, accept(nil))
	c := newTestClient(t, g)
	const pan, phone = "6216261000000000018", "13552535506"
	tests := []struct {
		name, key, value, field string
		front                   bool
		secrets                 []string
	}{
		{"'=' typed into the key", "accNo=" + pan, "x", `Extra["accNo..."]`, false, []string{pan}},
		{"a space for '='", "phoneNo " + phone, "x", `Extra["phoneNo..."]`, false, []string{phone}},
		{"a colon for '='", "accNo:" + pan, "x", `Extra["accNo..."]`, false, []string{pan}},
		{"run into the name, value not UTF-8", "accNo" + pan, "\xff", `Extra["accNo..."]`, false, []string{pan}},
		{"a card number as the key, value not UTF-8", pan, "\xff", `Extra["..."]`, false, []string{pan}},
		{"cvn2 run into the name", "cvn2741", "\xff", `Extra["cvn..."]`, false, []string{"741"}},
		{"front form, run into the name", "accNo" + pan, "a\nb", `Extra["accNo..."]`, true, []string{pan}},
		{"a field name shown whole", "termId", "\xff", `Extra["termId"]`, false, nil},
		{"one digit in a name", "reserved1", "\xff", `Extra["reserved1"]`, false, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var err error
			if tt.front {
				r := consumeReq()
				r.Extra = sign.Fields{tt.key: tt.value}
				_, err = c.FrontConsume(r)
			} else {
				r := followUp()
				r.Extra = sign.Fields{tt.key: tt.value}
				_, err = c.Refund(context.Background(), r)
			}
			var re *unionpay.RequestError
			require.True(t, errors.As(err, &re), "error %v", err)
			require.Equal(t, tt.field, re.Field)
			for _, s := range tt.secrets {
				for _, out := range []string{err.Error(), fmt.Sprintf("%+v", err), fmt.Sprintf("%#v", re)} {
					if ok, form := leaktest.Shows(out, s); ok {
						t.Errorf("error shows %q (%s): %s", s, form, out)
					}
				}
			}
		})
	}
}
