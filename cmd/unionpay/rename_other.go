//go:build !linux

package main

import "errors"

// renameNoReplace is Linux's renameat2 RENAME_NOREPLACE; elsewhere it fails with
// errors.ErrUnsupported, and namer.linkNew looks then renames where there are no hard links
// (macOS has renameatx_np with RENAME_EXCL, Windows MoveFileEx without
// MOVEFILE_REPLACE_EXISTING: not used yet).
func renameNoReplace(_, _ string) error {
	return errors.ErrUnsupported
}
