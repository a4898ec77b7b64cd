package cert

import (
	"bytes"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/sign"
)

var timeGenerated = time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC) // inside the generated chains' validity

// requireReason asserts that err is an *InvalidError with the given reason.
func requireReason(t *testing.T, err error, want Reason) *InvalidError {
	t.Helper()
	var inv *InvalidError
	require.ErrorAs(t, err, &inv)
	require.Equal(t, want, inv.Reason, "error: %v", err)
	return inv
}

func TestVerifyRejectsBadCertificates(t *testing.T) {
	t.Parallel()
	good := newTestChain(t, "Good", nil)
	other := newTestChain(t, "Other", nil)
	withLeaf := func(spec certSpec) *issued { return issue(t, spec, good.middle) }
	leafWith := func(edit func(*certSpec)) *issued {
		s := leafSpec()
		edit(&s)
		return withLeaf(s)
	}
	// Same name and key identifier as the good middle, different key: a
	// forged issuer; and one that does not even copy the key identifier.
	forgedMiddle := issue(t, certSpec{cn: "Good Middle", ca: true, maxPathLen: -1, keyName: "forged",
		keyID: good.middle.cert.SubjectKeyId}, good.root)
	forgedLeaf := issue(t, leafSpec(), forgedMiddle)
	forgedMiddle2 := issue(t, certSpec{cn: "Good Middle", ca: true, maxPathLen: -1, keyName: "forged"}, good.root)
	forgedLeaf2 := issue(t, leafSpec(), forgedMiddle2)
	// A leaf issued by another leaf (not a CA). Its issuer is not the
	// configured middle, so it is an unknown authority; a non-CA can only be
	// the issuer the chain walk accepts if it is configured as Middle, which
	// NewVerifier refuses with NotCA (TestNewVerifierRejectsBadTrust).
	notCA := withLeaf(certSpec{cn: "Good Middle Leaf", keyName: "Good Middle Leaf"})
	leafOfLeaf := issue(t, leafSpec(), notCA)
	// A leaf whose signed bytes were altered after issuance.
	tampered := *good.leaf
	der := bytes.Replace(good.leaf.cert.Raw, []byte("00016495"), []byte("00016496"), 1)
	require.NotEqual(t, good.leaf.cert.Raw, der)
	tc, err := x509.ParseCertificate(der)
	require.NoError(t, err)
	tampered.cert = tc
	tampered.pem = string(pemCRLF(der))

	tests := []struct {
		name string
		leaf *issued
		want Reason
	}{
		{"expired", leafWith(func(s *certSpec) { s.notAfter = timeGenerated.Add(-time.Hour) }), Expired},
		{"not yet valid", leafWith(func(s *certSpec) { s.notBefore = timeGenerated.Add(time.Hour) }), NotYetValid},
		{"wrong owner", leafWith(func(s *certSpec) { s.cn = "041@8310000000083040@某某公司@00016495" }), WrongOwner},
		{"test owner without AcceptTestOwner", leafWith(func(s *certSpec) { s.cn = "YCCA@x@" + OwnerTest + "@1" }), WrongOwner},
		{"no owner field", leafWith(func(s *certSpec) { s.cn = "UnionPay" }), WrongOwner},
		{"unknown critical extension", leafWith(func(s *certSpec) {
			s.extra = []pkix.Extension{{Id: asn1.ObjectIdentifier{1, 2, 3, 4, 5}, Critical: true, Value: []byte{5, 0}}}
		}), Malformed},
		{"owner in the wrong field", leafWith(func(s *certSpec) { s.cn = OwnerUnionPay + "@a@b" }), WrongOwner},
		{"unknown root", other.leaf, UnknownAuthority},
		{"forged issuer key", forgedLeaf, BadSignature},
		{"forged issuer key, other key id", forgedLeaf2, UnknownAuthority},
		{"issued by a non-CA", leafOfLeaf, UnknownAuthority},
		{"tampered certificate", &tampered, BadSignature},
		{"key usage without signing", leafWith(func(s *certSpec) { s.keyUsage = x509.KeyUsageKeyEncipherment }), BadKeyUsage},
	}
	v := good.verifier(t, timeGenerated)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ch := &testChain{root: good.root, middle: good.middle, leaf: tt.leaf}
			f := ch.notification(t) // correctly signed by the leaf's key
			_, err := v.Verify(f)
			requireReason(t, err, tt.want)
			assert.NotErrorIs(t, err, sign.ErrSignature)
			requireReason(t, v.ValidateCertificate(tt.leaf.cert), tt.want)
		})
	}

	t.Run("test owner with AcceptTestOwner", func(t *testing.T) {
		t.Parallel()
		leaf := leafWith(func(s *certSpec) { s.cn = "YCCA@x@" + OwnerTest + "@1" })
		v, err := NewVerifier(VerifierConfig{Root: good.root.cert, Middle: good.middle.cert,
			AcceptTestOwner: true, Now: fixedNow(timeGenerated)})
		require.NoError(t, err)
		_, err = v.Verify((&testChain{leaf: leaf}).notification(t))
		require.NoError(t, err)
	})
	t.Run("expired middle", func(t *testing.T) {
		t.Parallel()
		s := caSpec("Short Middle")
		s.notAfter = timeGenerated.Add(-time.Hour)
		middle := issue(t, s, good.root)
		leaf := issue(t, leafSpec(), middle)
		v := (&testChain{root: good.root, middle: middle}).verifier(t, timeGenerated)
		inv := requireReason(t, v.ValidateCertificate(leaf.cert), Expired)
		assert.Equal(t, middle.cert.Raw, inv.Cert.Raw, "the middle is at fault")
	})
	t.Run("malformed signPubKeyCert", func(t *testing.T) {
		t.Parallel()
		f := good.notification(t)
		f[FieldSignPubKeyCert] = "-----BEGIN CERTIFICATE-----\r\nAAAA\r\n-----END CERTIFICATE-----"
		_, err := v.Verify(f)
		requireReason(t, err, Malformed)
	})
}

