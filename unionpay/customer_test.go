package unionpay_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/cert"
	"github.com/goacp/unionpay/unionpay"
)

// TestCustomerRefused: a Customer field UnionPay cannot take is a *RequestError naming the Go field,
// never the value, with and without PlainCardData, before anything is encrypted or sent.
func TestCustomerRefused(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		edit   func(*unionpay.Customer)
		field  string
		secret string // must not appear in the error
	}{
		{"short PIN", func(cu *unionpay.Customer) { cu.PIN = "12" }, "Customer.PIN", ""},
		{"PIN of letters", func(cu *unionpay.Customer) { cu.PIN = "abcdef" }, "Customer.PIN", "abcdef"},
		{"long PIN", func(cu *unionpay.Customer) { cu.PIN = "1234567890123" }, "Customer.PIN", "1234567890123"},
		{"name with &", func(cu *unionpay.Customer) { cu.Name = "A&B" }, "Customer.Name", "A&B"},
		{"name with braces", func(cu *unionpay.Customer) { cu.Name = "{x}" }, "Customer.Name", "{x}"},
		{"name not UTF-8", func(cu *unionpay.Customer) { cu.Name = "互\xff" }, "Customer.Name", "互\xff"},
		{"ID number with [", func(cu *unionpay.Customer) { cu.IDNumber = "341126[97709218366" }, "Customer.IDNumber", "341126[97709218366"},
		{"SMS code with ]", func(cu *unionpay.Customer) { cu.SMSCode = "12]456" }, "Customer.SMSCode", "12]456"},
		{"ID type with &", func(cu *unionpay.Customer) { cu.IDType = "0&" }, "Customer.IDType", ""},
		{"expiry in words", func(cu *unionpay.Customer) { cu.Expiry = "next year" }, "Customer.Expiry", "next year"},
		{"expiry of 3 digits", func(cu *unionpay.Customer) { cu.Expiry = "251" }, "Customer.Expiry", "251"},
		{"expiry month 13", func(cu *unionpay.Customer) { cu.Expiry = "2513" }, "Customer.Expiry", "2513"},
		{"expiry month 00", func(cu *unionpay.Customer) { cu.Expiry = "2500" }, "Customer.Expiry", "2500"},
		{"expiry MMYY-looking with a slash", func(cu *unionpay.Customer) { cu.Expiry = "12/25" }, "Customer.Expiry", "12/25"},
		{"CVN2 of letters", func(cu *unionpay.Customer) { cu.CVN2 = "abc" }, "Customer.CVN2", "abc"},
		{"CVN2 of 7", func(cu *unionpay.Customer) { cu.CVN2 = "abcdefg" }, "Customer.CVN2", "abcdefg"},
		{"CVN2 of 4 digits", func(cu *unionpay.Customer) { cu.CVN2 = "1234" }, "Customer.CVN2", "1234"},
		{"phone with &", func(cu *unionpay.Customer) { cu.Phone = "135&52535506" }, "Customer.Phone", "135&52535506"},
		{"phone with =", func(cu *unionpay.Customer) { cu.Phone = "phoneNo=13552535506" }, "Customer.Phone", "13552535506"},
		{"phone with a brace", func(cu *unionpay.Customer) { cu.Phone = "{13552535506" }, "Customer.Phone", "13552535506"},
		{"phone with a bracket", func(cu *unionpay.Customer) { cu.Phone = "13552535506]" }, "Customer.Phone", "13552535506"},
		{"phone with a newline", func(cu *unionpay.Customer) { cu.Phone = "1355253\n5506" }, "Customer.Phone", "5506"},
		{"phone with a NUL", func(cu *unionpay.Customer) { cu.Phone = "13552535506\x00" }, "Customer.Phone", "13552535506"},
		{"phone with DEL", func(cu *unionpay.Customer) { cu.Phone = "13552535506\x7f" }, "Customer.Phone", "13552535506"},
		{"phone with a C1 control", func(cu *unionpay.Customer) { cu.Phone = "13552535506\u0085" }, "Customer.Phone", "13552535506"},
		{"phone not UTF-8", func(cu *unionpay.Customer) { cu.Phone = "13552535506\xff" }, "Customer.Phone", "13552535506"},
		{"phone of 33 characters", func(cu *unionpay.Customer) { cu.Phone = "+86 135 5253 5506 135 5253 5506 1" }, "Customer.Phone", "5506"},
	}
	for _, plain := range []bool{false, true} {
		for _, tt := range tests {
			name := tt.name
			if plain {
				name = "plain " + name
			}
			t.Run(name, func(t *testing.T) {
				t.Parallel()
				g := newGateway(t, accept(nil))
				c := newTestClient(t, g, func(cfg *unionpay.Config) { cfg.PlainCardData = plain })
				r := cardReq()
				r.Customer = &unionpay.Customer{IDType: "01", Name: "互联网"}
				tt.edit(r.Customer)
				_, err := c.Collect(context.Background(), r)
				var re *unionpay.RequestError
				require.ErrorAs(t, err, &re)
				assert.Equal(t, tt.field, re.Field)
				if tt.secret != "" {
					assert.NotContains(t, err.Error(), tt.secret)
				}
				assert.Zero(t, g.count())
			})
		}
	}
}

