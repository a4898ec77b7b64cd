package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// filecontent -o and sandbox -dir name the path the user gave when it cannot be written (never
// the temporary file next to it), and leave no file behind.
func TestOutputPathErrors(t *testing.T) {
	dir := t.TempDir()
	content := zlibBase64(t, 100)
	aFile := writeTestFile(t, dir, "plain", []byte("x"))
	aDir := filepath.Join(dir, "sub")
	require.NoError(t, os.Mkdir(aDir, 0o700))
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"-o in a directory that does not exist", []string{"filecontent", "-o", filepath.Join(dir, "nosuch", "out.zip")},
			"writing " + filepath.Join(dir, "nosuch", "out.zip") + ": directory " + filepath.Join(dir, "nosuch") + " does not exist"},
		{"-o a directory", []string{"filecontent", "-o", aDir}, "writing " + aDir + ": it is a directory: give a file name"},
		{"-o under a file", []string{"filecontent", "-o", filepath.Join(aFile, "out.zip")},
			"writing " + filepath.Join(aFile, "out.zip") + ": cannot create a file in " + aFile},
		{"sandbox -dir a file", []string{"sandbox", "-dir", aFile}, "-dir " + aFile + ": cannot create it"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := runCLI(t, content, tt.args...)
			requireFailure(t, r, exitFailed, tt.want)
			assert.NotContains(t, r.stderr, ".tmp", "the temporary file is not the user's concern")
			left, err := os.ReadDir(aDir)
			require.NoError(t, err)
			assert.Empty(t, left)
		})
	}
}
