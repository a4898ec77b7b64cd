package notify_test

import (
	"errors"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/notify"
	"github.com/goacp/unionpay/sign"
)

// TestReview15VerifyValuesCharsetErrorBounded: the charset failure of VerifyValues is a
// *sign.ParseError matching sign.ErrCharset too (CHANGELOG), and names the sender's key cut short,
// as the repeated-key error does (a 100 000-byte key otherwise fills the log line).
func TestReview15VerifyValuesCharsetErrorBounded(t *testing.T) {
	v := testPKI().verifier(t)
	_, err := notify.VerifyValues(v, url.Values{"encoding": {"GBK"}, strings.Repeat("k", 100000): {"\xff\xff"}})
	require.Error(t, err)
	assert.ErrorIs(t, err, sign.ErrMalformed)
	assert.ErrorIs(t, err, sign.ErrCharset)
	var pe *sign.ParseError
	require.ErrorAs(t, err, &pe)
	assert.Less(t, len(pe.Field), 100, "ParseError.Field holds the sender's whole key")
	assert.Less(t, len(err.Error()), 1000, "the error carries the sender's whole key")
}

// TestReview15VerifyValuesUnsupportedEncoding: a notification whose encoding this package does
// not know (GB18030, a plausible proxy's rewrite) is refused by Parse naming the field encoding
// and its value. VerifyValues (said to report it "as Parse does") names instead whichever other
// field the map iteration reached first, as "value not in the message charset", and drops the
// charset's name: an operator is sent looking at a value that is fine.
func TestReview15VerifyValuesUnsupportedEncoding(t *testing.T) {
	v := testPKI().verifier(t)
	body := "encoding=GB18030&orderId=ORDER0001&txnAmt=100&txnTime=20240105103000"
	_, perr := notify.Parse(v, []byte(body))
	var want *sign.ParseError
	require.True(t, errors.As(perr, &want), "%v", perr)
	require.Equal(t, "encoding", want.Field)

	form, err := url.ParseQuery(body)
	require.NoError(t, err)
	for range 20 { // map order varies
		_, err = notify.VerifyValues(v, form)
		require.ErrorIs(t, err, sign.ErrCharset)
		var pe *sign.ParseError
		require.ErrorAs(t, err, &pe)
		require.Equal(t, "encoding", pe.Field, "VerifyValues: %v (Parse: %v)", err, perr)
		require.Contains(t, err.Error(), "GB18030")
	}
}
