package unionpay_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/internal/leaktest"
	"github.com/goacp/unionpay/internal/logtest"
	"github.com/goacp/unionpay/sign"
	"github.com/goacp/unionpay/unionpay"
)

// The shopper's and payee's personal data a merchant puts in riskRateInfo and reserved.
const (
	piiIP      = "203.0.113.77"
	piiDevice  = "IMEI358240051111110"
	piiMobile  = "13912345678"
	piiAddress = "上海市浦东新区世纪大道88号"
	piiEmail   = "shopper@example.com"
	piiUserID  = "uid-8675309"
	piiAccName = "某某科技有限公司"
)

var piiValues = []string{piiIP, piiDevice, piiMobile, piiAddress, piiEmail, piiUserID, piiAccName}

// piiRisk is a riskRateInfo as a merchant fills it, with a pair left empty (it stays empty).
func piiRisk() sign.Fields {
	return sign.Fields{"ipAddress": piiIP, "deviceID": piiDevice, "shippingMobile": piiMobile,
		"shippingAddress": piiAddress, "email": piiEmail, "userId": piiUserID, "commodityName": ""}
}

func piiReserved() sign.Fields { return sign.Fields{"comDebitCardAccName": piiAccName} }

// piiRequests returns each request type holding Reserved and RiskRateInfo, filled with personal
// data, by value and by pointer.
func piiRequests() map[string]any {
	card := cardReq()
	card.Reserved, card.RiskRateInfo = piiReserved(), piiRisk()
	acct := accountReq()
	acct.Reserved, acct.RiskRateInfo = piiReserved(), piiRisk()
	consume := consumeReq()
	consume.Reserved, consume.RiskRateInfo = piiReserved(), piiRisk()
	fu := followUp()
	fu.Reserved, fu.RiskRateInfo = piiReserved(), piiRisk()
	return map[string]any{
		"CardRequest": *card, "*CardRequest": card,
		"AccountRequest": *acct, "*AccountRequest": acct,
		"ConsumeRequest": *consume, "*ConsumeRequest": consume,
		"FollowUpRequest": *fu, "*FollowUpRequest": fu,
	}
}

// renderings returns what each log form shows of v.
func renderings(t *testing.T, v any) map[string]string {
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
	if s, ok := v.(fmt.Stringer); ok {
		out["String()"] = s.String()
	}
	return out
}

// TestPIIRequestPairsMasked: every log form of every request with Reserved and RiskRateInfo
// (String, %v %+v %#v %s, json.Marshal, slog's JSON and text handlers, by value and pointer)
// shows their keys and hides every value as "***"; an empty value stays empty. The request itself
// is unchanged.
func TestPIIRequestPairsMasked(t *testing.T) {
	t.Parallel()
	for name, v := range piiRequests() {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			for how, out := range renderings(t, v) {
				assert.NotContains(t, out, "panicked", how)
				for _, s := range piiValues {
					if ok, form := leaktest.Shows(out, s); ok {
						t.Errorf("%s shows %q (%s): %s", how, s, form, out)
					}
				}
				for _, k := range []string{"ipAddress", "shippingMobile", "email", "comDebitCardAccName", "commodityName"} {
					assert.Contains(t, out, k, how)
				}
				assert.Contains(t, out, "***", how)
			}
			js := renderings(t, v)["json.Marshal"]
			assert.Contains(t, js, `"RiskRateInfo":{`, "json")
			assert.Contains(t, js, `"ipAddress":"***"`, "json")
			assert.Contains(t, js, `"commodityName":""`, "an empty value stays empty")
			assert.Contains(t, js, `"Reserved":{"comDebitCardAccName":"***"}`, "json")
			slogJSON := renderings(t, v)["slog JSON"]
			assert.Contains(t, slogJSON, `"ipAddress":"***"`, "slog JSON")
			assert.Contains(t, slogJSON, `"commodityName":""`, "slog JSON: an empty value stays empty")
		})
	}
	// The masking works on copies.
	card := piiRequests()["*CardRequest"].(*unionpay.CardRequest)
	_ = card.String()
	_, _ = json.Marshal(card)
	assert.Equal(t, piiIP, card.RiskRateInfo["ipAddress"])
	assert.Equal(t, piiAccName, card.Reserved["comDebitCardAccName"])
}

// TestPIIRequestPairsAuditEveryRendering: leaktest's every rendering (all fmt verbs, JSON, slog,
// by value, pointer, nested in structs, slices and maps) of each request hides the personal data.
func TestPIIRequestPairsAuditEveryRendering(t *testing.T) {
	t.Parallel()
	for name, v := range piiRequests() {
		if strings.HasPrefix(name, "*") {
			continue // leaktest takes a pointer itself
		}
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if leaks := leaktest.Find(v, piiValues...); len(leaks) > 0 {
				t.Errorf("%d renderings show personal data, among them:\n%s", len(leaks), firstLines(leaktest.Summary(leaks), 8))
			}
		})
	}
}

