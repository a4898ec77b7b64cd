package unionpay_test

import (
	"bytes"
	"context"
	"log/slog"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/internal/logtest"
	"github.com/goacp/unionpay/sign"
	"github.com/goacp/unionpay/unionpay"
)

// The consume SMS (77/02, UnionPay's Form_6_6_SmsConsume) carries the consume's amount and
// currency; the card-opening SMS (77/00, the default) carries none. Amount is required for the
// first and checked when given; a Currency without an Amount is refused, naming the field.
func TestSendSMSConsume(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		edit      func(*unionpay.AccountRequest)
		wantField string            // the RequestError's field; "" = sent
		want      map[string]string // fields sent ("" = absent)
	}{
		{"open SMS", func(*unionpay.AccountRequest) {},
			"", map[string]string{"txnSubType": "00", "txnAmt": "", "currencyCode": ""}},
		{"consume SMS", func(r *unionpay.AccountRequest) { r.TxnSubType, r.Amount = "02", 1999 },
			"", map[string]string{"txnSubType": "02", "bizType": "000301", "txnAmt": "1999", "currencyCode": "156"}},
		{"consume SMS, currency", func(r *unionpay.AccountRequest) { r.TxnSubType, r.Amount, r.Currency = "02", 1, "344" },
			"", map[string]string{"txnAmt": "1", "currencyCode": "344"}},
		{"consume SMS without amount", func(r *unionpay.AccountRequest) { r.TxnSubType = "02" }, "Amount", nil},
		{"negative amount", func(r *unionpay.AccountRequest) { r.TxnSubType, r.Amount = "02", -5 }, "Amount", nil},
		{"amount over 12 digits", func(r *unionpay.AccountRequest) { r.Amount = 1_000_000_000_000 }, "Amount", nil},
		{"currency without amount", func(r *unionpay.AccountRequest) { r.Currency = "156" }, "Currency", nil},
		{"bad currency", func(r *unionpay.AccountRequest) { r.Amount, r.Currency = 5, "RMB" }, "Currency", nil},
		// The amount is modelled: Extra may not carry it, for any account request.
		{"txnAmt in Extra", func(r *unionpay.AccountRequest) {
			r.TxnSubType, r.Amount, r.Extra = "02", 5, sign.Fields{"txnAmt": "5"}
		},
			`Extra["txnAmt"]`, nil},
		{"currencyCode in Extra", func(r *unionpay.AccountRequest) { r.Extra = sign.Fields{"currencyCode": "156"} },
			`Extra["currencyCode"]`, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			g := newGateway(t, accept(nil))
			c := newTestClient(t, g)
			r := accountReq()
			tt.edit(r)
			_, err := c.SendSMS(context.Background(), r)
			if tt.wantField != "" {
				var re *unionpay.RequestError
				require.ErrorAs(t, err, &re)
				assert.Equal(t, tt.wantField, re.Field)
				assert.Zero(t, g.count(), "nothing sent")
				return
			}
			require.NoError(t, err)
			req := g.last()
			assert.Equal(t, "77", req["txnType"])
			for k, v := range tt.want {
				if v == "" {
					assert.NotContains(t, req, k)
					continue
				}
				assert.Equal(t, v, req[k], k)
			}
		})
	}
}

// The amount and currency show in the request's masked forms.
func TestAccountRequestAmountPrinted(t *testing.T) {
	t.Parallel()
	r := accountReq()
	r.Amount, r.Currency = 1999, "156"
	assert.Contains(t, r.String(), "Amount:1999 Currency:156")
	var buf bytes.Buffer
	slog.New(slog.NewTextHandler(&buf, logtest.Untimed())).Info("sms", "req", r)
	assert.Contains(t, buf.String(), "req.Amount=1999 req.Currency=156")
	assert.NotContains(t, buf.String(), "6216261000000000018")
}
