package cert

import (
	"bytes"
	"math/big"
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestInvalidErrorShortNames: what an *InvalidError's text quotes of a certificate that may be an
// attacker's (in a notification's signPubKeyCert), its common name, its issuer's name, its owner
// field, its serial number, a PEM block's type, is cut to 64 bytes (or digits), then its length:
// quoted whole, a name of 8 KiB of control bytes made a 32 KB line in the log of every refused
// notification, twice over for a missing owner field.
func TestInvalidErrorShortNames(t *testing.T) {
	t.Parallel()
	good := newTestChain(t, "Good", nil)
	v := good.verifier(t, timeGenerated)
	long := strings.Repeat("\x01", 8<<10)
	leafWith := func(edit func(*certSpec)) *issued {
		s := leafSpec()
		edit(&s)
		return issue(t, s, good.middle)
	}
	hugeSerial := new(big.Int).Lsh(big.NewInt(1), 4096) // 1,234 digits
	longIssuer := issue(t, caSpec("Root "+long), nil)
	tests := []struct {
		name string
		leaf *issued
		want Reason
	}{
		{"no owner field", leafWith(func(s *certSpec) { s.cn = long }), WrongOwner},
		{"wrong owner", leafWith(func(s *certSpec) { s.cn = "a@b@" + long + "@c" }), WrongOwner},
		{"issued by another", issue(t, leafSpec(), longIssuer), UnknownAuthority},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := v.Verify((&testChain{leaf: tt.leaf}).notification(t))
			requireReason(t, err, tt.want)
			assert.Less(t, len(err.Error()), 700, "%.1000s", err.Error())
			assert.Contains(t, err.Error(), "bytes)")
		})
	}
	t.Run("serial number", func(t *testing.T) {
		t.Parallel()
		c := *good.leaf.cert
		c.SerialNumber = hugeSerial
		err := &InvalidError{Cert: &c, Reason: Expired}
		assert.Less(t, len(err.Error()), 300, "%.1000s", err.Error())
		assert.Contains(t, err.Error(), "certificate <a serial number of 513 bytes, longer than RFC 5280's 20> (CN=")
		c.SerialNumber = new(big.Int).SetBytes(bytes.Repeat([]byte{0xff}, 20)) // RFC 5280's longest
		err = &InvalidError{Cert: &c, Reason: Expired}
		assert.Contains(t, err.Error(), "certificate "+c.SerialNumber.String()+" (CN=", "shown whole")
	})
	t.Run("PEM type", func(t *testing.T) {
		t.Parallel()
		f := good.notification(t)
		typ := strings.Repeat("X", 8<<10)
		f[FieldSignPubKeyCert] = "-----BEGIN " + typ + "-----\r\nAAAA\r\n-----END " + typ + "-----"
		_, err := v.Verify(f)
		requireReason(t, err, Malformed)
		assert.Less(t, len(err.Error()), 300, "%.1000s", err.Error())
		assert.Contains(t, err.Error(), "… (8192 bytes)")
	})
	t.Run("short names whole", func(t *testing.T) {
		t.Parallel()
		leaf := leafWith(func(s *certSpec) { s.cn = "UnionPay\n" })
		_, err := v.Verify((&testChain{leaf: leaf}).notification(t))
		requireReason(t, err, WrongOwner)
		assert.Contains(t, err.Error(), `(CN="UnionPay\n")`)
		assert.Contains(t, err.Error(), `common name "UnionPay\n" has no owner field`)
	})
}

// TestInvalidErrorHugeSerialNotFormatted: the error of a certificate with a serial of tens of
// kilobytes (crypto/x509 reads any length; a forged signPubKeyCert in a 64 KiB notification can
// hold one) does not compute its decimal, which takes milliseconds and allocates its ~100,000
// digits, for every refused message logged. Not parallel: it counts the bytes the process
// allocates.
func TestInvalidErrorHugeSerialNotFormatted(t *testing.T) {
	good := newTestChain(t, "HugeSerial", nil)
	c := *good.leaf.cert
	c.SerialNumber = new(big.Int).SetBytes(bytes.Repeat([]byte{0xa5}, 40_000))
	err := &InvalidError{Cert: &c, Reason: BadSignature}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	msg := err.Error()
	runtime.ReadMemStats(&after)
	assert.Contains(t, msg, "<a serial number of 40000 bytes, longer than RFC 5280's 20>")
	assert.Less(t, after.TotalAlloc-before.TotalAlloc, uint64(32<<10), "bytes allocated to write the error")
}
