package unionpay_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/unionpay"
)

// TestMaskedJSONRoundTripRefused: the JSON of MarshalJSON is a masked log form; decoding it
// fails loudly (ErrMaskedJSON, naming the field), instead of giving a request that would send
// "***" or a masked card number to UnionPay.
func TestMaskedJSONRoundTripRefused(t *testing.T) {
	t.Parallel()
	rec := unionpay.BatchRecord{OrderID: "BATCH0001", Amount: 100, AccNo: "6216261000000000018",
		IDNumber: "341126197709218366", Phone: "13552535506"}
	file, _, _, err := unionpay.EncodeBatchFile("5.1.0", "000401", []unionpay.BatchRecord{rec})
	require.NoError(t, err)
	consume := consumeReq()
	consume.AccNo = "6216261000000000018"
	tests := []struct {
		name  string
		v     any        // marshalled
		into  func() any // a pointer to decode into
		field string     // named in the error
	}{
		{"CardRequest", cardReq(), func() any { return new(unionpay.CardRequest) }, "Customer.IDNumber"},
		{"CardRequest without Customer", &unionpay.CardRequest{OrderID: testOrder, AccNo: "6216261000000000018"},
			func() any { return new(unionpay.CardRequest) }, "CardRequest.AccNo"},
		{"CardRequest with a short card number", &unionpay.CardRequest{AccNo: "6216261018"},
			func() any { return new(unionpay.CardRequest) }, "CardRequest.AccNo"},
		{"CardRequest with an SMS code only", &unionpay.CardRequest{Customer: &unionpay.Customer{SMSCode: "123456"}},
			func() any { return new(unionpay.CardRequest) }, "Customer.SMSCode"},
		{"AccountRequest", accountReq(), func() any { return new(unionpay.AccountRequest) }, "Customer.IDNumber"},
		{"AccountRequest without Customer", &unionpay.AccountRequest{AccNo: "6216261000000000018"},
			func() any { return new(unionpay.AccountRequest) }, "AccountRequest.AccNo"},
		{"ConsumeRequest", consume, func() any { return new(unionpay.ConsumeRequest) }, "ConsumeRequest.AccNo"},
		{"Customer CVN2", &unionpay.Customer{CVN2: "123"}, func() any { return new(unionpay.Customer) }, "Customer.CVN2"},
		{"Customer Expiry", &unionpay.Customer{Expiry: "2511"}, func() any { return new(unionpay.Customer) }, "Customer.Expiry"},
		{"Customer PIN", &unionpay.Customer{PIN: "111111"}, func() any { return new(unionpay.Customer) }, "Customer.PIN"},
		{"Customer Phone", &unionpay.Customer{Phone: "13552535506"}, func() any { return new(unionpay.Customer) }, "Customer.Phone"},
		{"BatchRecord", rec, func() any { return new(unionpay.BatchRecord) }, "BatchRecord.AccNo"},
		{"BatchRecord ID number", unionpay.BatchRecord{IDNumber: "341126197709218366"},
			func() any { return new(unionpay.BatchRecord) }, "BatchRecord.IDNumber"},
		{"BatchRecord phone", unionpay.BatchRecord{Phone: "13552535506"},
			func() any { return new(unionpay.BatchRecord) }, "BatchRecord.Phone"},
		{"BatchRequest Records", unionpay.BatchRequest{BatchNo: "0001", Records: []unionpay.BatchRecord{rec}},
			func() any { return new(unionpay.BatchRequest) }, "BatchRecord.AccNo"},
		{"BatchRequest File", unionpay.BatchRequest{BatchNo: "0002", File: file, TotalQty: 1, TotalAmount: 100},
			func() any { return new(unionpay.BatchRequest) }, "BatchRequest.File"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			b, err := json.Marshal(tt.v)
			require.NoError(t, err)
			err = json.Unmarshal(b, tt.into())
			require.ErrorIs(t, err, unionpay.ErrMaskedJSON, "%s", b)
			assert.Contains(t, err.Error(), tt.field)
			assert.Contains(t, err.Error(), "masked log form, not a storage form")
		})
	}
}

