package cert

import (
	"crypto/x509"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/sign"
)

// TestNextChain: with NextRoot and NextMiddle set, a message signed under UnionPay's next chain
// verifies as one signed under the current chain does, so that neither side of a switch fails;
// a certificate neither middle issued is refused for the current chain's reason, and one the
// next middle issued is held to its chain's validity. CheckChainValidity needs one of the two
// chains valid.
func TestNextChain(t *testing.T) {
	t.Parallel()
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }
	cur := newTestChain(t, "Rotation current", nil)
	next := newTestChain(t, "Rotation next", nil)
	other := newTestChain(t, "Rotation other", nil)
	at := func(now time.Time, withNext bool) *Verifier {
		cfg := VerifierConfig{Root: cur.root.cert, Middle: cur.middle.cert, Now: fixedNow(now)}
		if withNext {
			cfg.NextRoot, cfg.NextMiddle = next.root.cert, next.middle.cert
		}
		v, err := NewVerifier(cfg)
		require.NoError(t, err)
		return v
	}
	now := day(2025, 1, 1)
	for _, withNext := range []bool{false, true} {
		v := at(now, withNext)
		_, err := v.Verify(cur.notification(t))
		require.NoError(t, err, "current chain, next %v", withNext)
		_, err = v.Verify(next.notification(t))
		if withNext {
			require.NoError(t, err, "next chain")
		} else {
			assert.Equal(t, UnknownAuthority, reasonOf(err), "next chain not configured: %v", err)
		}
		_, err = v.Verify(other.notification(t))
		assert.Equal(t, UnknownAuthority, reasonOf(err), "a third chain, next %v: %v", withNext, err)
		assert.Contains(t, err.Error(), "Rotation current Middle", "the current chain's reason")
	}

	// A leaf naming the next middle but issued under another key (a forged middle of that name) is
	// refused for the next chain's reason, naming that middle, not the current one.
	fs := caSpec("Rotation next Middle")
	fs.keyName = "Rotation forged key"
	forged := issue(t, fs, next.root)
	forgedLeaf := &testChain{leaf: issue(t, leafSpec(), forged)}
	_, err := at(now, true).Verify(forgedLeaf.notification(t))
	require.Error(t, err)
	assert.Contains(t, err.Error(), `configured "CN=Rotation next Middle`)
	assert.NotContains(t, err.Error(), "Rotation current Middle")

	// The next chain's validity holds for its certificates: its middle expired, they are refused.
	expiring := windowChain(t, windowSpec{middleTo: day(2024, 1, 1)})
	v, err := NewVerifier(VerifierConfig{Root: cur.root.cert, Middle: cur.middle.cert,
		NextRoot: expiring.root.cert, NextMiddle: expiring.middle.cert, Now: fixedNow(now)})
	require.NoError(t, err)
	_, err = v.Verify(expiring.notification(t))
	assert.Equal(t, Expired, reasonOf(err), "%v", err)
	require.NoError(t, v.CheckChainValidity(false), "the current chain is valid")

	// UnionPay's encryption certificate issued under the next chain is accepted too
	// (Client.UpdateEncryptionCertificate).
	enc := issue(t, certSpec{cn: "041@Rotation@" + OwnerUnionPay + "@1", serial: 4242,
		keyUsage: x509.KeyUsageKeyEncipherment | x509.KeyUsageDataEncipherment}, next.middle)
	require.NoError(t, at(now, true).ValidateEncryptionCertificate(enc.cert))
	require.Error(t, at(now, false).ValidateEncryptionCertificate(enc.cert))

	// CheckChainValidity: the current chain expired, the next valid: nil; both expired: the
	// current chain's middle named.
	old := windowChain(t, windowSpec{middleTo: day(2024, 1, 1)})
	v, err = NewVerifier(VerifierConfig{Root: old.root.cert, Middle: old.middle.cert,
		NextRoot: next.root.cert, NextMiddle: next.middle.cert, Now: fixedNow(now)})
	require.NoError(t, err)
	require.NoError(t, v.CheckChainValidity(false))
	v, err = NewVerifier(VerifierConfig{Root: old.root.cert, Middle: old.middle.cert,
		NextRoot: expiring.root.cert, NextMiddle: expiring.middle.cert, Now: fixedNow(now)})
	require.NoError(t, err)
	err = v.CheckChainValidity(false)
	assert.Equal(t, Expired, reasonOf(err), "%v", err)
	assert.Contains(t, err.Error(), "VerifierConfig.Middle:")
}

