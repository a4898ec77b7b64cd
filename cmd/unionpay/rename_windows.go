package main

import (
	"os"

	"golang.org/x/sys/windows"
)

// renameNoReplace renames oldname to newname unless something (a file, a symlink, a directory)
// is at newname, in one step: MoveFileEx without MOVEFILE_REPLACE_EXISTING, which os.Rename
// gives. The error matches fs.ErrExist when something is there (ERROR_ALREADY_EXISTS,
// ERROR_FILE_EXISTS); every Windows file system has it, so it is never errors.ErrUnsupported.
func renameNoReplace(oldname, newname string) error {
	from, err := windows.UTF16PtrFromString(oldname)
	if err != nil {
		return &os.LinkError{Op: "MoveFileEx", Old: oldname, New: newname, Err: err}
	}
	to, err := windows.UTF16PtrFromString(newname)
	if err != nil {
		return &os.LinkError{Op: "MoveFileEx", Old: oldname, New: newname, Err: err}
	}
	if err := windows.MoveFileEx(from, to, 0); err != nil {
		// ERROR_ALREADY_EXISTS and ERROR_FILE_EXISTS, syscall.Errno, match fs.ErrExist.
		return &os.LinkError{Op: "MoveFileEx", Old: oldname, New: newname, Err: err}
	}
	return nil
}
