package sign_test

import (
	"bytes"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"github.com/goacp/unionpay/sign"
)

// printForms returns v as every log form shows it: String, GoString, fmt's %v, %+v, %#v and %s
// (of v and of a pointer to it), and slog's text and JSON handlers.
func printForms(t *testing.T, v sign.Fields) map[string]string {
	t.Helper()
	var text, js bytes.Buffer
	slog.New(slog.NewTextHandler(&text, nil)).Info("m", "fields", v)
	slog.New(slog.NewJSONHandler(&js, nil)).Info("m", "fields", v)
	return map[string]string{
		"String": v.String(), "GoString": v.GoString(),
		"%v": fmt.Sprintf("%v", v), "%+v": fmt.Sprintf("%+v", v), "%#v": fmt.Sprintf("%#v", v), "%s": fmt.Sprintf("%s|", v),
		"%v of a pointer": fmt.Sprintf("%v", &v), "slog text": text.String(), "slog JSON": js.String(),
	}
}

// TestFieldsKeyHoldingValue: a key that holds a value (key=value text given whole as a key, a
// broken body's "accNo=6216261000000000018", an Extra key holding a card number) never shows it in
// any log form: the key is cut ("accNo..."), its value hidden, two keys cut alike both shown
// (numbered), and field names (merId, orderId, txnAmt) shown whole with their values.
func TestFieldsKeyHoldingValue(t *testing.T) {
	const card, card2 = "6216261000000000018", "6228480402564890018"
	tests := []struct {
		name   string
		f      sign.Fields
		shown  []string // each in every form
		hidden []string // none in any form
	}{
		{"a broken body's key", sign.Fields{"accNo=" + card: "", "merId": "777290058110048", "txnAmt": "100"},
			[]string{"accNo...", "merId", "777290058110048", "txnAmt", "100"}, []string{card, "621626100000"}},
		{"a key with its value", sign.Fields{"accNo " + card: "1", "orderId": "20261128000001"},
			[]string{"accNo...", "orderId", "20261128000001"}, []string{card, "621626100000"}},
		{"a card number as a key", sign.Fields{card: "x"}, []string{"..."}, []string{card, "621626100000"}},
		{"two cut alike", sign.Fields{"accNo=" + card: "", "accNo=" + card2: "", "accNo": card},
			[]string{"accNo...#1", "accNo...#2", "accNo", "621626******0018"}, []string{card, card2, "622848040256"}},
		{"a card number inside a braced key", sign.Fields{"reserved": "{accNo " + card + "=1&ipAddress=10.0.0.1}"},
			[]string{"accNo...=***", "ipAddress=***"}, []string{card, "621626100000", "10.0.0.1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for form, s := range printForms(t, tt.f) {
				for _, want := range tt.shown {
					if !strings.Contains(s, want) {
						t.Errorf("%s of %d fields does not show %q: %s", form, len(tt.f), want, s)
					}
				}
				for _, secret := range tt.hidden {
					if strings.Contains(s, secret) {
						t.Errorf("%s shows %q: %s", form, secret, s)
					}
				}
			}
			if got := tt.f.Masked(); len(got) != len(tt.f) {
				t.Errorf("Masked: %d fields, want %d (keys cut alike must both stay): %v", len(got), len(tt.f), got)
			}
		})
	}
}

// TestParseErrorKeyCut: a refused message's key that holds a value (a space sent for '=', key=value
// text escaped into a key) is quoted cut, as the log forms of Fields show it: notify.Handler logs
// the error of every refused body, and the error showed the card number. Field keeps it whole.
func TestParseErrorKeyCut(t *testing.T) {
	t.Parallel()
	const card = "6216261000000000018"
	tests := []struct {
		name  string
		parse func() error
		shown string
	}{
		{"ParseForm: key not printable", func() error { _, err := sign.ParseForm("accNo%20" + card + "=1"); return err }, `"accNo..."`},
		{"ParseForm: repeated key", func() error {
			_, err := sign.ParseForm("accNo%3D" + card + "=1&accNo%3D" + card + "=2")
			return err
		}, `"accNo..."`},
		{"ParseForm: a card number as a key, repeated", func() error {
			_, err := sign.ParseForm(card + "=1&" + card + "=2")
			return err
		}, `"..."`},
		{"ParseRaw: repeated key", func() error { _, err := sign.ParseRaw("accNo " + card + "=1&accNo " + card + "=2"); return err }, `"accNo..."`},
		{"CheckFieldNames", func() error { return sign.CheckFieldNames(sign.Fields{"accNo " + card: "1"}) }, `"accNo..."`},
		{"a field name whole", func() error { _, err := sign.ParseForm("orderId=1&orderId=2"); return err }, `"orderId"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.parse()
			if err == nil {
				t.Fatal("no error")
			}
			if s := err.Error(); strings.Contains(s, card[:12]) || !strings.Contains(s, tt.shown) {
				t.Errorf("error %q: want the key shown as %s, no card number", s, tt.shown)
			}
		})
	}
}