// TestPIIRequestOtherFieldsKept: the masked forms still show what identifies the request, and
// ReqReserved and Extra as they are.
func TestPIIRequestOtherFieldsKept(t *testing.T) {
	t.Parallel()
	fu := followUp()
	fu.RiskRateInfo, fu.Extra, fu.BizType = piiRisk(), sign.Fields{"termId": "T0001"}, "000301"
	for how, out := range renderings(t, fu) {
		for _, want := range []string{"REFUND20240105001", "782401051030000000011", "150", "rr", "T0001", "000301"} {
			assert.Contains(t, out, want, how)
		}
	}
	var line struct {
		R map[string]json.RawMessage `json:"r"`
	}
	var buf bytes.Buffer
	slog.New(slog.NewJSONHandler(&buf, logtest.Untimed())).Info("req", "r", fu)
	require.NoError(t, json.Unmarshal(buf.Bytes(), &line))
	for _, k := range []string{"OrderID", "OrigQueryID", "Amount", "TxnTime", "BackURL", "Channel", "BizType",
		"ReqReserved", "Reserved", "RiskRateInfo", "Extra"} {
		assert.Contains(t, line.R, k, "FollowUpRequest's LogValue group")
	}
	assert.JSONEq(t, `null`, string(line.R["Reserved"]), "a nil Reserved logs as null")
	assert.Equal(t, "unionpay.FollowUpRequest"+fu.String(), fmt.Sprintf("%#v", *fu))
	buf.Reset()
	slog.New(slog.NewJSONHandler(&buf, logtest.Untimed())).Info("req", "r", (*unionpay.FollowUpRequest)(nil))
	assert.Contains(t, buf.String(), `"r":null`)
}

// TestPIIFormPairsMasked: a front form carries reserved and riskRateInfo braced ({k=v&...}); its
// String and LogValue show the keys with every value as "***", and its JSON, which a front end
// posts, is unchanged.
func TestPIIFormPairsMasked(t *testing.T) {
	t.Parallel()
	g := newGateway(t, accept(nil))
	c := newTestClient(t, g)
	req := consumeReq()
	req.Reserved, req.RiskRateInfo = piiReserved(), piiRisk()
	form, err := c.FrontConsume(req)
	require.NoError(t, err)
	require.Contains(t, form.Fields["riskRateInfo"], piiIP, "in clear in the form itself")
	outs := map[string]string{}
	for _, verb := range []string{"%v", "%+v", "%#v", "%s"} {
		outs["fmt "+verb+" *Form"] = fmt.Sprintf(verb, form)
		outs["fmt "+verb+" Form"] = fmt.Sprintf(verb, *form)
	}
	var js, txt, txtValue bytes.Buffer
	slog.New(slog.NewJSONHandler(&js, logtest.Untimed())).Info("checkout", "form", form)
	slog.New(slog.NewTextHandler(&txt, logtest.Untimed())).Info("checkout", "form", form)
	slog.New(slog.NewTextHandler(&txtValue, logtest.Untimed())).Info("checkout", "form", *form)
	outs["slog JSON *Form"], outs["slog text *Form"], outs["slog text Form"] = js.String(), txt.String(), txtValue.String()
	for how, out := range outs {
		for _, s := range piiValues {
			if ok, _ := leaktest.Shows(out, s); ok {
				t.Errorf("%s shows %q: %s", how, s, out)
			}
		}
		assert.Contains(t, out, "comDebitCardAccName=***", how)
		assert.Contains(t, out, "ipAddress=***", how)
		assert.Contains(t, out, testOrder, how)
	}
	b, err := json.Marshal(form)
	require.NoError(t, err)
	assert.Contains(t, string(b), piiIP, "a Form's JSON is what a front end posts")
}

