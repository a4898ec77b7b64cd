package unionpay_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/cert"
	"github.com/goacp/unionpay/sign"
	"github.com/goacp/unionpay/unionpay"
)

// frontOpenReq is a front open as UnionPay's 认证支付 2.0 sample (Form_6_2_FrontOpen of
// upacp_demo_wtz) sends it: card and cardholder pre-filled, payTimeout txnTime + 15 minutes.
func frontOpenReq() *unionpay.FrontOpenRequest {
	return &unionpay.FrontOpenRequest{
		OrderID: testOrder, FrontURL: "https://merchant.example/return", BackURL: testNotify,
		PayTimeout: testNow.Add(15 * time.Minute),
		AccNo:      "6216261000000000018",
		Customer:   &unionpay.Customer{Phone: "13552535506", IDType: "01", IDNumber: "341126197709218366", Name: "全渠道"},
	}
}

// TestFrontOpenCardFields pins the fields of the front open form, per product: those of
// UnionPay's Form_6_2_FrontOpen samples, signed (the gateway's verifier accepts them), posted to
// frontTransReq.do, without an amount.
func TestFrontOpenCardFields(t *testing.T) {
	t.Parallel()
	pfx := loadPFX(t)
	dec, err := pfx.Decrypter()
	require.NoError(t, err)
	g := newGateway(t, accept(nil))
	c := newTestClient(t, g, func(cfg *unionpay.Config) { cfg.Encrypter = encrypterFor(t, pfx) })
	tests := []struct {
		name string
		edit func(*unionpay.FrontOpenRequest)
		want sign.Fields // "" = absent
	}{
		{"authenticated payment", func(*unionpay.FrontOpenRequest) {}, sign.Fields{
			"txnSubType": "00", "bizType": "000301", "channelType": "07", "payTimeout": "20240105104500",
			"tokenPayData": "", "reserved": ""}},
		{"token", func(r *unionpay.FrontOpenRequest) {
			r.BizType, r.TokenRequestorID, r.PayTimeout = unionpay.BizTypeToken, "62000000001", time.Time{}
		}, sign.Fields{"txnSubType": "00", "bizType": "000902", "channelType": "07", "payTimeout": "",
			"tokenPayData": "{trId=62000000001&tokenType=01}"}},
		{"token type, trimmed", func(r *unionpay.FrontOpenRequest) {
			r.BizType, r.TokenRequestorID, r.TokenType = " 000902 ", " 62000000001 ", " 02 "
		}, sign.Fields{"bizType": "000902", "tokenPayData": "{trId=62000000001&tokenType=02}"}},
		{"mobile, embedded page, sub-type", func(r *unionpay.FrontOpenRequest) {
			r.Channel, r.TxnSubType = unionpay.ChannelMobile, "05"
			r.Reserved = sign.Fields{"customPage": "true"}
			r.ReqReserved, r.RiskRateInfo = "cart42", sign.Fields{"commodityName": "会员"}
		}, sign.Fields{"txnSubType": "05", "channelType": "08", "reserved": "{customPage=true}",
			"reqReserved": "cart42", "riskRateInfo": "{commodityName=会员}"}},
		{"card typed on UnionPay's page", func(r *unionpay.FrontOpenRequest) {
			r.AccNo, r.Customer = "", nil
		}, sign.Fields{"accNo": "", "customerInfo": "", "encryptCertId": ""}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := frontOpenReq()
			tt.edit(r)
			form, err := c.FrontOpenCard(r)
			require.NoError(t, err)
			f := form.Fields
			assert.Equal(t, g.srv.URL+"/gateway/api/frontTransReq.do", form.Action)
			common := sign.Fields{"txnType": "79", "accessType": "0", "merId": testMerID, "version": "5.1.0",
				"encoding": "UTF-8", "orderId": testOrder, "txnTime": "20240105103000",
				"frontUrl": "https://merchant.example/return", "backUrl": testNotify, "txnAmt": "", "currencyCode": ""}
			for k, v := range common {
				if _, ok := tt.want[k]; !ok {
					tt.want[k] = v
				}
			}
			for k, v := range tt.want {
				got, ok := f[k]
				if v == "" {
					assert.False(t, ok, "%s must not be sent, got %q", k, got)
					continue
				}
				assert.Equal(t, v, got, k)
			}
			assert.Equal(t, testOrder, form.OrderID)
			assert.Equal(t, "20240105103000", form.TxnTime.Format("20060102150405"))
			assert.Equal(t, f["payTimeout"], formatOrEmpty(form.PayTimeout))
			if r.AccNo != "" {
				assert.Equal(t, "69629715588", f["encryptCertId"])
				pan, err := dec.Decrypt(f["accNo"])
				require.NoError(t, err)
				assert.Equal(t, r.AccNo, pan)
				pairs, err := cert.ParseCustomerInfo(f["customerInfo"], dec)
				require.NoError(t, err)
				got := map[string]string{}
				for _, p := range pairs {
					got[p.Key] = p.Value
				}
				assert.Equal(t, map[string]string{"phoneNo": "13552535506", "certifTp": "01",
					"certifId": "341126197709218366", "customerNm": "全渠道"}, got)
			}
			_, err = g.verifier.Verify(f)
			require.NoError(t, err, "the form's fields are signed")
		})
	}
}

