package cert

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/emmansun/gmsm/sm2"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// rsaCiphertext encrypts plain to key's public key with PKCS#1 v1.5, base64, as UnionPay
// encrypts accNo to the merchant's certificate.
func rsaCiphertext(t testing.TB, key *rsa.PrivateKey, plain string) string {
	t.Helper()
	//lint:ignore SA1019 UnionPay encrypts with RSA PKCS #1 v1.5.
	ct, err := rsa.EncryptPKCS1v15(rand.Reader, &key.PublicKey, []byte(plain))
	require.NoError(t, err)
	return base64.StdEncoding.EncodeToString(ct)
}

func mustDecrypter(t testing.TB, key crypto.Decrypter) *Decrypter {
	t.Helper()
	d, err := NewDecrypter(key)
	require.NoError(t, err)
	return d
}

// TestDecryptErrorTyped: a well-formed ciphertext the key does not open is a *DecryptError,
// which says nothing of why (no padding detail: no oracle), as is one cut short; a malformed one
// (not base64, empty, longer than the key's) is another error, naming what is wrong with it.
func TestDecryptErrorTyped(t *testing.T) {
	key, other := testKey(t, "decrypt-current"), testKey(t, "decrypt-other")
	small, err := rsa.GenerateKey(rand.Reader, 1024)
	require.NoError(t, err)
	small2, err := rsa.GenerateKey(rand.Reader, 1536)
	require.NoError(t, err)
	sm2Key, err := sm2.GenerateKey(rand.Reader)
	require.NoError(t, err)
	sm2Other, err := sm2.GenerateKey(rand.Reader)
	require.NoError(t, err)
	sm2CT, err := sm2Encrypt(&sm2Other.PublicKey, []byte("6216***********0018"))
	require.NoError(t, err)
	tests := []struct {
		name       string
		d          *Decrypter
		in         string
		undecrypt  bool   // a *DecryptError
		errContain string // part of the error's text
	}{
		{"another key's ciphertext", mustDecrypter(t, key), rsaCiphertext(t, other, "6216***********0018"), true, "does not decrypt with the key"},
		{"random bytes of the key's size", mustDecrypter(t, key), base64.StdEncoding.EncodeToString(make([]byte, 256)), true, "does not decrypt"},
		{"SM2, another key's ciphertext", mustDecrypter(t, sm2Key), sm2CT, true, "does not decrypt with the key"},
		{"not base64", mustDecrypter(t, key), "not*base64", false, "not base64"},
		{"empty", mustDecrypter(t, key), "", false, "empty ciphertext"},
		{"a 1024-bit key's ciphertext", mustDecrypter(t, key), rsaCiphertext(t, small, "x"), true, "does not decrypt with the key"},
		{"cut short", mustDecrypter(t, key), rsaCiphertext(t, key, "x")[:100], true, "does not decrypt with the key"},
		{"longer than the key's", mustDecrypter(t, small), rsaCiphertext(t, key, "x"), false, "256 bytes, longer than a ciphertext of the 1024-bit key"},
		{"longer than either key's", withPrevious(t, mustDecrypter(t, small), mustDecrypter(t, small2)), rsaCiphertext(t, key, "x"), false,
			"256 bytes, longer than a ciphertext of the 1024-bit key or of the 1536-bit one"},
	}
	for _, tt := range tests {
		_, err := tt.d.Decrypt(tt.in)
		require.Error(t, err, tt.name)
		var de *DecryptError
		assert.Equal(t, tt.undecrypt, errors.As(err, &de), "%s: %v", tt.name, err)
		assert.Contains(t, err.Error(), tt.errContain, tt.name)
		assert.NotContains(t, err.Error(), "crypto/rsa", "%s: the cause is not told", tt.name)
		if tt.undecrypt {
			assert.Nil(t, errors.Unwrap(err), "%s: the cause is not kept", tt.name)
		}
	}
}

// TestDecrypterWithPrevious: after a renewal, a Decrypter of the new key with the old one as a
// previous key opens what was encrypted to either, and its Public is the new key's; a ciphertext
// of neither is a *DecryptError counting both keys. The Decrypter it was made from is unchanged.
func TestDecrypterWithPrevious(t *testing.T) {
	newKey, oldKey, older, stranger := testKey(t, "decrypt-current"), testKey(t, "decrypt-other"),
		testKey(t, "decrypt-older"), testKey(t, "decrypt-stranger")
	cur := mustDecrypter(t, newKey)
	d, err := cur.WithPrevious(mustDecrypter(t, oldKey))
	require.NoError(t, err)
	assert.True(t, newKey.PublicKey.Equal(d.Public()), "Public is the current key's")

	for _, k := range []*rsa.PrivateKey{newKey, oldKey} {
		got, err := d.Decrypt(rsaCiphertext(t, k, "6216***********0018"))
		require.NoError(t, err)
		assert.Equal(t, "6216***********0018", got)
	}
	_, err = cur.Decrypt(rsaCiphertext(t, oldKey, "x"))
	var de *DecryptError
	require.ErrorAs(t, err, &de, "the Decrypter WithPrevious was called on has no previous key")
	assert.Equal(t, 1, de.Keys)

	_, err = d.Decrypt(rsaCiphertext(t, stranger, "x"))
	require.ErrorAs(t, err, &de)
	assert.Equal(t, 2, de.Keys)
	assert.Contains(t, err.Error(), "does not decrypt with any of the 2 keys")

	// Chained: the previous Decrypter's own previous keys come after it; a repeated key is
	// tried once.
	d2, err := mustDecrypter(t, stranger).WithPrevious(d, mustDecrypter(t, oldKey), mustDecrypter(t, older))
	require.NoError(t, err)
	for _, k := range []*rsa.PrivateKey{stranger, newKey, oldKey, older} {
		got, err := d2.Decrypt(rsaCiphertext(t, k, "x"))
		require.NoError(t, err)
		assert.Equal(t, "x", got)
	}
	_, err = d2.Decrypt(rsaCiphertext(t, testKey(t, "decrypt-unknown"), "x"))
	require.ErrorAs(t, err, &de)
	assert.Equal(t, 4, de.Keys)

	// A previous key of another size: a ciphertext of its size is opened by it.
	small, err := rsa.GenerateKey(rand.Reader, 1024)
	require.NoError(t, err)
	d3, err := cur.WithPrevious(mustDecrypter(t, small))
	require.NoError(t, err)
	got, err := d3.Decrypt(rsaCiphertext(t, small, "x"))
	require.NoError(t, err)
	assert.Equal(t, "x", got)
	_, err = d3.Decrypt(base64.StdEncoding.EncodeToString(make([]byte, 100)))
	require.ErrorAs(t, err, &de, "no longer than either key's: asked of both")
	assert.Equal(t, 2, de.Keys)
	_, err = d3.Decrypt(base64.StdEncoding.EncodeToString(make([]byte, 300)))
	require.Error(t, err)
	assert.False(t, errors.As(err, &de), "fits no key: %v", err)
	assert.Contains(t, err.Error(), "300 bytes, longer than a ciphertext of the 2048-bit key or of the 1024-bit one")
}

