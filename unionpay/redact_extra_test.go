package unionpay_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/internal/leaktest"
	"github.com/goacp/unionpay/internal/logtest"
	"github.com/goacp/unionpay/sign"
	"github.com/goacp/unionpay/unionpay"
)

// extraSecrets are wire fields a merchant may pass through Extra that carry card or personal data,
// each with a value that must not be logged and the mask sign.Fields.Masked writes for it.
var extraSecrets = []struct{ key, value, masked string }{
	{"riskRateInfo", "{deviceID=IMEI358240051111110&ipAddress=203.0.113.77}", "{deviceID=***&ipAddress=***}"},
	{"reserved", "{comDebitCardAccName=某某科技有限公司}", "{comDebitCardAccName=***}"},
	{"accNo", "6216261000000000018", "621626******0018"},
	{"customerInfo", "e2NlcnRpZlRwPTAxJmNlcnRpZklkPTM0MTEyNjE5NzcwOTIxODM2Nn0=", "***"},
	{"encryptedInfo", "cGhvbmVObz0xMzkxMjM0NTY3OA==", "***"},
	{"cardTransData", "{track2Data=6216261000000000018D2512}", "***"},
	{"tokenPayData", "{token=6299990000012345&trId=62000000001}", "***"},
	{"fileContent", "6216261000000000018|100|SECRETFILE", "(34 bytes)"},
}

// extraOf returns an Extra holding every field of extraSecrets and a field that carries no secret.
func extraOf() sign.Fields {
	f := sign.Fields{"orderDesc": "visible-desc"}
	for _, s := range extraSecrets {
		f[s.key] = s.value
	}
	return f
}

// extraRequests returns each request type with an Extra, filled with extraOf, by value and by
// pointer.
func extraRequests() map[string]any {
	card, acct, consume, fu := cardReq(), accountReq(), consumeReq(), followUp()
	card.Extra, acct.Extra, consume.Extra, fu.Extra = extraOf(), extraOf(), extraOf(), extraOf()
	batch := &unionpay.BatchRequest{BatchNo: "0001", Extra: extraOf()}
	open := frontOpenReq()
	open.Extra = extraOf()
	apply, qr := qrApplyReq(), qrConsumeReq()
	apply.Extra, qr.Extra = extraOf(), extraOf()
	txnTime := time.Date(2024, 1, 5, 10, 30, 0, 0, time.FixedZone("CST", 8*3600))
	query := &unionpay.QueryRequest{OrderID: testOrder, TxnTime: txnTime, TxnType: "01", Amount: 100, Extra: extraOf()}
	batchQuery := &unionpay.BatchQueryRequest{Type: unionpay.BatchPayout, BatchNo: "0001", TxnTime: txnTime, Extra: extraOf()}
	file := &unionpay.FileRequest{SettleDate: time.Date(2024, 1, 4, 0, 0, 0, 0, time.UTC), Extra: extraOf()}
	openQuery := &unionpay.OpenQueryRequest{OrderID: testOrder, TxnTime: txnTime, Extra: extraOf()}
	token := &unionpay.TokenRequest{OrderID: testOrder, Token: "6299990000012345", TokenRequestorID: "62000000001", Extra: extraOf()}
	return map[string]any{
		"CardRequest": *card, "*CardRequest": card,
		"AccountRequest": *acct, "*AccountRequest": acct,
		"ConsumeRequest": *consume, "*ConsumeRequest": consume,
		"FollowUpRequest": *fu, "*FollowUpRequest": fu,
		"BatchRequest": *batch, "*BatchRequest": batch,
		"FrontOpenRequest": *open, "*FrontOpenRequest": open,
		"QRCodeRequest": *apply, "*QRCodeRequest": apply,
		"QRConsumeRequest": *qr, "*QRConsumeRequest": qr,
		"QueryRequest": *query, "*QueryRequest": query,
		"BatchQueryRequest": *batchQuery, "*BatchQueryRequest": batchQuery,
		"FileRequest": *file, "*FileRequest": file,
		"OpenQueryRequest": *openQuery, "*OpenQueryRequest": openQuery,
		"TokenRequest": *token, "*TokenRequest": token,
	}
}

// extraRenderings returns what each log form shows of v.
func extraRenderings(t *testing.T, v any) map[string]string {
	t.Helper()
	b, err := json.Marshal(v)
	require.NoError(t, err)
	var js, txt bytes.Buffer
	slog.New(slog.NewJSONHandler(&js, logtest.Untimed())).Info("req", "r", v)
	slog.New(slog.NewTextHandler(&txt, logtest.Untimed())).Info("req", "r", v)
	out := map[string]string{"json.Marshal": string(b), "slog JSON": js.String(), "slog text": txt.String()}
	for _, verb := range []string{"%v", "%+v", "%#v", "%s"} {
		out["fmt "+verb] = fmt.Sprintf(verb, v)
	}
	return out
}

