package cert_test

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/goacp/unionpay/cert"
	"github.com/goacp/unionpay/internal/leaktest"
)

// TestCustomerInfoKeyHoldingValue: a customerInfo key that holds a value (key=value text given
// whole as the key, the pairs of a string split wrongly) is refused naming at most the field name
// before its first '&', '=', '{', '}', '[' or ']', never the text after it, in the error of
// CustomerInfo and PlainCustomerInfo and in the pair's own log forms.
func TestCustomerInfoKeyHoldingValue(t *testing.T) {
	t.Parallel()
	pfx, err := cert.LoadPFXFile(filepath.Join("..", "testdata", "acp-test-certs", "acp_test_sign.pfx"), "000000")
	if err != nil {
		t.Fatal(err)
	}
	enc, err := cert.NewEncrypter(pfx.Certificate)
	if err != nil {
		t.Fatal(err)
	}
	const phone, cvn2, expiry, pan = "13552535506", "741", "3309", "6216261000000000018"
	tests := []struct {
		name    string
		key     string
		named   string // what the error names of the key ("" for nothing)
		secrets []string
	}{
		{"key=value", "phoneNo=" + phone, `"phoneNo..."`, []string{phone}},
		{"pairs joined", "phoneNo=" + phone + "&cvn2=" + cvn2 + "&expired=" + expiry, `"phoneNo..."`, []string{phone, "cvn2=" + cvn2, expiry}},
		{"braced", "{cvn2=" + cvn2 + "}", `"..."`, []string{"cvn2=" + cvn2}},
		{"value first", phone + "&cvn2", `"..."`, []string{phone}},
		{"card number in brackets", "accNo[" + pan + "]", `"accNo..."`, []string{pan}},
		{"closing bracket", "accNo]" + pan, `"accNo..."`, []string{pan}},
		{"opening brace", "phoneNo{" + phone, `"phoneNo..."`, []string{phone}},
		{"closing brace", "phoneNo}" + phone, `"phoneNo..."`, []string{phone}},
		{"a name of 20 characters", "abcdefghijklmnopqrst=" + phone, `"abcdefghijklmnopqrst..."`, []string{phone}},
		{"a name of 21 characters", "abcdefghijklmnopqrstu=" + phone, `"..."`, []string{phone, "abcdefghijklmnopqrstu"}},
		{"a colon for =", "phoneNo:" + phone + "&cvn2=" + cvn2, `"phoneNo..."`, []string{phone}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			pairs := []cert.Pair{{Key: "certifTp", Value: "01"}, {Key: tt.key, Value: "x"}}
			for how, build := range map[string]func() error{
				"CustomerInfo": func() error { _, err := enc.CustomerInfo(pairs, "", true); return err },
				"CustomerInfo without encryptInfo": func() error {
					_, err := enc.CustomerInfo(pairs, "", false)
					return err
				},
				"PlainCustomerInfo": func() error { _, err := cert.PlainCustomerInfo(pairs); return err },
			} {
				err := build()
				var ie *cert.InputError
				if !errors.As(err, &ie) || ie.Field != "customerInfo key" {
					t.Fatalf("%s: err %v, want an *InputError naming the customerInfo key", how, err)
				}
				if !strings.Contains(err.Error(), tt.named) {
					t.Errorf("%s: %q does not name the key as %s", how, err, tt.named)
				}
				out := fmt.Sprintf("%v\n%+v\n%#v", err, err, err)
				for _, s := range tt.secrets {
					if ok, form := leaktest.Shows(out, s); ok {
						t.Errorf("%s: the error shows %q (%s): %s", how, s, form, out)
					}
				}
			}
			var leaks []leaktest.Leak
			for _, l := range leaktest.Find(pairs[1], tt.secrets...) {
				// fmt's bad-verb path (%s or %q of a *Pair in a struct) prints without calling
				// String on anything: fmt's limit, not the type's.
				if !strings.HasPrefix(l.How, "fmt %s struct{X *T}") && !strings.HasPrefix(l.How, "fmt %q struct{X *T}") {
					leaks = append(leaks, l)
				}
			}
			if len(leaks) > 0 {
				t.Errorf("the pair's log forms show its key's value:\n%.1500s", leaktest.Summary(leaks))
			}
		})
	}
	// An empty key is refused as before, and a plain key still shows in the log forms.
	if _, err := cert.PlainCustomerInfo([]cert.Pair{{Key: "", Value: "01"}}); err == nil || !strings.Contains(err.Error(), "empty") {
		t.Errorf("empty key: %v", err)
	}
	if s := fmt.Sprint(cert.Pair{Key: "phoneNo", Value: phone}); s != "{phoneNo ***}" {
		t.Errorf("plain key: %s", s)
	}
}

