package cert

import (
	"crypto/x509"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/sign"
)

// acceptsTestNow is a time at which all of UnionPay's test certificates
// used below are valid: acp_test_sign (2018-11-26 .. 2021-11-26), the
// captured notification's signing certificate (2020-07-31 ..), the SM2
// credential (2018-11-26 .. 2020-11-26) and the generated SM2 chain.
var acceptsTestNow = time.Date(2020, 9, 1, 0, 0, 0, 0, time.UTC)

// acceptsMessage returns a genuine message signed with method (signMethod
// left out when method is "") and version: the captured notification for
// 01 with 5.1.0, acp_test_sign.pfx for other 01 and unknown methods, the
// secure key 88888888 for 11 and 12, the generated SM2 leaf (with
// signPubKeyCert) for 21 with 5.1.0 and the CFCA SM2 credential for other 21.
// An RSA signature for a version without an RSA algorithm is made as for
// 5.1.0.
func acceptsMessage(t *testing.T, method, version string, sm2Leaf *sm2Issued) sign.Fields {
	t.Helper()
	if method == sign.MethodRSA && version == sign.Version510 {
		return readKV(t, capturedNotification)
	}
	f := sign.Fields{
		"accessType": "0", "bizType": "000201", "encoding": "UTF-8", "merId": "777290058110048",
		"orderId": "ACCEPTS0001", "respCode": "00", "txnSubType": "01", "txnTime": "20200901080000",
		"txnType": "01", sign.FieldVersion: version,
	}
	var s sign.Signer
	var err error
	switch method {
	case sign.MethodSHA256Key, sign.MethodSM3Key:
		s, err = sign.NewSecureKeySigner(method, []byte("88888888"))
	case sign.MethodSM2:
		if version == sign.Version510 {
			f[FieldSignPubKeyCert] = sm2Leaf.pem
			s, err = sign.NewSM2Signer(sm2Leaf.key, CertID(sm2Leaf.cert))
		} else {
			s, err = loadSM2Credential(t).Signer()
		}
	default:
		s, err = loadTestPFX(t, "acp_test_sign.pfx").Signer()
	}
	require.NoError(t, err)
	if method != "" {
		f[sign.FieldSignMethod] = method
	}
	if id := s.CertID(); id != "" {
		f[sign.FieldCertID] = id
	}
	canonical, err := sign.Canonical(f)
	require.NoError(t, err)
	sigVersion := version
	if _, isRSA := s.(*sign.RSASigner); isRSA && version != sign.Version500 && version != "5.0.1" && version != "1.0.0" {
		sigVersion = sign.Version510
	}
	f[sign.FieldSignature], err = s.Sign(sigVersion, canonical)
	require.NoError(t, err)
	return f
}

