package cert

import (
	"crypto/rand"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"testing"
	"time"

	"github.com/emmansun/gmsm/sm2"
	"github.com/emmansun/gmsm/sm3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/sign"
)

var sm2TestNow = time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)

// sm2Response returns a response signed by iss with signMethod 21; for
// 5.1.0 it carries iss's certificate in signPubKeyCert.
func sm2Response(t testing.TB, iss *sm2Issued, version string) sign.Fields {
	t.Helper()
	f := sign.Fields{
		"version": version, "encoding": "UTF-8", "txnType": "01", "txnSubType": "01", "bizType": "000201",
		"accessType": "0", "merId": "777290058110048", "orderId": "20261125203000001",
		"txnTime": "20261125203000", "respCode": "00", "respMsg": "成功[0000000]", "queryId": "762401051456118912458",
	}
	if version == sign.Version510 {
		f[FieldSignPubKeyCert] = iss.pem
	}
	s, err := sign.NewSM2Signer(iss.key, CertID(iss.cert))
	require.NoError(t, err)
	require.NoError(t, sign.Sign(s, f))
	return f
}

func TestSM2TrustVerify(t *testing.T) {
	t.Parallel()
	good := newSM2TestChain(t, "Good", nil)
	other := newSM2TestChain(t, "Other", nil)
	legacy := issueSM2(t, certSpec{cn: "041@1@" + OwnerUnionPay + "@2", serial: 69678957999}, good.middle)
	testOwner := certSpec{cn: "041@1@" + OwnerSM2Test + "@2", keyUsage: leafSpec().keyUsage}
	testLeaf := issueSM2(t, testOwner, good.middle)
	rsaTestOwner := issueSM2(t, certSpec{cn: "041@1@" + OwnerTest + "@2", keyUsage: leafSpec().keyUsage}, good.middle)
	wrongOwner := issueSM2(t, certSpec{cn: "041@1@Some Shop@2"}, good.middle)
	encOnly := issueSM2(t, certSpec{cn: unionPayCN, keyUsage: 0x0004 /* key encipherment */}, good.middle)

	trust, err := newSM2Trust(good.root.cert, good.middle.cert, []*x509.Certificate{legacy.cert}, 0)
	require.NoError(t, err)

	t.Run("5.1.0", func(t *testing.T) {
		t.Parallel()
		f := sm2Response(t, good.leaf, sign.Version510)
		s, err := trust.verify(f, f["signature"], sm2TestNow, false)
		require.NoError(t, err)
		assert.Equal(t, &Signed{Method: "21", Version: "5.1.0", CertID: CertID(good.leaf.cert), Certificate: good.leaf.cert}, s)
		assert.Equal(t, 1, trust.cache.len())
		_, err = trust.verify(f, f["signature"], sm2TestNow, false) // from the cache
		require.NoError(t, err)
	})
	for _, version := range []string{"5.0.0", "5.0.1"} {
		t.Run(version, func(t *testing.T) {
			t.Parallel()
			f := sm2Response(t, legacy, version)
			s, err := trust.verify(f, f["signature"], sm2TestNow, false)
			require.NoError(t, err)
			assert.Equal(t, "69678957999", s.CertID)
		})
	}

	defaultUID := func(f sign.Fields) {
		c, err := sign.Canonical(f)
		require.NoError(t, err)
		sum := sm3.Sum(c)
		der, err := good.leaf.key.Sign(rand.Reader, []byte(hex.EncodeToString(sum[:])), sm2.NewSM2SignerOption(true, nil))
		require.NoError(t, err)
		r, s, err := parseTestDER(der)
		require.NoError(t, err)
		f["signature"] = base64.StdEncoding.EncodeToString(append(r, s...))
	}
	tests := []struct {
		name    string
		iss     *sm2Issued
		version string
		mutate  func(f sign.Fields)
		now     time.Time
		owner   bool
		check   func(t *testing.T, err error)
	}{
		{name: "tampered amount", iss: good.leaf, mutate: func(f sign.Fields) { f["txnAmt"] = "2" },
			check: isSignatureError},
		{name: "tampered signPubKeyCert line ends", iss: good.leaf,
			mutate: func(f sign.Fields) { f[FieldSignPubKeyCert] = good.leaf.pem[:len(good.leaf.pem)-2] + "\n" },
			check:  isSignatureError},
		{name: "signed with the default user ID", iss: good.leaf, mutate: defaultUID, check: isSignatureError},
		{name: "other chain", iss: other.leaf, check: reasonIs(UnknownAuthority)},
		{name: "wrong owner", iss: wrongOwner, check: reasonIs(WrongOwner)},
		{name: "test owner not accepted", iss: testLeaf, check: reasonIs(WrongOwner)},
		{name: "test owner accepted", iss: testLeaf, owner: true, check: noError},
		{name: "RSA test owner refused for SM2", iss: rsaTestOwner, owner: true, check: reasonIs(WrongOwner)},
		{name: "key usage without signatures", iss: encOnly, check: reasonIs(BadKeyUsage)},
		{name: "expired", iss: good.leaf, now: time.Date(2031, 1, 1, 0, 0, 0, 0, time.UTC), check: reasonIs(Expired)},
		{name: "no signPubKeyCert", iss: good.leaf, mutate: func(f sign.Fields) { delete(f, FieldSignPubKeyCert) },
			check: errorIs(ErrMissingField)},
		{name: "RSA signPubKeyCert", iss: good.leaf,
			mutate: func(f sign.Fields) { f[FieldSignPubKeyCert] = newTestChain(t, "RSA", nil).leaf.pem },
			check:  reasonIs(Malformed)},
		{name: "version 6.0.0", iss: good.leaf, version: "6.0.0", check: errorIs(ErrMethod)},
		{name: "version 1.0.0", iss: good.leaf, version: "1.0.0", check: errorIs(ErrMethod)},
		{name: "5.0.0 unknown certId", iss: good.leaf, version: "5.0.0", check: errorIs(ErrNoCertificate)},
		{name: "5.0.0 no certId", iss: legacy, version: "5.0.0", mutate: func(f sign.Fields) { delete(f, "certId") },
			check: errorIs(ErrMissingField)},
		{name: "5.0.0 certId of another certificate", iss: good.leaf, version: "5.0.0",
			mutate: func(f sign.Fields) { f["certId"] = CertID(legacy.cert) }, check: isSignatureError},
		{name: "5.0.0 expired", iss: legacy, version: "5.0.0", now: time.Date(2031, 1, 1, 0, 0, 0, 0, time.UTC),
			check: reasonIs(Expired)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			version := tt.version
			if version == "" {
				version = sign.Version510
			}
			f := sm2Response(t, tt.iss, version)
			if tt.mutate != nil {
				tt.mutate(f)
			}
			now := tt.now
			if now.IsZero() {
				now = sm2TestNow
			}
			tr, err := newSM2Trust(good.root.cert, good.middle.cert, []*x509.Certificate{legacy.cert}, 0)
			require.NoError(t, err)
			s, err := tr.verify(f, f["signature"], now, tt.owner)
			tt.check(t, err)
			if err != nil {
				assert.Nil(t, s)
			}
		})
	}
}