func formatOrEmpty(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format("20060102150405")
}

// TestFrontOpenCardPlainCardData: a merchant without the permission to encrypt sends the card in
// clear and no encryptCertId, and the form's log forms mask it.
func TestFrontOpenCardPlainCardData(t *testing.T) {
	t.Parallel()
	g := newGateway(t, accept(nil))
	c := newTestClient(t, g, func(cfg *unionpay.Config) { cfg.PlainCardData, cfg.Encrypter = true, nil })
	r := frontOpenReq()
	r.Customer = nil
	form, err := c.FrontOpenCard(r)
	require.NoError(t, err)
	assert.Equal(t, "6216261000000000018", form.Fields["accNo"])
	assert.NotContains(t, form.Fields, "encryptCertId")
	var logged bytes.Buffer
	slog.New(slog.NewJSONHandler(&logged, nil)).Info("form", "form", form)
	for name, s := range map[string]string{"String": form.String(), "%+v": fmt.Sprintf("%+v", *form),
		"slog": logged.String()} {
		assert.NotContains(t, s, "6216261000000000018", name)
		assert.Contains(t, s, "621626******0018", name)
	}
}

// TestFrontOpenCardRefuses: each invalid request is refused before anything is built, with a
// *RequestError naming the field.
func TestFrontOpenCardRefuses(t *testing.T) {
	t.Parallel()
	g := newGateway(t, accept(nil))
	c := newTestClient(t, g)
	tests := []struct {
		name, field string
		edit        func(*unionpay.FrontOpenRequest)
	}{
		{"short order", "OrderID", func(r *unionpay.FrontOpenRequest) { r.OrderID = "ORD1" }},
		{"no frontUrl", "FrontURL", func(r *unionpay.FrontOpenRequest) { r.FrontURL = " " }},
		{"no backUrl", "BackURL", func(r *unionpay.FrontOpenRequest) { r.BackURL = "" }},
		{"bad bizType", "BizType", func(r *unionpay.FrontOpenRequest) { r.BizType = "00902" }},
		{"bad txnSubType", "TxnSubType", func(r *unionpay.FrontOpenRequest) { r.TxnSubType = "5" }},
		{"bad channel", "Channel", func(r *unionpay.FrontOpenRequest) { r.Channel = "09" }},
		{"token without trId", "TokenRequestorID", func(r *unionpay.FrontOpenRequest) { r.BizType = unionpay.BizTypeToken }},
		{"blank trId", "TokenRequestorID", func(r *unionpay.FrontOpenRequest) {
			r.BizType, r.TokenRequestorID = unionpay.BizTypeToken, " "
		}},
		{"trId with &", "TokenRequestorID", func(r *unionpay.FrontOpenRequest) {
			r.BizType, r.TokenRequestorID = unionpay.BizTypeToken, "62000000001&token=1"
		}},
		{"trId too long", "TokenRequestorID", func(r *unionpay.FrontOpenRequest) {
			r.BizType, r.TokenRequestorID = unionpay.BizTypeToken, strings.Repeat("6", 33)
		}},
		{"tokenType alone", "TokenType", func(r *unionpay.FrontOpenRequest) { r.BizType, r.TokenType = "000999", "01" }},
		{"bad tokenType", "TokenType", func(r *unionpay.FrontOpenRequest) {
			r.BizType, r.TokenRequestorID, r.TokenType = unionpay.BizTypeToken, "62000000001", "1"
		}},
		{"tokenType not digits", "TokenType", func(r *unionpay.FrontOpenRequest) {
			r.BizType, r.TokenRequestorID, r.TokenType = unionpay.BizTypeToken, "62000000001", "0a"
		}},
		{"payTimeout not after txnTime", "PayTimeout", func(r *unionpay.FrontOpenRequest) { r.PayTimeout = testNow }},
		{"reqReserved with &", "ReqReserved", func(r *unionpay.FrontOpenRequest) { r.ReqReserved = "a&b" }},
		{"reserved with =", "Reserved", func(r *unionpay.FrontOpenRequest) { r.Reserved = sign.Fields{"customPage": "a=b"} }},
		{"bad card", "AccNo", func(r *unionpay.FrontOpenRequest) { r.AccNo = "62162610000" }},
		{"bad CVN2", "Customer.CVN2", func(r *unionpay.FrontOpenRequest) { r.Customer.CVN2 = "12a" }},
		{"line break in frontUrl's Extra", `Extra["x"]`, func(r *unionpay.FrontOpenRequest) { r.Extra = sign.Fields{"x": "a\nb"} }},
		{"amount through Extra", "txnAmt", func(r *unionpay.FrontOpenRequest) { r.Extra = sign.Fields{"txnAmt": "1"} }},
		{"tokenPayData through Extra", "tokenPayData", func(r *unionpay.FrontOpenRequest) {
			r.Extra = sign.Fields{"tokenPayData": "{trId=1}"}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := frontOpenReq()
			tt.edit(r)
			form, err := c.FrontOpenCard(r)
			require.Error(t, err)
			assert.Nil(t, form)
			re, ok := errors.AsType[*unionpay.RequestError](err)
			require.True(t, ok, "%T %v", err, err)
			assert.Equal(t, "front open", re.Op)
			assert.Contains(t, re.Field, tt.field)
		})
	}
	_, err := c.FrontOpenCard(nil)
	re, ok := errors.AsType[*unionpay.RequestError](err)
	require.True(t, ok, "%v", err)
	assert.Equal(t, "request", re.Field)
}

