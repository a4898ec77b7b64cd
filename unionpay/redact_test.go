package unionpay_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/internal/logtest"
	"github.com/goacp/unionpay/notify"
	"github.com/goacp/unionpay/unionpay"
)

func TestRequestsDoNotPrintSecrets(t *testing.T) {
	t.Parallel()
	card, acct := cardReq(), accountReq()
	card.Customer.CVN2, card.Customer.Expiry = "123", "2311"
	rec := unionpay.BatchRecord{OrderID: "BATCH0001", Amount: 100, AccNo: "6216261000000000018", IDNumber: "341126197709218366", Phone: "13552535506"}
	secrets := []string{"6216261000000000018", "341126197709218366", "13552535506", "111111", "123456", "2311"}
	consume := consumeReq()
	consume.AccNo = "6216261000000000018"
	file, _, _, err := unionpay.EncodeBatchFile("5.1.0", "000401", []unionpay.BatchRecord{rec})
	require.NoError(t, err)
	batch := &unionpay.BatchRequest{BatchNo: "0001", Records: []unionpay.BatchRecord{rec}}
	raw := &unionpay.BatchRequest{BatchNo: "0002", File: file, TotalQty: 1, TotalAmount: 1}
	for _, v := range []any{card, *card, acct, *acct, *card.Customer, card.Customer, rec, &rec, consume, batch, *batch, raw, *raw} {
		for _, verb := range []string{"%v", "%+v", "%#v", "%s"} {
			out := fmt.Sprintf(verb, v)
			for _, s := range secrets {
				assert.NotContains(t, out, s, "%s of %T", verb, v)
			}
		}
	}
	assert.Contains(t, fmt.Sprint(card), "621626******0018")
	assert.Contains(t, fmt.Sprint(card), "互**")
	assert.Contains(t, fmt.Sprintf("%+v", *card), "OrderID:"+testOrder)
}

// TestRequestsDoNotMarshalSecrets: json.Marshal and log/slog (JSON and text handlers) show the
// requests with the masking of String: the card number as 6+4, the other secrets as ***, a batch
// file by its size.
func TestRequestsDoNotMarshalSecrets(t *testing.T) {
	t.Parallel()
	secrets := []string{"6216261000000000018", "341126197709218366", "13552535506", "111111", "123456", "2311", `"123"`}
	card := cardReq()
	card.Customer.CVN2, card.Customer.Expiry = "123", "2311"
	acct := accountReq()
	acct.Customer.PIN, acct.Customer.SMSCode = "111111", "123456"
	consume := consumeReq()
	consume.AccNo = "6216261000000000018"
	rec := unionpay.BatchRecord{OrderID: "BATCH0001", Amount: 100, AccNo: "6216261000000000018",
		IDNumber: "341126197709218366", Phone: "13552535506"}
	file, _, _, err := unionpay.EncodeBatchFile("5.1.0", "000401", []unionpay.BatchRecord{rec})
	require.NoError(t, err)
	tests := []struct {
		name string
		v    any
		want []string // what the output must show
	}{
		{"CardRequest", *card, []string{"621626******0018", "互**", `"***"`, testOrder}},
		{"*CardRequest", card, []string{"621626******0018", "互**", `"***"`}},
		{"CardRequest without Customer", unionpay.CardRequest{OrderID: testOrder, AccNo: "6216261000000000018"}, []string{"621626******0018"}},
		{"AccountRequest", *acct, []string{"621626******0018", "互**", `"***"`}},
		{"*AccountRequest", acct, []string{"621626******0018"}},
		{"ConsumeRequest", *consume, []string{"621626******0018", testOrder}},
		{"*ConsumeRequest", consume, []string{"621626******0018"}},
		{"Customer", *card.Customer, []string{"互**", `"***"`}},
		{"*Customer", card.Customer, []string{"互**", `"***"`}},
		{"BatchRecord", rec, []string{"621626******0018", `"***"`, "BATCH0001"}},
		{"*BatchRecord", &rec, []string{"621626******0018"}},
		{"BatchRequest", unionpay.BatchRequest{BatchNo: "0001", Records: []unionpay.BatchRecord{rec}}, []string{"621626******0018", `"(0 bytes)"`}},
		{"BatchRequest with File", &unionpay.BatchRequest{BatchNo: "0002", File: file, TotalQty: 1, TotalAmount: 100},
			[]string{fmt.Sprintf(`"(%d bytes)"`, len(file)), `"TotalAmount":100`}},
		{"nil *Customer", (*unionpay.Customer)(nil), []string{"null"}},
		{"nil *CardRequest", (*unionpay.CardRequest)(nil), []string{"null"}},
		{"nil *BatchRequest", (*unionpay.BatchRequest)(nil), []string{"null"}},
		{"nil *QRCodeRequest", (*unionpay.QRCodeRequest)(nil), []string{"null"}},
		{"nil *QRConsumeRequest", (*unionpay.QRConsumeRequest)(nil), []string{"null"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			b, err := json.Marshal(tt.v)
			require.NoError(t, err)
			require.True(t, json.Valid(b))
			var jsonLog, textLog bytes.Buffer
			slog.New(slog.NewJSONHandler(&jsonLog, logtest.Untimed())).Info("request", "req", tt.v)
			slog.New(slog.NewTextHandler(&textLog, logtest.Untimed())).Info("request", "req", tt.v)
			for name, out := range map[string]string{"json.Marshal": string(b), "slog JSON": jsonLog.String()} {
				for _, s := range tt.want {
					assert.Contains(t, out, s, name)
				}
			}
			for name, out := range map[string]string{"json.Marshal": string(b), "slog JSON": jsonLog.String(), "slog text": textLog.String()} {
				assert.NotContains(t, out, "panicked", name)
				for _, s := range secrets {
					assert.NotContains(t, out, s, name)
				}
			}
			for _, s := range tt.want {
				if s == "621626******0018" {
					assert.Contains(t, textLog.String(), s, "slog text")
				}
			}
		})
	}
	// The masking does not change the request itself.
	assert.Equal(t, "6216261000000000018", card.AccNo)
	assert.Equal(t, "111111", card.Customer.PIN)
	assert.Equal(t, "341126197709218366", rec.IDNumber)
}

