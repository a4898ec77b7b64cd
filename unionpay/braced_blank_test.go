package unionpay_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/sign"
	"github.com/goacp/unionpay/unionpay"
	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

// A Reserved or RiskRateInfo pair whose value is blank is left out, as a blank field is, and the
// field with it when no pair is left: a product without a name sent {commodityName=} (an empty
// value) or failed the payment, depending on the version; a blank key is refused.
func TestBracedBlankValuesLeftOut(t *testing.T) {
	t.Parallel()
	srv := unionpaytest.NewServer(withSharedKeys(t), unionpaytest.WithClock(unionpaytest.BusinessDayClock()))
	t.Cleanup(srv.Close)
	c, err := unionpay.NewClient(srv.Config())
	require.NoError(t, err)
	tests := []struct {
		name           string
		reserved, risk sign.Fields
		wantReserved   string
		wantRisk       string
		wantErr        string // the field a *RequestError names
	}{
		{"all given", sign.Fields{"cardNumberLock": "1"}, sign.Fields{"commodityName": "课程"}, "{cardNumberLock=1}", "{commodityName=课程}", ""},
		{"empty value", sign.Fields{"cardNumberLock": "1", "x": ""}, sign.Fields{"commodityName": ""}, "{cardNumberLock=1}", "", ""},
		{"blank value", sign.Fields{"x": " \t"}, sign.Fields{"commodityName": " ", "commodityUrl": "https://e.example/c"}, "", "{commodityUrl=https://e.example/c}", ""},
		{"value kept as it is", nil, sign.Fields{"commodityName": " 课程 "}, "", "{commodityName= 课程 }", ""},
		{"blank key", sign.Fields{" ": "1"}, nil, "", "", "Reserved"},
		{"blank key, blank value", nil, sign.Fields{"": ""}, "", "", "RiskRateInfo"},
	}
	for _, tt := range tests {
		form, err := c.FrontConsume(&unionpay.ConsumeRequest{OrderID: "BRACED00001", Amount: 100,
			FrontURL: "https://e.example/return", BackURL: "https://e.example/notify",
			Reserved: tt.reserved, RiskRateInfo: tt.risk})
		if tt.wantErr != "" {
			var re *unionpay.RequestError
			require.ErrorAs(t, err, &re, tt.name)
			assert.Equal(t, tt.wantErr, re.Field, tt.name)
			continue
		}
		require.NoError(t, err, tt.name)
		assert.Equal(t, tt.wantReserved, form.Fields["reserved"], tt.name)
		assert.Equal(t, tt.wantRisk, form.Fields["riskRateInfo"], tt.name)
		_, has := form.Fields["reserved"]
		assert.Equal(t, tt.wantReserved != "", has, "%s: a field left with no pair is not sent", tt.name)
	}
}

// An empty and a blank Reserved/RiskRateInfo value are treated alike (both left out).
func TestBracedEmptyAndBlankAlike(t *testing.T) {
	p := newAVProbe(t, func(c *unionpay.Config) { c.PlainCardData = true })
	mk := func(v string) error {
		_, err := p.c.FrontConsume(&unionpay.ConsumeRequest{OrderID: p.oid(), Amount: 100,
			FrontURL: "https://merchant.example/return", BackURL: avBack,
			RiskRateInfo: sign.Fields{"commodityName": v}})
		return err
	}
	empty, blank := mk(""), mk(" ")
	if (empty == nil) != (blank == nil) {
		t.Errorf("RiskRateInfo commodityName \"\": %v; \" \": %v (one refused, the other sent)", empty, blank)
	}
}
