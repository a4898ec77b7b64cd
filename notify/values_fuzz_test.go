package notify_test

import (
	"errors"
	"fmt"
	"net/url"
	"reflect"
	"strings"
	"testing"

	"github.com/goacp/unionpay/cert"
	"github.com/goacp/unionpay/notify"
	"github.com/goacp/unionpay/sign"
)

// FuzzVerifyValues: a framework that parsed the notification's form itself hands VerifyValues the
// url.Values net/url makes of the body; the answer must be Parse's on the body. The fuzz input,
// read as a raw-format message, is given an encoding (UTF-8 or GBK, by gbk), signed with a secure
// key as UnionPay signs (its empty fields left out, then sent empty), and written as a form body by
// sign.Encode (GBK bytes percent-encoded for a GBK message), then read both ways: both accept it,
// with the same fields and the same decoded notification, or both refuse it; a refusal returns no
// notification and matches sign.ErrMalformed when it is a *FieldError. A value is changed after
// signing when tamper is set: then neither may accept it. VerifyValues takes an all-ASCII value
// as it is, without sign.DecodeBody: its answer must also be Verify's on the Fields built the
// way it built them before that fast path (decodedEachValue), in UTF-8 and GBK alike.
func FuzzVerifyValues(f *testing.F) {
	for _, s := range []string{"orderId=A1&txnTime=20240105103000&txnType=01&respCode=00&txnAmt=100",
		"orderId=A1&txnTime=20240105103000&txnType=01&respCode=00&respMsg=成功[0000000]&reqReserved={a=1&b=[x&y]}",
		"orderId=订单1&txnTime=20240105103000&txnType=01&respCode=00&empty=&txnAmt=0100",
		"orderId=A1&txnTime=20240105103000&txnType=01&respCode=00&respMsg=乗亄丂 %+&settleAmt=1",
		"orderId=A1&txnTime=2024010510300&txnType=01&respCode=00", "orderId=A1&accNo=6216261000000000018",
		"orderId=A1&txnTime=20240105103000&txnType=01&respCode=00&respMsg=\x00\x7f~&a=%&b=+",
		"orderId=A1&txnTime=20240105103000&txnType=01&respCode=00&respMsg=ok成功&reserved=abc\x80"} {
		f.Add(s, false, false)
		f.Add(s, true, false)
		f.Add(s, false, true)
	}
	// The bodies padded to either side of sign.MaxFields are in TestVerifyValuesAtMaxFields: a
	// mutant of one costs a thousand pairs' signing and reading. Inputs of more than fuzzMaxPairs
	// pairs are skipped, such bodies that earlier campaigns left in the fuzz cache included.
	v, s := secureKeyPair(f)
	f.Fuzz(func(t *testing.T, raw string, gbk, tamper bool) {
		if strings.Count(raw, "&") >= fuzzMaxPairs {
			return // TestVerifyValuesAtMaxFields checks the limit
		}
		_, _ = checkVerifyValues(t, v, s, raw, gbk, tamper)
	})
}

// secureKeyPair returns the verifier and signer of FuzzVerifyValues' secure key.
func secureKeyPair(tb testing.TB) (*cert.Verifier, sign.Signer) {
	tb.Helper()
	v, err := cert.NewVerifier(cert.VerifierConfig{SecureKey: []byte("88888888"), SecureKeyMethods: []string{sign.MethodSHA256Key}})
	if err != nil {
		tb.Fatal(err)
	}
	s, err := sign.NewSecureKeySigner(sign.MethodSHA256Key, []byte("88888888"))
	if err != nil {
		tb.Fatal(err)
	}
	return v, s
}

