package main

import (
	"errors"
	"fmt"
	"os"

	"golang.org/x/sys/unix"
)

// renameNoReplace renames oldname to newname unless something (a file, a symlink, a directory)
// is at newname, in one step: renameat2 with RENAME_NOREPLACE (Linux 3.15). The error matches
// fs.ErrExist when something is there; errors.ErrUnsupported when the kernel or the file system
// does not have the flag (ENOSYS, EINVAL: some network and FUSE file systems).
func renameNoReplace(oldname, newname string) error {
	err := unix.Renameat2(unix.AT_FDCWD, oldname, unix.AT_FDCWD, newname, unix.RENAME_NOREPLACE)
	switch {
	case err == nil:
		return nil
	case errors.Is(err, unix.EINVAL) || errors.Is(err, unix.ENOSYS) || errors.Is(err, unix.EOPNOTSUPP):
		return fmt.Errorf("renameat2 RENAME_NOREPLACE: %w (%w)", errors.ErrUnsupported, err)
	}
	return &os.LinkError{Op: "renameat2", Old: oldname, New: newname, Err: err}
}
