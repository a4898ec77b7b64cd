package main

import (
	"errors"
	"fmt"
	"os"

	"golang.org/x/sys/unix"
)

// renameNoReplace renames oldname to newname unless something (a file, a symlink, a directory)
// is at newname, in one step: renameatx_np with RENAME_EXCL (macOS 10.12). The error matches
// fs.ErrExist when something is there (EEXIST); errors.ErrUnsupported when the file system
// does not have the flag (ENOTSUP, EOPNOTSUPP, EINVAL, ENOSYS: some network and FUSE file
// systems).
func renameNoReplace(oldname, newname string) error {
	err := unix.RenameatxNp(unix.AT_FDCWD, oldname, unix.AT_FDCWD, newname, unix.RENAME_EXCL)
	switch {
	case err == nil:
		return nil
	case errors.Is(err, unix.ENOTSUP) || errors.Is(err, unix.EOPNOTSUPP) ||
		errors.Is(err, unix.EINVAL) || errors.Is(err, unix.ENOSYS):
		return fmt.Errorf("renameatx_np RENAME_EXCL: %w (%w)", errors.ErrUnsupported, err)
	}
	return &os.LinkError{Op: "renameatx_np", Old: oldname, New: newname, Err: err}
}
