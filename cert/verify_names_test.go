package cert_test

import (
	"crypto/x509"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/cert"
	"github.com/goacp/unionpay/sign"
)

// TestVerifyRefusesFieldNames: Verify refuses a message whose field name is not printable
// ASCII whatever its charset, as VerifyForm, ParseForm and Canonical do (a review found UTF-8
// messages, whose string to sign is built without sign.Canonical, accepted), including the edges
// of printable ASCII (the empty name, DEL) and not '~'. The messages are signed as a signer that
// does not check names would sign them: the signature is right.
func TestVerifyRefusesFieldNames(t *testing.T) {
	t.Parallel()
	pfx, err := cert.LoadPFXFile("../testdata/acp-test-certs/acp_test_sign.pfx", "000000")
	require.NoError(t, err)
	s, err := pfx.Signer()
	require.NoError(t, err)
	v, err := cert.NewVerifier(cert.VerifierConfig{LegacyCerts: []*x509.Certificate{pfx.Certificate},
		Now: func() time.Time { return time.Date(2020, 6, 1, 0, 0, 0, 0, time.UTC) }})
	require.NoError(t, err)
	for _, enc := range []string{"UTF-8", "GBK"} {
		for _, key := range []string{"signature ", "a b", "键", "", "\x7f", "a\x7f", "~ok"} {
			f := sign.Fields{"version": "5.0.0", "signMethod": "01", "certId": pfx.CertID(), "encoding": enc, "orderId": "1", key: "x"}
			sig, err := s.Sign("5.0.0", sign.AppendCanonical(nil, f))
			require.NoError(t, err)
			f["signature"] = sig
			_, err = v.Verify(f)
			if key == "~ok" {
				require.NoError(t, err, "%s: '~' is printable", enc)
				continue
			}
			require.ErrorIs(t, err, sign.ErrMalformed, "%s %q", enc, key)
		}
	}
}
