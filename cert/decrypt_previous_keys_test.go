package cert

import (
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"errors"
	"strconv"
	"testing"

	"github.com/emmansun/gmsm/sm2"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestWithPreviousKeepsReceiversPrevious: WithPrevious called on a Decrypter that has previous
// keys of its own (a second renewal: the newest PFX's Decrypter made from the last one's, which
// already holds the first) keeps them, after its own key and before the ones given.
func TestWithPreviousKeepsReceiversPrevious(t *testing.T) {
	newest, last, first := testKey(t, "decrypt-current"), testKey(t, "decrypt-other"), testKey(t, "decrypt-older")
	d := withPrevious(t, mustDecrypter(t, last), mustDecrypter(t, first))
	d2, err := mustDecrypter(t, newest).WithPrevious(d)
	require.NoError(t, err)
	d3, err := d.WithPrevious(mustDecrypter(t, newest))
	require.NoError(t, err)
	for name, dd := range map[string]*Decrypter{"given as previous": d2, "receiver": d3} {
		for _, k := range []*rsa.PrivateKey{newest, last, first} {
			got, err := dd.Decrypt(rsaCiphertext(t, k, "6216***********0018"))
			require.NoError(t, err, name)
			assert.Equal(t, "6216***********0018", got, name)
		}
		_, err = dd.Decrypt(rsaCiphertext(t, testKey(t, "decrypt-stranger"), "x"))
		var de *DecryptError
		require.ErrorAs(t, err, &de, name)
		assert.Equal(t, 3, de.Keys, name)
	}
}

// TestDecryptSizeErrorNamesEachSize: a ciphertext longer than every key's names the current
// key's size and each other size once, in the order the keys are tried: a previous key of the
// current key's size, or two of one size, add nothing.
func TestDecryptSizeErrorNamesEachSize(t *testing.T) {
	gen := func(bits int) *Decrypter {
		k, err := rsa.GenerateKey(rand.Reader, bits)
		require.NoError(t, err)
		return mustDecrypter(t, k)
	}
	cur, same, mid1, mid2 := gen(1024), gen(1024), gen(1536), gen(1536)
	d := withPrevious(t, cur, same, mid1, mid2)
	_, err := d.Decrypt(base64.StdEncoding.EncodeToString(make([]byte, 300)))
	require.Error(t, err)
	var de *DecryptError
	assert.False(t, errors.As(err, &de), "fits no key: %v", err)
	assert.EqualError(t, err, "cert: decrypt: 300 bytes, longer than a ciphertext of the 1024-bit key or of the 1536-bit one")
}

// TestDecryptSM2NotACiphertext: bytes an SM2 ciphertext cannot be (too short for 04||X||Y||C3
// and one byte of C2, or not starting with 04) are named so, for an SM2 Decrypter with previous
// keys or without, and are no *DecryptError: no key was asked.
func TestDecryptSM2NotACiphertext(t *testing.T) {
	key, err := sm2.GenerateKey(rand.Reader)
	require.NoError(t, err)
	old, err := sm2.GenerateKey(rand.Reader)
	require.NoError(t, err)
	d := mustDecrypter(t, key)
	for name, dd := range map[string]*Decrypter{"alone": d, "with a previous key": withPrevious(t, d, mustDecrypter(t, old))} {
		short := append([]byte{0x04}, make([]byte, 95)...)
		long := make([]byte, 120) // long enough, but no 04 first
		for _, ct := range [][]byte{short, long} {
			_, err := dd.Decrypt(base64.StdEncoding.EncodeToString(ct))
			require.Error(t, err, name)
			var de *DecryptError
			assert.False(t, errors.As(err, &de), "%s: %v", name, err)
			assert.EqualError(t, err, "cert: decrypt: "+strconv.Itoa(len(ct))+" bytes are not an SM2 ciphertext 04||X||Y||C3||C2", name)
		}
	}
}
