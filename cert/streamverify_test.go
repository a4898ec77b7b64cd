package cert

import (
	"crypto/x509"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/sign"
)

// streamSetup is a Verifier accepting every method, with a signer for each method and version.
type streamSetup struct {
	v       *Verifier
	signers []streamSigner
}

type streamSigner struct {
	name, version string
	s             sign.Signer
	pem           string // signPubKeyCert, for 5.1.0 certificate methods
}

const streamSecureKey = "s3cure-K3y-for-streaming"

func newStreamSetup(t testing.TB) *streamSetup {
	t.Helper()
	rsaChain := newTestChain(t, "Stream", nil)
	sm2Chain := newSM2TestChain(t, "Stream", nil)
	v, err := NewVerifier(VerifierConfig{
		Root: rsaChain.root.cert, Middle: rsaChain.middle.cert, LegacyCerts: []*x509.Certificate{rsaChain.leaf.cert},
		SM2Root: sm2Chain.root.cert, SM2Middle: sm2Chain.middle.cert, SM2Certs: []*x509.Certificate{sm2Chain.leaf.cert},
		SecureKey: []byte(streamSecureKey), Now: fixedNow(timeGenerated),
	})
	require.NoError(t, err)
	rsaSigner, err := sign.NewRSASigner(rsaChain.leaf.key, CertID(rsaChain.leaf.cert))
	require.NoError(t, err)
	sm2Signer, err := sign.NewSM2Signer(sm2Chain.leaf.key, CertID(sm2Chain.leaf.cert))
	require.NoError(t, err)
	key11, err := sign.NewSecureKeySigner(sign.MethodSHA256Key, []byte(streamSecureKey))
	require.NoError(t, err)
	key12, err := sign.NewSecureKeySigner(sign.MethodSM3Key, []byte(streamSecureKey))
	require.NoError(t, err)
	return &streamSetup{v: v, signers: []streamSigner{
		{"RSA 5.1.0", sign.Version510, rsaSigner, rsaChain.leaf.pem},
		{"RSA 5.0.0", sign.Version500, rsaSigner, ""},
		{"RSA 5.0.1", "5.0.1", rsaSigner, ""},
		{"RSA 1.0.0", "1.0.0", rsaSigner, ""},
		{"SM2 5.1.0", sign.Version510, sm2Signer, sm2Chain.leaf.pem},
		{"SM2 5.0.0", sign.Version500, sm2Signer, ""},
		{"key 11", sign.Version510, key11, ""},
		{"key 12", sign.Version500, key12, ""},
	}}
}

// fileAnswer returns a signed file download answer whose fileContent is size bytes.
func (s *streamSigner) fileAnswer(t testing.TB, encoding string, size int) sign.Fields {
	t.Helper()
	f := sign.Fields{
		"version": s.version, "encoding": encoding, "txnType": "76", "txnSubType": "01", "bizType": "000000",
		"respCode": "00", "respMsg": "成功[0000000]", "fileName": "777290058110048_20240104.zip",
		"fileContent": strings.Repeat("eJzLSM3JyVcozy/KSQEAGgQEXQ==", size/28+1)[:size],
	}
	if s.pem != "" {
		f[FieldSignPubKeyCert] = s.pem
	}
	require.NoError(t, sign.Sign(s.s, f))
	return f
}

// verifyWhole is v.Verify(f) with f's string to sign built whole, as Verify builds it for a
// message no longer than streamAbove.
func verifyWhole(v *Verifier, f sign.Fields) (*Signed, error) {
	canonical, err := sign.Canonical(f)
	if err != nil {
		return nil, fmt.Errorf("cert: building the string to sign: %w", err)
	}
	if f[sign.FieldSignMethod] != sign.MethodSM2 {
		return v.verify(f, canonical) // a string to sign the caller has is used as it is
	}
	var c *x509.Certificate
	if f[sign.FieldVersion] == sign.Version510 {
		c, err = v.sm2.signingCert(f, v.now(), v.acceptTestOwner)
	} else {
		c, err = v.sm2.legacyCert(f, f[sign.FieldVersion], v.now())
	}
	if err != nil {
		return nil, err
	}
	id := CertID(c)
	if err := sign.VerifySM2(sm2PublicKey(c), id, canonical, f[sign.FieldSignature]); err != nil {
		return nil, fmt.Errorf("cert: message signed with certId %s: %w", id, err)
	}
	return &Signed{Method: sign.MethodSM2, Version: f[sign.FieldVersion], CertID: id, Certificate: c}, nil
}

