package main

import (
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestOutputDashIsNotAFile: "-o -", written to send the file down a pipe as many tools do, is a
// usage error naming what to do, and no file named "-" is left in the directory. download wrote
// the settlement zip to a file named "-", status 0 ("wrote -"), the pipe getting nothing;
// filecontent did too. "./-" still names a file "-".
func TestOutputDashIsNotAFile(t *testing.T) {
	tests := []struct {
		name string
		args []string
		err  string
	}{
		{"download", []string{"download", "-settle-date", "20261125", "-o", "-", "-merid", shopMerID,
			"-config", "acp_sdk.properties"}, `-o -: download writes a file, not standard output`},
		{"filecontent", []string{"filecontent", "-o", "-"}, `-o -: leave -o out to write to standard output`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Chdir(t.TempDir())
			r := runCLI(t, "respCode=98&respMsg=no file", tt.args...)
			require.Equal(t, exitUsage, r.code, "stdout %q stderr %q", r.stdout, r.stderr)
			assert.Contains(t, r.stderr, tt.err)
			assert.Contains(t, r.stderr, `"./-"`)
			_, err := os.Lstat("-")
			assert.ErrorIs(t, err, os.ErrNotExist, `a file named "-" left`)
		})
	}
}
