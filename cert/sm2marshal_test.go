package cert

import (
	"bytes"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// MarshalSM2 writes what LoadSM2 reads back: UnionPay's CFCA test credential, re-encoded under
// another password, loads to the same key and certificate; a pair that is not a pair, or an
// incomplete credential, is refused.
func TestMarshalSM2(t *testing.T) {
	t.Parallel()
	cred := loadSM2Credential(t)
	for _, pw := range []string{"", "000000", "密码 p@ss"} {
		b, err := MarshalSM2(cred, pw)
		require.NoError(t, err, pw)
		for _, line := range bytes.Split(bytes.TrimSuffix(b, []byte("\n")), []byte("\n")) {
			assert.LessOrEqual(t, len(line), 76, "base64 lines of at most 76 characters")
		}
		back, err := LoadSM2(b, pw)
		require.NoError(t, err, pw)
		assert.True(t, cred.Key.Equal(back.Key), pw)
		assert.True(t, cred.Certificate.Equal(back.Certificate), pw)
		_, err = LoadSM2(b, pw+"x")
		assert.True(t, errors.Is(err, ErrPassword), "%q: a wrong password: %v", pw, err)
	}

	other := issueSM2(t, leafSpec(), nil)
	for name, c := range map[string]*SM2Credential{
		"nil":                  nil,
		"no key":               {Certificate: cred.Certificate},
		"no certificate":       {Key: cred.Key},
		"another key's":        {Key: other.key, Certificate: cred.Certificate},
		"an RSA certificate's": {Key: cred.Key, Certificate: loadTestCert(t, "acp_test_enc.cer")},
	} {
		_, err := MarshalSM2(c, "000000")
		assert.Error(t, err, name)
	}
}
