package reconcile_test

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/reconcile"
)

// Error-text audit: the texts an on-call engineer reads in logs.

// TestErrTextCorruptMemberPrefixOnce: a member whose compressed data is corrupt reads
// "reconcile: reading line 1: reconcile: malformed settlement file: member ...: flate: ...".
func TestErrTextCorruptMemberPrefixOnce(t *testing.T) {
	b := errtextZip(t)
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	require.NoError(t, err)
	off, err := zr.File[0].DataOffset()
	require.NoError(t, err)
	for i := off + 20; i < off+60; i++ {
		b[i] ^= 0xff
	}
	a, err := reconcile.Open(b)
	require.NoError(t, err)
	var got error
	for _, err := range a.Records(time.Time{}, "") {
		if err != nil {
			got = err
			break
		}
	}
	require.Error(t, got)
	assert.True(t, errors.Is(got, reconcile.ErrMalformed))
	assert.Equal(t, 1, strings.Count(got.Error(), "reconcile: "), "%s", got)
	assert.Contains(t, got.Error(), "line 1", "%s", got)
}

// errtextZip is a settlement zip of 50 consume records, enough for a member's compressed data
// to be corrupted in its middle.
func errtextZip(t *testing.T) []byte {
	t.Helper()
	day := time.Date(2025, 12, 31, 0, 0, 0, 0, reconcile.Beijing())
	var recs []reconcile.Record
	for i := range 50 {
		recs = append(recs, reconcile.Record{
			TxnCode: "S56", TxnTime: day.Add(-time.Hour), TxnAmt: 10000, QueryID: fmt.Sprintf("2025123023000012345%02d", i),
			OrderID: fmt.Sprintf("A%d", i), PayCardType: "01", MerchantFee: -60, SettleAmt: 9940, NetSettleAmt: 9940,
			TxnType: "01", BizType: "000201", MerID: "777290058110097"})
	}
	b, err := (&reconcile.Settlement{MerID: "777290058110097", SettleDate: day, Records: recs}).Zip()
	require.NoError(t, err)
	return b
}
