package cert

import (
	"crypto/x509"
	"encoding/json"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/sign"
)

// listed is what the tests compare of an Expiry: its role, algorithm and certId.
type listed struct {
	role      Role
	algorithm string
	certID    string
}

func listOf(es []Expiry) []listed {
	var out []listed
	for _, e := range es {
		out = append(out, listed{e.Role, e.Algorithm, e.CertID})
	}
	return out
}

func rsaListed(role Role, c *x509.Certificate) listed { return listed{role, AlgorithmRSA, CertID(c)} }
func sm2Listed(role Role, c *x509.Certificate) listed { return listed{role, AlgorithmSM2, CertID(c)} }

// TestVerifierExpiries: a Verifier lists every certificate its configuration trusts, each once
// and in a fixed order (RSA, then SM2: root, middle, next root, next middle, the 5.0.0
// certificates by certId), then the signing certificates it last validated; a nil or zero
// Verifier, or one with a secure key only, lists none.
func TestVerifierExpiries(t *testing.T) {
	t.Parallel()
	now := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	cur := newTestChain(t, "Expiry current", nil)
	next := newTestChain(t, "Expiry next", nil)
	legacyA := issue(t, certSpec{cn: unionPayCN, serial: 900, keyName: "Expiry legacy",
		keyUsage: x509.KeyUsageDigitalSignature}, cur.middle)
	legacyB := issue(t, certSpec{cn: unionPayCN, serial: 80, keyName: "Expiry legacy",
		keyUsage: x509.KeyUsageDigitalSignature}, cur.middle)
	legacyC := issue(t, certSpec{cn: unionPayCN, serial: 1000, keyName: "Expiry legacy",
		keyUsage: x509.KeyUsageDigitalSignature}, cur.middle) // after 900 in numbers, before it in text
	sm2Cur := newSM2TestChain(t, "Expiry current", nil)
	sm2Next := newSM2TestChain(t, "Expiry next", nil)

	tests := []struct {
		name   string
		cfg    VerifierConfig
		verify []sign.Fields // messages verified before listing
		want   []listed
	}{
		{
			name: "chain",
			cfg:  VerifierConfig{Root: cur.root.cert, Middle: cur.middle.cert},
			want: []listed{rsaListed(RoleRoot, cur.root.cert), rsaListed(RoleMiddle, cur.middle.cert)},
		},
		{
			name:   "chain after a message",
			cfg:    VerifierConfig{Root: cur.root.cert, Middle: cur.middle.cert},
			verify: []sign.Fields{cur.notification(t)},
			want: []listed{rsaListed(RoleRoot, cur.root.cert), rsaListed(RoleMiddle, cur.middle.cert),
				rsaListed(RoleSeenSigning, cur.leaf.cert)},
		},
		{
			name: "next chain",
			cfg: VerifierConfig{Root: cur.root.cert, Middle: cur.middle.cert,
				NextRoot: next.root.cert, NextMiddle: next.middle.cert},
			want: []listed{rsaListed(RoleRoot, cur.root.cert), rsaListed(RoleMiddle, cur.middle.cert),
				rsaListed(RoleNextRoot, next.root.cert), rsaListed(RoleNextMiddle, next.middle.cert)},
		},
		{
			name: "legacy certificates in certId order, a duplicate once",
			cfg:  VerifierConfig{LegacyCerts: []*x509.Certificate{legacyC.cert, legacyA.cert, legacyB.cert, legacyA.cert}},
			want: []listed{rsaListed(RoleLegacySigning, legacyB.cert), rsaListed(RoleLegacySigning, legacyA.cert),
				rsaListed(RoleLegacySigning, legacyC.cert)},
		},
		{
			name: "SM2 chains and certificates",
			cfg: VerifierConfig{SM2Root: sm2Cur.root.cert, SM2Middle: sm2Cur.middle.cert,
				NextSM2Root: sm2Next.root.cert, NextSM2Middle: sm2Next.middle.cert, SM2Certs: []*x509.Certificate{sm2Cur.leaf.cert}},
			verify: []sign.Fields{sm2Response(t, sm2Next.leaf, sign.Version510)},
			want: []listed{sm2Listed(RoleRoot, sm2Cur.root.cert), sm2Listed(RoleMiddle, sm2Cur.middle.cert),
				sm2Listed(RoleNextRoot, sm2Next.root.cert), sm2Listed(RoleNextMiddle, sm2Next.middle.cert),
				sm2Listed(RoleLegacySigning, sm2Cur.leaf.cert), sm2Listed(RoleSeenSigning, sm2Next.leaf.cert)},
		},
		{
			name: "RSA before SM2, each the newest seen",
			cfg: VerifierConfig{Root: cur.root.cert, Middle: cur.middle.cert, LegacyCerts: []*x509.Certificate{legacyA.cert},
				SM2Root: sm2Cur.root.cert, SM2Middle: sm2Cur.middle.cert},
			verify: []sign.Fields{sm2Response(t, sm2Cur.leaf, sign.Version510), cur.notification(t)},
			want: []listed{rsaListed(RoleRoot, cur.root.cert), rsaListed(RoleMiddle, cur.middle.cert),
				rsaListed(RoleLegacySigning, legacyA.cert),
				sm2Listed(RoleRoot, sm2Cur.root.cert), sm2Listed(RoleMiddle, sm2Cur.middle.cert),
				rsaListed(RoleSeenSigning, cur.leaf.cert), sm2Listed(RoleSeenSigning, sm2Cur.leaf.cert)},
		},
		{
			name: "secure key only",
			cfg:  VerifierConfig{SecureKey: []byte("88888888")},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tt.cfg.Now = fixedNow(now)
			v, err := NewVerifier(tt.cfg)
			require.NoError(t, err)
			for _, f := range tt.verify {
				_, err := v.Verify(f)
				require.NoError(t, err)
			}
			assert.Equal(t, tt.want, listOf(v.Expiries()))
		})
	}

	var zero Verifier
	assert.Nil(t, zero.Expiries(), "zero Verifier")
	assert.Nil(t, (*Verifier)(nil).Expiries(), "nil Verifier")
}

