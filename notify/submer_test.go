package notify_test

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"maps"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/notify"
)

// TestNotificationNamesItsMerchant: a platform's or an acquirer's notification tells which
// sub-merchant or acquirer it is for (SubMerID, AcqInsCode), and its String, LogValue and JSON
// show merId and subMerId: a platform routing or logging notifications lost them (a platform's
// trial).
func TestNotificationNamesItsMerchant(t *testing.T) {
	t.Parallel()
	p := testPKI()
	v := p.verifier(t)
	for _, tt := range []struct {
		name            string
		extra           map[string]string
		subMer, acqCode string
	}{
		{"platform", map[string]string{"accessType": "2", "subMerId": "898111148990268", "subMerAbbr": "龙井"}, "898111148990268", ""},
		{"acquirer", map[string]string{"accessType": "1", "acqInsCode": "48021000"}, "", "48021000"},
		{"merchant", nil, "", ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := consumeFields("SUBMER0001")
			maps.Copy(f, tt.extra)
			n, err := notify.Parse(v, []byte(encode(t, signWith(t, p.leaf, f))))
			require.NoError(t, err)
			assert.Equal(t, tt.subMer, n.SubMerID)
			assert.Equal(t, tt.acqCode, n.AcqInsCode)

			assert.Contains(t, n.String(), "merId "+n.MerchantID)
			var buf bytes.Buffer
			slog.New(slog.NewJSONHandler(&buf, nil)).Info("n", "n", n)
			out, err := json.Marshal(n)
			require.NoError(t, err)
			assert.Contains(t, buf.String(), `"merId":"`+n.MerchantID+`"`)
			if tt.subMer != "" {
				assert.Contains(t, n.String(), "/"+tt.subMer)
				assert.Contains(t, buf.String(), `"subMerId":"`+tt.subMer+`"`)
				assert.Contains(t, string(out), `"SubMerID":"`+tt.subMer+`"`)
			} else {
				assert.NotContains(t, buf.String(), "subMerId")
			}
		})
	}
}
