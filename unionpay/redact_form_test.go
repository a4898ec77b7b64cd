package unionpay_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/internal/logtest"
	"github.com/goacp/unionpay/sign"
	"github.com/goacp/unionpay/unionpay"
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

// TestClaimsFollowUpLogForm pins the CHANGELOG's FollowUpRequest entry: Reserved and RiskRateInfo
// keys kept, every value "***", an empty value empty; ReqReserved and Extra as they are, in
// String, %#v, JSON and slog.
func TestClaimsFollowUpLogForm(t *testing.T) {
	t.Parallel()
	r := &unionpay.FollowUpRequest{OrderID: "CLAIMS1", OrigQueryID: "782401051030000000011", Amount: 150,
		ReqReserved: "mine-123", Extra: sign.Fields{"termId": "T0001"},
		Reserved: sign.Fields{"payeeName": "某某"}, RiskRateInfo: sign.Fields{"ipAddress": "203.0.113.77", "email": ""}}
	var js, txt bytes.Buffer
	slog.New(slog.NewJSONHandler(&js, nil)).Info("refund", "r", r)
	slog.New(slog.NewTextHandler(&txt, nil)).Info("refund", "r", *r)
	b, err := json.Marshal(r)
	require.NoError(t, err)
	for how, out := range map[string]string{"String": r.String(), "%#v": fmt.Sprintf("%#v", r), "JSON": string(b),
		"slog JSON": js.String(), "slog text by value": txt.String()} {
		for _, s := range []string{"某某", "203.0.113.77"} {
			assert.NotContains(t, out, s, how)
		}
		for _, s := range []string{"mine-123", "T0001", "payeeName", "ipAddress", "email"} {
			assert.Contains(t, out, s, how)
		}
	}
	assert.Contains(t, r.String(), "RiskRateInfo:map[email: ipAddress:***]")
}

// TestClaimsFormEncryptedAccNo pins "a Form's log forms now show its fields as Fields.Masked does
// (an encrypted accNo as "(encrypted)")".
func TestClaimsFormEncryptedAccNo(t *testing.T) {
	t.Parallel()
	const ct = "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo="
	f := &unionpay.Form{OrderID: "CLAIMS2", Fields: sign.Fields{"accNo": ct, "orderId": "CLAIMS2"}}
	var js bytes.Buffer
	slog.New(slog.NewJSONHandler(&js, nil)).Info("form", "f", f)
	for how, out := range map[string]string{"String": f.String(), "slog": js.String()} {
		assert.NotContains(t, out, ct, how)
		assert.Contains(t, out, "(encrypted)", how)
	}
	assert.True(t, strings.Contains(claimsJSON(t, f), ct), "a Form's JSON is unchanged")
}

func claimsJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	require.NoError(t, err)
	return string(b)
}

// TestFormStringHidesCustomerInfo: a Form printed in any way shows neither
// customerInfo (base64 of the cardholder's name, ID number, phone...) nor a
// clear card number.
func TestFormStringHidesCustomerInfo(t *testing.T) {
	t.Parallel()
	const info = "e2NlcnRpZlRwPTAxJmNlcnRpZklkPTM0MTEyNjE5NzcwOTIxODM2Nn0="
	f := unionpay.Form{Action: "https://gw.example/pay", Fields: sign.Fields{
		"customerInfo": info, "accNo": "6216261000000000018", "orderId": "20240105120000",
	}}
	for _, format := range []string{"%v", "%+v", "%#v", "%s"} {
		t.Run(format, func(t *testing.T) {
			t.Parallel()
			for _, s := range []string{fmt.Sprintf(format, f), fmt.Sprintf(format, &f)} {
				require.NotContains(t, s, info)
				require.NotContains(t, s, info[:16])
				require.NotContains(t, s, "6216261000000000018")
				require.True(t, strings.Contains(s, "20240105120000"), s)
			}
		})
	}
}
