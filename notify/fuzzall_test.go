package notify_test

import (
	"errors"
	"strconv"
	"strings"
	"testing"

	"github.com/goacp/unionpay/cert"
	"github.com/goacp/unionpay/notify"
	"github.com/goacp/unionpay/sign"
)

// FuzzDecodeSigned reaches the notification decoder behind the signature check, which
// FuzzHandler's inputs (checked against UnionPay's certificates) almost never pass: the fuzz
// input, read as a raw-format message, is signed with a secure key and given to notify.Verify.
// A notification accepted has its orderId, a txnTime of 14 digits that formats back to itself,
// amounts of digits only that format back to themselves (leading zeros aside), and the Key of
// its orderId and txnTime; a refusal returns no notification, and a *FieldError matches sign.ErrMalformed.
func FuzzDecodeSigned(f *testing.F) {
	f.Add("orderId=A1&txnTime=20240105103000&txnType=01&respCode=00&txnAmt=100")
	f.Add("orderId=A1&txnTime=2024010510300&txnType=01&respCode=00&txnAmt=+100")
	f.Add("orderId=A1&txnTime=20240105103000&txnType=01&respCode=00&settleAmt=&accNo=x")
	f.Add("orderId=A1&txnTime=20241305103000&txnType=01&respCode=00&txnAmt=99999999999999999999")
	f.Add("orderId=A1&txnTime=00000101000000&txnType=01&respCode=00") // found by the first run: LMT before 1901
	v, err := cert.NewVerifier(cert.VerifierConfig{SecureKey: []byte("88888888"), SecureKeyMethods: []string{sign.MethodSHA256Key}})
	if err != nil {
		f.Fatal(err)
	}
	s, err := sign.NewSecureKeySigner(sign.MethodSHA256Key, []byte("88888888"))
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		fields, err := sign.ParseRaw(raw)
		if err != nil {
			return
		}
		fields["version"], fields["encoding"] = sign.Version510, sign.CharsetUTF8
		if sign.Sign(s, fields) != nil {
			return
		}
		n, err := notify.Verify(v, fields)
		if err != nil {
			var fe *notify.FieldError
			if n != nil || errors.As(err, &fe) && !errors.Is(err, sign.ErrMalformed) {
				t.Fatalf("Verify: %v (%T), notification %v", err, err, n)
			}
			return
		}
		if n.OrderID != fields["orderId"] || n.OrderID == "" || n.Key() != fields["orderId"]+"@"+fields["txnTime"] {
			t.Fatalf("orderId %q, key %q from %q", n.OrderID, n.Key(), fields)
		}
		if got := n.TxnTime.Format("20060102150405"); got != fields["txnTime"] || n.TxnTime.Location().String() != "Asia/Shanghai" && n.TxnTime.Location().String() != "CST" {
			t.Fatalf("txnTime %q read as %v (%s)", fields["txnTime"], n.TxnTime, got)
		}
		for k, a := range map[string]int64{"txnAmt": n.TxnAmt, "settleAmt": n.SettleAmt} {
			rawAmt, ok := fields[k]
			if !ok {
				if a != 0 {
					t.Fatalf("%s absent, read as %d", k, a)
				}
				continue
			}
			trimmed := strings.TrimLeft(rawAmt, "0")
			if trimmed == "" {
				trimmed = "0"
			}
			if a < 0 || strconv.FormatInt(a, 10) != trimmed {
				t.Fatalf("%s=%q read as %d", k, rawAmt, a)
			}
		}
	})
}
