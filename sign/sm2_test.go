package sign_test

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"encoding/asn1"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"io"
	"math/big"
	"strings"
	"testing"

	"github.com/emmansun/gmsm/sm2"
	"github.com/emmansun/gmsm/sm3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/sign"
)

// sm2CertID is the certId of the SM2 test credential in testdata/sm2.
const sm2CertID = "69629716832"

func newSM2Key(t testing.TB) *sm2.PrivateKey {
	t.Helper()
	key, err := sm2.GenerateKey(rand.Reader)
	require.NoError(t, err)
	return key
}

// sm2HexText is what signMethod 21 signs: lowercase hex of SM3(canonical).
func sm2HexText(canonical []byte) []byte {
	sum := sm3.Sum(canonical)
	return []byte(hex.EncodeToString(sum[:]))
}

func TestSM2SignVerify(t *testing.T) {
	t.Parallel()
	key := newSM2Key(t)
	signer, err := sign.NewSM2Signer(key, sm2CertID)
	require.NoError(t, err)
	assert.Equal(t, sign.MethodSM2, signer.Method())
	assert.Equal(t, sm2CertID, signer.CertID())
	assert.True(t, key.PublicKey.Equal(signer.Public()))

	for _, encoding := range []string{"UTF-8", "GBK"} {
		t.Run(encoding, func(t *testing.T) {
			t.Parallel()
			f := typicalConsume()
			f["encoding"] = encoding
			require.NoError(t, sign.Sign(signer, f))
			assert.Equal(t, "21", f["signMethod"])
			assert.Equal(t, sm2CertID, f["certId"])
			assert.Len(t, f["signature"], 88, "base64 of 64 bytes")
			c, err := sign.Canonical(f)
			require.NoError(t, err)
			assert.NoError(t, sign.VerifySM2(&key.PublicKey, sm2CertID, c, f["signature"]))
		})
	}
}

// A signature made with raw gmsm calls, following UnionPay's gm SDK step by step,
// verifies with VerifySM2, and one made by SM2Signer verifies with raw gmsm.
func TestSM2MatchesRawGmsm(t *testing.T) {
	t.Parallel()
	key := newSM2Key(t)
	canonical := []byte("certId=" + sm2CertID + "&encoding=UTF-8&orderId=A1&signMethod=21&txnAmt=1&version=5.1.0")

	r, s, err := sm2.SignWithSM2(rand.Reader, &key.PrivateKey, []byte(sm2CertID), sm2HexText(canonical))
	require.NoError(t, err)
	raw := make([]byte, 64)
	r.FillBytes(raw[:32])
	s.FillBytes(raw[32:])
	assert.NoError(t, sign.VerifySM2(&key.PublicKey, sm2CertID, canonical, base64.StdEncoding.EncodeToString(raw)))

	signer, err := sign.NewSM2Signer(key, sm2CertID)
	require.NoError(t, err)
	sig, err := signer.Sign("5.1.0", canonical)
	require.NoError(t, err)
	b, err := base64.StdEncoding.DecodeString(sig)
	require.NoError(t, err)
	require.Len(t, b, 64)
	r.SetBytes(b[:32])
	s.SetBytes(b[32:])
	assert.True(t, sm2.VerifyWithSM2(&key.PublicKey, []byte(sm2CertID), sm2HexText(canonical), r, s))
	assert.False(t, sm2.VerifyWithSM2(&key.PublicKey, nil, sm2HexText(canonical), r, s), "default user ID")
}

