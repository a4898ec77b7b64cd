package unionpay_test

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/sign"
	"github.com/goacp/unionpay/unionpay"
)

// TestBatchFileVersion: the header of the file SubmitBatch writes gives the file layout's version,
// 5.0.0 as in UnionPay's payout demo file (sent in 5.1.0 messages), whatever Config.Version; the
// message keeps its own.
func TestBatchFileVersion(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, version, wantMessage string
	}{
		{"default", "", sign.Version510},
		{"5.1.0", sign.Version510, sign.Version510},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			g := newGateway(t, accept(nil))
			c := newTestClient(t, g, func(cfg *unionpay.Config) { cfg.Version = tt.version })
			_, err := c.SubmitBatch(context.Background(), &unionpay.BatchRequest{Type: unionpay.BatchPayout,
				BatchNo: "0001", Records: batchRecords()})
			require.NoError(t, err)
			req := g.last()
			assert.Equal(t, tt.wantMessage, req["version"])
			file, err := unionpay.DecodeFileContent(req["fileContent"], 1<<20)
			require.NoError(t, err)
			head, _, _ := strings.Cut(string(file), "\n")
			assert.Equal(t, unionpay.BatchFileVersion+"|1000|2||", head)
			assert.Equal(t, "5.0.0", unionpay.BatchFileVersion)
		})
	}
}
