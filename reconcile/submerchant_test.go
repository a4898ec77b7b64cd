package reconcile

import (
	"bytes"
	"iter"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestSubMerchant: a record's sub-merchant is its subMerId unless the file gives the zeros (or
// blank) of a merchant that is not a platform; the CSV and JSON reports carry it, so that a
// platform can route each discrepancy to its shop (a platform's trial).
func TestSubMerchant(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ id, want string }{
		{"898111148990268", "898111148990268"}, {"000000000000000", ""}, {"", ""}, {"=1", "=1"},
	} {
		r := Record{SubMerID: tt.id}
		assert.Equal(t, tt.want, r.SubMerchant(), tt.id)
	}
	results := iter.Seq2[Result, error](func(yield func(Result, error) bool) {
		_ = yield(Result{Class: UnknownToMerchant, Record: Record{Line: 1, OrderID: "SHOPA0001", TxnAmt: 100,
			SubMerID: "898111148990268"}}, nil) &&
			yield(Result{Class: UnknownToMerchant, Record: Record{Line: 2, OrderID: "SHOPB0001", TxnAmt: 100,
				SubMerID: "=HYPERLINK"}}, nil) &&
			yield(Result{Class: UnknownToMerchant, Record: Record{Line: 3, OrderID: "DIRECT001", TxnAmt: 100,
				SubMerID: "000000000000000"}}, nil)
	})
	var buf bytes.Buffer
	_, err := WriteCSV(&buf, results)
	require.NoError(t, err)
	lines := bytes.Split(buf.Bytes(), []byte("\n"))
	assert.True(t, bytes.HasSuffix(lines[0], []byte(",detail,sub_mer_id")))
	assert.True(t, bytes.HasSuffix(lines[1], []byte(",898111148990268")), "%s", lines[1])
	assert.True(t, bytes.HasSuffix(lines[2], []byte(",'=HYPERLINK")), "escaped: %s", lines[2])
	assert.True(t, bytes.HasSuffix(lines[3], []byte(",,")), "%s", lines[3])

	buf.Reset()
	_, err = WriteJSON(&buf, results)
	require.NoError(t, err)
	assert.Contains(t, buf.String(), `"sub_mer_id":"898111148990268"`)
	assert.Equal(t, 2, bytes.Count(buf.Bytes(), []byte(`"sub_mer_id"`)), "none for a merchant that is not a platform")
}