// TestNextSM2Chain: NextSM2Root and NextSM2Middle do for SM2 what NextRoot and NextMiddle do.
func TestNextSM2Chain(t *testing.T) {
	t.Parallel()
	cur := newSM2TestChain(t, "Rotation current", nil)
	next := newSM2TestChain(t, "Rotation next", nil)
	other := newSM2TestChain(t, "Rotation other", nil)
	v, err := NewVerifier(VerifierConfig{SM2Root: cur.root.cert, SM2Middle: cur.middle.cert,
		NextSM2Root: next.root.cert, NextSM2Middle: next.middle.cert, Now: fixedNow(time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC))})
	require.NoError(t, err)
	for name, iss := range map[string]*sm2Issued{"current": cur.leaf, "next": next.leaf} {
		_, err := v.Verify(sm2Response(t, iss, sign.Version510))
		require.NoError(t, err, name)
	}
	_, err = v.Verify(sm2Response(t, other.leaf, sign.Version510))
	assert.Equal(t, UnknownAuthority, reasonOf(err), "%v", err)
	require.NoError(t, v.CheckChainValidity(true))

	// The next chain's validity holds for its certificates.
	rs, ms := caSpec("Rotation expiring SM2 Root"), caSpec("Rotation expiring SM2 Middle")
	ms.notAfter = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	root := issueSM2(t, rs, nil)
	middle := issueSM2(t, ms, root)
	leaf := issueSM2(t, leafSpec(), middle)
	v, err = NewVerifier(VerifierConfig{SM2Root: cur.root.cert, SM2Middle: cur.middle.cert,
		NextSM2Root: root.cert, NextSM2Middle: middle.cert, Now: fixedNow(time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC))})
	require.NoError(t, err)
	_, err = v.Verify(sm2Response(t, leaf, sign.Version510))
	assert.Equal(t, Expired, reasonOf(err), "%v", err)
}

// TestNextChainConfig: a next chain comes whole, with a current one, and must itself be a
// chain; each mistake is named.
func TestNextChainConfig(t *testing.T) {
	t.Parallel()
	cur := newTestChain(t, "Rotation current", nil)
	next := newTestChain(t, "Rotation next", nil)
	sm2cur := newSM2TestChain(t, "Rotation current", nil)
	sm2next := newSM2TestChain(t, "Rotation next", nil)
	tests := []struct {
		name string
		cfg  VerifierConfig
		want string
	}{
		{"NextRoot alone", VerifierConfig{Root: cur.root.cert, Middle: cur.middle.cert, NextRoot: next.root.cert},
			"NextRoot and NextMiddle go together"},
		{"next without current", VerifierConfig{NextRoot: next.root.cert, NextMiddle: next.middle.cert,
			LegacyCerts: []*x509.Certificate{cur.leaf.cert}}, "and with Root and Middle"},
		{"next middle not issued by next root", VerifierConfig{Root: cur.root.cert, Middle: cur.middle.cert,
			NextRoot: next.root.cert, NextMiddle: cur.middle.cert}, "VerifierConfig.NextMiddle: "},
		{"an SM2 chain as the RSA next", VerifierConfig{Root: cur.root.cert, Middle: cur.middle.cert,
			NextRoot: sm2next.root.cert, NextMiddle: sm2next.middle.cert}, "SM2"},
		{"NextSM2Middle alone", VerifierConfig{SM2Root: sm2cur.root.cert, SM2Middle: sm2cur.middle.cert,
			NextSM2Middle: sm2next.middle.cert}, "NextSM2Root and NextSM2Middle go together"},
		{"SM2 next without current", VerifierConfig{Root: cur.root.cert, Middle: cur.middle.cert,
			NextSM2Root: sm2next.root.cert, NextSM2Middle: sm2next.middle.cert}, "and with SM2Root and SM2Middle"},
		{"an RSA chain as the SM2 next", VerifierConfig{SM2Root: sm2cur.root.cert, SM2Middle: sm2cur.middle.cert,
			NextSM2Root: next.root.cert, NextSM2Middle: next.middle.cert}, "NextSM2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := NewVerifier(tt.cfg)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
		})
	}
}
