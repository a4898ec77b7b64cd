package unionpay_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/sign"
	"github.com/goacp/unionpay/unionpay"
)

// TestBlankValues pins what the package doc's "Blank values" describes, UnionPay's
// SDKUtil.filterBlank: values are sent trimmed, and blank ones are not sent.
func TestBlankValues(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		edit    func(*unionpay.FollowUpRequest)
		key     string
		want    string
		present bool
	}{
		{"ReqReserved trimmed", func(r *unionpay.FollowUpRequest) { r.ReqReserved = "  id=42  " }, "reqReserved", "id=42", true},
		{"ReqReserved blank", func(r *unionpay.FollowUpRequest) { r.ReqReserved = " \t " }, "reqReserved", "", false},
		{"OrigQueryID trimmed", func(r *unionpay.FollowUpRequest) { r.OrigQueryID = " 782401051030000000011 " }, "origQryId",
			"782401051030000000011", true},
		{"Extra trimmed", func(r *unionpay.FollowUpRequest) { r.Extra = sign.Fields{"termId": " T1 "} }, "termId", "T1", true},
		{"Extra blank", func(r *unionpay.FollowUpRequest) { r.Extra = sign.Fields{"termId": "  "} }, "termId", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			g := newGateway(t, accept(nil))
			c := newTestClient(t, g)
			r := followUp()
			tt.edit(r)
			_, err := c.Refund(context.Background(), r)
			require.NoError(t, err)
			v, ok := g.last()[tt.key]
			assert.Equal(t, tt.present, ok)
			assert.Equal(t, tt.want, v)
		})
	}
}