func TestSM2VerifyNegative(t *testing.T) {
	t.Parallel()
	key := newSM2Key(t)
	signer, err := sign.NewSM2Signer(key, sm2CertID)
	require.NoError(t, err)
	base := sign.Fields{"version": "5.1.0", "encoding": "UTF-8", "orderId": "A1", "txnAmt": "100"}
	require.NoError(t, sign.Sign(signer, base))
	canonical, err := sign.Canonical(base)
	require.NoError(t, err)
	hexText := sm2HexText(canonical)

	// Correct algorithm, wrong user ID: the default 1234567812345678.
	defaultID, err := key.Sign(rand.Reader, hexText, sm2.NewSM2SignerOption(true, nil))
	require.NoError(t, err)
	// Correct signature, but DER instead of raw r || s.
	der, err := key.Sign(rand.Reader, hexText, sm2.NewSM2SignerOption(true, []byte(sm2CertID)))
	require.NoError(t, err)
	// Signed over the raw 32-byte digest instead of its hex text.
	digest := sm3.Sum(canonical)
	overDigest, err := key.Sign(rand.Reader, digest[:], sm2.NewSM2SignerOption(true, []byte(sm2CertID)))
	require.NoError(t, err)
	// Signed over the canonical string itself (no SM3-hex step).
	overCanonical, err := key.Sign(rand.Reader, canonical, sm2.NewSM2SignerOption(true, []byte(sm2CertID)))
	require.NoError(t, err)
	other := newSM2Key(t)
	otherSigner, err := sign.NewSM2Signer(other, sm2CertID)
	require.NoError(t, err)
	otherSig, err := otherSigner.Sign("5.1.0", canonical)
	require.NoError(t, err)
	good, err := base64.StdEncoding.DecodeString(base["signature"])
	require.NoError(t, err)

	raw := func(der []byte) string {
		r, s, err := parseDER(der)
		require.NoError(t, err)
		return base64.StdEncoding.EncodeToString(append(r, s...))
	}
	flip := func(b []byte, i int) string {
		c := append([]byte(nil), b...)
		c[i] ^= 1
		return base64.StdEncoding.EncodeToString(c)
	}
	tests := []struct {
		name      string
		userID    string
		canonical []byte
		signature string
	}{
		{"default user ID instead of certId", sm2CertID, canonical, raw(defaultID)},
		{"verified with the default user ID", "1234567812345678", canonical, base["signature"]},
		{"verified with another certId", "69629716833", canonical, base["signature"]},
		{"DER instead of raw r||s", sm2CertID, canonical, base64.StdEncoding.EncodeToString(der)},
		{"signed over the raw digest", sm2CertID, canonical, raw(overDigest)},
		{"signed over the canonical string", sm2CertID, canonical, raw(overCanonical)},
		{"field tampered", sm2CertID, []byte(strings.Replace(string(canonical), "txnAmt=100", "txnAmt=101", 1)), base["signature"]},
		{"other key", sm2CertID, canonical, otherSig},
		{"r flipped", sm2CertID, canonical, flip(good, 5)},
		{"s flipped", sm2CertID, canonical, flip(good, 40)},
		{"s || r swapped", sm2CertID, canonical, base64.StdEncoding.EncodeToString(append(append([]byte(nil), good[32:]...), good[:32]...))},
		{"63 bytes", sm2CertID, canonical, base64.StdEncoding.EncodeToString(good[:63])},
		{"65 bytes", sm2CertID, canonical, base64.StdEncoding.EncodeToString(append([]byte{0}, good...))},
		{"all zero", sm2CertID, canonical, base64.StdEncoding.EncodeToString(make([]byte, 64))},
		{"all ones", sm2CertID, canonical, base64.StdEncoding.EncodeToString([]byte(strings.Repeat("\xff", 64)))},
		{"not base64", sm2CertID, canonical, "!!!"},
		{"URL-safe base64", sm2CertID, canonical, base64.URLEncoding.EncodeToString(good) + "-_"},
		{"empty", sm2CertID, canonical, ""},
		{"very long", sm2CertID, canonical, strings.Repeat("A", 5000)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			assert.ErrorIs(t, sign.VerifySM2(&key.PublicKey, tt.userID, tt.canonical, tt.signature), sign.ErrSignature)
		})
	}
	assert.NoError(t, sign.VerifySM2(&key.PublicKey, sm2CertID, canonical, base["signature"]))
}

