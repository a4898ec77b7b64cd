package unionpay_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/sign"
	"github.com/goacp/unionpay/unionpay"
)

// A result whose time is absent (an AppResult, a QRCodeResult or a Form sent without payTimeout) shows it empty
// in String and leaves it out of its JSON and log forms, as formatTime does: never as year 0001,
// which reads as a time UnionPay gave. One that was sent shows as before.
func TestAbsentTimeForms(t *testing.T) {
	t.Parallel()
	txnTime := time.Date(2026, 11, 28, 10, 0, 0, 0, time.FixedZone("CST", 8*3600))
	payTimeout := txnTime.Add(15 * time.Minute)
	app := func(pt time.Time) *unionpay.AppResult {
		return &unionpay.AppResult{Result: unionpay.Result{OrderID: "APP00001", TxnTime: txnTime, RespCode: "00",
			Raw: sign.Fields{"tn": "745100000000000000000"}}, TN: "745100000000000000000", PayTimeout: pt, Amount: 100,
			Currency: "156"}
	}
	qr := func(pt time.Time) *unionpay.QRCodeResult {
		return &unionpay.QRCodeResult{Result: unionpay.Result{OrderID: "QRC00001", TxnTime: txnTime, RespCode: "00",
			Raw: sign.Fields{"qrCode": "https://qr.95516.com/00010000/01"}}, QRCode: "https://qr.95516.com/00010000/01",
			PayTimeout: pt}
	}
	form := func(pt time.Time) *unionpay.Form {
		return &unionpay.Form{Action: "https://gateway.test.95516.com/gateway/api/frontTransReq.do",
			Fields: sign.Fields{"orderId": "FORM0001"}, Encoding: "UTF-8", OrderID: "FORM0001", TxnTime: txnTime,
			PayTimeout: pt}
	}
	const (
		shown   = "PayTimeout:20261128101500"                  // String's, as formatTime writes it
		blank   = "PayTimeout: "                               // String's of none sent
		blankQR = "PayTimeout:}"                               // String's of none sent, its last field
		inJSON  = `"PayTimeout":"2026-11-28T10:15:00+08:00"`   // JSON's
		inGroup = "r.PayTimeout=2026-11-28T10:15:00.000+08:00" // slog's text handler's, of a group
		left    = ""                                           // no PayTimeout at all
	)
	for _, tc := range []struct {
		name string
		v    any // a pointer: slog calls LogValue on it
		// want is, for each form, what it must show of PayTimeout (left: nothing).
		want map[string]string
	}{
		{"AppResult without PayTimeout", app(time.Time{}),
			map[string]string{"String": blank, "GoString": blank, "MarshalJSON": left, "slog text": blank, "slog JSON": left}},
		{"AppResult with PayTimeout", app(payTimeout),
			map[string]string{"String": shown, "GoString": shown, "MarshalJSON": inJSON, "slog text": shown, "slog JSON": inJSON}},
		{"QRCodeResult without PayTimeout", qr(time.Time{}),
			map[string]string{"String": blankQR, "GoString": blankQR, "MarshalJSON": left, "slog text": blankQR, "slog JSON": left}},
		{"QRCodeResult with PayTimeout", qr(payTimeout),
			map[string]string{"String": shown, "GoString": shown, "MarshalJSON": inJSON, "slog text": shown, "slog JSON": inJSON}},
		{"Form without PayTimeout", form(time.Time{}),
			map[string]string{"String": blank, "GoString": blank, "MarshalJSON": left, "slog text": left, "slog JSON": left}},
		{"Form with PayTimeout", form(payTimeout),
			map[string]string{"String": shown, "GoString": shown, "MarshalJSON": inJSON, "slog text": inGroup, "slog JSON": inJSON}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			js, err := json.Marshal(tc.v)
			require.NoError(t, err)
			var text, jsonLog bytes.Buffer
			slog.New(slog.NewTextHandler(&text, nil)).Info("result", "r", tc.v)
			slog.New(slog.NewJSONHandler(&jsonLog, nil)).Info("result", "r", tc.v)
			forms := map[string]string{
				"String": fmt.Sprint(tc.v), "GoString": fmt.Sprintf("%#v", tc.v), "MarshalJSON": string(js),
				"slog text": text.String(), "slog JSON": jsonLog.String(),
			}
			for name, s := range forms {
				assert.NotContains(t, s, "0001-01-01", "%s: an absent time shown as year 0001", name)
				assert.NotContains(t, s, "00010101", name)
				if want := tc.want[name]; want == left {
					assert.NotContains(t, s, "PayTimeout", name)
				} else {
					assert.Contains(t, s, want, name)
				}
				assert.Regexp(t, `2026-?11-?28.?10:?00:?00`, s, "%s: TxnTime shown", name)
			}
		})
	}
}
