package tokenpay

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/sign"
)

// TestParse: one pair of braces is taken off, never two; what is not braced, and what ParseRaw
// refuses inside, is a *sign.ParseError naming the fault.
func TestParse(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, v string
		want    sign.Fields
		wantMsg string // the *sign.ParseError's Msg; "" = no error
	}{
		{"pairs", "{token=a&trId=1}", sign.Fields{"token": "a", "trId": "1"}, ""},
		{"braced twice", "{{token=a}}", sign.Fields{"{token": "a}"}, ""},
		{"no pair", "{}", sign.Fields{}, ""},
		{"region keeps its '&'", "{token=[a&b]&trId=1}", sign.Fields{"token": "[a&b]", "trId": "1"}, ""},
		{"empty", "", nil, "not {k=v&...}"},
		{"one brace", "{", nil, "not {k=v&...}"},
		{"not braced", "token=a", nil, "not {k=v&...}"},
		{"not closed", "{token=a", nil, "not {k=v&...}"},
		{"not opened", "token=a}", nil, "not {k=v&...}"},
		{"repeated key", "{token=a&token=b}", nil, "repeated key"},
		{"region left open", "{token=[a}", nil, "value leaves '{' or '[' open"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := Parse(tt.v)
			if tt.wantMsg == "" {
				require.NoError(t, err)
				assert.Equal(t, tt.want, got)
				return
			}
			assert.Nil(t, got)
			pe, ok := errors.AsType[*sign.ParseError](err)
			require.True(t, ok, "%v is not a *sign.ParseError", err)
			assert.Equal(t, tt.wantMsg, pe.Msg)
			assert.ErrorIs(t, err, sign.ErrMalformed)
		})
	}
}
