package unionpay_test

import (
	"bytes"
	"context"
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

// TestQRCodePayTimeout: the payTimeout an application carries in Extra (QRCodeRequest models
// none) is yyyyMMddHHmmss in Beijing time, after txnTime. One written in the server's own zone
// (UTC: eight hours early) or in another layout would issue a code the payer can never pay (the
// fake gateway answers the scan 39): it is refused, naming Extra["payTimeout"], before anything
// is sent.
func TestQRCodePayTimeout(t *testing.T) {
	t.Parallel()
	beijing := time.FixedZone("CST", 8*3600)
	layout := "20060102150405"
	tests := []struct {
		name, payTimeout string
		refused          bool
	}{
		{"Beijing time, 15 minutes after txnTime", testNow.In(beijing).Add(15 * time.Minute).Format(layout), false},
		{"sent trimmed", " " + testNow.In(beijing).Add(time.Second).Format(layout) + " ", false},
		{"UTC: eight hours early", testNow.UTC().Add(15 * time.Minute).Format(layout), true},
		{"txnTime itself", testNow.In(beijing).Format(layout), true},
		{"another layout", testNow.In(beijing).Add(15 * time.Minute).Format(time.DateTime), true},
		{"twelve digits", testNow.In(beijing).Add(15 * time.Minute).Format("200601021504"), true},
		{"no such date", "20240231103000", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			g := newGateway(t, accept(sign.Fields{"qrCode": "https://qr.95516.com/00010000/01"}))
			c := newTestClient(t, g)
			r := qrApplyReq()
			r.TxnTime = testNow
			r.Extra = sign.Fields{"payTimeout": tt.payTimeout}
			_, err := c.ApplyQRCode(context.Background(), r)
			if !tt.refused {
				require.NoError(t, err)
				return
			}
			var re *unionpay.RequestError
			require.ErrorAs(t, err, &re)
			assert.Equal(t, "qrcode apply", re.Op)
			assert.Equal(t, `Extra["payTimeout"]`, re.Field)
			assert.Zero(t, g.count(), "nothing sent")
		})
	}
}

// TestQRCodePayTimeoutField: QRCodeRequest.PayTimeout is sent as payTimeout in Beijing time, to
// the second, and checked as ConsumeRequest's is (after txnTime to the second, a four-digit year);
// zero sends none. The result carries the payTimeout sent (the field's, or Extra's) and its
// Backoff is FrontBackoff with it, as AppResult's. The field and Extra["payTimeout"] together are
// refused, before anything is sent.
func TestQRCodePayTimeoutField(t *testing.T) {
	t.Parallel()
	beijing := time.FixedZone("CST", 8*3600)
	tests := []struct {
		name       string
		payTimeout time.Time   // the field
		extra      sign.Fields // Extra
		sent       string      // payTimeout sent; "" none
		field      string      // refused naming this field; "" accepted
	}{
		{name: "zero: none sent"},
		{name: "UTC, sent in Beijing time", payTimeout: testNow.UTC().Add(15 * time.Minute), sent: "20240105104500"},
		{name: "a fraction dropped", payTimeout: testNow.Add(15*time.Minute + 900*time.Millisecond), sent: "20240105104500"},
		{name: "one second after txnTime", payTimeout: testNow.Add(time.Second), sent: "20240105103001"},
		{name: "Extra's, as before", extra: sign.Fields{"payTimeout": "20240105104500"}, sent: "20240105104500"},
		{name: "txnTime itself", payTimeout: testNow, field: "PayTimeout"},
		{name: "within txnTime's second", payTimeout: testNow.Add(500 * time.Millisecond), field: "PayTimeout"},
		{name: "before txnTime", payTimeout: testNow.Add(-time.Minute), field: "PayTimeout"},
		{name: "five-digit year", payTimeout: time.Date(10000, 1, 1, 0, 0, 0, 0, beijing), field: "PayTimeout"},
		{name: "the field and Extra's", payTimeout: testNow.Add(15 * time.Minute),
			extra: sign.Fields{"payTimeout": "20240105104500"}, field: `Extra["payTimeout"]`},
		{name: "the field and a blank Extra's", payTimeout: testNow.Add(15 * time.Minute),
			extra: sign.Fields{"payTimeout": " "}, field: `Extra["payTimeout"]`},
		{name: "the field and an empty Extra's", payTimeout: testNow.Add(15 * time.Minute),
			extra: sign.Fields{"payTimeout": ""}, field: `Extra["payTimeout"]`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			g := newGateway(t, accept(sign.Fields{"qrCode": "https://qr.95516.com/00010000/01"}))
			c := newTestClient(t, g)
			r := qrApplyReq()
			r.TxnTime, r.PayTimeout, r.Extra = testNow, tt.payTimeout, tt.extra
			res, err := c.ApplyQRCode(context.Background(), r)
			if tt.field != "" {
				var re *unionpay.RequestError
				require.ErrorAs(t, err, &re)
				assert.Equal(t, "qrcode apply", re.Op)
				assert.Equal(t, tt.field, re.Field)
				assert.Contains(t, err.Error(), "PayTimeout")
				assert.Zero(t, g.count(), "nothing sent")
				return
			}
			require.NoError(t, err)
			got, ok := g.last()["payTimeout"]
			assert.Equal(t, tt.sent != "", ok, "payTimeout sent")
			assert.Equal(t, tt.sent, got)
			want := unionpay.FrontBackoff()
			if tt.sent != "" {
				pt, err := time.ParseInLocation("20060102150405", tt.sent, beijing)
				require.NoError(t, err)
				assert.True(t, pt.Equal(res.PayTimeout), "PayTimeout %v, want %v", res.PayTimeout, pt)
				_, off := res.PayTimeout.Zone()
				assert.Equal(t, 8*3600, off, "PayTimeout in Beijing time")
				want.PayTimeout = res.PayTimeout
			} else {
				assert.True(t, res.PayTimeout.IsZero(), "PayTimeout %v, want zero", res.PayTimeout)
			}
			assert.Equal(t, want, res.Backoff())
		})
	}
	var none *unionpay.QRCodeResult // the result of a call that failed
	assert.Equal(t, unionpay.FrontBackoff(), none.Backoff())
}

// TestQRCodeRequestPayTimeoutForms: QRCodeRequest's log forms show PayTimeout as
// ConsumeRequest's do (String as sent, yyyyMMddHHmmss; JSON and slog as a time), and its JSON
// decodes back.
func TestQRCodeRequestPayTimeoutForms(t *testing.T) {
	t.Parallel()
	r := qrApplyReq()
	r.TxnTime, r.PayTimeout = testNow, testNow.Add(15*time.Minute)
	assert.Contains(t, r.String(), "PayTimeout:20240105104500")
	assert.Contains(t, fmt.Sprintf("%#v", r), "PayTimeout:20240105104500")
	js, err := json.Marshal(r)
	require.NoError(t, err)
	assert.Contains(t, string(js), `"PayTimeout":"2024-01-05T10:45:00+08:00"`)
	var back unionpay.QRCodeRequest
	require.NoError(t, json.Unmarshal(js, &back))
	assert.True(t, back.PayTimeout.Equal(r.PayTimeout), "PayTimeout %v, want %v", back.PayTimeout, r.PayTimeout)
	var text bytes.Buffer
	slog.New(slog.NewTextHandler(&text, nil)).Info("apply", "r", r)
	assert.Contains(t, text.String(), "r.PayTimeout=2024-01-05T10:45:00.000+08:00")
}
