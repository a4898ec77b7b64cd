package main

import (
	"archive/zip"
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Kills M33 (and M10): the commit's test of a -settle-date against the names uses a zip only; a
// bare member's name is checked too.
func TestReviewKillBareMemberSettleDate(t *testing.T) {
	_, zm := memberOf(t, []byte(readTestFile(t, sampleZip)), "ZM_")
	path := writeTestFile(t, t.TempDir(), "INN15090588ZM_802310048993424", zm)
	requireFailure(t, runCLI(t, "", "reconcile", "-settle-date", "20160905", path), exitFailed, "disagrees with the name")
	r := runCLI(t, "", "reconcile", "-settle-date", "20150905", path)
	require.Equal(t, exitOK, r.code, r.stderr)

	zmePath := writeTestFile(t, t.TempDir(), "INN26112788ZME_777290058110048", zmeLineWith(t, "E74", "000004"))
	requireFailure(t, runCLI(t, "", "reconcile", "-summary", "-settle-date", "20261126", zmePath), exitFailed, "disagrees")
	// A bare ZME: no ZM records, its error transaction apart.
	r = runCLI(t, "", "reconcile", "-summary", zmePath)
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Equal(t, `{"records":0,"txnAmtCredit":0,"txnAmtDebit":0,"txnAmtNet":0,"merchantFee":0,"settleAmt":0,"zmeRecords":1,"zmeSettleAmt":-4970}`+"\n", r.stdout)
}

// undatedZip is a zip of a ZM and a ZME member whose names carry no date (not UnionPay's names).
func undatedZip(t *testing.T) []byte {
	t.Helper()
	_, zm := memberOf(t, []byte(readTestFile(t, trialZME)), "ZM_")
	_, zme := memberOf(t, []byte(readTestFile(t, trialZME)), "ZME_")
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, b := range map[string][]byte{"ZM_777290058110048": zm, "ZME_777290058110048": zme} {
		w, err := zw.Create(name)
		require.NoError(t, err)
		_, err = w.Write(b)
		require.NoError(t, err)
	}
	require.NoError(t, zw.Close())
	return buf.Bytes()
}

// Kills M12: a zip whose members carry no date reads with -settle-date (and without it asks for one).
func TestReviewKillUndatedMembers(t *testing.T) {
	path := writeTestFile(t, t.TempDir(), "undated.zip", undatedZip(t))
	r := runCLI(t, "", "reconcile", "-summary", "-settle-date", "20261127", path)
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Contains(t, r.stdout, `"zmeRecords":1,"zmeSettleAmt":-4970`)
	requireFailure(t, runCLI(t, "", "reconcile", path), exitUsage, "give -settle-date")
}

// ---- Findings: these fail on the reviewed code. ----

// Finding 1: a bare RD report ignores -settle-date: "a -settle-date other than the file's is
// refused" (README) holds for ZM/ZME names and zip members, not for a bare RD, whose name and
// content both say 2015-09-05.
func TestReviewBugBareRDSettleDate(t *testing.T) {
	name, rd := memberOf(t, []byte(readTestFile(t, sampleZip)), "RD")
	path := writeTestFile(t, t.TempDir(), name, rd)
	r := runCLI(t, "", "reconcile", "-settle-date", "20160905", path)
	require.Equal(t, exitFailed, r.code, "bare RD %s with -settle-date 20160905: stdout %q", name, r.stdout)
	assert.Empty(t, r.stdout)
}

// -settle-date overrides the date in the member names without a word: a cron job that passes the
// wrong day (or year) gets records dated in it, exit 0 (INN15090588ZM with -settle-date 20160905
// writes txnTime 2016-09-06...). A -settle-date that disagrees with a member's name should fail.
func TestTrialReconcileSettleDateDisagreesWithName(t *testing.T) {
	zipPath := "../../reconcile/testdata/802310048993424_20150905.zip"
	for _, d := range []string{"20160905", "20150904"} {
		r := runCLI(t, "", "reconcile", "-settle-date", d, zipPath)
		require.NotEqual(t, exitOK, r.code, "-settle-date %s: stdout %.200q", d, r.stdout)
	}
	r := runCLI(t, "", "reconcile", "-settle-date", "20150905", zipPath)
	require.Equal(t, exitOK, r.code, r.stderr)
	_ = os.Remove(filepath.Join(t.TempDir(), "x"))
}
