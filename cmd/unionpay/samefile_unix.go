//go:build unix

package main

import (
	"os"
	"syscall"
)

// openExisting opens path to read what is already there without following a symlink at it
// (O_NOFOLLOW: the open fails), waiting for a writer of a named pipe (O_NONBLOCK, without
// effect on a regular file's reads), or taking a terminal as the controlling one (O_NOCTTY).
func openExisting(path string) (*os.File, error) {
	return os.OpenFile(path, os.O_RDONLY|syscall.O_NOFOLLOW|syscall.O_NONBLOCK|syscall.O_NOCTTY, 0)
}
