package cert_test

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/cert"
)

// Error-text audit: the texts an on-call engineer reads in logs.

// TestErrTextVerifierFieldSpelledOnce: NewVerifier names a chain field "VerifierConfig Middle",
// the chain-validity check (what NewClient reports) "VerifierConfig.Middle": a grep for either
// misses the other. The Go spelling, with the dot, is the one to keep.
func TestErrTextVerifierFieldSpelledOnce(t *testing.T) {
	d := "../testdata/acp-test-certs/"
	root, err := cert.LoadCertificateFile(d + "acp_test_root.cer")
	require.NoError(t, err)
	mid, err := cert.LoadCertificateFile(d + "acp_test_middle.cer")
	require.NoError(t, err)
	_, err = cert.NewVerifier(cert.VerifierConfig{Root: mid, Middle: root})
	require.Error(t, err)
	v, verr := cert.NewVerifier(cert.VerifierConfig{Root: root, Middle: mid,
		Now: func() time.Time { return time.Date(2040, 1, 1, 0, 0, 0, 0, time.UTC) }})
	require.NoError(t, verr)
	later := v.CheckChainValidity(false)
	require.Error(t, later)
	require.Contains(t, later.Error(), "VerifierConfig.Middle")
	require.True(t, strings.Contains(err.Error(), "VerifierConfig.Middle") || strings.Contains(err.Error(), "VerifierConfig.Root"),
		"NewVerifier: %s\nCheckChainValidity: %s", err, later)
}