func pemCRLF(der []byte) []byte {
	var b bytes.Buffer
	b.WriteString("-----BEGIN CERTIFICATE-----\r\n")
	enc := []byte(strings.TrimSpace(string(der64(der))))
	for len(enc) > 64 {
		b.Write(enc[:64])
		b.WriteString("\r\n")
		enc = enc[64:]
	}
	b.Write(enc)
	b.WriteString("\r\n-----END CERTIFICATE-----\r\n")
	return b.Bytes()
}

// Trust configuration that cannot work is refused up front.
func TestNewVerifierRejectsBadTrust(t *testing.T) {
	t.Parallel()
	good := newTestChain(t, "Good", nil)
	other := newTestChain(t, "Other", nil)
	nonCA := issue(t, certSpec{cn: "Plain Middle", noBasic: true, keyName: "plain"}, good.root)
	noCertSign := issue(t, certSpec{cn: "NoSign Middle", ca: true, maxPathLen: -1,
		keyUsage: x509.KeyUsageDigitalSignature, keyName: "nosign"}, good.root)
	pathRoot := issue(t, certSpec{cn: "PathLen Root", ca: true, maxPathLen: 0,
		keyUsage: x509.KeyUsageCertSign, keyName: "pathroot"}, nil)
	pathMiddle := issue(t, caSpec("PathLen Middle"), pathRoot)
	tests := []struct {
		name         string
		root, middle *x509.Certificate
		want         Reason
	}{
		{"middle of another root", good.root.cert, other.middle.cert, UnknownAuthority},
		{"middle is not a CA", good.root.cert, nonCA.cert, NotCA},
		{"middle may not sign certificates", good.root.cert, noCertSign.cert, NotCA},
		{"root path length 0", pathRoot.cert, pathMiddle.cert, NotCA},
		{"root is a leaf", good.leaf.cert, good.middle.cert, NotCA},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := NewVerifier(VerifierConfig{Root: tt.root, Middle: tt.middle})
			requireReason(t, err, tt.want)
		})
	}

	configs := map[string]VerifierConfig{
		"nothing enabled":           {},
		"root without middle":       {Root: good.root.cert},
		"negative cache":            {SecureKey: []byte("k"), CacheSize: -1},
		"unknown secure-key method": {SecureKey: []byte("k"), SecureKeyMethods: []string{"01"}},
		"methods without key":       {SecureKeyMethods: []string{"11"}},
		"non-ASCII secure key":      {SecureKey: []byte("中文密钥")},
		"legacy CA certificate":     {LegacyCerts: []*x509.Certificate{good.leaf.cert, good.middle.cert}},
		"nil legacy certificate":    {LegacyCerts: []*x509.Certificate{nil}},
	}
	for name, cfg := range configs {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			_, err := NewVerifier(cfg)
			require.Error(t, err)
			assert.True(t, strings.HasPrefix(err.Error(), "cert: "), err.Error())
		})
	}
}

