package main

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// noLinks is os.Link on a file system without hard links (FAT, some network mounts): it fails,
// as Linux's vfat does, with EPERM.
func noLinks(oldname, newname string) error {
	return &os.LinkError{Op: "link", Old: oldname, New: newname, Err: syscall.EPERM}
}

// tempFile writes "ours" to a temporary file of dir, as writeFileReplacing does, and returns it.
func tempFile(t *testing.T, dir string) string {
	t.Helper()
	f, err := os.CreateTemp(dir, ".day.zip.tmp*")
	require.NoError(t, err)
	_, err = f.WriteString("ours")
	require.NoError(t, err)
	require.NoError(t, f.Close())
	return f.Name()
}

// TestLinkNewWithoutHardLinks: where the file system has no hard links, namer.linkNew still
// never replaces what is at the name (a file, a symlink, a dangling symlink), by the platform's
// rename that refuses an existing name, or where there is none, by a look then a rename; with
// the rename refused as unsupported (a file system without RENAME_NOREPLACE), by the look. With
// nothing there the file gets the name; any other failure of the rename is the error.
func TestLinkNewWithoutHardLinks(t *testing.T) {
	unsupported := func(_, _ string) error { return errors.ErrUnsupported }
	denied := func(oldname, newname string) error {
		return &os.LinkError{Op: "renameat2", Old: oldname, New: newname, Err: syscall.EACCES}
	}
	namers := []struct {
		name string
		n    namer
		err  error // with nothing at the name; nil: the file is given it
	}{
		{"the system's rename", namer{link: noLinks, renameNoReplace: renameNoReplace, lstat: os.Lstat}, nil},
		{"no rename refusing an existing name", namer{link: noLinks, renameNoReplace: unsupported, lstat: os.Lstat}, nil},
		{"the rename denied", namer{link: noLinks, renameNoReplace: denied, lstat: os.Lstat}, syscall.EACCES},
	}
	for _, nt := range namers {
		t.Run(nt.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "day.zip")
			tmp := tempFile(t, dir)
			err := nt.n.linkNew(tmp, path)
			if nt.err != nil {
				require.ErrorIs(t, err, nt.err)
				_, err := os.Lstat(path)
				require.ErrorIs(t, err, fs.ErrNotExist, "nothing given the name")
				return
			}
			require.NoError(t, err)
			assertRenamed(t, tmp, path)

			for _, tt := range plantedCases() {
				t.Run(tt.name, func(t *testing.T) {
					dir := t.TempDir()
					path := filepath.Join(dir, "day.zip")
					writeTestFile(t, dir, "victim.txt", []byte("theirs"))
					if tt.target == "" {
						writeTestFile(t, dir, "day.zip", []byte("theirs"))
					} else {
						require.NoError(t, os.Symlink(tt.target, path))
					}
					err := nt.n.linkNew(tempFile(t, dir), path)
					require.ErrorIs(t, err, errFileExists)
					assertPlantedKept(t, dir, tt)
				})
			}
		})
	}
}

// TestLinkNewWithoutHardLinksRace: on Linux, macOS and Windows, where the file system has no
// hard links, a file another writer puts at the name just after a look at it is never replaced:
// the name is given by renameNoReplace (renameat2 RENAME_NOREPLACE, renameatx_np RENAME_EXCL,
// MoveFileEx without MOVEFILE_REPLACE_EXISTING), in one step, not by a look then a rename (which
// replaced it). The other writer comes in through lstat, the look, which sees nothing.
func TestLinkNewWithoutHardLinksRace(t *testing.T) {
	dir := t.TempDir()
	if err := renameNoReplace(tempFile(t, dir), filepath.Join(dir, "probe")); errors.Is(err, errors.ErrUnsupported) {
		t.Skipf("no rename refusing an existing name on %s here (elsewhere than Linux, macOS and Windows the look then the rename remain, see linkNew): %v", runtime.GOOS, err)
	}
	path := filepath.Join(dir, "day.zip")
	theirs := false // whether the other writer wrote
	n := namer{link: noLinks, renameNoReplace: renameNoReplace, lstat: func(name string) (fs.FileInfo, error) {
		fi, err := os.Lstat(name)
		if err == nil {
			return fi, err
		}
		require.NoError(t, os.WriteFile(name, []byte("theirs"), 0o600))
		theirs = true
		return fi, err // the look saw nothing
	}}
	err := n.linkNew(tempFile(t, dir), path)
	got, rerr := os.ReadFile(path)
	require.NoError(t, rerr)
	if theirs {
		assert.ErrorIs(t, err, errFileExists)
		assert.Equal(t, "theirs", string(got), "the other writer's file, put there after the look, replaced")
	} else {
		require.NoError(t, err)
		assert.Equal(t, "ours", string(got))
	}
}

// assertPlantedKept checks that what tt planted at dir/day.zip is as it was (the file holding
// "theirs", or the symlink to its target), and that victim.txt still holds "theirs".
func assertPlantedKept(t *testing.T, dir string, tt planted) {
	t.Helper()
	path := filepath.Join(dir, "day.zip")
	got, err := os.ReadFile(filepath.Join(dir, "victim.txt"))
	require.NoError(t, err)
	assert.Equal(t, "theirs", string(got), "the symlink's target untouched")
	if tt.target == "" {
		got, err := os.ReadFile(path)
		require.NoError(t, err)
		assert.Equal(t, "theirs", string(got), "the file left as it is")
	} else {
		link, err := os.Readlink(path)
		require.NoError(t, err)
		assert.Equal(t, tt.target, link, "the symlink left as it is")
	}
}

// assertRenamed checks that the temporary file tmp (holding "ours") is now path, under that
// name only.
func assertRenamed(t *testing.T, tmp, path string) {
	t.Helper()
	got, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, "ours", string(got))
	_, err = os.Lstat(tmp)
	assert.ErrorIs(t, err, fs.ErrNotExist, "the temporary name is gone")
}
