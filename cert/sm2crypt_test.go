package cert

import (
	"crypto/rand"
	"encoding/base64"
	"math/big"
	"strings"
	"testing"

	"github.com/emmansun/gmsm/sm2"
	"github.com/emmansun/gmsm/sm3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSM2EncryptLayout(t *testing.T) {
	t.Parallel()
	cred := loadSM2Credential(t)
	pub := sm2PublicKey(cred.Certificate)
	// The shortest is a PIN block's 8 bytes: with one byte, gmsm v0.15.5 fails a round trip about
	// once in 130, two ways each about 1/256: its decryption refuses a C2 of zeros, and when the
	// KDF output is all zeros its encryption retries with the public point already overwritten,
	// giving a ciphertext nobody can decrypt (a review: 37 failures in 5,000 runs; none with 8
	// bytes, where either takes 2^-64). A 3-byte cvn2 alone would meet it once in 2^24; UnionPay's
	// encrypted fields (accNo, encryptedInfo, the PIN block) are 8 bytes or more.
	for _, plain := range []string{"6216261000000000018", "phoneNo=13552535506&cvn2=123&expired=2311", "\x06\x12\x24\x56\xff\xff\xff\xfe", strings.Repeat("中", 300)} {
		b64, err := sm2Encrypt(pub, []byte(plain))
		require.NoError(t, err)
		ct, err := base64.StdEncoding.DecodeString(b64)
		require.NoError(t, err)
		require.Len(t, ct, 65+32+len(plain), "04||X||Y (65) || C3 (32) || C2")
		assert.Equal(t, byte(0x04), ct[0])

		// Check the order by hand: C3 = SM3(x2 || M || y2), with (x2, y2) = d*C1.
		x2, y2 := cred.Key.ScalarMult(new(big.Int).SetBytes(ct[1:33]), new(big.Int).SetBytes(ct[33:65]), cred.Key.D.Bytes())
		h := sm3.New()
		h.Write(x2.FillBytes(make([]byte, 32)))
		h.Write([]byte(plain))
		h.Write(y2.FillBytes(make([]byte, 32)))
		assert.Equal(t, h.Sum(nil), ct[65:97], "C3 follows C1")

		got, err := sm2Decrypt(cred.Key, b64)
		require.NoError(t, err)
		assert.Equal(t, plain, string(got))
		// Line breaks, as some servers wrap base64, are ignored.
		got, err = sm2Decrypt(cred.Key, b64[:10]+"\r\n"+b64[10:])
		require.NoError(t, err)
		assert.Equal(t, plain, string(got))
	}
	_, err := sm2Encrypt(pub, nil)
	assert.Error(t, err, "empty plaintext")
}

func TestSM2DecryptRejects(t *testing.T) {
	t.Parallel()
	cred := loadSM2Credential(t)
	pub := sm2PublicKey(cred.Certificate)
	plain := []byte("6216261000000000018")
	enc := func(opts *sm2.EncrypterOpts) string {
		ct, err := sm2.Encrypt(rand.Reader, pub, plain, opts)
		require.NoError(t, err)
		return base64.StdEncoding.EncodeToString(ct)
	}
	good, err := sm2Encrypt(pub, plain)
	require.NoError(t, err)
	raw, err := base64.StdEncoding.DecodeString(good)
	require.NoError(t, err)
	tamper := func(i int) string {
		c := append([]byte(nil), raw...)
		c[i] ^= 1
		return base64.StdEncoding.EncodeToString(c)
	}
	other, err := sm2.GenerateKey(rand.Reader)
	require.NoError(t, err)
	toOther, err := sm2Encrypt(&other.PublicKey, plain)
	require.NoError(t, err)

	for name, b64 := range map[string]string{
		"C1C2C3 order":      enc(sm2.NewPlainEncrypterOpts(sm2.MarshalUncompressed, sm2.C1C2C3)),
		"ASN.1":             enc(sm2.ASN1EncrypterOpts),
		"compressed C1":     enc(sm2.NewPlainEncrypterOpts(sm2.MarshalCompressed, sm2.C1C3C2)),
		"C1 without 0x04":   base64.StdEncoding.EncodeToString(raw[1:]),
		"tampered C1":       tamper(10),
		"tampered C3":       tamper(70),
		"tampered C2":       tamper(len(raw) - 1),
		"for another key":   toOther,
		"truncated":         base64.StdEncoding.EncodeToString(raw[:97]),
		"not base64":        "!!" + good,
		"empty":             "",
		"RSA-sized garbage": base64.StdEncoding.EncodeToString(make([]byte, 256)),
	} {
		got, err := sm2Decrypt(cred.Key, b64)
		assert.Error(t, err, name)
		assert.Nil(t, got, name)
		if err != nil {
			assert.NotContains(t, err.Error(), string(plain), name)
		}
	}
}