// alter returns a copy of f with field k set to value.
func alter(f sign.Fields, k, value string) sign.Fields {
	c := f.Clone()
	c[k] = value
	return c
}

// otherChar returns s with its character at i replaced by another of the same alphabet
// (base64 or lowercase hex).
func otherChar(s string, i int) string {
	c := byte('A')
	if s[i] == 'A' || s[i] == '0' {
		c = '1'
	}
	return s[:i] + string(c) + s[i+1:]
}

// TestVerifyStreamedAsWhole: for every method and version the Verifier accepts, in UTF-8 and
// GBK, a message whose string to sign is hashed in pieces verifies, or fails with the same
// error, exactly as when the string is built whole: genuine, with its signature altered, not
// base64 or too long, with a value altered deep in fileContent or in respMsg (Chinese), with
// a value GBK cannot represent.
func TestVerifyStreamedAsWhole(t *testing.T) {
	t.Parallel()
	setup := newStreamSetup(t)
	for _, s := range setup.signers {
		for _, enc := range []string{"UTF-8", "GBK", "gbk", "UTF8"} {
			for _, size := range []int{1000, streamAbove + 1, 3 * streamAbove} {
				f := s.fileAnswer(t, enc, size)
				stream := streamedFor(setup.v, f)
				require.Equal(t, size > streamAbove, stream, "%s %s %d: streamed", s.name, enc, size)
				sig := f[sign.FieldSignature]
				content := f["fileContent"]
				variants := map[string]sign.Fields{
					"genuine":                f,
					"signature altered":      alter(f, sign.FieldSignature, otherChar(sig, len(sig)/2)),
					"signature not base64":   alter(f, sign.FieldSignature, "!!!!"+sig[4:]),
					"signature too long":     alter(f, sign.FieldSignature, strings.Repeat("QUJD", 200)),
					"fileContent altered":    alter(f, "fileContent", otherChar(content, len(content)*2/3)),
					"respMsg altered":        alter(f, "respMsg", "失败[0000000]"),
					"respMsg not in GBK":     alter(f, "respMsg", "成功😀"),
					"respMsg invalid UTF-8":  alter(f, "respMsg", "成\xe5"),
					"field added":            alter(f, "reserved", "{a=b&c=d}"),
					"field with an odd name": alter(f, "a=b&c", "d"),
				}
				for name, m := range variants {
					t.Run(fmt.Sprintf("%s/%s/%d/%s", s.name, enc, size, name), func(t *testing.T) {
						t.Parallel()
						got, err := setup.v.Verify(m)
						want, wantErr := verifyWhole(setup.v, m)
						if wantErr != nil {
							require.Error(t, err)
							assert.Equal(t, wantErr.Error(), err.Error())
							assert.Equal(t, errors.Is(wantErr, sign.ErrSignature), errors.Is(err, sign.ErrSignature))
							assert.Equal(t, errors.Is(wantErr, sign.ErrCharset), errors.Is(err, sign.ErrCharset))
							assert.NotEqual(t, "genuine", name)
							return
						}
						require.NoError(t, err)
						assert.Equal(t, want, got)
						assert.Equal(t, "genuine", name)
					})
				}
			}
		}
	}
}

// streamedFor reports whether v hashes f's string to sign in pieces.
func streamedFor(v *Verifier, f sign.Fields) bool {
	if f[sign.FieldSignMethod] == sign.MethodSM2 {
		return streamed(f)
	}
	buf, _, stream, err := v.canonical(f, nil)
	v.release(buf)
	return err == nil && stream
}
