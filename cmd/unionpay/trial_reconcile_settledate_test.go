package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

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
