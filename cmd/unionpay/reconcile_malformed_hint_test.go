package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/reconcile"
)

// TestReconcileTooManyMalformedLinesNoDownloadHint: a settlement zip whose ZM member reads whole
// (its checksum right) but holds more than reconcile.MaxMalformedLines malformed lines fails,
// status 1, saying so, without the hint for a damaged zip ("download it again"): the zip is as
// it was written, and downloading it again gives the same bytes. The hint is for a member that
// does not read to its end (TestReconcileDamagedMemberSaysDownloadAgain).
func TestReconcileTooManyMalformedLinesNoDownloadHint(t *testing.T) {
	t.Parallel()
	var zm bytes.Buffer
	w := reconcile.NewZMWriter(&zm)
	recs := testRecords(ordersDay)
	for i := range recs {
		require.NoError(t, w.Write(&recs[i]))
	}
	require.NoError(t, w.Flush())
	bad := strings.SplitAfter(zm.String(), "\r\n")[0][:100] + "\r\n" // a record cut short
	zm.WriteString(strings.Repeat(bad, reconcile.MaxMalformedLines+1))
	var buf bytes.Buffer
	aw := reconcile.NewArchiveWriter(&buf, ordersDay)
	mw, err := aw.Create(reconcile.MemberName(reconcile.KindZM, shopMerID, ordersDay))
	require.NoError(t, err)
	_, err = mw.Write(zm.Bytes())
	require.NoError(t, err)
	require.NoError(t, aw.Close())
	dir := t.TempDir()
	path := writeTestFile(t, dir, reconcile.ArchiveName(shopMerID, ordersDay), buf.Bytes())
	for _, args := range [][]string{
		{"reconcile", path},
		{"reconcile", "-orders", writeTestFile(t, dir, "orders.csv", []byte(ordersHeaderRow+consumeRow)), path},
	} {
		t.Run(map[bool]string{false: "alone", true: "with -orders"}[len(args) > 2], func(t *testing.T) {
			r := runCLI(t, "", args...)
			require.Equal(t, exitFailed, r.code, "stdout %q stderr %q", r.stdout, r.stderr)
			assert.Contains(t, r.stderr, "malformed (or blank) lines")
			assert.NotContains(t, r.stderr, "download it again")
		})
	}
}