// TestPIIMaskedPairsRefused: the masked JSON of each request does not decode: ErrMaskedJSON
// naming the field, whether it came from MarshalJSON or was written by hand with "***" in either
// map.
func TestPIIMaskedPairsRefused(t *testing.T) {
	t.Parallel()
	into := map[string]func() any{
		"CardRequest":     func() any { return new(unionpay.CardRequest) },
		"AccountRequest":  func() any { return new(unionpay.AccountRequest) },
		"ConsumeRequest":  func() any { return new(unionpay.ConsumeRequest) },
		"FollowUpRequest": func() any { return new(unionpay.FollowUpRequest) },
	}
	tests := []struct {
		name, typ string
		json      string
		field     string
	}{
		{"CardRequest risk", "CardRequest", mustMarshal(t, unionpay.CardRequest{OrderID: testOrder, RiskRateInfo: piiRisk()}), "CardRequest.RiskRateInfo"},
		{"CardRequest reserved", "CardRequest", mustMarshal(t, unionpay.CardRequest{OrderID: testOrder, Reserved: piiReserved()}), "CardRequest.Reserved"},
		{"AccountRequest risk", "AccountRequest", mustMarshal(t, &unionpay.AccountRequest{OrderID: testOrder, RiskRateInfo: piiRisk()}), "AccountRequest.RiskRateInfo"},
		{"AccountRequest reserved", "AccountRequest", mustMarshal(t, &unionpay.AccountRequest{OrderID: testOrder, Reserved: piiReserved()}), "AccountRequest.Reserved"},
		{"ConsumeRequest risk", "ConsumeRequest", mustMarshal(t, unionpay.ConsumeRequest{OrderID: testOrder, RiskRateInfo: piiRisk()}), "ConsumeRequest.RiskRateInfo"},
		{"ConsumeRequest reserved", "ConsumeRequest", mustMarshal(t, unionpay.ConsumeRequest{OrderID: testOrder, Reserved: sign.Fields{"cardNumberLock": "1"}}), "ConsumeRequest.Reserved"},
		{"ConsumeRequest of the tests", "ConsumeRequest", mustMarshal(t, consumeReq()), "ConsumeRequest.Reserved"},
		{"FollowUpRequest risk", "FollowUpRequest", mustMarshal(t, unionpay.FollowUpRequest{OrderID: testOrder, RiskRateInfo: piiRisk()}), "FollowUpRequest.RiskRateInfo"},
		{"*FollowUpRequest reserved", "FollowUpRequest", mustMarshal(t, &unionpay.FollowUpRequest{OrderID: testOrder, Reserved: piiReserved()}), "FollowUpRequest.Reserved"},
		{"by hand: one value of several", "FollowUpRequest", `{"RiskRateInfo":{"a":"1","b":"***","c":""}}`, "FollowUpRequest.RiskRateInfo"},
		{"by hand: reserved", "CardRequest", `{"Reserved":{"x":"***"}}`, "CardRequest.Reserved"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := json.Unmarshal([]byte(tt.json), into[tt.typ]())
			require.ErrorIs(t, err, unionpay.ErrMaskedJSON, "%s", tt.json)
			assert.Contains(t, err.Error(), tt.field+" is masked")
			assert.Contains(t, err.Error(), "masked log form, not a storage form")
		})
	}
}

// TestPIIUnmaskedPairsDecode: JSON with the real values decodes as usual, an empty value
// included, and so does a masked form whose pairs are all empty (nothing was hidden).
func TestPIIUnmaskedPairsDecode(t *testing.T) {
	t.Parallel()
	const pairs = `"Reserved":{"comDebitCardAccName":"某某科技有限公司"},"RiskRateInfo":{"ipAddress":"203.0.113.77","email":"shopper@example.com","commodityName":""}`
	res := sign.Fields{"comDebitCardAccName": piiAccName}
	risk := sign.Fields{"ipAddress": piiIP, "email": piiEmail, "commodityName": ""}
	tests := []struct {
		name string
		json string
		into func() any
		want any
	}{
		{"CardRequest", `{"OrderID":"` + testOrder + `","AccNo":"6216261000000000018",` + pairs + `}`,
			func() any { return new(unionpay.CardRequest) },
			&unionpay.CardRequest{OrderID: testOrder, AccNo: "6216261000000000018", Reserved: res, RiskRateInfo: risk}},
		{"AccountRequest", `{"OrderID":"` + testOrder + `",` + pairs + `}`,
			func() any { return new(unionpay.AccountRequest) },
			&unionpay.AccountRequest{OrderID: testOrder, Reserved: res, RiskRateInfo: risk}},
		{"ConsumeRequest", `{"OrderID":"` + testOrder + `",` + pairs + `}`,
			func() any { return new(unionpay.ConsumeRequest) },
			&unionpay.ConsumeRequest{OrderID: testOrder, Reserved: res, RiskRateInfo: risk}},
		{"FollowUpRequest", `{"OrderID":"` + testOrder + `","OrigQueryID":"782401051030000000011","Amount":150,` + pairs + `}`,
			func() any { return new(unionpay.FollowUpRequest) },
			&unionpay.FollowUpRequest{OrderID: testOrder, OrigQueryID: "782401051030000000011", Amount: 150, Reserved: res, RiskRateInfo: risk}},
		{"FollowUpRequest masked with empty pairs only", mustMarshal(t, unionpay.FollowUpRequest{OrderID: testOrder,
			RiskRateInfo: sign.Fields{"commodityName": ""}}),
			func() any { return new(unionpay.FollowUpRequest) },
			&unionpay.FollowUpRequest{OrderID: testOrder, RiskRateInfo: sign.Fields{"commodityName": ""}}},
		{"FollowUpRequest masked without pairs", mustMarshal(t, followUp()),
			func() any { return new(unionpay.FollowUpRequest) }, followUp()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := tt.into()
			require.NoError(t, json.Unmarshal([]byte(tt.json), got))
			assert.Equal(t, tt.want, got)
		})
	}
}
