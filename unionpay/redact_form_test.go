package unionpay_test

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/internal/logtest"
)

// TestFormLogValueGroup: the group a *Form logs as has each of its
// attributes (TestFormLogValueMasked finds the orderId inside Fields too, so dropping OrderID or
// TxnTime from the group went unnoticed), and Fields masked.
func TestFormLogValueGroup(t *testing.T) {
	t.Parallel()
	form, req := plainCardForm(t)
	var out bytes.Buffer
	slog.New(slog.NewJSONHandler(&out, logtest.Untimed())).Info("checkout", "form", form)
	var line struct {
		Form map[string]json.RawMessage `json:"form"`
	}
	require.NoError(t, json.Unmarshal(out.Bytes(), &line))
	for _, k := range []string{"Action", "OrderID", "TxnTime", "PayTimeout", "Encoding", "Fields"} {
		assert.Contains(t, line.Form, k)
	}
	assert.JSONEq(t, `"`+testOrder+`"`, string(line.Form["OrderID"]))
	var at time.Time
	require.NoError(t, json.Unmarshal(line.Form["TxnTime"], &at))
	assert.True(t, form.TxnTime.Equal(at), "%v, want %v", at, form.TxnTime)
	assert.NotContains(t, string(line.Form["Fields"]), req.AccNo)
}
