package unionpay_test

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/sign"
	"github.com/goacp/unionpay/unionpay"
)

// TestSizeTextOneRule: the "(N bytes)" that stands for a file in masked output is read alike by
// sign.Fields.Masked (a fileContent already masked) and by BatchRequest's UnmarshalJSON (a File
// given by its size, refused): "(abc bytes)", which Masked does not take for a size, was refused
// as a masked File all the same.
func TestSizeTextOneRule(t *testing.T) {
	t.Parallel()
	for _, s := range []string{"(12 bytes)", "(1024 bytes)", "(00 bytes)", "(abc bytes)", "( bytes)", "(-1 bytes)", "(1 byte)", "(12bytes)"} {
		isSize := sign.Fields{"fileContent": s}.Masked()["fileContent"] == s
		b, err := json.Marshal(map[string]string{"File": s})
		require.NoError(t, err)
		err = json.Unmarshal(b, new(unionpay.BatchRequest))
		assert.Equal(t, isSize, errors.Is(err, unionpay.ErrMaskedJSON), "File %q: Masked reads a size: %v; UnmarshalJSON: %v", s, isSize, err)
		if !isSize {
			assert.Error(t, err, "File %q is not base64 either", s)
		}

		b, err = json.Marshal(map[string]any{"Extra": map[string]string{"fileContent": s}})
		require.NoError(t, err)
		err = json.Unmarshal(b, new(unionpay.FollowUpRequest))
		assert.Equal(t, isSize, errors.Is(err, unionpay.ErrMaskedJSON), "Extra[fileContent] %q: %v", s, err)
	}
	var r unionpay.BatchRequest
	require.NoError(t, json.Unmarshal([]byte(`{"BatchNo":"0001","File":"(0 bytes)"}`), &r), "no file")
	assert.Nil(t, r.File)
	out, err := json.Marshal(unionpay.BatchRequest{File: []byte("6216261000000000018|100")})
	require.NoError(t, err)
	assert.Contains(t, string(out), `"File":"(23 bytes)"`)
	assert.Equal(t, "(23 bytes)", sign.Fields{"fileContent": "6216261000000000018|100"}.Masked()["fileContent"])
}