// TestDecrypterWithPreviousRefuses: an unusable previous Decrypter, or one of another
// algorithm than the current key's, is refused, as is an unusable receiver.
func TestDecrypterWithPreviousRefuses(t *testing.T) {
	cur := mustDecrypter(t, testKey(t, "decrypt-current"))
	sm2Key, err := sm2.GenerateKey(rand.Reader)
	require.NoError(t, err)
	for _, tt := range []struct {
		name string
		d    *Decrypter
		prev []*Decrypter
		want string
	}{
		{"nil previous", cur, []*Decrypter{nil}, "previous Decrypter 0 is not initialised"},
		{"zero previous", cur, []*Decrypter{{}}, "previous Decrypter 0 is not initialised"},
		{"SM2 after RSA", cur, []*Decrypter{mustDecrypter(t, sm2Key)}, "previous Decrypter 0 is SM2, the current one RSA"},
		{"RSA after SM2", mustDecrypter(t, sm2Key), []*Decrypter{cur}, "previous Decrypter 0 is RSA, the current one SM2"},
		{"nil receiver", nil, []*Decrypter{cur}, "not initialised"},
	} {
		_, err := tt.d.WithPrevious(tt.prev...)
		require.Error(t, err, tt.name)
		assert.Contains(t, err.Error(), tt.want, tt.name)
	}
}

// garbageKey is a key that "decrypts" anything into fixed bytes, as the wrong RSA key does, once
// in 50,000 to 100,000 ciphertexts, when the padding happens to check.
type garbageKey struct{ *rsa.PrivateKey }

func (g garbageKey) Decrypt(io.Reader, []byte, crypto.DecrypterOpts) ([]byte, error) {
	return []byte("\x8f\x01garbage"), nil
}

// TestDecryptValid: a plaintext valid refuses is taken for the wrong key's, and the next key is
// tried; refused by every key, it is a *DecryptError, as a ciphertext no key opens.
func TestDecryptValid(t *testing.T) {
	newKey, oldKey := testKey(t, "decrypt-current"), testKey(t, "decrypt-other")
	d, err := mustDecrypter(t, garbageKey{newKey}).WithPrevious(mustDecrypter(t, oldKey))
	require.NoError(t, err)
	digits := func(s string) bool { return s != "" && strings.Trim(s, "0123456789*") == "" }
	ct := rsaCiphertext(t, oldKey, "6216***********0018")

	got, err := d.Decrypt(ct)
	require.NoError(t, err)
	assert.Equal(t, "\x8f\x01garbage", got, "Decrypt takes the first key's plaintext")
	got, err = d.DecryptValid(ct, digits)
	require.NoError(t, err)
	assert.Equal(t, "6216***********0018", got, "the previous key's")

	_, err = d.DecryptValid(rsaCiphertext(t, oldKey, "not digits"), digits)
	var de *DecryptError
	require.ErrorAs(t, err, &de)
	assert.Equal(t, 2, de.Keys)
	assert.NotContains(t, err.Error(), "not digits", "no plaintext in the error")
}

func withPrevious(t testing.TB, d *Decrypter, prev ...*Decrypter) *Decrypter {
	t.Helper()
	out, err := d.WithPrevious(prev...)
	require.NoError(t, err)
	return out
}

// TestDecryptLeadingZeroDropped: an RSA ciphertext whose leading zero byte an encoder dropped
// (255 bytes for a 2048-bit key) is the same number, and decrypts, as crypto/rsa and Java's
// Cipher read it: it is not refused for its length.
func TestDecryptLeadingZeroDropped(t *testing.T) {
	key := testKey(t, "decrypt-current")
	d := mustDecrypter(t, key)
	for i := 0; ; i++ {
		require.Less(t, i, 20000, "no ciphertext with a leading zero byte")
		//lint:ignore SA1019 UnionPay encrypts with RSA PKCS #1 v1.5.
		ct, err := rsa.EncryptPKCS1v15(rand.Reader, &key.PublicKey, []byte("6216***********0018"))
		require.NoError(t, err)
		if ct[0] != 0 {
			continue
		}
		got, err := d.Decrypt(base64.StdEncoding.EncodeToString(ct[1:]))
		require.NoError(t, err)
		assert.Equal(t, "6216***********0018", got)
		return
	}
}