// TestAccepts: for every signMethod and version and every configuration
// that the test certificates allow, Accepts returns nil exactly when a
// genuine message of that kind verifies, and otherwise Verify's own error,
// which matches ErrMethod.
func TestAccepts(t *testing.T) {
	t.Parallel()
	root, middle := loadTestCert(t, "acp_test_root.cer"), loadTestCert(t, "acp_test_middle.cer")
	legacy := []*x509.Certificate{loadTestPFX(t, "acp_test_sign.pfx").Certificate}
	sm2Certs := []*x509.Certificate{loadSM2Credential(t).Certificate}
	sm2Chain := newSM2TestChain(t, "Accepts", nil)
	key := []byte("88888888")
	configs := map[string]VerifierConfig{
		"Root and Middle":   {Root: root, Middle: middle},
		"test owner":        {Root: root, Middle: middle, AcceptTestOwner: true},
		"LegacyCerts":       {LegacyCerts: legacy},
		"SecureKey":         {SecureKey: key},
		"SecureKey 11 only": {SecureKey: key, SecureKeyMethods: []string{sign.MethodSHA256Key}},
		"SecureKey 12 only": {SecureKey: key, SecureKeyMethods: []string{sign.MethodSM3Key}},
		"SM2Root and SM2Middle": {SM2Root: sm2Chain.root.cert, SM2Middle: sm2Chain.middle.cert,
			AcceptTestOwner: true},
		"SM2Certs":              {SM2Certs: sm2Certs},
		"chain and LegacyCerts": {Root: root, Middle: middle, LegacyCerts: legacy},
		"everything": {Root: root, Middle: middle, LegacyCerts: legacy, SecureKey: key,
			SM2Root: sm2Chain.root.cert, SM2Middle: sm2Chain.middle.cert, SM2Certs: sm2Certs},
	}
	verifiers := map[string]*Verifier{"nil": nil, "zero": {}}
	for name, cfg := range configs {
		cfg.Now = fixedNow(acceptsTestNow)
		v, err := NewVerifier(cfg)
		require.NoError(t, err, name)
		verifiers[name] = v
	}
	methods := []string{sign.MethodRSA, sign.MethodSHA256Key, sign.MethodSM3Key, sign.MethodSM2, "", "99", "1"}
	versions := []string{sign.Version510, sign.Version500, "5.0.1", "1.0.0", "", "5.2.0"}
	messages := map[[2]string]sign.Fields{}
	for _, m := range methods {
		for _, ver := range versions {
			messages[[2]string{m, ver}] = acceptsMessage(t, m, ver, sm2Chain.leaf)
		}
	}
	for name, v := range verifiers {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			accepted := 0
			for _, m := range methods {
				for _, ver := range versions {
					acc := v.Accepts(m, ver)
					_, err := v.Verify(messages[[2]string{m, ver}])
					// A message without signMethod is refused for that field, a method refusal too.
					byMethod := errors.Is(err, ErrMethod) || errors.Is(err, missingFieldError(sign.FieldSignMethod))
					if acc == nil {
						accepted++
						require.NoError(t, err, "signMethod %q version %q: accepted, so a genuine message verifies", m, ver)
						continue
					}
					require.ErrorIs(t, acc, ErrMethod, "signMethod %q version %q", m, ver)
					require.True(t, byMethod, "signMethod %q version %q: refused (%v), but Verify said %v", m, ver, acc, err)
					if errors.Is(err, ErrMethod) {
						require.EqualError(t, acc, err.Error(), "signMethod %q version %q: the same error as Verify", m, ver)
					}
				}
			}
			if name != "nil" && name != "zero" {
				require.NotZero(t, accepted, "a configured Verifier accepts something")
			}
		})
	}
}

// TestAcceptsTable spells out what each configuration accepts for the
// combinations a client uses.
func TestAcceptsTable(t *testing.T) {
	t.Parallel()
	root, middle := loadTestCert(t, "acp_test_root.cer"), loadTestCert(t, "acp_test_middle.cer")
	chainOnly, err := NewVerifier(VerifierConfig{Root: root, Middle: middle})
	require.NoError(t, err)
	key11, err := NewVerifier(VerifierConfig{SecureKey: []byte("88888888"), SecureKeyMethods: []string{"11"}})
	require.NoError(t, err)
	tests := []struct {
		name            string
		v               *Verifier
		method, version string
		want            string // "" for nil, else the error text
	}{
		{"5.1.0 RSA", chainOnly, "01", "5.1.0", ""},
		{"5.0.0 RSA without LegacyCerts", chainOnly, "01", "5.0.0",
			"cert: signature method not accepted: version 5.0.0 signMethod 01 (no LegacyCerts configured)"},
		{"secure key without SecureKey", chainOnly, "11", "5.1.0",
			"cert: signature method not accepted: secure-key signMethod 11"},
		{"SM2 without SM2 trust", chainOnly, "21", "5.1.0",
			"cert: signature method not accepted: signMethod 21 (no SM2Root and SM2Middle, nor SM2Certs, configured)"},
		{"unknown method", chainOnly, "99", "5.1.0", `cert: signature method not accepted: signMethod "99"`},
		{"unknown version", chainOnly, "01", "6.0.0", `cert: signature method not accepted: signMethod 01 with version "6.0.0"`},
		{"no method", chainOnly, "", "5.1.0", `cert: signature method not accepted: no signMethod with version "5.1.0"`},
		{"secure key 11", key11, "11", "5.1.0", ""},
		{"secure key 11, 5.0.0", key11, "11", "5.0.0", ""},
		{"secure key, version 6.0.0", key11, "11", "6.0.0", `cert: signature method not accepted: secure-key signMethod 11 with version "6.0.0"`},
		{"secure key, no version", key11, "11", "", `cert: signature method not accepted: secure-key signMethod 11 with version ""`},
		{"secure key 12 not listed", key11, "12", "5.1.0", "cert: signature method not accepted: secure-key signMethod 12"},
		{"nil Verifier", nil, "01", "5.1.0", "cert: signature method not accepted: nil *Verifier: use NewVerifier"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := tt.v.Accepts(tt.method, tt.version)
			if tt.want == "" {
				require.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, ErrMethod)
			require.EqualError(t, err, tt.want)
		})
	}
}