// TestFormJSONUnmasked: a Form's JSON is left as it is, since merchants may hand a Form to a
// front-end to post it.
func TestFormJSONUnmasked(t *testing.T) {
	t.Parallel()
	form, _ := plainCardForm(t)
	b, err := json.Marshal(form)
	require.NoError(t, err)
	var back unionpay.Form
	require.NoError(t, json.Unmarshal(b, &back))
	assert.Equal(t, form.Fields, back.Fields)
}

// TestFormDoesNotPrintCardNumber: with Config.PlainCardData a front form carries the card number
// in clear, and its String masks it.
func TestFormDoesNotPrintCardNumber(t *testing.T) {
	t.Parallel()
	form, req := plainCardForm(t)
	for _, v := range []any{form, *form} {
		for _, verb := range []string{"%v", "%+v", "%#v", "%s"} {
			out := fmt.Sprintf(verb, v)
			assert.NotContains(t, out, req.AccNo, "%s of %T", verb, v)
			assert.Contains(t, out, "621626******0018", "%s of %T", verb, v)
			assert.Contains(t, out, "orderId:"+testOrder, "%s of %T", verb, v)
		}
	}
}

// TestFormLogValueMasked: logged through slog as a *Form, with either handler, a front form
// carrying the card number in clear (Config.PlainCardData) shows it masked, its customerInfo
// hidden, and the rest (orderId, txnTime, action) as it is; a nil *Form logs as null.
func TestFormLogValueMasked(t *testing.T) {
	t.Parallel()
	form, req := plainCardForm(t)
	form.Fields["customerInfo"] = "e3Ntc0NvZGU9MTExMTExfQ==" // as an SMS-code form would carry it
	handlers := map[string]func(*bytes.Buffer) slog.Handler{
		"json": func(b *bytes.Buffer) slog.Handler { return slog.NewJSONHandler(b, logtest.Untimed()) },
		"text": func(b *bytes.Buffer) slog.Handler { return slog.NewTextHandler(b, logtest.Untimed()) },
	}
	for name, h := range handlers {
		var out bytes.Buffer
		slog.New(h(&out)).Info("checkout", "form", form)
		assert.NotContains(t, out.String(), req.AccNo, name)
		assert.NotContains(t, out.String(), "e3Ntc0NvZGU9MTExMTExfQ==", name)
		assert.Contains(t, out.String(), "621626******0018", name)
		assert.Contains(t, out.String(), testOrder, name)
		assert.Contains(t, out.String(), form.Action, name)
	}
	var out bytes.Buffer
	slog.New(slog.NewJSONHandler(&out, logtest.Untimed())).Info("checkout", "form", (*unionpay.Form)(nil))
	assert.Contains(t, out.String(), `"form":null`)
}

// TestMaskedLikeNotify: a request's card number is masked in its log forms as notify.MaskPAN
// masks one (six stars whatever the length, as UnionPay's settlement files), for every length
// that keeps digits: one card is masked one way in a merchant's logs.
func TestMaskedLikeNotify(t *testing.T) {
	t.Parallel()
	const pan = "62162610000000000181234"
	for n := 11; n <= len(pan); n++ {
		r := unionpay.CardRequest{AccNo: pan[:n]}
		require.Contains(t, r.String(), "AccNo:"+notify.MaskPAN(pan[:n])+" ", "%d digits", n)
	}
}

// plainCardForm returns a front consume form built with Config.PlainCardData and a card number,
// which it carries in clear (checked), and its request.
func plainCardForm(t *testing.T) (*unionpay.Form, *unionpay.ConsumeRequest) {
	t.Helper()
	g := newGateway(t, accept(nil))
	c := newTestClient(t, g, func(cfg *unionpay.Config) { cfg.PlainCardData = true })
	req := consumeReq()
	req.AccNo = "6216261000000000018"
	form, err := c.FrontConsume(req)
	require.NoError(t, err)
	require.Equal(t, req.AccNo, form.Fields["accNo"], "in clear in the form itself")
	return form, req
}
