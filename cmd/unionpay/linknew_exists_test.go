package main

import (
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestLinkNewLinkRefusedIsFinal: when the hard link fails because the name exists, namer.linkNew
// answers errFileExists at once and tries no other way (no rename, no look that another writer
// could come after), and the temporary file stays for writeFileReplacing to remove.
func TestLinkNewLinkRefusedIsFinal(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "day.zip")
	tmp := tempFile(t, dir)
	n := namer{
		link: func(oldname, newname string) error {
			return &os.LinkError{Op: "link", Old: oldname, New: newname, Err: syscall.EEXIST}
		},
		renameNoReplace: func(_, _ string) error {
			t.Error("renameNoReplace tried after the link found the name taken")
			return nil
		},
		lstat: func(name string) (fs.FileInfo, error) {
			t.Error("lstat tried after the link found the name taken")
			return os.Lstat(name)
		},
	}
	require.ErrorIs(t, n.linkNew(tmp, path), errFileExists)
	_, err := os.Lstat(tmp)
	assert.NoError(t, err, "the temporary file is the caller's to remove")
}
