package cert

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/sign"
)

// reorder returns body with its pairs in the given order of pair indexes
// (pairs not named keep their place after them).
func reorder(body string, first ...int) string {
	pairs := strings.Split(body, "&")
	out := make([]string, 0, len(pairs))
	used := map[int]bool{}
	for _, i := range first {
		out = append(out, pairs[i])
		used[i] = true
	}
	for i, p := range pairs {
		if !used[i] {
			out = append(out, p)
		}
	}
	return strings.Join(out, "&")
}

// VerifyForm verifies what Verify verifies, whatever the order of the
// body's pairs, and returns the fields only when they verify.
func TestVerifyForm(t *testing.T) {
	t.Parallel()
	ch := newTestChain(t, "Form", nil)
	v := ch.verifier(t, timeGenerated)

	gbk := ch.notification(t)
	gbk["encoding"] = sign.CharsetGBK
	require.NoError(t, sign.Sign(mustSigner(t, ch.leaf), gbk))

	key := ch.notification(t)
	delete(key, FieldSignPubKeyCert)
	ks, err := sign.NewSecureKeySigner(sign.MethodSHA256Key, []byte("88888888"))
	require.NoError(t, err)
	require.NoError(t, sign.Sign(ks, key))
	keyVerifier, err := NewVerifier(VerifierConfig{SecureKey: []byte("88888888"), SecureKeyMethods: []string{"11"}})
	require.NoError(t, err)

	f := ch.notification(t)
	sorted, err := sign.Encode(f)
	require.NoError(t, err)
	n := strings.Count(sorted, "&") + 1
	certAt := strings.Count(strings.Split(sorted, "signPubKeyCert=")[0], "&")
	var certLast []int // sorted but for signPubKeyCert, last (as in the captured notification)
	for i := range n {
		if i != certAt {
			certLast = append(certLast, i)
		}
	}
	reversed := make([]int, n)
	for i := range reversed {
		reversed[i] = n - 1 - i
	}
	gbkBody, err := sign.Encode(gbk)
	require.NoError(t, err)
	keyBody, err := sign.Encode(key)
	require.NoError(t, err)

	tests := []struct {
		name string
		v    *Verifier
		want sign.Fields
		body string
	}{
		{"sorted", v, f, sorted},
		{"certificate last", v, f, reorder(sorted, append(certLast, certAt)...)},
		{"reversed", v, f, reorder(sorted, reversed...)},
		{"signature first", v, f, reorder(sorted, strings.Count(strings.Split(sorted, "signature=")[0], "&"))},
		{"empty fields and empty segments", v, f, "&" + sorted + "&unused=&&"},
		{"GBK", v, gbk, gbkBody},
		{"secure key", keyVerifier, key, keyBody},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			wantSigned, err := tt.v.Verify(tt.want)
			require.NoError(t, err)
			buf := []byte(tt.body)
			got, signed, err := tt.v.VerifyForm(buf)
			require.NoError(t, err)
			for i := range buf { // the caller may reuse it
				buf[i] = 'X'
			}
			assert.Equal(t, tt.want, got)
			assert.Equal(t, wantSigned, signed)
		})
	}

	t.Run("rejected", func(t *testing.T) {
		t.Parallel()
		for name, tc := range map[string]struct {
			body string
			want error
		}{
			"amount changed":   {strings.Replace(sorted, "txnAmt=1000", "txnAmt=1001", 1), sign.ErrSignature},
			"field added":      {sorted + "&extra=1", sign.ErrSignature},
			"field removed":    {strings.Replace(sorted, "traceNo=067402&", "", 1), sign.ErrSignature},
			"value emptied":    {strings.Replace(sorted, "traceNo=067402", "traceNo=", 1), sign.ErrSignature},
			"repeated key":     {sorted + "&txnAmt=1000", sign.ErrMalformed},
			"bad escape":       {sorted + "&a=%zz", sign.ErrMalformed},
			"no field":         {"&&", sign.ErrMalformed},
			"empty":            {"", sign.ErrMalformed},
			"no signature":     {strings.Split(sorted, "&signature=")[0], ErrMissingField},
			"unknown encoding": {strings.Replace(sorted, "encoding=UTF-8", "encoding=BIG5", 1), sign.ErrCharset},
		} {
			got, signed, err := v.VerifyForm([]byte(tc.body))
			assert.ErrorIs(t, err, tc.want, name)
			assert.Nil(t, got, name)
			assert.Nil(t, signed, name)
		}
	})
}