// TestSeenSigningFollowsRotation: the last-seen signing certificate is the newest one validated
// (the latest NotBefore; of two issued together, the one validated last): after UnionPay renews
// it (a new leaf under the same middle), the new one, even when a message under the old one
// comes later, from the cache or validated for the first time after the new one (a notification
// signed before the switch and sent again to a service restarted since), whatever the cache
// size; a certificate refused does not replace it.
func TestSeenSigningFollowsRotation(t *testing.T) {
	t.Parallel()
	now := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	old := newTestChain(t, "Expiry renewal", nil)
	renewedSpec := leafSpec()
	renewedSpec.serial, renewedSpec.keyName = 777, "Expiry renewed"
	renewedSpec.notBefore = time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC)
	renewed := &testChain{root: old.root, middle: old.middle, leaf: issue(t, renewedSpec, old.middle)}
	expiredSpec := leafSpec()
	expiredSpec.serial, expiredSpec.notAfter = 778, time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	expired := &testChain{root: old.root, middle: old.middle, leaf: issue(t, expiredSpec, old.middle)}

	seen := func(v *Verifier) string {
		es := v.Expiries()
		if last := es[len(es)-1]; last.Role == RoleSeenSigning {
			return last.CertID
		}
		return ""
	}
	tests := []struct {
		name      string
		cacheSize int
		messages  []*testChain
		want      *testChain
	}{
		{"renewed", 0, []*testChain{old, renewed}, renewed},
		{"old again, from the cache", 0, []*testChain{old, renewed, old}, renewed},
		{"a cache of one", 1, []*testChain{old, renewed}, renewed},
		{"old first validated after the renewed", 0, []*testChain{renewed, old}, renewed},
		{"old first validated after the renewed, a cache of one", 1, []*testChain{renewed, old}, renewed},
		{"refused", 0, []*testChain{renewed, expired}, renewed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			v, err := NewVerifier(VerifierConfig{Root: old.root.cert, Middle: old.middle.cert, Now: fixedNow(now), CacheSize: tt.cacheSize})
			require.NoError(t, err)
			assert.Empty(t, seen(v), "none before a message")
			for _, ch := range tt.messages {
				_, err := v.Verify(ch.notification(t))
				if ch == expired {
					require.Error(t, err)
					continue
				}
				require.NoError(t, err)
			}
			assert.Equal(t, CertID(tt.want.leaf.cert), seen(v))
		})
	}
}

