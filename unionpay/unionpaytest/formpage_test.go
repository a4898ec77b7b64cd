package unionpaytest_test

import (
	"context"
	"io"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/unionpay"
	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

// FormFields reads back, from the page a checkout serves, exactly the fields the form signed
// (escaped characters and Chinese in either charset included), and Pay pays them.
func TestFormFieldsOfServedPage(t *testing.T) {
	for _, encoding := range []string{"", "GBK"} {
		t.Run("encoding="+encoding, func(t *testing.T) {
			now := time.Date(2026, 11, 25, 10, 0, 0, 0, time.FixedZone("CST", 8*3600))
			srv := unionpaytest.NewServer(unionpaytest.WithReporter(t), unionpaytest.WithClock(func() time.Time { return now }))
			defer srv.Close()
			cfg := srv.Config()
			cfg.Encoding = encoding
			client, err := unionpay.NewClient(cfg)
			require.NoError(t, err)
			form, err := client.FrontConsume(&unionpay.ConsumeRequest{
				OrderID: "FORMPAGE0001", Amount: 1000, TxnTime: now, PayTimeout: now.Add(15 * time.Minute),
				FrontURL: "http://127.0.0.1:9/return", BackURL: "http://127.0.0.1:9/notify",
				OrderDesc: `手机壳 "A&B" <1> 'x'`, ReqReserved: "备注 <1> \"q\"",
			})
			require.NoError(t, err)
			rec := httptest.NewRecorder()
			form.ServeHTTP(rec, httptest.NewRequest("POST", "/checkout/FORMPAGE0001", nil))
			page, err := io.ReadAll(rec.Result().Body)
			require.NoError(t, err)

			fields, err := unionpaytest.FormFields(page)
			require.NoError(t, err)
			assert.Equal(t, form.Fields, fields)
			back, err := srv.Pay(context.Background(), fields, unionpaytest.TestCard)
			require.NoError(t, err)
			assert.Equal(t, "00", back["respCode"])
		})
	}
}

// A page that is not a form's is an error, not an empty set of fields to pay.
func TestFormFieldsRefusesOtherPages(t *testing.T) {
	for _, page := range []string{
		"",
		"payment unavailable\n",
		`<html><body><form id="other"><input type="hidden" name="orderId" value="X"></form></body></html>`,
		`<!DOCTYPE html><html><body><form id="pay_form" action="x"></form></body></html>`,
	} {
		fields, err := unionpaytest.FormFields([]byte(page))
		assert.Error(t, err, "%q", page)
		assert.Nil(t, fields)
	}
}
