package cert

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/sign"
)

// A nil *Verifier is a configuration error whatever the message: Verify
// reports ErrMethod even for a message that also lacks its signature or
// signMethod, rather than blaming the message with ErrMissingField (which a
// caller would answer as a bad request). C42 of the mutation review, found
// not to be equivalent: without the guard those messages got
// ErrMissingField.
func TestNilVerifierBlamesConfiguration(t *testing.T) {
	t.Parallel()
	var v *Verifier
	for name, f := range map[string]sign.Fields{
		"empty message":     {},
		"no signature":      {"version": sign.Version510, "signMethod": sign.MethodRSA},
		"no signMethod":     {"version": sign.Version510, "signature": "c2ln"},
		"nil Fields":        nil,
		"complete message":  {"version": sign.Version510, "signMethod": sign.MethodRSA, "signature": "c2ln"},
		"5.0.1 no method":   {"version": "5.0.1", "certId": "1", "signature": "c2ln"},
		"secure-key method": {"version": sign.Version510, "signMethod": sign.MethodSHA256Key, "signature": "c2ln"},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			var (
				s   *Signed
				err error
			)
			require.NotPanics(t, func() { s, err = v.Verify(f) })
			require.ErrorIs(t, err, ErrMethod)
			assert.NotErrorIs(t, err, ErrMissingField)
			assert.Nil(t, s)
		})
	}
}