// TestExpiringBefore: a certificate is listed when it is no longer valid at t because its
// NotAfter is before t (at NotAfter itself it is still valid), soonest first; the list given is
// not modified.
func TestExpiringBefore(t *testing.T) {
	t.Parallel()
	day := func(d int) time.Time { return time.Date(2026, 1, d, 0, 0, 0, 0, time.UTC) }
	a := Expiry{Role: RoleRoot, CertID: "1", NotBefore: day(1), NotAfter: day(20)}
	b := Expiry{Role: RoleMiddle, CertID: "2", NotBefore: day(1), NotAfter: day(10)}
	c := Expiry{Role: RoleNextRoot, CertID: "3", NotBefore: day(15), NotAfter: day(30)}
	list := []Expiry{a, b, c}
	tests := []struct {
		name string
		t    time.Time
		want []Expiry
	}{
		{"none", day(5), nil},
		{"at NotAfter: still valid", day(10), nil},
		{"just after NotAfter", day(10).Add(time.Nanosecond), []Expiry{b}},
		{"soonest first", day(25), []Expiry{b, a}},
		{"all", day(31), []Expiry{b, a, c}},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, ExpiringBefore(list, tt.t), tt.name)
	}
	assert.Equal(t, []Expiry{a, b, c}, list, "not modified")
	assert.Nil(t, ExpiringBefore(nil, day(1)))

	assert.True(t, c.ValidAt(day(15)), "from NotBefore")
	assert.True(t, c.ValidAt(day(30)), "to NotAfter")
	assert.False(t, c.ValidAt(day(14)), "before NotBefore")
	assert.False(t, c.ValidAt(day(30).Add(time.Nanosecond)), "after NotAfter")
}

