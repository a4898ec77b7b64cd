package main

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestWriteFileReplacingRace: a name that appears while the file is being written (another run of
// the nightly job, or a symlink planted by someone sharing the directory), after any look at it, is
// still never replaced nor written through: the new file gets the name by a hard link, which fails
// when the name exists.
func TestWriteFileReplacingRace(t *testing.T) {
	for _, tt := range plantedCases() { // a file holding "theirs", or a symlink
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "day.zip")
			victim := filepath.Join(dir, "victim.txt")
			require.NoError(t, os.WriteFile(victim, []byte("victim"), 0o600))
			err := writeFileReplacing(path, false, func(w io.Writer) error {
				if tt.target == "" {
					require.NoError(t, os.WriteFile(path, []byte("theirs"), 0o600))
				} else {
					require.NoError(t, os.Symlink(tt.target, path))
				}
				_, err := io.WriteString(w, "ours")
				return err
			})
			require.True(t, errors.Is(err, errFileExists), "%v", err)
			got, err := os.ReadFile(victim)
			require.NoError(t, err)
			assert.Equal(t, "victim", string(got), "the symlink's target untouched")
			if tt.target == "" {
				got, err := os.ReadFile(path)
				require.NoError(t, err)
				assert.Equal(t, "theirs", string(got), "the file that appeared is left as it is")
			} else {
				link, err := os.Readlink(path)
				require.NoError(t, err)
				assert.Equal(t, tt.target, link, "the symlink that appeared is left as it is")
			}
		})
	}
}
