package main

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestRenameNoReplace: the system's renameNoReplace (renameat2 RENAME_NOREPLACE on Linux,
// renameatx_np RENAME_EXCL on macOS, MoveFileEx without MOVEFILE_REPLACE_EXISTING on Windows)
// gives the file the name when nothing is there, and otherwise fails with an error matching
// fs.ErrExist, leaving what is there (a file, a directory, a symlink, a dangling symlink) as it
// is and the file under its own name. Any other failure (the file gone) is neither fs.ErrExist
// nor errors.ErrUnsupported. Skipped where the file system, or the system, has no such rename.
func TestRenameNoReplace(t *testing.T) {
	probe := t.TempDir()
	if err := renameNoReplace(tempFile(t, probe), filepath.Join(probe, "probe")); errors.Is(err, errors.ErrUnsupported) {
		switch runtime.GOOS {
		case "linux", "darwin", "ios", "windows":
			t.Skipf("the file system of %s has no rename refusing an existing name: %v", probe, err)
		default:
			t.Skipf("%s has no rename refusing an existing name (see rename_other.go)", runtime.GOOS)
		}
	}

	tests := []struct {
		name  string
		plant func(t *testing.T, path string) // nil: nothing at the name
		check func(t *testing.T, path string) // what was planted is as it was
	}{
		{name: "nothing there"},
		{
			name:  "a file",
			plant: func(t *testing.T, path string) { require.NoError(t, os.WriteFile(path, []byte("theirs"), 0o600)) },
			check: func(t *testing.T, path string) {
				got, err := os.ReadFile(path)
				require.NoError(t, err)
				assert.Equal(t, "theirs", string(got), "the file left as it is")
			},
		},
		{
			name: "a directory",
			plant: func(t *testing.T, path string) {
				require.NoError(t, os.Mkdir(path, 0o700))
				require.NoError(t, os.WriteFile(filepath.Join(path, "inside"), []byte("theirs"), 0o600))
			},
			check: func(t *testing.T, path string) {
				got, err := os.ReadFile(filepath.Join(path, "inside"))
				require.NoError(t, err)
				assert.Equal(t, "theirs", string(got), "the directory left as it is")
			},
		},
		{
			name:  "a symlink",
			plant: func(t *testing.T, path string) { symlinkOrSkip(t, "victim.txt", path) },
			check: func(t *testing.T, path string) {
				link, err := os.Readlink(path)
				require.NoError(t, err)
				assert.Equal(t, "victim.txt", link, "the symlink left as it is")
				got, err := os.ReadFile(filepath.Join(filepath.Dir(path), "victim.txt"))
				require.NoError(t, err)
				assert.Equal(t, "theirs", string(got), "the symlink's target untouched")
			},
		},
		{
			name:  "a dangling symlink",
			plant: func(t *testing.T, path string) { symlinkOrSkip(t, "nosuch.txt", path) },
			check: func(t *testing.T, path string) {
				link, err := os.Readlink(path)
				require.NoError(t, err)
				assert.Equal(t, "nosuch.txt", link, "the symlink left as it is")
				_, err = os.Lstat(filepath.Join(filepath.Dir(path), "nosuch.txt"))
				assert.ErrorIs(t, err, fs.ErrNotExist, "nothing written through the symlink")
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "day.zip")
			writeTestFile(t, dir, "victim.txt", []byte("theirs"))
			if tt.plant != nil {
				tt.plant(t, path)
			}
			tmp := tempFile(t, dir)
			err := renameNoReplace(tmp, path)
			if tt.plant == nil {
				require.NoError(t, err)
				assertRenamed(t, tmp, path)
				return
			}
			require.ErrorIs(t, err, fs.ErrExist)
			assert.NotErrorIs(t, err, errors.ErrUnsupported)
			tt.check(t, path)
			got, err := os.ReadFile(tmp)
			require.NoError(t, err)
			assert.Equal(t, "ours", string(got), "the file still under its temporary name")
		})
	}

	t.Run("the file gone", func(t *testing.T) {
		dir := t.TempDir()
		path := filepath.Join(dir, "day.zip")
		err := renameNoReplace(filepath.Join(dir, ".day.zip.tmp-gone"), path)
		require.ErrorIs(t, err, fs.ErrNotExist)
		assert.NotErrorIs(t, err, fs.ErrExist)
		assert.NotErrorIs(t, err, errors.ErrUnsupported)
		_, err = os.Lstat(path)
		assert.ErrorIs(t, err, fs.ErrNotExist, "nothing given the name")
	})
}

// symlinkOrSkip makes a symlink to target at path, skipping the test where symlinks cannot be
// made (Windows without the privilege or developer mode).
func symlinkOrSkip(t *testing.T, target, path string) {
	t.Helper()
	if err := os.Symlink(target, path); err != nil {
		if runtime.GOOS == "windows" {
			t.Skipf("cannot make a symlink: %v", err)
		}
		require.NoError(t, err)
	}
}