func TestSM2VerifyBadArguments(t *testing.T) {
	t.Parallel()
	key := newSM2Key(t)
	p256, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	c := []byte("a=b")
	sig := base64.StdEncoding.EncodeToString(make([]byte, 64))
	for name, err := range map[string]error{
		"nil key":    sign.VerifySM2(nil, sm2CertID, c, sig),
		"P-256 key":  sign.VerifySM2(&p256.PublicKey, sm2CertID, c, sig),
		"no user ID": sign.VerifySM2(&key.PublicKey, "", c, sig),
	} {
		assert.Error(t, err, name)
		assert.NotErrorIs(t, err, sign.ErrSignature, "%s is a programming error, not a bad signature", name)
	}
}

func TestNewSM2SignerErrors(t *testing.T) {
	t.Parallel()
	sm2Key := newSM2Key(t)
	p256, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	rsaKey, err := rsa.GenerateKey(rand.Reader, 1024)
	require.NoError(t, err)
	tests := []struct {
		name   string
		key    crypto.Signer
		certID string
	}{
		{"nil key", nil, sm2CertID},
		{"RSA key", rsaKey, sm2CertID},
		{"P-256 key", p256, sm2CertID},
		{"empty certId", sm2Key, ""},
		{"hex certId", sm2Key, "1036412960a"},
		{"negative certId", sm2Key, "-69629716832"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s, err := sign.NewSM2Signer(tt.key, tt.certID)
			assert.Error(t, err)
			assert.Nil(t, s)
			assert.True(t, strings.HasPrefix(err.Error(), "sign: "), err.Error())
		})
	}
}

// hsmKey stands for a key in a hardware module: it sees only what the
// crypto.Signer interface passes and signs with a key it keeps.
type hsmKey struct {
	key    *sm2.PrivateKey
	gotMsg []byte
	gotUID []byte
	out    func(der []byte) []byte // rewrites the answer; nil keeps it
	err    error
}

func (h *hsmKey) Public() crypto.PublicKey { return &h.key.PublicKey }

func (h *hsmKey) Sign(rand io.Reader, msg []byte, opts crypto.SignerOpts) ([]byte, error) {
	o, ok := opts.(*sm2.SM2SignerOption)
	if !ok || !o.ForceGMSign {
		return nil, errors.New("hsm: want *sm2.SM2SignerOption with ForceGMSign")
	}
	h.gotMsg, h.gotUID = append([]byte(nil), msg...), append([]byte(nil), o.UID...)
	if h.err != nil {
		return nil, h.err
	}
	der, err := h.key.Sign(rand, msg, opts)
	if h.out != nil {
		der = h.out(der)
	}
	return der, err
}

func TestSM2SignerWithOpaqueKey(t *testing.T) {
	t.Parallel()
	hsm := &hsmKey{key: newSM2Key(t)}
	signer, err := sign.NewSM2Signer(hsm, sm2CertID)
	require.NoError(t, err)
	canonical := []byte("a=1&b=2")
	sig, err := signer.Sign("5.0.0", canonical)
	require.NoError(t, err)
	assert.Equal(t, sm2HexText(canonical), hsm.gotMsg, "the key is given the 64 hex characters of SM3(S)")
	assert.Equal(t, []byte(sm2CertID), hsm.gotUID, "the key is given the certId as user ID")
	assert.NoError(t, sign.VerifySM2(&hsm.key.PublicKey, sm2CertID, canonical, sig))

	hsm.err = errors.New("hsm: device unplugged")
	_, err = signer.Sign("5.1.0", canonical)
	assert.ErrorIs(t, err, hsm.err)
	hsm.err = nil

	for name, out := range map[string]func([]byte) []byte{
		"raw r||s instead of DER": func(der []byte) []byte { r, s, _ := parseDER(der); return append(r, s...) },
		"trailing data":           func(der []byte) []byte { return append(der, 0) },
		"empty":                   func([]byte) []byte { return nil },
		"r of 33 bytes": func([]byte) []byte {
			return append([]byte{0x30, 0x26, 0x02, 0x21, 0x01}, append(make([]byte, 32), 0x02, 0x01, 0x01)...)
		},
		"negative s": func([]byte) []byte { return []byte{0x30, 0x06, 0x02, 0x01, 0x01, 0x02, 0x01, 0xff} },
		"zero r":     func([]byte) []byte { return []byte{0x30, 0x06, 0x02, 0x01, 0x00, 0x02, 0x01, 0x01} },
	} {
		hsm.out = out
		_, err := signer.Sign("5.1.0", canonical)
		assert.Error(t, err, name)
	}
}

