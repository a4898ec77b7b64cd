package livepfx

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/cert"
)

const testCerts = "../../../testdata/acp-test-certs"

// The signing PFX is loaded by name in the certificate directory; a certificate that is not
// valid at the time given is warned about in one line, with its certId and validity, and used.
func TestLoad(t *testing.T) {
	for name, tc := range map[string]struct {
		pfx    string
		now    time.Time
		certID string
		warn   string // "" for no warning
	}{
		"valid":         {"unipayAppCert.pfx", time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC), "69903319369", ""},
		"expired":       {"unipayAppCert.pfx", time.Date(2026, 11, 26, 2, 31, 48, 0, time.UTC), "69903319369", "is expired"},
		"not yet valid": {"unipayAppCert.pfx", time.Date(2021, 1, 1, 0, 0, 0, 0, time.UTC), "69903319369", "is not yet valid"},
		"other PFX":     {"acp_test_sign.pfx", time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC), "69629715588", ""},
	} {
		t.Run(name, func(t *testing.T) {
			var warn bytes.Buffer
			pfx, err := Load(&warn, testCerts, tc.pfx, "000000", tc.now)
			require.NoError(t, err)
			assert.Equal(t, tc.certID, pfx.CertID())
			if tc.warn == "" {
				assert.Empty(t, warn.String())
				return
			}
			line := warn.String()
			assert.Equal(t, 1, strings.Count(line, "\n"), line)
			assert.True(t, strings.HasPrefix(line, "warning: "), line)
			assert.Contains(t, line, tc.warn)
			assert.Contains(t, line, "-pfx unipayAppCert.pfx")
			assert.Contains(t, line, "certId 69903319369")
			assert.Contains(t, line, "notBefore 2021-11-26T02:31:47Z, notAfter 2026-11-26T02:31:47Z")
			assert.NotContains(t, line, "000000", "never the password")
		})
	}
}

// A wrong password or a missing file is an error naming the flag and the file, not the password.
func TestLoadErrors(t *testing.T) {
	var warn bytes.Buffer
	_, err := Load(&warn, testCerts, "unipayAppCert.pfx", "s3cret", time.Now())
	require.ErrorIs(t, err, cert.ErrPassword)
	assert.Contains(t, err.Error(), "-password does not open -pfx unipayAppCert.pfx")
	assert.Contains(t, err.Error(), filepath.Join(testCerts, "unipayAppCert.pfx"))
	assert.NotContains(t, err.Error(), "s3cret")

	// An absolute -pfx is used as it is, not put under -certs.
	abs, err := filepath.Abs(filepath.Join(testCerts, "acp_test_sign.pfx"))
	require.NoError(t, err)
	pfx, err := Load(&warn, t.TempDir(), abs, "000000", time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC))
	require.NoError(t, err)
	assert.Equal(t, "69629715588", pfx.CertID())

	_, err = Load(&warn, testCerts, "nope.pfx", "000000", time.Now())
	require.Error(t, err)
	assert.True(t, strings.HasPrefix(err.Error(), "-pfx: "), err.Error())
	assert.Contains(t, err.Error(), "nope.pfx")
	assert.Empty(t, warn.String())
}

func TestPassword(t *testing.T) {
	env := func(v string) func(string) string {
		return func(k string) string {
			if k == PasswordEnv {
				return v
			}
			return ""
		}
	}
	tests := []struct {
		name, flag, env, want string
	}{
		{"flag wins", "flagpw", "envpw", "flagpw"},
		{"environment", "", "envpw", "envpw"},
		{"the test PFX's", "", "", "000000"},
	}
	for _, tt := range tests {
		if got := Password(tt.flag, env(tt.env)); got != tt.want {
			t.Errorf("%s: Password = %q, want %q", tt.name, got, tt.want)
		}
	}
	if got := Password("", nil); got != "000000" {
		t.Errorf("nil getenv: %q", got)
	}
}