// Changes to a signed message are caught.
func TestVerifyRejectsBadMessages(t *testing.T) {
	t.Parallel()
	ch := newTestChain(t, "Msg", nil)
	v := ch.verifier(t, timeGenerated)
	signed := ch.notification(t)
	_, err := v.Verify(signed)
	require.NoError(t, err)

	another := ch.notification(t)
	another["orderId"] = "20240105999999999"
	require.NoError(t, sign.Sign(mustSigner(t, ch.leaf), another))

	tests := []struct {
		name string
		edit func(sign.Fields)
		want error
	}{
		{"tampered field", func(f sign.Fields) { f["txnAmt"] = "100000" }, sign.ErrSignature},
		{"removed field", func(f sign.Fields) { delete(f, "respMsg") }, sign.ErrSignature},
		{"added field", func(f sign.Fields) { f["reqReserved"] = "x" }, sign.ErrSignature},
		{"signature from another message", func(f sign.Fields) { f["signature"] = another["signature"] }, sign.ErrSignature},
		{"CRLF to LF in signPubKeyCert", func(f sign.Fields) {
			f[FieldSignPubKeyCert] = strings.ReplaceAll(f[FieldSignPubKeyCert], "\r\n", "\n")
		}, sign.ErrSignature},
		{"garbage signature", func(f sign.Fields) { f["signature"] = "!!not base64!!" }, sign.ErrSignature},
		{"missing signature", func(f sign.Fields) { delete(f, "signature") }, sign.ErrSignature},
		{"missing signature field", func(f sign.Fields) { delete(f, "signature") }, ErrMissingField},
		{"missing signMethod", func(f sign.Fields) { delete(f, "signMethod") }, ErrMissingField},
		{"missing signPubKeyCert", func(f sign.Fields) { delete(f, FieldSignPubKeyCert) }, ErrMissingField},
		// Downgrades: methods this verifier was not configured for.
		{"downgrade to 5.0.0", func(f sign.Fields) { f["version"] = "5.0.0" }, ErrMethod},
		{"downgrade to 1.0.0", func(f sign.Fields) { f["version"] = "1.0.0" }, ErrMethod},
		{"downgrade to secure key 11", func(f sign.Fields) { f["signMethod"] = "11" }, ErrMethod},
		{"downgrade to secure key 12", func(f sign.Fields) { f["signMethod"] = "12" }, ErrMethod},
		{"unknown signMethod", func(f sign.Fields) { f["signMethod"] = "21" }, ErrMethod},
		{"unknown version", func(f sign.Fields) { f["version"] = "6.0.0" }, ErrMethod},
		{"no version", func(f sign.Fields) { delete(f, "version") }, ErrMethod},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := signed.Clone()
			tt.edit(f)
			_, err := v.Verify(f)
			require.ErrorIs(t, err, tt.want)
			if tt.want == ErrMethod {
				assert.NotErrorIs(t, err, sign.ErrSignature)
			}
		})
	}
	assert.Equal(t, "x", func() string { f := signed.Clone(); f["reqReserved"] = "x"; return f["reqReserved"] }())
	_, err = v.Verify(signed)
	require.NoError(t, err, "Verify does not modify its input")
}

func mustSigner(t testing.TB, leaf *issued) *sign.RSASigner {
	t.Helper()
	s, err := sign.NewRSASigner(leaf.key, CertID(leaf.cert))
	require.NoError(t, err)
	return s
}

