//go:build !linux && !darwin && !windows

package main

import "errors"

// renameNoReplace is, on Linux, renameat2 with RENAME_NOREPLACE, on macOS renameatx_np with
// RENAME_EXCL, on Windows MoveFileEx without MOVEFILE_REPLACE_EXISTING; elsewhere (the BSDs,
// whose rename(2) has no such flag in golang.org/x/sys) it fails with errors.ErrUnsupported, and
// namer.linkNew looks then renames where there are no hard links.
func renameNoReplace(_, _ string) error {
	return errors.ErrUnsupported
}