// TestHolderExpiries: the merchant's PFX and .sm2 credential and UnionPay's encryption
// certificate each describe their certificate, read from UnionPay's real test files; a nil or
// unusable holder lists none.
func TestHolderExpiries(t *testing.T) {
	t.Parallel()
	enc, err := NewEncrypter(loadTestCert(t, "acp_test_enc.cer"))
	require.NoError(t, err)
	tests := []struct {
		name string
		got  []Expiry
		want []Expiry
	}{
		{"PFX", loadTestPFX(t, "unipayAppCert.pfx").Expiries(), []Expiry{{
			Role: RoleSigning, Algorithm: AlgorithmRSA, CertID: "69903319369",
			Subject:   "041@Z2014-11-11@700000000000001:SIGN@00000003",
			NotBefore: time.Date(2021, 11, 26, 2, 31, 47, 0, time.UTC), NotAfter: time.Date(2026, 11, 26, 2, 31, 47, 0, time.UTC),
		}}},
		{"encrypter", enc.Expiries(), []Expiry{{
			Role: RoleEncryption, Algorithm: AlgorithmRSA, CertID: "69683525138",
			Subject:   "YCCA@测试使用@00040000:SIGN@1",
			NotBefore: time.Date(2020, 9, 11, 2, 43, 26, 0, time.UTC), NotAfter: time.Date(2025, 9, 11, 2, 43, 26, 0, time.UTC),
		}}},
		{"nil PFX", (*PFX)(nil).Expiries(), nil},
		{"PFX without a certificate", (&PFX{}).Expiries(), nil},
		{"zero Encrypter", (&Encrypter{}).Expiries(), nil},
		{"nil Encrypter", (*Encrypter)(nil).Expiries(), nil},
		{"nil SM2Credential", (*SM2Credential)(nil).Expiries(), nil},
	}
	for _, tt := range tests {
		require.Equal(t, len(tt.want), len(tt.got), tt.name)
		for i := range tt.want {
			assert.True(t, tt.want[i].NotBefore.Equal(tt.got[i].NotBefore), tt.name)
			assert.True(t, tt.want[i].NotAfter.Equal(tt.got[i].NotAfter), tt.name)
			tt.got[i].NotBefore, tt.got[i].NotAfter = tt.want[i].NotBefore, tt.want[i].NotAfter // compared above
		}
		assert.Equal(t, tt.want, tt.got, tt.name)
	}

	cred := loadSM2Credential(t)
	got := cred.Expiries()
	require.Len(t, got, 1)
	assert.Equal(t, listed{RoleSigning, AlgorithmSM2, sm2CredentialCertID}, listOf(got)[0])
	assert.True(t, got[0].NotAfter.Equal(cred.Certificate.NotAfter))

	assert.Equal(t, Expiry{Role: RoleSigning}, NewExpiry(RoleSigning, nil))
}

// TestExpiryOutput: String is one line with the role, algorithm, certId, common name and UTC
// validity; JSON has camel-case keys and RFC 3339 times, and no key material either way.
func TestExpiryOutput(t *testing.T) {
	t.Parallel()
	e := NewExpiry(RoleMiddle, loadTestCert(t, "acp_test_middle.cer"))
	assert.Equal(t, `middle RSA certId 117191299423423768281798 CN "CFCA TEST OCA1" valid 2012-08-30T03:14:33Z to 2031-05-11T03:14:33Z`,
		e.String())
	b, err := json.Marshal(e)
	require.NoError(t, err)
	assert.JSONEq(t, `{"role":"middle","algorithm":"RSA","certId":"117191299423423768281798","subject":"CFCA TEST OCA1",
		"notBefore":"2012-08-30T03:14:33Z","notAfter":"2031-05-11T03:14:33Z"}`, string(b))
}

// TestExpiriesConcurrent (run with -race): Expiries reads what verifications write (the
// last-seen certificate) without a race, and sees one of the certificates verified.
func TestExpiriesConcurrent(t *testing.T) {
	t.Parallel()
	now := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	base := newTestChain(t, "Expiry concurrent", nil)
	var messages []sign.Fields
	ids := map[string]bool{}
	for i := range 4 {
		spec := leafSpec()
		spec.serial, spec.keyName = int64(5000+i), "Expiry concurrent leaf"
		ch := &testChain{root: base.root, middle: base.middle, leaf: issue(t, spec, base.middle)}
		messages = append(messages, ch.notification(t))
		ids[CertID(ch.leaf.cert)] = true
	}
	v, err := NewVerifier(VerifierConfig{Root: base.root.cert, Middle: base.middle.cert, Now: fixedNow(now), CacheSize: 2})
	require.NoError(t, err)
	var wg sync.WaitGroup
	for i := range 4 {
		wg.Go(func() {
			for j := range 50 {
				_, err := v.Verify(messages[(i+j)%len(messages)])
				assert.NoError(t, err)
			}
		})
		wg.Go(func() {
			for range 50 {
				es := v.Expiries()
				if len(es) == 3 {
					assert.True(t, ids[es[2].CertID], "%v", es[2])
				}
			}
		})
	}
	wg.Wait()
	es := v.Expiries()
	require.Len(t, es, 3)
	assert.True(t, ids[es[2].CertID])
}
