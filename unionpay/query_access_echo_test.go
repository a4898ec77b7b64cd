package unionpay_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/sign"
	"github.com/goacp/unionpay/unionpay"
)

// TestQueryAccessEchoNotTransaction: a pending (03, 04, 05, 83) or not-found (34) query answer
// echoes the query's own fields, the asker's subMerId and acqInsCode among them: they name no
// transaction, so Transaction.SubMerID and AcqInsCode are empty, and a platform does not read
// the asking shop's ID as the transaction's. A found transaction's are the answer's.
func TestQueryAccessEchoNotTransaction(t *testing.T) {
	t.Parallel()
	const shopID, acqCode = "898111100000001", "48020000"
	echo := func(respCode string) func(sign.Fields) reply {
		return func(r sign.Fields) reply {
			f := queryAnswer(respCode, "00")(r).fields
			for _, k := range []string{"subMerId", "subMerName", "subMerAbbr", "acqInsCode"} {
				if v, ok := r[k]; ok {
					f[k] = v
				}
			}
			return reply{fields: f}
		}
	}
	platform := func(cfg *unionpay.Config) {
		cfg.AccessType = unionpay.AccessPlatform
		cfg.SubMerchant = unionpay.SubMerchant{ID: shopID, Name: "杭州西湖龙井茶叶有限公司", Abbr: "龙井茶叶"}
	}
	acquirer := func(cfg *unionpay.Config) { cfg.AccessType, cfg.AcquirerCode = unionpay.AccessAcquirer, acqCode }
	tests := []struct {
		name             string
		access           func(*unionpay.Config)
		respCode         string
		state            unionpay.State
		wantSub, wantAcq string
	}{
		{"platform, found", platform, "00", unionpay.Succeeded, shopID, ""},
		{"platform, pending 05", platform, "05", unionpay.Pending, "", ""},
		{"platform, pending 03", platform, "03", unionpay.Pending, "", ""},
		{"platform, not found", platform, "34", unionpay.NotFound, "", ""},
		{"acquirer, found", acquirer, "00", unionpay.Succeeded, "", acqCode},
		{"acquirer, pending 04", acquirer, "04", unionpay.Pending, "", ""},
		{"acquirer, not found", acquirer, "34", unionpay.NotFound, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			g := newGateway(t, echo(tt.respCode))
			c := newTestClient(t, g, tt.access)
			tx, err := c.Query(context.Background(), &unionpay.QueryRequest{OrderID: testOrder, TxnTime: testNow})
			require.NoError(t, err)
			assert.Equal(t, tt.state, tx.State)
			assert.Equal(t, tt.wantSub, tx.SubMerID, "SubMerID")
			assert.Equal(t, tt.wantAcq, tx.AcqInsCode, "AcqInsCode")
		})
	}
}
