package unionpaytest_test

import (
	"sync/atomic"
	"testing"
	"time"

	"github.com/goacp/unionpay/cert"
	"github.com/goacp/unionpay/sign"
	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

// TestRotationsDateFromTheStart: every certificate a rotation issues, RSA or
// SM2, is dated from the server's start, as the certificates it started with
// are, whatever its clock reads at the rotation: the n-th rotation's n
// seconds after them, so that a rotated certificate is always newer than the
// one it replaces, as UnionPay's are.
func TestRotationsDateFromTheStart(t *testing.T) {
	start := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	var offset atomic.Int64
	clock := func() time.Time { return start.Add(time.Duration(offset.Load())) }
	s := unionpaytest.NewServer(keys(t), unionpaytest.WithSM2(), unionpaytest.WithClock(clock))
	defer s.Close()
	base := s.EncryptionCertificate().NotBefore

	offset.Store(int64(400 * 24 * time.Hour))
	type dated map[string]time.Time
	current := func() dated {
		return dated{
			"EncryptionCertificate":    s.EncryptionCertificate().NotBefore,
			"SigningCertificate":       s.SigningCertificate().NotBefore,
			"SM2EncryptionCertificate": s.SM2EncryptionCertificate().NotBefore,
			"SM2SigningCertificate":    s.SM2SigningCertificate().NotBefore,
			"SM2RootCertificate":       s.SM2RootCertificate().NotBefore,
		}
	}
	// What each rotation renews; the others keep their dates.
	for i, step := range []struct {
		name    string
		rotate  func() error
		renewed []string
	}{
		{"RotateEncryptionCert", s.RotateEncryptionCert, []string{"EncryptionCertificate", "SM2EncryptionCertificate"}},
		{"RotateSigningCert", s.RotateSigningCert, []string{"SigningCertificate", "SM2SigningCertificate"}},
		{"RotateRoot", s.RotateRoot, []string{"EncryptionCertificate", "SigningCertificate", "SM2EncryptionCertificate",
			"SM2SigningCertificate", "SM2RootCertificate"}},
	} {
		before := current()
		if err := step.rotate(); err != nil {
			t.Fatalf("%s: %v", step.name, err)
		}
		after := current()
		want := base.Add(time.Duration(i+1) * time.Second)
		for _, name := range step.renewed {
			if !after[name].Equal(want) {
				t.Errorf("after %s: %s dated %s, want %s (the start's, plus a second a rotation)", step.name, name, after[name], want)
			}
			if !after[name].After(before[name]) {
				t.Errorf("after %s: %s dated %s, not after the one it replaced (%s)", step.name, name, after[name], before[name])
			}
			delete(after, name)
		}
		for name, got := range after {
			if !got.Equal(before[name]) {
				t.Errorf("after %s: %s dated %s, was %s (not renewed)", step.name, name, got, before[name])
			}
		}
	}
}

// TestRotatedSigningCertIsNewestSeen: a message signed before RotateSigningCert, validated
// after one signed under the new certificate (a notification sent again), does not make the
// replaced certificate a verifier's newest seen (cert.RoleSeenSigning): the rotated certificate
// is dated later, as in production, where equal dates would leave the one validated last.
func TestRotatedSigningCertIsNewestSeen(t *testing.T) {
	s := unionpaytest.NewServer(keys(t), unionpaytest.WithClock(unionpaytest.BusinessDayClock()))
	defer s.Close()
	msg := sign.Fields{"version": "5.1.0", "encoding": "UTF-8", "signMethod": "01", "txnType": "01", "txnSubType": "01",
		"bizType": "000201", "accessType": "0", "merId": unionpaytest.DefaultMerchantID, "orderId": "NEWEST000001",
		"txnTime": "20260302100000", "txnAmt": "1000", "currencyCode": "156", "respCode": "00", "respMsg": "success"}
	old, err := s.Sign(msg)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.RotateSigningCert(); err != nil {
		t.Fatal(err)
	}
	renewed, err := s.Sign(msg)
	if err != nil {
		t.Fatal(err)
	}
	v, err := s.NotifyVerifier()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []sign.Fields{renewed, old} {
		if _, err := v.Verify(f); err != nil {
			t.Fatalf("verify: %v", err)
		}
	}
	want := cert.CertID(s.SigningCertificate())
	for _, e := range v.Expiries() {
		if e.Role == cert.RoleSeenSigning && e.CertID != want {
			t.Errorf("newest seen is %s (the replaced certificate), want %s (the rotated one)", e.CertID, want)
		}
	}
}