// TestCustomerAccepted: the formats of UnionPay's own test data pass.
func TestCustomerAccepted(t *testing.T) {
	t.Parallel()
	g := newGateway(t, accept(nil))
	c := newTestClient(t, g)
	tests := []struct {
		name string
		cu   unionpay.Customer
	}{
		{"test data", unionpay.Customer{IDType: "01", IDNumber: "341126197709218366", Name: "互联网",
			Phone: "13552535506", SMSCode: "123456", PIN: "111111", CVN2: "123", Expiry: "2311"}},
		{"4-digit PIN, December", unionpay.Customer{PIN: "1234", Expiry: "2512"}},
		{"12-digit PIN, January", unionpay.Customer{PIN: "123456789012", Expiry: "0001"}},
		{"ID number ending in X", unionpay.Customer{IDType: "01", IDNumber: "11010119900101123X"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := cardReq()
			r.Customer = &tt.cu
			_, err := c.Collect(context.Background(), r)
			require.NoError(t, err)
			assert.NotEmpty(t, g.last()["customerInfo"])
		})
	}
}

// TestCustomerPhoneAsIs: UnionPay's SDK copies phoneNo as it is given, so a number with a country
// code, separators or letters is sent unchanged (checked in clear with PlainCardData), and
// accepted with encryption too.
func TestCustomerPhoneAsIs(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		phone string
	}{
		{"mainland digits", "13552535506"},
		{"with a country code", "+8613552535506"},
		{"Hong Kong with a space", "+852 9123 4567"},
		{"with hyphens", "852-9123-4567"},
		{"with parentheses and an extension", "(0755) 1234 x12"},
		{"full-width digits", "１３５５２５３５５０６"},
		{"32 characters", "+86 135 5253 5506 135 5253 5506 "},
	}
	for _, plain := range []bool{true, false} {
		for _, tt := range tests {
			t.Run(fmt.Sprintf("%s plain=%t", tt.name, plain), func(t *testing.T) {
				t.Parallel()
				g := newGateway(t, accept(nil))
				c := newTestClient(t, g, func(cfg *unionpay.Config) { cfg.PlainCardData = plain })
				r := cardReq()
				r.Customer = &unionpay.Customer{IDType: "01", Name: "互联网", Phone: tt.phone}
				_, err := c.Collect(context.Background(), r)
				require.NoError(t, err)
				if !plain {
					return
				}
				pairs, err := cert.ParseCustomerInfo(g.last()["customerInfo"], nil)
				require.NoError(t, err)
				assert.Contains(t, pairs, cert.Pair{Key: "phoneNo", Value: tt.phone})
			})
		}
	}
}
