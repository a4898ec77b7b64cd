package reconcile

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestZMWriterJavaGBK: a ZM line is written in Java's GBK, as UnionPay's files are: the
// euro sign as A2 E3 (not 0x80) and a user-defined character as its Private Use Area mapping,
// and it reads back to the same text.
func TestZMWriterJavaGBK(t *testing.T) {
	rec := benchRecords()(0)
	rec.SubMerAbbr, rec.MerReserved = "欧\ue000", "礼品€5"
	var buf bytes.Buffer
	w := NewZMWriter(&buf)
	require.NoError(t, w.Write(rec))
	require.NoError(t, w.Flush())
	assert.Contains(t, buf.String(), "\xc5\xb7\xaa\xa1")
	assert.Contains(t, buf.String(), "\xc0\xf1\xc6\xb7\xa2\xe35")
	assert.NotContains(t, buf.String(), "\x80")
	n := 0
	for got, err := range ZM(&buf, settle) {
		require.NoError(t, err)
		assert.Equal(t, rec.SubMerAbbr, got.SubMerAbbr)
		assert.Equal(t, rec.MerReserved, got.MerReserved)
		n++
	}
	require.Equal(t, 1, n)
}

// TestZMWriterGBKAfterASCII: a field whose text is ASCII but for its end is written in GBK too,
// not passed through as UTF-8 (every character is looked at, not only the first ones).
func TestZMWriterGBKAfterASCII(t *testing.T) {
	rec := benchRecords()(0)
	rec.SubMerAbbr, rec.MerReserved = "Shop欧", "gift card 礼品"
	var buf bytes.Buffer
	w := NewZMWriter(&buf)
	require.NoError(t, w.Write(rec))
	require.NoError(t, w.Flush())
	assert.Contains(t, buf.String(), "Shop\xc5\xb7")
	assert.Contains(t, buf.String(), "gift card \xc0\xf1\xc6\xb7")
	n := 0
	for got, err := range ZM(&buf, settle) {
		require.NoError(t, err)
		assert.Equal(t, rec.SubMerAbbr, got.SubMerAbbr)
		assert.Equal(t, rec.MerReserved, got.MerReserved)
		n++
	}
	require.Equal(t, 1, n)
}
