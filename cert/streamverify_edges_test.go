package cert

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/sign"
)

// sizedAnswer returns s's signed file answer in encoding whose string to sign (in UTF-8, as
// canon.Size counts it) is exactly n bytes.
func (s *streamSigner) sizedAnswer(t *testing.T, encoding string, n int) sign.Fields {
	t.Helper()
	f := s.fileAnswer(t, encoding, n/2)
	have := len(sign.AppendCanonical(nil, f))
	content := f["fileContent"]
	f["fileContent"] = strings.Repeat("QUJD", n/4+1)[:len(content)+n-have]
	require.NoError(t, sign.Sign(s.s, f))
	require.Len(t, sign.AppendCanonical(nil, f), n)
	return f
}

// TestVerifyStreamedAtThreshold: a string to sign of exactly streamAbove bytes is built whole,
// one byte more is hashed in pieces, and either way Verify accepts and refuses as when the string
// is built whole, for every method, and encodings spelled in odd case or unknown; so do a large
// message with an empty or missing signature, a name not printable ASCII, or an empty name.
func TestVerifyStreamedAtThreshold(t *testing.T) {
	t.Parallel()
	setup := newStreamSetup(t)
	for _, s := range setup.signers {
		for _, enc := range []string{"UTF-8", "utf-8", "Utf8", "", "GbK", "UTF-16", "GB18030"} {
			for _, n := range []int{streamAbove - 1, streamAbove, streamAbove + 1} {
				_, known := streamCharset(enc)
				var f sign.Fields
				if known {
					f = s.sizedAnswer(t, enc, n)
				} else { // signed in UTF-8 (sign refuses the charset), then the encoding changed
					f = alter(s.sizedAnswer(t, "UTF-8", n), sign.FieldEncoding, enc)
				}
				assert.Equal(t, known && n > streamAbove, streamedFor(setup.v, f), "%s %q %d: streamed", s.name, enc, n)
				variants := map[string]sign.Fields{
					"genuine":              f,
					"empty signature":      alter(f, sign.FieldSignature, ""),
					"name with a space":    alter(f, "accNo 6216261000000000018", "x"),
					"empty name":           alter(f, "", "x"),
					"non-ASCII name":       alter(f, "名", "x"),
					"value not in GBK":     alter(f, "respMsg", "成功😀"),
					"value invalid UTF-8":  alter(f, "respMsg", "成功\xe6\x88"),
					"signature name alone": alter(f, "Signature", f[sign.FieldSignature]),
				}
				missing := f.Clone()
				delete(missing, sign.FieldSignature)
				variants["no signature"] = missing
				for name, m := range variants {
					t.Run(fmt.Sprintf("%s/%q/%d/%s", s.name, enc, n, name), func(t *testing.T) {
						t.Parallel()
						got, err := setup.v.Verify(m)
						want, wantErr := verifyWhole(setup.v, m)
						if m[sign.FieldSignature] == "" {
							want, wantErr = setup.v.verify(m, []byte("whole")) // refused before the string to sign
						}
						if wantErr != nil {
							require.Error(t, err)
							assert.Equal(t, wantErr.Error(), err.Error())
							assert.Equal(t, errors.Is(wantErr, sign.ErrSignature), errors.Is(err, sign.ErrSignature))
							assert.Equal(t, errors.Is(wantErr, sign.ErrCharset), errors.Is(err, sign.ErrCharset))
							assert.Equal(t, errors.Is(wantErr, sign.ErrMalformed), errors.Is(err, sign.ErrMalformed))
							return
						}
						require.NoError(t, err)
						assert.Equal(t, want, got)
					})
				}
			}
		}
	}
}