func TestSM2TrustConfig(t *testing.T) {
	t.Parallel()
	good := newSM2TestChain(t, "Good", nil)
	rsa := newTestChain(t, "RSA", nil)

	tr, err := newSM2Trust(nil, nil, nil, 0)
	assert.NoError(t, err)
	assert.Nil(t, tr, "nothing configured")

	for name, args := range map[string][3]any{
		"root without middle": {good.root.cert, nil, nil},
		"middle without root": {nil, good.middle.cert, nil},
		"RSA chain":           {rsa.root.cert, rsa.middle.cert, nil},
		"swapped":             {good.middle.cert, good.root.cert, nil},
		"RSA legacy cert":     {nil, nil, []*x509.Certificate{rsa.leaf.cert}},
		"nil legacy cert":     {nil, nil, []*x509.Certificate{nil}},
		"CA as legacy cert":   {nil, nil, []*x509.Certificate{good.leaf.cert, good.middle.cert}},
	} {
		root, _ := args[0].(*x509.Certificate)
		middle, _ := args[1].(*x509.Certificate)
		certs, _ := args[2].([]*x509.Certificate)
		tr, err := newSM2Trust(root, middle, certs, 0)
		assert.Error(t, err, name)
		assert.Nil(t, tr, name)
	}

	// Only 5.0.0 configured: a 5.1.0 message is a downgrade attempt the
	// other way, refused.
	legacyOnly, err := newSM2Trust(nil, nil, []*x509.Certificate{good.leaf.cert}, 0)
	require.NoError(t, err)
	f := sm2Response(t, good.leaf, sign.Version510)
	_, err = legacyOnly.verify(f, f["signature"], sm2TestNow, false)
	assert.ErrorIs(t, err, ErrMethod)
	// Only 5.1.0 configured: a 5.0.0 message (no chain check) is refused.
	chainOnly, err := newSM2Trust(good.root.cert, good.middle.cert, nil, 0)
	require.NoError(t, err)
	f = sm2Response(t, good.leaf, sign.Version500)
	_, err = chainOnly.verify(f, f["signature"], sm2TestNow, false)
	assert.ErrorIs(t, err, ErrMethod)
}

func TestSM2TrustValidateEncryption(t *testing.T) {
	t.Parallel()
	good := newSM2TestChain(t, "Good", nil)
	enc := issueSM2(t, certSpec{cn: "041@1@" + OwnerUnionPay + "@enc", keyUsage: 0x0004 | 0x0008}, good.middle)
	tr, err := newSM2Trust(good.root.cert, good.middle.cert, nil, 0)
	require.NoError(t, err)
	assert.NoError(t, tr.validateEncryption(enc.cert, sm2TestNow))
	assert.Equal(t, BadKeyUsage, reasonOf(tr.validateEncryption(good.leaf.cert, sm2TestNow)), "signing-only key usage")
	other := newSM2TestChain(t, "Other", nil)
	assert.Equal(t, UnknownAuthority, reasonOf(tr.validateEncryption(other.leaf.cert, sm2TestNow)))
}

func isSignatureError(t *testing.T, err error) { assert.ErrorIs(t, err, sign.ErrSignature) }

func noError(t *testing.T, err error) { assert.NoError(t, err) }

func reasonIs(r Reason) func(t *testing.T, err error) {
	return func(t *testing.T, err error) { assert.Equal(t, r, reasonOf(err), "%v", err) }
}

func errorIs(target error) func(t *testing.T, err error) {
	return func(t *testing.T, err error) { assert.ErrorIs(t, err, target) }
}
