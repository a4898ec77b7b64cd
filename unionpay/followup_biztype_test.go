package unionpay_test

import (
	"context"
	"errors"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/sign"
	"github.com/goacp/unionpay/unionpay"
)

// TestFollowUpBizType: refunds and cancels send the gateway payment's bizType 000201 unless
// FollowUpRequest.BizType names another (000301 for a BackConsume, should its product's
// specification ask for it); they always sent 000201 (a fidelity audit of the fake gateway,
// which accepts any).
func TestFollowUpBizType(t *testing.T) {
	for _, tc := range []struct {
		name, bizType, want string
		refused             bool
	}{
		{"default", "", "000201", false},
		{"blank", "   ", "000201", false},
		{"authenticated payment", "000301", "000301", false},
		{"trimmed", " 000301 ", "000301", false},
		{"five digits", "00030", "", true},
		{"letters", "00030A", "", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var mu sync.Mutex
			var got []string
			g := newGateway(t, func(req sign.Fields) reply {
				mu.Lock()
				got = append(got, req["bizType"])
				mu.Unlock()
				return reply{fields: answerTo(req, "00", nil)}
			})
			c := newTestClient(t, g)
			ops := map[string]func(context.Context, *unionpay.FollowUpRequest) (*unionpay.Result, error){
				"refund": c.Refund, "consume cancel": c.CancelConsume, "pre-auth completion": c.CompletePreAuth,
				"pre-auth cancel": c.CancelPreAuth, "completion cancel": c.CancelPreAuthCompletion,
			}
			for op, do := range ops {
				r := followUp()
				r.BizType = tc.bizType
				_, err := do(context.Background(), r)
				if tc.refused {
					var re *unionpay.RequestError
					require.True(t, errors.As(err, &re), "%s: %v", op, err)
					assert.Equal(t, "BizType", re.Field, op)
					continue
				}
				require.NoError(t, err, op)
			}
			mu.Lock()
			defer mu.Unlock()
			if tc.refused {
				assert.Empty(t, got, "nothing sent")
				return
			}
			require.Len(t, got, len(ops))
			for _, b := range got {
				assert.Equal(t, tc.want, b)
			}
		})
	}
}
