package unionpay_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/goacp/unionpay/unionpay"
)

// maskedJSONCheckers decode fuzz input into each type with an UnmarshalJSON that refuses its
// masked log form (ErrMaskedJSON's doc lists them).
var maskedJSONCheckers = []func(*testing.T, []byte){
	checkMaskedJSON[unionpay.Customer], checkMaskedJSON[unionpay.CardRequest],
	checkMaskedJSON[unionpay.AccountRequest], checkMaskedJSON[unionpay.ConsumeRequest],
	checkMaskedJSON[unionpay.FrontOpenRequest], checkMaskedJSON[unionpay.FollowUpRequest],
	checkMaskedJSON[unionpay.BatchRecord], checkMaskedJSON[unionpay.BatchRequest],
	checkMaskedJSON[unionpay.QueryRequest], checkMaskedJSON[unionpay.BatchQueryRequest],
	checkMaskedJSON[unionpay.FileRequest], checkMaskedJSON[unionpay.OpenQueryRequest],
	checkMaskedJSON[unionpay.TokenRequest], checkMaskedJSON[unionpay.QRCodeRequest],
	checkMaskedJSON[unionpay.QRConsumeRequest],
}

// FuzzMaskedJSON decodes JSON, which a service may take from its own callers, into one of the
// requests (chosen by which) whose UnmarshalJSON refuses the masked log form of MarshalJSON:
// checkMaskedJSON's properties must hold. Seeds are the JSON of the package's test requests,
// real and masked.
func FuzzMaskedJSON(f *testing.F) {
	customer := `{"IDType":"01","IDNumber":"341126197709218366","Name":"互联网","Phone":"13552535506",` +
		`"SMSCode":"123456","PIN":"111111","CVN2":"123","Expiry":"2511"}`
	rec := `{"OrderID":"BATCH0001","Amount":100,"AccNo":"6216261000000000018","IDNumber":"341126197709218366","Phone":"13552535506"}`
	seeds := []string{"", "null", "{}", "[]", `{"AccNo":6216261000000000018}`, `{"Customer":[]}`, `{"File":"not base64!"}`,
		customer, rec, `{"Customer":` + customer + `,"AccNo":"6216261000000000018","Token":"6235240000020757328"}`,
		`{"Type":"` + string(unionpay.BatchPayout) + `","BatchNo":"0001","Records":[` + rec + `]}`,
		`{"BatchNo":"0002","File":"YWJj","TotalQty":1,"TotalAmount":100}`, `{"BatchNo":"0003","File":"(0 bytes)"}`,
		`{"OrderID":"A1","AccNo":"6216261000000000018","Reserved":{"cardNumberLock":"1"},"RiskRateInfo":{"a":"***"}}`,
		`{"Extra":{"accNo":"621626*********0018","customerInfo":"***","reserved":"{a=***}","fileContent":"(3 bytes)","x":"1"}}`,
		`{"Name":"岚","PayTimeout":"2024-01-05T10:30:00+08:00","TxnTime":"2024-01-05T10:30:00Z"}`}
	for _, v := range []any{cardReq(), accountReq(), consumeReq()} {
		b, err := json.Marshal(v)
		if err != nil {
			f.Fatal(err)
		}
		seeds = append(seeds, string(b))
	}
	for i, s := range seeds {
		f.Add([]byte(s), uint8(i))
	}
	f.Fuzz(func(t *testing.T, data []byte, which uint8) {
		maskedJSONCheckers[int(which)%len(maskedJSONCheckers)](t, data)
	})
}

// checkMaskedJSON decodes data into a T. It must not panic; a refusal leaves the T as it was. A
// T decoded is written in its masked form by MarshalJSON, and that form decoded again is either
// refused with ErrMaskedJSON or is the same T (by sameValue): a mask must never decode into a request, which
// would send it to UnionPay. The masked form of a T decoded from one is that form again.
func checkMaskedJSON[T any](t *testing.T, data []byte) {
	var r, zero T
	if err := json.Unmarshal(data, &r); err != nil {
		if !reflect.DeepEqual(r, zero) {
			t.Fatalf("%T from %q: refused (%v), but set to %+v", r, data, err, r)
		}
		return
	}
	masked, err := json.Marshal(r)
	if err != nil {
		t.Fatalf("%T from %q: decoded, but MarshalJSON fails: %v", r, data, err)
	}
	var back T
	err = json.Unmarshal(masked, &back)
	if errors.Is(err, unionpay.ErrMaskedJSON) {
		return
	}
	if err != nil {
		t.Fatalf("%T from %q: its masked form %s is refused, not as masked: %v", r, data, masked, err)
	}
	if again, err := json.Marshal(back); err != nil || !bytes.Equal(again, masked) {
		t.Fatalf("%T from %q: masked form %s decodes to one whose masked form is %s, %v", r, data, masked, again, err)
	}
	if !sameValue(reflect.ValueOf(back), reflect.ValueOf(r)) {
		t.Fatalf("%T from %q: its masked form %s decodes, to another value:\n%+v\nwas\n%+v", r, data, masked, back, r)
	}
}

// sameValue is reflect.DeepEqual but for what a request sends alike: times are the same instant
// (a zone of +00:00 comes back as UTC, which the request converts to Beijing time anyway), and a
// nil map or slice is an empty one.
func sameValue(a, b reflect.Value) bool {
	if a.Type() != b.Type() {
		return false
	}
	if a.Type() == reflect.TypeFor[time.Time]() {
		return a.Interface().(time.Time).Equal(b.Interface().(time.Time))
	}
	switch a.Kind() {
	case reflect.Pointer, reflect.Interface:
		if a.IsNil() || b.IsNil() {
			return a.IsNil() == b.IsNil()
		}
		return sameValue(a.Elem(), b.Elem())
	case reflect.Struct:
		for i := range a.NumField() {
			if !sameValue(a.Field(i), b.Field(i)) {
				return false
			}
		}
		return true
	case reflect.Slice, reflect.Array:
		if a.Len() != b.Len() {
			return false
		}
		for i := range a.Len() {
			if !sameValue(a.Index(i), b.Index(i)) {
				return false
			}
		}
		return true
	case reflect.Map:
		if a.Len() != b.Len() {
			return false
		}
		for it := a.MapRange(); it.Next(); {
			if v := b.MapIndex(it.Key()); !v.IsValid() || !sameValue(it.Value(), v) {
				return false
			}
		}
		return true
	default:
		return a.Equal(b)
	}
}
