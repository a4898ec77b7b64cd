package cert

import (
	"bytes"
	"reflect"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/sign"
)

// holds reports whether v, or anything v reaches through pointers, maps, slices, arrays, structs
// and interfaces (unexported fields included), holds secret as a []byte or string, whole or in
// part.
func holds(v reflect.Value, secret []byte, seen map[uintptr]bool) bool {
	if k := v.Kind(); (k == reflect.Pointer || k == reflect.Map) && !v.IsNil() {
		if seen[v.Pointer()] {
			return false
		}
		seen[v.Pointer()] = true
	}
	switch v.Kind() {
	case reflect.String:
		return bytes.Contains([]byte(v.String()), secret)
	case reflect.Pointer, reflect.Interface:
		return holds(v.Elem(), secret, seen)
	case reflect.Slice, reflect.Array:
		if v.Type().Elem().Kind() == reflect.Uint8 {
			b := make([]byte, v.Len())
			for i := range b {
				b[i] = byte(v.Index(i).Uint())
			}
			return bytes.Contains(b, secret)
		}
		for i := 0; i < v.Len(); i++ {
			if holds(v.Index(i), secret, seen) {
				return true
			}
		}
	case reflect.Map:
		for it := v.MapRange(); it.Next(); {
			if holds(it.Key(), secret, seen) || holds(it.Value(), secret, seen) {
				return true
			}
		}
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			if holds(v.Field(i), secret, seen) {
				return true
			}
		}
	}
	return false
}

// TestVerifierKeepsOnlyKeyDigest: a Verifier with a secure key (signMethod 11 and 12) keeps the
// digest of the key that the signature is computed from (hex(H(key)), H = SHA-256 or SM3), never
// the key itself (it kept a copy of the key); and it verifies as sign.VerifySecureKey does with the
// key, and refuses a signature made with another key.
func TestVerifierKeepsOnlyKeyDigest(t *testing.T) {
	t.Parallel()
	key := []byte("k3Y-0f-the-m3rchant-4b9e2f7c1d")
	v, err := NewVerifier(VerifierConfig{SecureKey: key})
	require.NoError(t, err)
	assert.False(t, holds(reflect.ValueOf(v), key, map[uintptr]bool{}), "the Verifier holds the secure key")
	assert.False(t, holds(reflect.ValueOf(v), key[:12], map[uintptr]bool{}), "the Verifier holds part of the secure key")
	assert.True(t, holds(reflect.ValueOf(struct{ k []byte }{key}), key[:12], map[uintptr]bool{}), "the walk finds a key")

	other, err := NewVerifier(VerifierConfig{SecureKey: []byte("another-key"), SecureKeyMethods: []string{sign.MethodSM3Key}})
	require.NoError(t, err)
	for _, method := range []string{sign.MethodSHA256Key, sign.MethodSM3Key} {
		signer, err := sign.NewSecureKeySigner(method, key)
		require.NoError(t, err)
		f := sign.Fields{"version": sign.Version510, "signMethod": method, "orderId": "ORDER0001", "txnAmt": "100"}
		require.NoError(t, sign.Sign(signer, f))
		canonical, err := sign.Canonical(f)
		require.NoError(t, err)
		require.NoError(t, sign.VerifySecureKey(method, key, canonical, f["signature"]))

		signed, err := v.Verify(f)
		require.NoError(t, err, method)
		assert.Equal(t, method, signed.Method)
		_, err = other.Verify(f)
		if method == sign.MethodSM3Key {
			assert.ErrorIs(t, err, sign.ErrSignature, "another key, %s", method)
		} else {
			assert.ErrorIs(t, err, ErrMethod, "a method other does not enable, %s", method)
		}

		bad := sign.Fields{}
		for k, val := range f {
			bad[k] = val
		}
		bad["txnAmt"] = "101"
		_, err = v.Verify(bad)
		assert.ErrorIs(t, err, sign.ErrSignature, method)
	}
	assert.Contains(t, v.String(), "secureKey:true")
	assert.Contains(t, (&Verifier{}).String(), "secureKey:false")
}
