package cert

import (
	"bytes"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"fmt"
	"log/slog"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/internal/logtest"
)

// TestCredentialsDoNotLeakKeys: a PFX or SM2Credential given to json.Marshal
// or to log/slog's JSON handler printed its private key (the RSA private
// exponent and primes, the SM2 scalar). Found in the bad-input review
// (section 4). Every way of printing one now shows the certId and no key.
func TestCredentialsDoNotLeakKeys(t *testing.T) {
	t.Parallel()
	sign := loadTestPFX(t, "acp_test_sign.pfx")
	app := loadTestPFX(t, "unipayAppCert.pfx")
	sm2Cred := loadSM2Credential(t)
	rsaSecrets := func(p *PFX) []string {
		k := p.Key.(*rsa.PrivateKey)
		return []string{k.D.String(), k.Primes[0].String(), k.Primes[1].String(), k.Precomputed.Dp.String()}
	}
	printers := map[string]func(v any) string{
		"json.Marshal": func(v any) string {
			b, err := json.Marshal(v)
			require.NoError(t, err)
			return string(b)
		},
		"json.Marshal in a struct": func(v any) string {
			b, err := json.Marshal(struct{ Cred any }{v})
			require.NoError(t, err)
			return string(b)
		},
		"slog JSON handler": func(v any) string {
			var buf bytes.Buffer
			slog.New(slog.NewJSONHandler(&buf, logtest.Untimed())).Info("loaded signing key", "cred", v)
			return buf.String()
		},
		"slog text handler": func(v any) string {
			var buf bytes.Buffer
			slog.New(slog.NewTextHandler(&buf, logtest.Untimed())).Info("loaded signing key", "cred", v)
			return buf.String()
		},
		"%v":  func(v any) string { return fmt.Sprintf("%v", v) },
		"%+v": func(v any) string { return fmt.Sprintf("%+v", v) },
		"%#v": func(v any) string { return fmt.Sprintf("%#v", v) },
		"%s":  func(v any) string { return fmt.Sprintf("%s", v) },
	}
	tests := []struct {
		name    string
		v       any
		secrets []string
		certID  string
	}{
		{"*PFX acp_test_sign", sign, rsaSecrets(sign), sign.CertID()},
		{"PFX unipayAppCert", *app, rsaSecrets(app), app.CertID()},
		{"*SM2Credential", sm2Cred, []string{sm2Cred.Key.D.String()}, sm2CredentialCertID},
		{"SM2Credential", *sm2Cred, []string{sm2Cred.Key.D.String()}, sm2CredentialCertID},
	}
	for _, tt := range tests {
		for pname, print := range printers {
			t.Run(tt.name+"/"+pname, func(t *testing.T) {
				t.Parallel()
				out := print(tt.v)
				for _, s := range tt.secrets {
					require.NotContains(t, out, s, "private key material")
				}
				assert.Contains(t, out, tt.certID)
				assert.Contains(t, out, "(redacted)")
			})
		}
	}
}

// TestCredentialStrings: what a credential prints, keys redacted or absent.
func TestCredentialStrings(t *testing.T) {
	t.Parallel()
	pfx := loadTestPFX(t, "acp_test_sign.pfx")
	sm2Cred := loadSM2Credential(t)
	root := loadTestCert(t, "acp_test_root.cer")
	tests := []struct {
		name     string
		v        interface{ String() string }
		str      string
		jsonText string
	}{
		{"PFX", pfx, "cert.PFX{Key:(redacted) Certificate:69629715588 CACerts:[]}",
			`{"Key":"(redacted)","Certificate":"69629715588","CACerts":[]}`},
		{"PFX without key", &PFX{Certificate: pfx.Certificate},
			"cert.PFX{Key:(none) Certificate:69629715588 CACerts:[]}",
			`{"Key":"(none)","Certificate":"69629715588","CACerts":[]}`},
		{"zero PFX", PFX{}, "cert.PFX{Key:(none) Certificate:(none) CACerts:[]}",
			`{"Key":"(none)","Certificate":"(none)","CACerts":[]}`},
		{"nil key in the interface", PFX{Key: (*rsa.PrivateKey)(nil)}, "cert.PFX{Key:(none) Certificate:(none) CACerts:[]}",
			`{"Key":"(none)","Certificate":"(none)","CACerts":[]}`},
		{"PFX with CA certificates", PFX{Key: pfx.Key, Certificate: pfx.Certificate,
			CACerts: []*x509.Certificate{root, nil, {}}},
			"cert.PFX{Key:(redacted) Certificate:69629715588 CACerts:[" + CertID(root) + " (none) (no serial)]}",
			`{"Key":"(redacted)","Certificate":"69629715588","CACerts":["` + CertID(root) + `","(none)","(no serial)"]}`},
		{"SM2Credential", sm2Cred, "cert.SM2Credential{Key:(redacted) Certificate:69629716832}",
			`{"Key":"(redacted)","Certificate":"69629716832"}`},
		{"zero SM2Credential", SM2Credential{}, "cert.SM2Credential{Key:(none) Certificate:(none)}",
			`{"Key":"(none)","Certificate":"(none)"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tt.str, tt.v.String())
			assert.Equal(t, tt.str, fmt.Sprintf("%#v", tt.v))
			b, err := json.Marshal(tt.v)
			require.NoError(t, err)
			assert.JSONEq(t, tt.jsonText, string(b))
		})
	}
}