// TestExtraMaskedInLogForms: a request's Extra goes through sign.Fields.Masked in every log form
// (json.Marshal, slog's JSON and text handlers, fmt), by value and by pointer: its
// riskRateInfo, reserved, accNo, customerInfo, encryptedInfo, cardTransData, tokenPayData and
// fileContent showed in clear in json.Marshal (Extra was a plain map there). The other fields of
// Extra show as they are, and the request itself is not changed.
func TestExtraMaskedInLogForms(t *testing.T) {
	t.Parallel()
	for name, v := range extraRequests() {
		for form, out := range extraRenderings(t, v) {
			for _, s := range extraSecrets {
				assert.NotContains(t, out, s.value, "%s, %s: Extra[%s]", name, form, s.key)
			}
			for _, leak := range []string{"203.0.113.77", "某某科技有限公司", "6216261000000000018", "SECRETFILE"} {
				assert.NotContains(t, out, leak, "%s, %s", name, form)
			}
		}
		b, err := json.Marshal(v)
		require.NoError(t, err)
		var got struct{ Extra map[string]string }
		require.NoError(t, json.Unmarshal(b, &got), name)
		want := map[string]string{"orderDesc": "visible-desc"}
		for _, s := range extraSecrets {
			want[s.key] = s.masked
		}
		assert.Equal(t, want, got.Extra, "%s: Extra as sign.Fields.Masked masks it", name)
		assert.Equal(t, map[string]string(extraOf().Masked()), got.Extra, "%s: the one rule", name)
	}
	fu := followUp()
	fu.Extra = extraOf()
	_, _ = json.Marshal(fu)
	assert.Equal(t, extraOf(), fu.Extra, "the request itself is not changed")
}

// TestExtraAuditEveryRendering: leaktest's every rendering (all fmt verbs, JSON, slog's JSON and
// text handlers, by value, by pointer, nested in structs, slices and maps) of each request with an
// Extra hides the card and personal data in it. QueryRequest, BatchQueryRequest and FileRequest,
// which had no masked forms, showed Extra in clear in json.Marshal and slog's JSON handler (and,
// held by pointer in a struct, in fmt's %s and %q).
func TestExtraAuditEveryRendering(t *testing.T) {
	t.Parallel()
	secrets := []string{"203.0.113.77", "某某科技有限公司", "6216261000000000018", "SECRETFILE"}
	for _, s := range extraSecrets {
		secrets = append(secrets, s.value)
	}
	for name, v := range extraRequests() {
		if strings.HasPrefix(name, "*") {
			continue // leaktest takes a pointer itself
		}
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if leaks := leaktest.Find(v, secrets...); len(leaks) > 0 {
				t.Errorf("%d renderings show Extra's card or personal data, among them:\n%s", len(leaks),
					firstLines(leaktest.Summary(leaks), 8))
			}
		})
	}
}

// TestExtraMaskedJSONRefused: UnmarshalJSON refuses the masked log form of Extra with
// ErrMaskedJSON naming the field (FollowUpRequest.Extra[riskRateInfo]), as it refuses masked
// Reserved and RiskRateInfo: decoding it would send the masks to UnionPay. Extra with the real
// values, and with masks in fields Masked does not mask, decodes as before.
func TestExtraMaskedJSONRefused(t *testing.T) {
	t.Parallel()
	targets := map[string]func() any{
		"CardRequest":       func() any { return new(unionpay.CardRequest) },
		"AccountRequest":    func() any { return new(unionpay.AccountRequest) },
		"ConsumeRequest":    func() any { return new(unionpay.ConsumeRequest) },
		"FollowUpRequest":   func() any { return new(unionpay.FollowUpRequest) },
		"BatchRequest":      func() any { return new(unionpay.BatchRequest) },
		"FrontOpenRequest":  func() any { return new(unionpay.FrontOpenRequest) },
		"QRCodeRequest":     func() any { return new(unionpay.QRCodeRequest) },
		"QRConsumeRequest":  func() any { return new(unionpay.QRConsumeRequest) },
		"QueryRequest":      func() any { return new(unionpay.QueryRequest) },
		"BatchQueryRequest": func() any { return new(unionpay.BatchQueryRequest) },
		"FileRequest":       func() any { return new(unionpay.FileRequest) },
		"OpenQueryRequest":  func() any { return new(unionpay.OpenQueryRequest) },
		"TokenRequest":      func() any { return new(unionpay.TokenRequest) },
	}
	for typ, newV := range targets {
		for _, s := range extraSecrets {
			masked, err := json.Marshal(map[string]any{"Extra": map[string]string{s.key: s.masked}})
			require.NoError(t, err)
			err = json.Unmarshal(masked, newV())
			require.ErrorIs(t, err, unionpay.ErrMaskedJSON, "%s: Extra[%s] = %q", typ, s.key, s.masked)
			assert.Contains(t, err.Error(), typ+".Extra["+s.key+"]")

			plain, err := json.Marshal(map[string]any{"Extra": map[string]string{s.key: s.value, "orderDesc": "***"}})
			require.NoError(t, err)
			v := newV()
			require.NoError(t, json.Unmarshal(plain, v), "%s: Extra[%s] in clear", typ, s.key)
			b, err := json.Marshal(v)
			require.NoError(t, err)
			assert.NotContains(t, string(b), s.value)
		}
		for _, masked := range []string{`"***"`, `"{a=1&b=***}"`, `"(encrypted)"`, `"******0018"`} {
			key := "riskRateInfo"
			if strings.Contains(masked, "0018") || strings.Contains(masked, "encrypted") {
				key = "accNo"
			}
			err := json.Unmarshal([]byte(`{"Extra":{"`+key+`":`+masked+`}}`), newV())
			assert.True(t, errors.Is(err, unionpay.ErrMaskedJSON), "%s: Extra[%s] = %s: %v", typ, key, masked, err)
		}
		assert.NoError(t, json.Unmarshal([]byte(`{"Extra":{"riskRateInfo":"{a=&b=}"}}`), newV()), "%s: empty values are no mask", typ)
	}

	// The log form of a whole request, Extra masked, does not decode.
	for name, v := range extraRequests() {
		if strings.HasPrefix(name, "*") {
			continue
		}
		b, err := json.Marshal(v)
		require.NoError(t, err)
		err = json.Unmarshal(b, targets[name]())
		assert.ErrorIs(t, err, unionpay.ErrMaskedJSON, name)
	}
}