// TestFrontOpenCardAuthPayRequestor: a token requestor (TokenRequestorID, TokenType) with
// 认证支付 2.0 (BizTypeAuthPay, the default, given or trimmed) is refused by FrontOpenCard as
// OpenCard refuses it, the same field and the same reason: the 认证支付 2.0 samples
// (upacp_demo_wtz's Form_6_2_FrontOpen and Form_6_2_BackOpen) send no tokenPayData. Another
// bizType still sends it.
func TestFrontOpenCardAuthPayRequestor(t *testing.T) {
	t.Parallel()
	g := newGateway(t, accept(nil))
	c := newTestClient(t, g)
	tests := []struct {
		name, field          string // field: the one refused; "" = accepted
		biz, trID, tokenType string
		wantTokenPayData     string // sent when accepted
	}{
		{name: "default bizType", field: "TokenRequestorID", trID: "62000000001"},
		{name: "given bizType, trimmed", field: "TokenRequestorID", biz: " 000301 ", trID: "62000000001"},
		{name: "requestor and type", field: "TokenRequestorID", trID: "62000000001", tokenType: "01"},
		{name: "type alone", field: "TokenType", tokenType: "01"},
		{name: "malformed requestor", field: "TokenRequestorID", trID: "6200 0001"},
		{name: "another bizType", biz: "000999", trID: "62000000001",
			wantTokenPayData: "{trId=62000000001&tokenType=01}"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			fr := frontOpenReq()
			fr.BizType, fr.TokenRequestorID, fr.TokenType = tt.biz, tt.trID, tt.tokenType
			ar := accountReq()
			ar.BizType, ar.TokenRequestorID, ar.TokenType = tt.biz, tt.trID, tt.tokenType
			form, err := c.FrontOpenCard(fr)
			if tt.field == "" {
				require.NoError(t, err)
				assert.Equal(t, tt.wantTokenPayData, form.Fields["tokenPayData"])
				return
			}
			require.Error(t, err)
			assert.Nil(t, form)
			re, ok := errors.AsType[*unionpay.RequestError](err)
			require.True(t, ok, "%T %v", err, err)
			assert.Equal(t, tt.field, re.Field)
			assert.Contains(t, re.Reason, "only for the token product (bizType 000902)")
			_, openErr := c.OpenCard(context.Background(), ar)
			openRE, ok := errors.AsType[*unionpay.RequestError](openErr)
			require.True(t, ok, "OpenCard: %T %v", openErr, openErr)
			assert.Equal(t, openRE.Field, re.Field, "the field OpenCard names")
			assert.Equal(t, openRE.Reason, re.Reason, "OpenCard's words")
		})
	}
}

// TestFrontOpenRequestMasked: the request's log forms mask the card, the cardholder and the
// values of Reserved, and its masked JSON does not decode back.
func TestFrontOpenRequestMasked(t *testing.T) {
	t.Parallel()
	r := frontOpenReq()
	r.Reserved = sign.Fields{"customPage": "true"}
	js, err := json.Marshal(r)
	require.NoError(t, err)
	var logged bytes.Buffer
	slog.New(slog.NewJSONHandler(&logged, nil)).Info("open", "req", r)
	for name, s := range map[string]string{"String": r.String(), "%v": fmt.Sprintf("%v", *r),
		"%#v": fmt.Sprintf("%#v", *r), "JSON": string(js), "slog": logged.String()} {
		for _, secret := range []string{"6216261000000000018", "13552535506", "341126197709218366", "全渠道", "true"} {
			assert.NotContains(t, s, secret, name)
		}
		assert.Contains(t, s, "621626******0018", name)
		assert.Contains(t, s, "customPage", name)
	}
	var back unionpay.FrontOpenRequest
	assert.ErrorIs(t, json.Unmarshal(js, &back), unionpay.ErrMaskedJSON)
	for _, masked := range []string{`{"AccNo":"621626******0018"}`, `{"Reserved":{"customPage":"***"}}`,
		`{"Customer":{"Phone":"***"}}`} {
		assert.ErrorIs(t, json.Unmarshal([]byte(masked), &back), unionpay.ErrMaskedJSON, masked)
	}
	real, err := json.Marshal(map[string]any{"OrderID": testOrder, "AccNo": "6216261000000000018",
		"TokenRequestorID": "62000000001"})
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(real, &back))
	assert.Equal(t, "6216261000000000018", back.AccNo)
	assert.Equal(t, "62000000001", back.TokenRequestorID)
}