// Short r and s values are left-padded to 32 bytes.
func TestSM2SignerPadsShortIntegers(t *testing.T) {
	t.Parallel()
	hsm := &hsmKey{key: newSM2Key(t)}
	signer, err := sign.NewSM2Signer(hsm, sm2CertID)
	require.NoError(t, err)
	_, err = signer.Sign("5.1.0", []byte("a=1")) // the first signature is checked: a genuine one
	require.NoError(t, err)
	hsm.out = func([]byte) []byte { return []byte{0x30, 0x07, 0x02, 0x01, 0x05, 0x02, 0x02, 0x00, 0x80} }
	sig, err := signer.Sign("5.1.0", []byte("a=1"))
	require.NoError(t, err)
	b, err := base64.StdEncoding.DecodeString(sig)
	require.NoError(t, err)
	want := make([]byte, 64)
	want[31], want[63] = 5, 0x80
	assert.Equal(t, want, b)
}

// parseDER splits an ASN.1 SM2 signature into 32-byte r and s.
func parseDER(der []byte) (r, s []byte, err error) {
	rb, sb, err := sm2RS(der)
	if err != nil {
		return nil, nil, err
	}
	r, s = make([]byte, 32), make([]byte, 32)
	rb.FillBytes(r)
	sb.FillBytes(s)
	return r, s, nil
}

func sm2RS(der []byte) (r, s *big.Int, err error) {
	var sig struct{ R, S *big.Int }
	rest, err := asn1.Unmarshal(der, &sig)
	if err != nil || len(rest) != 0 {
		return nil, nil, errors.New("not a DER signature")
	}
	return sig.R, sig.S, nil
}

func newInt(b []byte) *big.Int { return new(big.Int).SetBytes(b) }

func encodeRS(r, s *big.Int) ([]byte, error) {
	return asn1.Marshal(struct{ R, S *big.Int }{r, s})
}

// uidIgnoringKey is an HSM wrapper that signs with the default user ID 1234567812345678
// whatever the option says.
type uidIgnoringKey struct{ key *sm2.PrivateKey }

func (k uidIgnoringKey) Public() crypto.PublicKey { return &k.key.PublicKey }

func (k uidIgnoringKey) Sign(rand io.Reader, msg []byte, _ crypto.SignerOpts) ([]byte, error) {
	return k.key.Sign(rand, msg, sm2.NewSM2SignerOption(true, []byte("1234567812345678")))
}

// TestSM2SignerChecksOpaqueKeys: the first signature of a key other than gmsm's (an HSM's) is
// checked with the certId as SM2 user ID: a key that ignores it fails that Sign (a configuration
// error, not ErrSignature), every time until one verifies; UnionPay would have refused every
// request (respCode 11). Found by an SM2 merchant's trial.
func TestSM2SignerChecksOpaqueKeys(t *testing.T) {
	t.Parallel()
	key := newSM2Key(t)
	bad, err := sign.NewSM2Signer(uidIgnoringKey{key}, sm2CertID)
	require.NoError(t, err, "no call to the key when made")
	for range 2 {
		_, err = bad.Sign("5.1.0", []byte("a=1"))
		require.ErrorContains(t, err, "SM2 user ID")
		assert.NotErrorIs(t, err, sign.ErrSignature)
	}
	good, err := sign.NewSM2Signer(&hsmKey{key: key}, sm2CertID)
	require.NoError(t, err)
	sig, err := good.Sign("5.1.0", []byte("a=1"))
	require.NoError(t, err, "an HSM that honours the user ID")
	require.NoError(t, sign.VerifySM2(&key.PublicKey, sm2CertID, []byte("a=1"), sig))
}
