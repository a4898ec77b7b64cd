package unionpay_test

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/unionpay"
)

// TestResultShowsEachFieldUnderItsName: a Result prints, marshals and logs each exported field
// under its own name (the masked form lists them by hand), Raw masked, and nothing else.
func TestResultShowsEachFieldUnderItsName(t *testing.T) {
	t.Parallel()
	txnTime := time.Date(2024, 1, 5, 10, 30, 0, 0, time.FixedZone("CST", 8*3600))
	res := unionpay.Result{OrderID: "ORDER0001", TxnTime: txnTime, QueryID: "782401051030000000099",
		RespCode: "00", RespMsg: "成功[0000000]", Raw: answerRaw()}
	for name, out := range map[string]string{"JSON": mustJSON(t, res), "log": logJSON(&res)} {
		var v map[string]any
		require.NoError(t, json.Unmarshal([]byte(out), &v), name)
		if name == "log" {
			v = v["v"].(map[string]any)
		}
		assert.Equal(t, []string{"OrderID", "QueryID", "Raw", "RespCode", "RespMsg", "TxnTime"},
			slices.Sorted(maps.Keys(v)), name)
		assert.Equal(t, "ORDER0001", v["OrderID"], name)
		assert.Equal(t, txnTime.Format(time.RFC3339), v["TxnTime"], name)
		assert.Equal(t, "782401051030000000099", v["QueryID"], name)
		assert.Equal(t, "00", v["RespCode"], name)
		assert.Equal(t, "成功[0000000]", v["RespMsg"], name)
		raw, ok := v["Raw"].(map[string]any)
		require.True(t, ok, name)
		assert.Equal(t, "ORDER0001", raw["orderId"], name)
		assert.NotEqual(t, aPAN, raw["accNo"], "%s: masked", name)
	}
	s := fmt.Sprint(res)
	for _, want := range []string{"OrderID:ORDER0001", "QueryID:782401051030000000099", "RespCode:00 ",
		"RespMsg:成功[0000000] "} {
		assert.Contains(t, s, want)
	}
	assert.NotContains(t, s, aPAN)
}
