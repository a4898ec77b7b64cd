package unionpay_test

import (
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/sign"
	"github.com/goacp/unionpay/unionpay"
	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

// ConsumeRequest.InstallmentCount is sent as instalTransInfo {numberOfInstallments=NN}, as
// UnionPay's samples send it with txnSubType 03; only with Installments, 1 to 99.
func TestInstallmentCount(t *testing.T) {
	t.Parallel()
	srv := unionpaytest.NewServer(withSharedKeys(t), unionpaytest.WithClock(unionpaytest.BusinessDayClock()))
	t.Cleanup(srv.Close)
	c, err := unionpay.NewClient(srv.Config())
	require.NoError(t, err)
	req := func(installments bool, n int, extra sign.Fields) *unionpay.ConsumeRequest {
		now := srv.Now()
		return &unionpay.ConsumeRequest{OrderID: "EDU000000001", Amount: 3_000_000, TxnTime: now,
			FrontURL: "https://edu.example.com/return", BackURL: "https://edu.example.com/notify",
			PayTimeout: now.Add(15 * time.Minute), Installments: installments, InstallmentCount: n, Extra: extra}
	}
	tests := []struct {
		name         string
		installments bool
		count        int
		extra        sign.Fields
		want         string // instalTransInfo sent; "-" for a *RequestError naming InstallmentCount
	}{
		{"six", true, 6, nil, "{numberOfInstallments=06}"},
		{"one", true, 1, nil, "{numberOfInstallments=01}"},
		{"ninety-nine", true, 99, nil, "{numberOfInstallments=99}"},
		{"chosen at the cashier", true, 0, nil, ""},
		{"through Extra", true, 0, sign.Fields{"instalTransInfo": "{numberOfInstallments=12}"}, "{numberOfInstallments=12}"},
		{"without Installments", false, 6, nil, "-"},
		{"a hundred", true, 100, nil, "-"},
		{"negative", true, -1, nil, "-"},
	}
	for _, tt := range tests {
		form, err := c.FrontConsume(req(tt.installments, tt.count, tt.extra))
		if tt.want == "-" {
			var re *unionpay.RequestError
			require.True(t, errors.As(err, &re), "%s: %v", tt.name, err)
			assert.Equal(t, "InstallmentCount", re.Field, tt.name)
			continue
		}
		require.NoError(t, err, tt.name)
		assert.Equal(t, tt.want, form.Fields["instalTransInfo"], tt.name)
		assert.Equal(t, "03", form.Fields["txnSubType"], tt.name)
	}
	// Both the field and Extra: Extra may not override a modelled field.
	_, err = c.FrontConsume(req(true, 6, sign.Fields{"instalTransInfo": "{numberOfInstallments=12}"}))
	var re *unionpay.RequestError
	require.True(t, errors.As(err, &re), "%v", err)
}