// TestCustomerInfoPairLogFormsHoldNoRunOnValue: key=value text split on another separator than
// '=' (a space, ':') leaves the value in the key, and text split at its first '=' leaves the pairs
// after certifTp in certifTp's value, the one value the log forms show: neither reaches fmt,
// json.Marshal or slog, nor an error of PlainCustomerInfo about such a key given twice.
func TestCustomerInfoPairLogFormsHoldNoRunOnValue(t *testing.T) {
	t.Parallel()
	const phone, id = "13552535506", "110101199003077777"
	for _, tt := range []struct {
		name    string
		pair    cert.Pair
		secrets []string
	}{
		{"a space for '='", cert.Pair{Key: "phoneNo " + phone, Value: "x"}, []string{phone}},
		{"a colon for '='", cert.Pair{Key: "phoneNo:" + phone, Value: "x"}, []string{phone}},
		{"certifTp holding the pairs after it", cert.Pair{Key: "certifTp", Value: "01&certifId=" + id}, []string{id}},
		{"certifTp holding an ID number", cert.Pair{Key: "certifTp", Value: "01 " + id}, []string{id}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var leaks []leaktest.Leak
			for _, l := range leaktest.Find(tt.pair, tt.secrets...) {
				// fmt's bad-verb path, as in TestCustomerInfoKeyHoldingValue.
				if !strings.HasPrefix(l.How, "fmt %s struct{X *T}") && !strings.HasPrefix(l.How, "fmt %q struct{X *T}") {
					leaks = append(leaks, l)
				}
			}
			if len(leaks) > 0 {
				t.Errorf("the pair's log forms show a value:\n%.1500s", leaktest.Summary(leaks))
			}
			_, err := cert.PlainCustomerInfo([]cert.Pair{tt.pair, tt.pair})
			for _, s := range tt.secrets {
				if ok, form := leaktest.Shows(fmt.Sprint(err), s); ok {
					t.Errorf("PlainCustomerInfo's error shows %q (%s): %v", s, form, err)
				}
			}
		})
	}
	// certifTp's own value, two digits, still shows, and so does a plain key.
	if s := fmt.Sprint(cert.Pair{Key: "certifTp", Value: "01"}); s != "{certifTp 01}" {
		t.Errorf("certifTp: %s", s)
	}
	if s := fmt.Sprint(cert.Pair{Key: "customerNm", Value: "张三"}); s != "{customerNm ***}" {
		t.Errorf("plain key: %s", s)
	}
}

// TestCustomerInfoKeyRunOnDigits: a value run into a customerInfo key with no separator at all
// (phoneNo13552535506) is shown no further than the run of two digits or more that starts it, in
// the pair's log forms and in the errors of CustomerInfo and PlainCustomerInfo (a key given twice,
// a key also holding '='); field names, cvn2's one digit included, still show whole.
func TestCustomerInfoKeyRunOnDigits(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		key, shown string
		secret     string // "" for none
	}{
		{"phoneNo13552535506", "phoneNo...", "13552535506"},
		{"PhoneNo13552535506", "PhoneNo...", "13552535506"},
		{"cvn2741", "cvn...", "741"},
		{"cvn741", "cvn...", "741"},
		{"expired3309", "expired...", "3309"},
		{"expired2909", "expired...", "2909"},
		{"expired3012", "expired...", "3012"},
		{"cvn41", "cvn...", "41"},
		{"certifId110101199003077777", "certifId...", "110101199003077777"},
		{"certifId11010119900307777X", "certifId...", "11010119900307777"},
		{"accNo6216261000000000018", "accNo...", "6216261000000000018"},
		{"smsCode111111", "smsCode...", "111111"},
		{"13552535506", "...", "13552535506"},
		{"smsCode", "smsCode", ""},
		{"certifId", "certifId", ""},
		{"certifTp", "certifTp", ""},
		{"cvn2", "cvn2", ""},
		{"customerNm", "customerNm", ""},
		{"a1b2c3", "a1b2c3", ""},
	} {
		t.Run(tt.key, func(t *testing.T) {
			t.Parallel()
			p := cert.Pair{Key: tt.key, Value: "x"}
			if got, want := fmt.Sprint(p), "{"+tt.shown+" ***}"; got != want {
				t.Errorf("fmt.Sprint = %s, want %s", got, want)
			}
			_, twice := cert.PlainCustomerInfo([]cert.Pair{p, p})
			_, withEquals := cert.PlainCustomerInfo([]cert.Pair{{Key: tt.key + "=x", Value: "x"}})
			if !strings.Contains(fmt.Sprint(twice), "customerInfo "+tt.shown+":") {
				t.Errorf("given twice: %v, want it to name %q", twice, tt.shown)
			}
			if !strings.Contains(fmt.Sprint(withEquals), `"`+tt.shown) {
				t.Errorf("holding '=': %v, want it to name %q", withEquals, tt.shown)
			}
			if tt.secret == "" {
				return
			}
			for _, err := range []error{twice, withEquals} {
				if ok, form := leaktest.Shows(fmt.Sprintf("%v\n%+v\n%#v", err, err, err), tt.secret); ok {
					t.Errorf("the error shows %q (%s): %v", tt.secret, form, err)
				}
			}
			var leaks []leaktest.Leak
			for _, l := range leaktest.Find(p, tt.secret) {
				// fmt's bad-verb path, as in TestCustomerInfoKeyHoldingValue.
				if !strings.HasPrefix(l.How, "fmt %s struct{X *T}") && !strings.HasPrefix(l.How, "fmt %q struct{X *T}") {
					leaks = append(leaks, l)
				}
			}
			if len(leaks) > 0 {
				t.Errorf("the pair's log forms show the key's value:\n%.1500s", leaktest.Summary(leaks))
			}
		})
	}
}
