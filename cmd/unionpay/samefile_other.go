//go:build !unix

package main

import (
	"errors"
	"io/fs"
	"os"
)

// openExisting opens path to read what is already there, refusing a symlink at it. Without
// O_NOFOLLOW (Windows), that is a look before the open: a symlink put there between the two is
// followed, and sameFile then reads the file it points to (making one takes a privilege or
// developer mode on Windows). Named pipes are not in a Windows directory.
func openExisting(path string) (*os.File, error) {
	fi, err := os.Lstat(path)
	if err != nil {
		return nil, err
	}
	if fi.Mode()&fs.ModeSymlink != 0 {
		return nil, &fs.PathError{Op: "open", Path: path, Err: errors.New("a symbolic link")}
	}
	return os.Open(path)
}
