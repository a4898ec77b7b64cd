package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

// A 0-byte FILE (a truncated download, "> day.zip" gone wrong, a disk full) is not a settlement
// file: UnionPay publishes no file for a day without transactions (respCode 98). reconcile reads
// it as a bare ZM member with no records and exits 0, and -summary prints {"records":0,...}: a
// nightly script sees an uneventful day.
func TestTrialReconcileEmptyFileFails(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		name string
		args []string
	}{
		{"INN26112788ZM_777290058110048", nil},
		{"777290058110048_20261127.zip", []string{"-settle-date", "20261127"}},
	} {
		p := filepath.Join(dir, tc.name)
		require.NoError(t, os.WriteFile(p, nil, 0o600))
		for _, extra := range [][]string{nil, {"-summary"}} {
			args := append(append(append([]string{"reconcile"}, extra...), tc.args...), p)
			r := runCLI(t, "", args...)
			require.Equal(t, exitFailed, r.code, "%v: stdout %q stderr %q", args, r.stdout, r.stderr)
			require.Empty(t, r.stdout, "%v", args)
		}
	}
}
