package unionpay

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/goacp/unionpay/cert"
)

// TestSameCertificate: Expiries drops a 5.0.0 entry as the encryption certificate only when it
// describes that very certificate: same key algorithm, certId, subject and validity, whatever
// the role; a certificate that differs in any of them (a renewed one under the same serial, one
// of another CA) is listed.
func TestSameCertificate(t *testing.T) {
	t.Parallel()
	from := time.Date(2020, 9, 11, 2, 43, 26, 0, time.UTC)
	enc := cert.Expiry{Role: cert.RoleEncryption, Algorithm: "RSA", CertID: "69683525138",
		Subject: "CN=041@Z12@00040000:SIGN@00000062", NotBefore: from, NotAfter: from.AddDate(5, 0, 0)}
	tests := []struct {
		name string
		edit func(*cert.Expiry)
		same bool
	}{
		{"another role", func(e *cert.Expiry) { e.Role = cert.RoleLegacySigning }, true},
		{"the instant in another zone", func(e *cert.Expiry) { e.NotAfter = e.NotAfter.In(time.FixedZone("CST", 8*3600)) }, true},
		{"another algorithm", func(e *cert.Expiry) { e.Algorithm = "SM2" }, false},
		{"another certId", func(e *cert.Expiry) { e.CertID = "69683525139" }, false},
		{"another subject", func(e *cert.Expiry) { e.Subject = "CN=041@Z12@00040000:SIGN@00000063" }, false},
		{"another notBefore", func(e *cert.Expiry) { e.NotBefore = e.NotBefore.Add(time.Second) }, false},
		{"another notAfter", func(e *cert.Expiry) { e.NotAfter = e.NotAfter.Add(time.Second) }, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			other := enc
			tt.edit(&other)
			assert.Equal(t, tt.same, sameCertificate(other, enc))
			assert.Equal(t, tt.same, sameCertificate(enc, other))
		})
	}
}
