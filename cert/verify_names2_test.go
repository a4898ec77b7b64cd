package cert_test

import (
	"crypto/x509"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/cert"
	"github.com/goacp/unionpay/sign"
)

// TestVerifyRefusesEdgeNames: the UTF-8 fast path refuses the empty field name and DEL
// (0x7f), the edges of printable ASCII, as sign.Canonical does, for a signer that does not check
// names (the signature is right).
func TestVerifyRefusesEdgeNames(t *testing.T) {
	t.Parallel()
	pfx, err := cert.LoadPFXFile("../testdata/acp-test-certs/acp_test_sign.pfx", "000000")
	require.NoError(t, err)
	s, err := pfx.Signer()
	require.NoError(t, err)
	v, err := cert.NewVerifier(cert.VerifierConfig{LegacyCerts: []*x509.Certificate{pfx.Certificate},
		Now: func() time.Time { return time.Date(2020, 6, 1, 0, 0, 0, 0, time.UTC) }})
	require.NoError(t, err)
	for _, key := range []string{"", "\x7f", "a\x7f", "~ok"} {
		f := sign.Fields{"version": "5.0.0", "signMethod": "01", "certId": pfx.CertID(), "encoding": "UTF-8", "orderId": "1", key: "x"}
		sig, err := s.Sign("5.0.0", sign.AppendCanonical(nil, f))
		require.NoError(t, err)
		f["signature"] = sig
		_, err = v.Verify(f)
		if key == "~ok" {
			require.NoError(t, err, "'~' is printable")
			continue
		}
		require.ErrorIs(t, err, sign.ErrMalformed, "%q", key)
	}
}
