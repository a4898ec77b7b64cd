package unionpay_test

import (
	"context"
	"errors"
	"net/http"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/goacp/unionpay/sign"
	"github.com/goacp/unionpay/unionpay"
)

// FuzzAppPreAuth builds AppPreAuth requests from odd ConsumeRequests (any text in each field, an
// amount, a channel, installments, a pay timeout before or after txnTime, a key=value Extra,
// Reserved and RiskRateInfo) and sends them to a transport that records them: it never panics;
// a request refused is a *RequestError of op "app pre-auth" naming a field of ConsumeRequest
// (`Extra["k"]` for a key of a map, no 12 digits in a row shown of it), nothing sent; a request
// sent is a pre-authorisation (txnType 02, txnSubType 01, bizType 000201, channelType 08), of
// the orderId and amount given, that parses.
func FuzzAppPreAuth(f *testing.F) {
	f.Add("ORDER0001", int64(1000), "", "", "", "https://shop.example/notify", "", "", "", "", false, 0, int64(15))
	f.Add("ORDER0001", int64(1000), "156", "08", "https://shop.example/return", "https://shop.example/notify", "reserved1",
		"x", "cardNumberLock", "1", false, 0, int64(0))
	f.Add("ORDER0001", int64(1000), "392", "07", "javascript:alert(1)", "", "accNo=6216261000000000018", "1", "", "", true, 3, int64(-5))
	f.Add("A-1", int64(0), " ", "\x00", "", "ftp://x", "txnType", "01", "a b", "c", false, 6, int64(1<<40))
	f.Add(" ORDER0001 ", int64(-1), "１５６", "08", "", "https://shop.example/notify", "6216261000000000018", "x",
		"accNo 6216261000000000018", "", false, -1, int64(-1<<40))
	f.Add("ORDER0001", int64(1<<62), "156", "", "", "https://shop.example/notify", "", "", "", "", false, 0, int64(15))
	rec := &capture{}
	cfg := testConfig(f, "https://gateway.invalid")
	cfg.HTTPClient = &http.Client{Transport: rec}
	c, err := unionpay.NewClient(cfg)
	if err != nil {
		f.Fatal(err)
	}
	fields := map[string]bool{"request": true}
	for _, sf := range reflect.VisibleFields(reflect.TypeFor[unionpay.ConsumeRequest]()) {
		fields[sf.Name] = true
	}
	digits := regexp.MustCompile(`[0-9]{12}`)
	f.Fuzz(func(t *testing.T, orderID string, amount int64, currency, channel, frontURL, backURL, extraKey, extraVal,
		reservedKey, reservedVal string, installments bool, count int, timeoutMinutes int64) {
		r := &unionpay.ConsumeRequest{OrderID: orderID, Amount: amount, Currency: currency, Channel: unionpay.Channel(channel),
			FrontURL: frontURL, BackURL: backURL, Installments: installments, InstallmentCount: count,
			OrderDesc: extraVal, ReqReserved: reservedVal, IssInsCode: currency, AccNo: extraVal}
		if timeoutMinutes != 0 {
			r.PayTimeout = testNow.Add(time.Duration(timeoutMinutes%(1<<20)) * time.Minute)
		}
		if extraKey != "" {
			r.Extra = sign.Fields{extraKey: extraVal}
		}
		if reservedKey != "" {
			r.Reserved = sign.Fields{reservedKey: reservedVal}
			r.RiskRateInfo = sign.Fields{reservedKey: extraVal}
		}
		before := len(rec.bodies)
		res, err := c.AppPreAuth(context.Background(), r)
		sent := len(rec.bodies) - before
		if re, ok := errors.AsType[*unionpay.RequestError](err); ok {
			name, _, _ := strings.Cut(re.Field, "[")
			name, _, _ = strings.Cut(name, ".")
			if re.Op != "app pre-auth" || !fields[name] || re.Reason == "" {
				t.Fatalf("%+v: refused as %#v: %v", r, re, err)
			}
			if m := digits.FindString(re.Field); m != "" {
				t.Fatalf("%+v: refused naming %q, which shows %s", r, re.Field, m)
			}
			if sent != 0 {
				t.Fatalf("%+v: refused (%v), but sent", r, err)
			}
			return
		}
		if err == nil || res != nil || sent != 1 {
			t.Fatalf("%+v: %v, %+v; %d sent (the transport records, answers nothing)", r, err, res, sent)
		}
		body, perr := sign.ParseRequestForm(rec.bodies[len(rec.bodies)-1])
		if perr != nil {
			t.Fatalf("%+v: sent %q, which does not parse: %v", r, rec.bodies[len(rec.bodies)-1], perr)
		}
		for k, v := range map[string]string{"txnType": "02", "txnSubType": "01", "bizType": "000201", "channelType": "08",
			"orderId": strings.TrimSpace(orderID)} {
			if body[k] != v {
				t.Fatalf("%+v: sent %s=%q, want %q", r, k, body[k], v)
			}
		}
		rec.bodies = rec.bodies[:0]
	})
}
