package unionpay_test

import (
	"bytes"
	"fmt"
	"log/slog"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/internal/leaktest"
	"github.com/goacp/unionpay/internal/logtest"
)

// TestPIIFormFieldsLoggedAlone: a Form's Fields logged on their own (%v, slog) hide the values
// inside reserved and riskRateInfo as the Form's String and LogValue do.
func TestPIIFormFieldsLoggedAlone(t *testing.T) {
	t.Parallel()
	g := newGateway(t, accept(nil))
	c := newTestClient(t, g)
	req := consumeReq()
	req.Reserved, req.RiskRateInfo = piiReserved(), piiRisk()
	form, err := c.FrontConsume(req)
	require.NoError(t, err)
	var js bytes.Buffer
	slog.New(slog.NewJSONHandler(&js, logtest.Untimed())).Info("checkout", "fields", form.Fields)
	outs := map[string]string{"%v": fmt.Sprintf("%v", form.Fields), "%#v": fmt.Sprintf("%#v", form.Fields), "slog JSON": js.String()}
	for how, out := range outs {
		for _, s := range piiValues {
			if ok, _ := leaktest.Shows(out, s); ok {
				t.Errorf("%s of Form.Fields shows %q: %s", how, s, out)
			}
		}
	}
}