// A verifier only accepts the methods it was configured with.
func TestVerifyMethodSelection(t *testing.T) {
	t.Parallel()
	ch := newTestChain(t, "Sel", nil)
	legacyFields := func(t *testing.T, version string) sign.Fields {
		f := ch.notification(t)
		delete(f, FieldSignPubKeyCert)
		f["version"] = version
		require.NoError(t, sign.Sign(mustSigner(t, ch.leaf), f))
		return f
	}
	keyFields := func(t *testing.T, method string) sign.Fields {
		f := ch.notification(t)
		delete(f, FieldSignPubKeyCert)
		s, err := sign.NewSecureKeySigner(method, []byte("88888888"))
		require.NoError(t, err)
		require.NoError(t, sign.Sign(s, f))
		return f
	}
	only11, err := NewVerifier(VerifierConfig{SecureKey: []byte("88888888"), SecureKeyMethods: []string{"11"}})
	require.NoError(t, err)
	legacy, err := NewVerifier(VerifierConfig{LegacyCerts: []*x509.Certificate{ch.leaf.cert}, Now: fixedNow(timeGenerated)})
	require.NoError(t, err)
	legacyLate, err := NewVerifier(VerifierConfig{LegacyCerts: []*x509.Certificate{ch.leaf.cert},
		Now: fixedNow(time.Date(2031, 1, 1, 0, 0, 0, 0, time.UTC))})
	require.NoError(t, err)
	wrongKey, err := NewVerifier(VerifierConfig{SecureKey: []byte("12345678")})
	require.NoError(t, err)

	t.Run("secure key 11 accepted", func(t *testing.T) {
		s, err := only11.Verify(keyFields(t, "11"))
		require.NoError(t, err)
		assert.Equal(t, &Signed{Method: "11", Version: "5.1.0"}, s)
	})
	t.Run("secure key 12 not listed", func(t *testing.T) {
		_, err := only11.Verify(keyFields(t, "12"))
		require.ErrorIs(t, err, ErrMethod)
	})
	t.Run("secure key, wrong key", func(t *testing.T) {
		_, err := wrongKey.Verify(keyFields(t, "12"))
		require.ErrorIs(t, err, sign.ErrSignature)
	})
	t.Run("secure key verifier refuses 01", func(t *testing.T) {
		_, err := only11.Verify(ch.notification(t))
		require.ErrorIs(t, err, ErrMethod)
	})
	for _, version := range []string{"5.0.0", "5.0.1", "1.0.0"} {
		t.Run("legacy "+version, func(t *testing.T) {
			s, err := legacy.Verify(legacyFields(t, version))
			require.NoError(t, err)
			assert.Equal(t, version, s.Version)
			assert.Equal(t, CertID(ch.leaf.cert), s.CertID)
		})
	}
	// Versions 5.0.1 and 1.0.0 are RSA when they carry no signMethod (the official SDK's rule);
	// the others must say.
	for _, tt := range []struct {
		version string
		ok      bool
	}{{"5.0.1", true}, {"1.0.0", true}, {"5.0.0", false}} {
		t.Run("legacy "+tt.version+" without signMethod", func(t *testing.T) {
			f := ch.notification(t)
			delete(f, FieldSignPubKeyCert)
			delete(f, sign.FieldSignMethod)
			f["version"], f["certId"] = tt.version, CertID(ch.leaf.cert)
			canonical, err := sign.Canonical(f)
			require.NoError(t, err)
			sig, err := mustSigner(t, ch.leaf).Sign(tt.version, canonical)
			require.NoError(t, err)
			f[sign.FieldSignature] = sig
			s, err := legacy.Verify(f)
			if !tt.ok {
				require.ErrorIs(t, err, ErrMissingField)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, sign.MethodRSA, s.Method)
		})
	}
	t.Run("legacy verifier refuses 5.1.0", func(t *testing.T) {
		_, err := legacy.Verify(ch.notification(t))
		require.ErrorIs(t, err, ErrMethod)
	})
	t.Run("legacy unknown certId", func(t *testing.T) {
		f := legacyFields(t, "5.0.0")
		f["certId"] = "123"
		_, err := legacy.Verify(f)
		require.ErrorIs(t, err, ErrNoCertificate)
	})
	t.Run("legacy missing certId", func(t *testing.T) {
		f := legacyFields(t, "5.0.0")
		delete(f, "certId")
		_, err := legacy.Verify(f)
		require.ErrorIs(t, err, ErrMissingField)
	})
	t.Run("legacy certificate expired", func(t *testing.T) {
		_, err := legacyLate.Verify(legacyFields(t, "5.0.0"))
		requireReason(t, err, Expired)
	})
	t.Run("no chain for certificates", func(t *testing.T) {
		// A configuration to complete, named as such (it matched ErrMethod, a refused message's).
		require.ErrorIs(t, legacy.ValidateCertificate(ch.leaf.cert), ErrNoChain)
		require.ErrorIs(t, legacy.ValidateEncryptionCertificate(ch.leaf.cert), ErrNoChain)
		require.ErrorIs(t, legacy.CheckEncryptionTrust(false), ErrNoChain)
		require.ErrorIs(t, legacy.CheckEncryptionTrust(true), ErrNoChain)
		require.NotErrorIs(t, legacy.ValidateCertificate(ch.leaf.cert), ErrMethod)
	})
}