// TestUnmaskedJSONDecodes: JSON with the real values (written by hand) decodes as usual, and a
// masked form with nothing masked in it (no card data, no file) round-trips.
func TestUnmaskedJSONDecodes(t *testing.T) {
	t.Parallel()
	customer := unionpay.Customer{IDType: "01", IDNumber: "341126197709218366", Name: "互联网", Phone: "13552535506",
		SMSCode: "123456", PIN: "111111", CVN2: "123", Expiry: "2511"}
	customerJSON := `{"IDType":"01","IDNumber":"341126197709218366","Name":"互联网","Phone":"13552535506",` +
		`"SMSCode":"123456","PIN":"111111","CVN2":"123","Expiry":"2511"}`
	rec := unionpay.BatchRecord{OrderID: "BATCH0001", Amount: 100, AccNo: "6216261000000000018",
		IDNumber: "341126197709218366", Phone: "13552535506"}
	consume := consumeReq()
	consume.PayTimeout = time.Time{}                  // its location does not survive JSON
	consume.Reserved, consume.RiskRateInfo = nil, nil // masked, refused: TestPIIMaskedPairsRefused
	recJSON := `{"OrderID":"BATCH0001","Amount":100,"AccNo":"6216261000000000018","IDNumber":"341126197709218366","Phone":"13552535506"}`
	tests := []struct {
		name string
		json string
		into func() any
		want any
	}{
		{"Customer", customerJSON, func() any { return new(unionpay.Customer) }, &customer},
		{"CardRequest", `{"OrderID":"` + testOrder + `","Amount":1000,"AccNo":"6216261000000000018","Customer":` + customerJSON + `}`,
			func() any { return new(unionpay.CardRequest) },
			&unionpay.CardRequest{OrderID: testOrder, Amount: 1000, AccNo: "6216261000000000018", Customer: &customer}},
		{"CardRequest with null Customer", `{"AccNo":"6216261000000000018","Customer":null}`,
			func() any { return new(unionpay.CardRequest) }, &unionpay.CardRequest{AccNo: "6216261000000000018"}},
		{"AccountRequest", `{"AccNo":"6216261000000000018","BizType":"000301","Customer":` + customerJSON + `}`,
			func() any { return new(unionpay.AccountRequest) },
			&unionpay.AccountRequest{AccNo: "6216261000000000018", BizType: "000301", Customer: &customer}},
		{"ConsumeRequest", `{"OrderID":"` + testOrder + `","AccNo":"6216261000000000018","Reserved":{"cardNumberLock":"1"}}`,
			func() any { return new(unionpay.ConsumeRequest) },
			&unionpay.ConsumeRequest{OrderID: testOrder, AccNo: "6216261000000000018", Reserved: map[string]string{"cardNumberLock": "1"}}},
		{"BatchRecord", recJSON, func() any { return new(unionpay.BatchRecord) }, &rec},
		{"BatchRequest with Records", `{"Type":"` + string(unionpay.BatchPayout) + `","BatchNo":"0001","Records":[` + recJSON + `]}`,
			func() any { return new(unionpay.BatchRequest) },
			&unionpay.BatchRequest{Type: unionpay.BatchPayout, BatchNo: "0001", Records: []unionpay.BatchRecord{rec}}},
		{"BatchRequest with a base64 File", `{"BatchNo":"0002","File":"YWJj","TotalQty":1,"TotalAmount":100}`,
			func() any { return new(unionpay.BatchRequest) },
			&unionpay.BatchRequest{BatchNo: "0002", File: []byte("abc"), TotalQty: 1, TotalAmount: 100}},
		{"BatchRequest with a null File", `{"BatchNo":"0002","File":null}`,
			func() any { return new(unionpay.BatchRequest) }, &unionpay.BatchRequest{BatchNo: "0002"}},
		{"BatchRequest masked without File or Records", `{"BatchNo":"0003","File":"(0 bytes)"}`,
			func() any { return new(unionpay.BatchRequest) }, &unionpay.BatchRequest{BatchNo: "0003"}},
		{"ConsumeRequest masked without AccNo, Reserved or RiskRateInfo", mustMarshal(t, consume),
			func() any { return new(unionpay.ConsumeRequest) }, consume},
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

// TestMaskedJSONOtherErrors: a JSON error that is not masking is reported as such.
func TestMaskedJSONOtherErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		json string
		into any
	}{
		{"File not base64", `{"File":"not base64!"}`, new(unionpay.BatchRequest)},
		{"AccNo a number", `{"AccNo":6216261000000000018}`, new(unionpay.CardRequest)},
		{"Customer an array", `{"Customer":[]}`, new(unionpay.AccountRequest)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := json.Unmarshal([]byte(tt.json), tt.into)
			require.Error(t, err)
			assert.NotErrorIs(t, err, unionpay.ErrMaskedJSON)
		})
	}
}

func mustMarshal(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	require.NoError(t, err)
	return string(b)
}

// A one-character name is hidden entirely (maskName's doc).
func TestReviewGapOneCharacterName(t *testing.T) {
	cu := unionpay.Customer{Name: "岚"}
	if s := fmt.Sprint(cu); strings.Contains(s, "岚") {
		t.Errorf("one-character name shown: %s", s)
	}
}
