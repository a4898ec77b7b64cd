package reconcile

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestZMWriterJavaGBK: a ZM line is written in Java's GBK, as UnionPay's files are, and reads
// back to the same text: the euro sign as A2 E3 (not 0x80), a user-defined character as its
// Private Use Area mapping, and a field ASCII but for its end in GBK too, not passed through as
// UTF-8 (every character is looked at, not only the first ones).
func TestZMWriterJavaGBK(t *testing.T) {
	for _, tc := range []struct {
		name                    string
		subMerAbbr, merReserved string
		want                    []string // byte runs the line must hold
	}{
		{"euro and user-defined", "欧\ue000", "礼品€5", []string{"\xc5\xb7\xaa\xa1", "\xc0\xf1\xc6\xb7\xa2\xe35"}},
		{"GBK after ASCII", "Shop欧", "gift card 礼品", []string{"Shop\xc5\xb7", "gift card \xc0\xf1\xc6\xb7"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := benchRecords()(0)
			rec.SubMerAbbr, rec.MerReserved = tc.subMerAbbr, tc.merReserved
			var buf bytes.Buffer
			w := NewZMWriter(&buf)
			require.NoError(t, w.Write(rec))
			require.NoError(t, w.Flush())
			for _, b := range tc.want {
				assert.Contains(t, buf.String(), b)
			}
			assert.NotContains(t, buf.String(), "\x80")
			n := 0
			for got, err := range ZM(&buf, settle) {
				require.NoError(t, err)
				assert.Equal(t, rec.SubMerAbbr, got.SubMerAbbr)
				assert.Equal(t, rec.MerReserved, got.MerReserved)
				n++
			}
			require.Equal(t, 1, n)
		})
	}
}