// The cache skips chain work for known bytes, stays bounded and honours expiry.
func TestVerifierCache(t *testing.T) {
	t.Parallel()
	ch := newTestChain(t, "Cache", nil)
	var mu sync.Mutex
	now := timeGenerated
	v, err := NewVerifier(VerifierConfig{Root: ch.root.cert, Middle: ch.middle.cert, CacheSize: 2,
		Now: func() time.Time { mu.Lock(); defer mu.Unlock(); return now }})
	require.NoError(t, err)
	f := ch.notification(t)
	_, err = v.Verify(f)
	require.NoError(t, err)
	assert.Equal(t, 1, v.cache.len())
	first := v.cache.get(f[FieldSignPubKeyCert], now)
	require.NotNil(t, first)
	_, err = v.Verify(f)
	require.NoError(t, err)
	assert.Same(t, first, v.cache.get(f[FieldSignPubKeyCert], now), "cache hit, no re-validation")

	// A different rendering of the same certificate verifies, and takes over
	// its entry rather than one of its own (TestCacheVariantsOfOneCertificate).
	var last string
	for i, edit := range []func(string) string{
		func(s string) string { return strings.TrimSuffix(s, "\r\n") },
		func(s string) string { return s + "\r\n" },
	} {
		g := f.Clone()
		g[FieldSignPubKeyCert] = edit(f[FieldSignPubKeyCert])
		require.NoError(t, sign.Sign(mustSigner(t, ch.leaf), g))
		_, err = v.Verify(g)
		require.NoError(t, err, "rendering %d", i)
		last = g[FieldSignPubKeyCert]
	}
	assert.Equal(t, 1, v.cache.len())
	assert.Nil(t, v.cache.get(f[FieldSignPubKeyCert], now), "taken over")
	assert.NotNil(t, v.cache.get(last, now), "the last rendering")

	// Once the chain expires, the cached result is not used.
	_, err = v.Verify(f)
	require.NoError(t, err)
	mu.Lock()
	now = time.Date(2030, 1, 2, 0, 0, 0, 0, time.UTC)
	mu.Unlock()
	_, err = v.Verify(f)
	requireReason(t, err, Expired)
}

