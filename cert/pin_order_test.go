package cert_test

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/goacp/unionpay/cert"
)

// TestPINArgumentOrder: UnionPay's Java SDK takes the card number first (encryptPin(accNo, pin,
// encoding)) where PINBlock and EncryptPIN take the PIN first. A call ported with its arguments
// in the Java order is refused, and the error says the arguments look swapped; a PIN merely too
// long or a card number too short says only what is wrong with it. No error holds the digits.
func TestPINArgumentOrder(t *testing.T) {
	const swapped = "swapped"
	tests := []struct {
		name, pin, pan string
		field          string // "" = accepted
		hint           bool
	}{
		{"PIN first", "123456", "6216261000000000018", "", false},
		{"Java order, 19-digit card", "6216261000000000018", "123456", "pin", true},
		{"Java order, 16-digit card, 4-digit PIN", "6216260000000018", "1234", "pin", true},
		{"Java order, 13-digit card", "6216260000018", "123456789012", "pin", true},
		{"PIN of 13 digits, real card", "1234567890123", "6216261000000000018", "pin", false},
		{"card number as PIN, short other", "6216261000000000018", "12", "pin", false},
		{"PIN too short", "12", "6216261000000000018", "pin", false},
		{"card too short", "123456", "1234", "pan", false},
		// Only a card number's length against a PIN's, both digits, reads as swapped.
		{"20 digits as PIN", "62162610000000000180", "123456", "pin", false},
		{"card number as PIN, 3-digit other", "6216261000000000018", "123", "pin", false},
		{"card numbers both", "6216261000000000018", "6216260000018", "pin", false},
		{"card number as PIN, other not digits", "6216261000000000018", "12a4", "pin", false},
		{"PIN of a card's length, not digits", "621626100000000001x", "1234", "pin", false},
	}
	t.Parallel()
	c, err := cert.LoadCertificateFile(filepath.Join("..", "testdata", "acp-test-certs", "acp_test_enc.cer"))
	if err != nil {
		t.Fatal(err)
	}
	enc, err := cert.NewEncrypter(c)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, blockErr := cert.PINBlock(tc.pin, tc.pan)
			_, encErr := enc.EncryptPIN(tc.pin, tc.pan)
			for _, err := range []error{blockErr, encErr} {
				if tc.field == "" {
					if err != nil {
						t.Fatalf("refused: %v", err)
					}
					continue
				}
				var ie *cert.InputError
				if !errors.As(err, &ie) {
					t.Fatalf("error %v: not an *InputError", err)
				}
				if ie.Field != tc.field {
					t.Errorf("Field %q, want %q", ie.Field, tc.field)
				}
				if got := strings.Contains(err.Error(), swapped); got != tc.hint {
					t.Errorf("error %q: says %q %v, want %v", err, swapped, got, tc.hint)
				}
				for _, digits := range []string{tc.pin, tc.pan} {
					if len(digits) >= 4 && strings.Contains(err.Error(), digits) {
						t.Errorf("error %q holds the digits of an argument", err)
					}
				}
			}
		})
	}
}
