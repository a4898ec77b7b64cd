package unionpaytest_test

import (
	"sync/atomic"
	"testing"
	"time"

	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

// TestRotationsDateFromTheStart: every certificate a rotation issues, RSA or
// SM2, is dated from the server's start, as the certificates it started with
// are, whatever its clock reads at the rotation.
func TestRotationsDateFromTheStart(t *testing.T) {
	start := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	var offset atomic.Int64
	clock := func() time.Time { return start.Add(time.Duration(offset.Load())) }
	s := unionpaytest.NewServer(keys(t), unionpaytest.WithSM2(), unionpaytest.WithClock(clock))
	defer s.Close()
	want := s.EncryptionCertificate().NotBefore

	offset.Store(int64(400 * 24 * time.Hour))
	for name, rotate := range map[string]func() error{
		"RotateEncryptionCert": s.RotateEncryptionCert,
		"RotateSigningCert":    s.RotateSigningCert,
		"RotateRoot":           s.RotateRoot,
	} {
		if err := rotate(); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for cert, got := range map[string]time.Time{
			"EncryptionCertificate":    s.EncryptionCertificate().NotBefore,
			"SigningCertificate":       s.SigningCertificate().NotBefore,
			"SM2EncryptionCertificate": s.SM2EncryptionCertificate().NotBefore,
			"SM2SigningCertificate":    s.SM2SigningCertificate().NotBefore,
			"SM2RootCertificate":       s.SM2RootCertificate().NotBefore,
		} {
			if !got.Equal(want) {
				t.Errorf("after %s: %s dated %s, want %s (the start's)", name, cert, got, want)
			}
		}
	}
}