// Verify is safe for concurrent use (run with -race).
func TestVerifyConcurrent(t *testing.T) {
	t.Parallel()
	ch := newTestChain(t, "Conc", nil)
	v, err := NewVerifier(VerifierConfig{Root: ch.root.cert, Middle: ch.middle.cert, CacheSize: 1,
		Now: fixedNow(timeGenerated)})
	require.NoError(t, err)
	a := ch.notification(t)
	b := a.Clone()
	b[FieldSignPubKeyCert] += "\r\n"
	require.NoError(t, sign.Sign(mustSigner(t, ch.leaf), b))
	var wg sync.WaitGroup
	errs := make(chan error, 8*20)
	for i := range 8 {
		wg.Go(func() {
			for j := range 20 {
				f := a
				if (i+j)%2 == 0 {
					f = b
				}
				_, err := v.Verify(f)
				errs <- err
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
}

// Messages in GBK and with other spellings of UTF-8 verify; an unknown
// charset is an error, not a guess.
func TestVerifyCharsets(t *testing.T) {
	t.Parallel()
	ch := newTestChain(t, "Charset", nil)
	v := ch.verifier(t, timeGenerated)
	for _, enc := range []string{"GBK", "gbk", "utf-8", "UTF-8", ""} {
		t.Run("encoding "+enc, func(t *testing.T) {
			t.Parallel()
			f := ch.notification(t)
			f["encoding"] = enc
			f["respMsg"] = "成功[0000000]"
			require.NoError(t, sign.Sign(mustSigner(t, ch.leaf), f))
			_, err := v.Verify(f)
			require.NoError(t, err)
			f["respMsg"] = "失败[0000000]"
			_, err = v.Verify(f)
			require.ErrorIs(t, err, sign.ErrSignature)
		})
	}
	f := ch.notification(t)
	f["encoding"] = "Big5"
	_, err := v.Verify(f)
	require.ErrorIs(t, err, sign.ErrCharset)
	assert.NotErrorIs(t, err, sign.ErrSignature)
}

// TestUnknownCertIDBounded: an unknown certId is quoted in the error cut to 64 bytes (a 5,000-digit
// one went whole into the error and the notification log; a 5.0.0 merchant's trial).
func TestUnknownCertIDBounded(t *testing.T) {
	t.Parallel()
	ch := newTestChain(t, "Bounded", nil)
	v, err := NewVerifier(VerifierConfig{LegacyCerts: []*x509.Certificate{ch.leaf.cert}, Now: func() time.Time { return timeGenerated }})
	require.NoError(t, err)
	_, err = v.Verify(sign.Fields{"version": "5.0.0", "signMethod": "01", "certId": strings.Repeat("9", 5000), "signature": "c2ln", "a": "1"})
	require.ErrorIs(t, err, ErrNoCertificate)
	assert.Less(t, len(err.Error()), 200, "%v", err)
	// So are a version and a signMethod, and an SM2 5.0.0 certId.
	_, err = v.Verify(sign.Fields{"version": strings.Repeat("5", 5000), "signMethod": "01", "certId": "1", "signature": "c2ln", "a": "1"})
	require.ErrorIs(t, err, ErrMethod)
	assert.Less(t, len(err.Error()), 200, "%v", err)
	_, err = v.Verify(sign.Fields{"version": "5.0.0", "signMethod": strings.Repeat("0", 5000), "certId": "1", "signature": "c2ln", "a": "1"})
	require.ErrorIs(t, err, ErrMethod)
	assert.Less(t, len(err.Error()), 200, "%v", err)
	assert.Less(t, len(v.Accepts("", strings.Repeat("5", 5000)).Error()), 200, "no signMethod, a long version")
	sm2Chain := newSM2TestChain(t, "BoundedSM2", nil)
	v2, err := NewVerifier(VerifierConfig{SM2Certs: []*x509.Certificate{sm2Chain.leaf.cert}, Now: func() time.Time { return timeGenerated }})
	require.NoError(t, err)
	_, err = v2.Verify(sign.Fields{"version": strings.Repeat("5", 5000), "signMethod": "21", "certId": "1", "signature": "c2ln", "a": "1"})
	require.ErrorIs(t, err, ErrMethod)
	assert.Less(t, len(err.Error()), 200, "%v", err)
	_, err = v2.Verify(sign.Fields{"version": "5.0.0", "signMethod": "21", "certId": strings.Repeat("9", 5000), "signature": "c2ln", "a": "1"})
	require.ErrorIs(t, err, ErrNoCertificate)
	assert.Less(t, len(err.Error()), 200, "%v", err)
}

// TestLegacyCertsKit: UnionPay's signing certificate given twice (a directory holding a copy) is
// taken once; the root, the middle or an encryption certificate given with it are refused as
// message signers, which LegacyCerts trusts with no chain (they were accepted: a CA could sign
// messages; a 5.0.0 merchant's trial).
func TestLegacyCertsKit(t *testing.T) {
	t.Parallel()
	ch := newTestChain(t, "Kit", nil)
	v, err := NewVerifier(VerifierConfig{LegacyCerts: []*x509.Certificate{ch.leaf.cert, ch.leaf.cert}})
	require.NoError(t, err, "the same certificate twice")
	require.NotNil(t, v)
	noSign := issue(t, certSpec{cn: "042@1@" + OwnerUnionPay + "@enc", keyUsage: x509.KeyUsageKeyEncipherment}, ch.middle)
	// A CA with no key usage, or one allowing signatures: only the CA check refuses it.
	caNoUsage := issue(t, certSpec{cn: "Kit CA no usage", ca: true}, ch.root)
	caSigning := issue(t, certSpec{cn: "Kit CA signing", ca: true, keyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign}, ch.root)
	for name, c := range map[string]*x509.Certificate{"root": ch.root.cert, "middle": ch.middle.cert,
		"no signatures": noSign.cert, "CA without key usage": caNoUsage.cert, "CA allowing signatures": caSigning.cert} {
		_, err := NewVerifier(VerifierConfig{LegacyCerts: []*x509.Certificate{ch.leaf.cert, c}})
		require.Error(t, err, name)
		assert.Contains(t, err.Error(), "LegacyCerts[1]", name)
	}
	// Two different certificates with one certId are still refused: which would be trusted?
	twin := issue(t, certSpec{cn: "Kit twin", serial: ch.leaf.cert.SerialNumber.Int64(), keyUsage: x509.KeyUsageDigitalSignature}, ch.middle)
	require.Equal(t, CertID(ch.leaf.cert), CertID(twin.cert))
	_, err = NewVerifier(VerifierConfig{LegacyCerts: []*x509.Certificate{ch.leaf.cert, twin.cert}})
	require.ErrorContains(t, err, "two certificates with certId")
}

// TestCheckLegacyValidity: a 5.0.0 configuration holding no signing certificate valid at the
// Verifier's time is reported, expired or not yet valid, naming every certificate's window; one
// valid certificate is enough; none at all for the method matches ErrNoCertificate.
func TestCheckLegacyValidity(t *testing.T) {
	t.Parallel()
	ch := newTestChain(t, "LegacyValidity", nil)
	c := ch.leaf.cert
	at := func(tm time.Time) *Verifier {
		v, err := NewVerifier(VerifierConfig{LegacyCerts: []*x509.Certificate{c}, Now: func() time.Time { return tm }})
		require.NoError(t, err)
		return v
	}
	require.NoError(t, at(c.NotBefore.Add(time.Hour)).CheckLegacyValidity(sign.MethodRSA))
	err := at(c.NotAfter.Add(time.Hour)).CheckLegacyValidity(sign.MethodRSA)
	assert.Equal(t, Expired, reasonOf(err), "%v", err)
	assert.Contains(t, err.Error(), CertID(c))
	err = at(c.NotBefore.Add(-time.Hour)).CheckLegacyValidity(sign.MethodRSA)
	assert.Equal(t, NotYetValid, reasonOf(err), "%v", err)
	require.ErrorIs(t, at(c.NotBefore.Add(time.Hour)).CheckLegacyValidity(sign.MethodSM2), ErrNoCertificate)
	require.ErrorIs(t, (*Verifier)(nil).CheckLegacyValidity(sign.MethodRSA), ErrMethod)

	// Several certificates, as during a rotation: one valid is enough; with none, the one coming
	// next is named (not yet valid), else the one that expired last.
	older := issue(t, certSpec{cn: "LegacyValidity older", serial: 999, keyUsage: x509.KeyUsageDigitalSignature,
		notBefore: c.NotBefore.Add(-48 * time.Hour), notAfter: c.NotBefore.Add(-24 * time.Hour)}, ch.middle).cert
	newer := issue(t, certSpec{cn: "LegacyValidity newer", serial: 1000, keyUsage: x509.KeyUsageDigitalSignature,
		notBefore: c.NotAfter.Add(24 * time.Hour), notAfter: c.NotAfter.Add(48 * time.Hour)}, ch.middle).cert
	atAll := func(tm time.Time, certs ...*x509.Certificate) error {
		v, err := NewVerifier(VerifierConfig{LegacyCerts: certs, Now: func() time.Time { return tm }})
		require.NoError(t, err)
		return v.CheckLegacyValidity(sign.MethodRSA)
	}
	require.NoError(t, atAll(c.NotBefore.Add(time.Hour), older, c, newer), "one valid among expired and coming")
	require.NoError(t, atAll(c.NotAfter, older, c), "valid to its last second")
	gap := c.NotAfter.Add(12 * time.Hour) // c expired, newer not yet valid
	err = atAll(gap, older, c, newer)
	var ie *InvalidError
	require.ErrorAs(t, err, &ie)
	assert.Equal(t, NotYetValid, ie.Reason)
	assert.Same(t, newer, ie.Cert, "the certificate coming next")
	err = atAll(gap, older, c)
	require.ErrorAs(t, err, &ie)
	assert.Equal(t, Expired, ie.Reason)
	assert.Same(t, c, ie.Cert, "the one that expired last")

	sm2Chain := newSM2TestChain(t, "LegacyValiditySM2", nil)
	s := sm2Chain.leaf.cert
	v, err := NewVerifier(VerifierConfig{SM2Certs: []*x509.Certificate{s}, Now: func() time.Time { return s.NotAfter.Add(time.Hour) }})
	require.NoError(t, err)
	assert.Equal(t, Expired, reasonOf(v.CheckLegacyValidity(sign.MethodSM2)))
}
