package unionpay_test

import (
	"context"
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
