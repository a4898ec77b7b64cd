package notify_test

import (
	"bytes"
	"encoding/base64"
	"errors"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/notify"
	"github.com/goacp/unionpay/sign"
)

// FuzzParseBase64Body gives notify.Parse a body as it is or base64-encoded (padded, unpadded, or
// padded with a line break after it), chosen by mode. Parse never panics; what it accepts verifies
// (sign.ParseForm, then the Verifier, apart from Parse); a body whose fields verify is accepted,
// never taken for base64; the hint for a body still base64-encoded comes only with
// sign.ErrMalformed (status 400), for text without '&' or '%' that decodes to one with '=' and
// '&'; and every base64 encoding (8 characters or more) of a text with '=' and '&' gets it.
func FuzzParseBase64Body(f *testing.F) {
	v := realVerifier(f, time.Date(2024, 1, 5, 12, 0, 0, 0, time.UTC))
	capture, err := os.ReadFile(realCapture)
	require.NoError(f, err)
	for mode := range byte(4) {
		f.Add(capture, mode)
		f.Add([]byte("a=1&b=2"), mode)
		f.Add([]byte("hello, world"), mode)
	}
	f.Add([]byte("YT0xJmI9Mg"), byte(0))       // a=1&b=2, unpadded
	f.Add([]byte("YT0xJmI9Mg==\r\n"), byte(0)) // padded, a line break after
	f.Add([]byte("YT0xJmI9Mg=\n="), byte(0))
	const hint = "base64 text"
	f.Fuzz(func(t *testing.T, body []byte, mode byte) {
		var in []byte
		switch mode % 4 {
		case 0:
			in = bytes.Clone(body)
		case 1:
			in = []byte(base64.StdEncoding.EncodeToString(body))
		case 2:
			in = []byte(base64.RawStdEncoding.EncodeToString(body))
		case 3:
			in = []byte(base64.StdEncoding.EncodeToString(body) + "\r\n")
		}
		sent := string(in) // Parse decodes in in place
		n, err := notify.Parse(v, in)
		fields, ferr := sign.ParseForm(sent)
		verifies := ferr == nil
		if verifies {
			_, verr := v.Verify(fields)
			verifies = verr == nil
		}
		if err == nil {
			require.NotNil(t, n)
			require.True(t, verifies, "Parse accepted %q, whose fields do not verify", sent)
			return
		}
		require.Nil(t, n)
		hinted := strings.Contains(err.Error(), hint)
		if verifies {
			// The fields verify: Parse may still refuse them (a missing field, an unreadable
			// amount), but never as base64.
			require.False(t, hinted, "a body whose fields verify taken for base64: %v", err)
		}
		if hinted {
			require.ErrorIs(t, err, sign.ErrMalformed)
			require.Equal(t, http.StatusBadRequest, notify.HTTPStatus(err))
			require.NotContains(t, sent, "&")
			require.NotContains(t, sent, "%")
			text := strings.TrimRight(sent, " \t\r\n")
			dec, derr := base64.StdEncoding.DecodeString(text)
			if derr != nil {
				dec, derr = base64.RawStdEncoding.DecodeString(text)
			}
			require.NoError(t, derr, "hinted base64 for %q, which is not", sent)
			require.True(t, bytes.Contains(dec, []byte("=")) && bytes.Contains(dec, []byte("&")),
				"hinted base64 for %q, which decodes to no form: %q", sent, dec)
		}
		if mode%4 != 0 && len(strings.TrimRight(sent, "\r\n")) >= 8 && bytes.Contains(body, []byte("=")) &&
			bytes.Contains(body, []byte("&")) {
			require.True(t, hinted, "base64 of a form %q not named so: %v", body, err)
			require.True(t, errors.Is(err, sign.ErrMalformed), "%v", err)
		}
	})
}
