package cert

import (
	"crypto/x509"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/sign"
)

func checkDay(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// TestNextChainMixes: nothing but a leaf issued by one configured middle, itself issued by
// its own configured root, with UnionPay's owner, verifies; a mix of the two chains is refused
// when the Verifier is built.
func TestNextChainMixes(t *testing.T) {
	t.Parallel()
	cur := newTestChain(t, "Checks current", nil)
	next := newTestChain(t, "Checks next", nil)
	now := checkDay(2025, 1, 1)
	cfg := VerifierConfig{Root: cur.root.cert, Middle: cur.middle.cert,
		NextRoot: next.root.cert, NextMiddle: next.middle.cert, Now: fixedNow(now)}
	v, err := NewVerifier(cfg)
	require.NoError(t, err)

	// A forged middle under the next middle's name (another key) issues a leaf: refused.
	forgedSpec := caSpec("Checks next Middle")
	forgedSpec.keyName = "Checks forged key"
	forged := issue(t, forgedSpec, next.root)
	leaf := issue(t, leafSpec(), forged)
	_, err = v.Verify((&testChain{leaf: leaf}).notification(t))
	require.Error(t, err)
	t.Logf("forged middle: %v", err)

	// A leaf issued by the next root directly (no middle): refused.
	leafByRoot := issue(t, leafSpec(), next.root)
	_, err = v.Verify((&testChain{leaf: leafByRoot}).notification(t))
	assert.Equal(t, UnknownAuthority, reasonOf(err), "%v", err)

	// Under the next chain: a wrong owner, the test owner without AcceptTestOwner, and a leaf
	// without digital-signature usage are refused as under the current one.
	for name, spec := range map[string]certSpec{
		"owner":      {cn: "041@8310000000083040@某公司@00016495", keyUsage: x509.KeyUsageDigitalSignature},
		"test owner": {cn: "041@8310000000083040@" + OwnerTest + "@00016495", keyUsage: x509.KeyUsageDigitalSignature},
		"usage":      {cn: unionPayCN, keyUsage: x509.KeyUsageKeyEncipherment},
	} {
		l := issue(t, spec, next.middle)
		_, err := v.Verify((&testChain{leaf: l}).notification(t))
		require.Error(t, err, name)
		assert.Contains(t, []Reason{WrongOwner, BadKeyUsage}, reasonOf(err), "%s: %v", name, err)
	}
	cfgTest := cfg
	cfgTest.AcceptTestOwner = true
	vt, err := NewVerifier(cfgTest)
	require.NoError(t, err)
	lt := issue(t, certSpec{cn: "041@8310000000083040@" + OwnerTest + "@00016495", keyUsage: x509.KeyUsageDigitalSignature}, next.middle)
	_, err = vt.Verify((&testChain{leaf: lt}).notification(t))
	require.NoError(t, err)

	// Mixes in the configuration: the next middle with the current root, the current middle
	// with the next root.
	for name, c := range map[string]VerifierConfig{
		"next middle, current root": {Root: cur.root.cert, Middle: cur.middle.cert, NextRoot: cur.root.cert, NextMiddle: next.middle.cert},
		"current middle, next root": {Root: cur.root.cert, Middle: cur.middle.cert, NextRoot: next.root.cert, NextMiddle: cur.middle.cert},
		"middle as root":            {Root: cur.root.cert, Middle: cur.middle.cert, NextRoot: next.middle.cert, NextMiddle: next.middle.cert},
	} {
		_, err := NewVerifier(c)
		require.Error(t, err, name)
	}
}

// TestNextChainCacheWindows: a cached leaf of either chain is used only within its own
// chain's validity: the next chain's middle expiring stops its leaves, the current chain's
// middle expiring stops its leaves, whatever the other chain's validity.
func TestNextChainCacheWindows(t *testing.T) {
	t.Parallel()
	short := windowChain(t, windowSpec{middleTo: checkDay(2025, 6, 1)}) // middle expires mid-2025
	long := newTestChain(t, "Checks long", nil)                         // valid to 2030
	at := checkDay(2025, 1, 1)
	now := &at
	for name, cfg := range map[string]VerifierConfig{
		"next expires first":    {Root: long.root.cert, Middle: long.middle.cert, NextRoot: short.root.cert, NextMiddle: short.middle.cert},
		"current expires first": {Root: short.root.cert, Middle: short.middle.cert, NextRoot: long.root.cert, NextMiddle: long.middle.cert},
	} {
		at = checkDay(2025, 1, 1)
		cfg.Now = func() time.Time { return *now }
		v, err := NewVerifier(cfg)
		require.NoError(t, err)
		nShort, nLong := short.notification(t), long.notification(t)
		_, err = v.Verify(nShort)
		require.NoError(t, err, name)
		_, err = v.Verify(nLong)
		require.NoError(t, err, name)
		at = checkDay(2025, 7, 1)
		_, err = v.Verify(nShort)
		assert.Equal(t, Expired, reasonOf(err), "%s: a cached leaf of the expired chain: %v", name, err)
		_, err = v.Verify(nLong)
		require.NoError(t, err, name)
	}
}

// TestNextSM2Encryption: UnionPay's SM2 encryption certificate issued under the next SM2
// chain is accepted by ValidateEncryptionCertificate (Client.UpdateEncryptionCertificate), one
// issued under neither is not.
func TestNextSM2Encryption(t *testing.T) {
	t.Parallel()
	cur := newSM2TestChain(t, "Checks current", nil)
	next := newSM2TestChain(t, "Checks next", nil)
	other := newSM2TestChain(t, "Checks other", nil)
	v, err := NewVerifier(VerifierConfig{SM2Root: cur.root.cert, SM2Middle: cur.middle.cert,
		NextSM2Root: next.root.cert, NextSM2Middle: next.middle.cert, Now: fixedNow(checkDay(2025, 1, 1))})
	require.NoError(t, err)
	spec := certSpec{cn: "041@Checks@" + OwnerUnionPay + "@2", keyUsage: x509.KeyUsageKeyEncipherment | x509.KeyUsageDataEncipherment}
	require.NoError(t, v.ValidateEncryptionCertificate(issueSM2(t, spec, next.middle).cert))
	require.NoError(t, v.ValidateEncryptionCertificate(issueSM2(t, spec, cur.middle).cert))
	assert.Equal(t, UnknownAuthority, reasonOf(v.ValidateEncryptionCertificate(issueSM2(t, spec, other.middle).cert)))
	_, err = v.Verify(sm2Response(t, other.leaf, sign.Version510))
	assert.Equal(t, UnknownAuthority, reasonOf(err))
}

// TestNextChainConfigMore: NextSM2Root and NextSM2Middle with SM2 5.0.0 certificates only
// (no SM2Root and SM2Middle) are a configuration error, not a panic.
func TestNextChainConfigMore(t *testing.T) {
	t.Parallel()
	cur := newSM2TestChain(t, "Checks cfg current", nil)
	next := newSM2TestChain(t, "Checks cfg next", nil)
	require.NotPanics(t, func() {
		_, err := NewVerifier(VerifierConfig{SM2Certs: []*x509.Certificate{cur.leaf.cert},
			NextSM2Root: next.root.cert, NextSM2Middle: next.middle.cert})
		require.Error(t, err)
		assert.Contains(t, err.Error(), "with SM2Root and SM2Middle")
	})
}

// TestCheckChainValidityNextRoot: a next chain whose middle is valid but whose root has
// expired does not make an expired current chain acceptable, for RSA and SM2.
func TestCheckChainValidityNextRoot(t *testing.T) {
	t.Parallel()
	now := checkDay(2025, 1, 1)
	old := windowChain(t, windowSpec{middleTo: checkDay(2024, 1, 1)})
	rootGone := windowChain(t, windowSpec{rootTo: checkDay(2024, 6, 1)})
	v, err := NewVerifier(VerifierConfig{Root: old.root.cert, Middle: old.middle.cert,
		NextRoot: rootGone.root.cert, NextMiddle: rootGone.middle.cert, Now: fixedNow(now)})
	require.NoError(t, err)
	err = v.CheckChainValidity(false)
	assert.Equal(t, Expired, reasonOf(err), "%v", err)

	rs, ms := caSpec("Checks SM2 old Root"), caSpec("Checks SM2 old Middle")
	ms.notAfter = checkDay(2024, 1, 1)
	sOldRoot := issueSM2(t, rs, nil)
	sOldMiddle := issueSM2(t, ms, sOldRoot)
	rs2, ms2 := caSpec("Checks SM2 next Root"), caSpec("Checks SM2 next Middle")
	rs2.notAfter = checkDay(2024, 6, 1)
	sNextRoot := issueSM2(t, rs2, nil)
	sNextMiddle := issueSM2(t, ms2, sNextRoot)
	v, err = NewVerifier(VerifierConfig{SM2Root: sOldRoot.cert, SM2Middle: sOldMiddle.cert,
		NextSM2Root: sNextRoot.cert, NextSM2Middle: sNextMiddle.cert, Now: fixedNow(now)})
	require.NoError(t, err)
	err = v.CheckChainValidity(true)
	assert.Equal(t, Expired, reasonOf(err), "%v", err)
	assert.Contains(t, err.Error(), "VerifierConfig.SM2Middle")
}