// checkVerifyValues is FuzzVerifyValues' check of one input: raw signed with s (in GBK when gbk
// is set, changed after signing when tamper is) must be read alike by notify.Parse, by
// notify.VerifyValues and by Verify on decodedEachValue's Fields. It reports whether a body was
// built and read (not when raw is no raw-format message, cannot be signed, or holds text GBK
// cannot carry), and Parse's error.
func checkVerifyValues(t *testing.T, v *cert.Verifier, s sign.Signer, raw string, gbk, tamper bool) (read bool, err error) {
	fields, err := sign.ParseRaw(raw)
	if err != nil {
		return false, nil
	}
	fields["version"], fields["encoding"] = sign.Version510, sign.CharsetUTF8
	if gbk {
		fields["encoding"] = sign.CharsetGBK
	}
	var empty []string // UnionPay signs without them, and sends them: both readings drop them
	for k, v := range fields {
		if v == "" {
			empty = append(empty, k)
			delete(fields, k)
		}
	}
	if sign.Sign(s, fields) != nil {
		return false, nil
	}
	for _, k := range empty {
		fields[k] = ""
	}
	if tamper {
		fields["orderId"] += "X"
	}
	body, err := sign.Encode(fields)
	if err != nil {
		return false, nil // text GBK cannot carry
	}
	form, err := url.ParseQuery(body)
	if err != nil {
		t.Fatalf("net/url refuses %q, which sign.Encode wrote: %v", body, err)
	}
	fromBody, bodyErr := notify.Parse(v, []byte(body))
	fromValues, valuesErr := notify.VerifyValues(v, form)
	for _, e := range []struct {
		n   *notify.Notification
		err error
	}{{fromBody, bodyErr}, {fromValues, valuesErr}} {
		var fe *notify.FieldError
		if e.err != nil && (e.n != nil || errors.As(e.err, &fe) && !errors.Is(e.err, sign.ErrMalformed)) {
			t.Fatalf("%v (%T), notification %v", e.err, e.err, e.n)
		}
	}
	if (bodyErr == nil) != (valuesErr == nil) {
		t.Fatalf("body %q: Parse: %v; VerifyValues: %v", body, bodyErr, valuesErr)
	}
	if tamper && bodyErr == nil {
		t.Fatalf("body %q changed after signing, accepted", body)
	}
	if bodyErr == nil && !reflect.DeepEqual(fromBody, fromValues) {
		t.Fatalf("body %q: Parse gave %+v; VerifyValues %+v", body, fromBody, fromValues)
	}
	old, oldErr := decodedEachValue(form)
	var fromOld *notify.Notification
	if oldErr == nil {
		fromOld, oldErr = notify.Verify(v, old)
	}
	if (oldErr == nil) != (valuesErr == nil) || errors.Is(oldErr, sign.ErrMalformed) != errors.Is(valuesErr, sign.ErrMalformed) ||
		!reflect.DeepEqual(fromOld, fromValues) {
		t.Fatalf("body %q: VerifyValues gave %+v, %v; every value through sign.DecodeBody %+v, %v", body, fromValues, valuesErr, fromOld, oldErr)
	}
	return true, bodyErr
}

// fuzzMaxPairs caps the pairs of FuzzVerifyValues' input: well past the 48 fields where
// sign.Canonical changes its path, and an eighth of sign.MaxFields.
const fuzzMaxPairs = 128

// decodedEachValue builds the Fields of form as VerifyValues did before it took an all-ASCII value
// as it is: every non-empty value through sign.DecodeBody in the form's encoding, empty ones
// dropped, a repeated key refused, and a form of more than sign.MaxFields keys.
func decodedEachValue(form url.Values) (sign.Fields, error) {
	if len(form) > sign.MaxFields {
		return nil, fmt.Errorf("%d keys: %w", len(form), sign.ErrMalformed)
	}
	var enc string
	if e := form["encoding"]; len(e) == 1 {
		enc = e[0]
	}
	f := make(sign.Fields, len(form))
	for k, vals := range form {
		if len(vals) > 1 {
			return nil, fmt.Errorf("%s repeated: %w", k, sign.ErrMalformed)
		}
		if len(vals) == 1 && vals[0] != "" {
			val, err := sign.DecodeBody([]byte(vals[0]), enc)
			if err != nil {
				return nil, fmt.Errorf("%s: %w: %w", k, err, sign.ErrMalformed)
			}
			f[k] = val
		}
	}
	return f, nil
}
