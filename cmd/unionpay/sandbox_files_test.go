package main

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

// TestSandboxFilesReplaceNotFollow: a symlink planted where a sandbox file goes is replaced, not
// followed (its target was overwritten), and a file there before, readable by all, is replaced by
// one of mode 0600 (the key kept the old mode); a directory anyone may write to, without the
// sticky bit, is refused (found by a penetration test).
func TestSandboxFilesReplaceNotFollow(t *testing.T) {
	base, dir, victim := sandboxVictimDir(t)
	require.NoError(t, os.Symlink(victim, filepath.Join(dir, "sandbox_root.cer")))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "sandbox_sign.pfx"), []byte("old"), 0o666))
	require.NoError(t, os.Chmod(filepath.Join(dir, "sandbox_sign.pfx"), 0o666))

	srv := unionpaytest.NewServer(unionpaytest.WithPlainHTTP())
	t.Cleanup(srv.Close)
	files, err := writeSandboxFiles(srv, dir)
	require.NoError(t, err)
	got, err := os.ReadFile(victim)
	require.NoError(t, err)
	assert.Equal(t, "keep me", string(got), "the symlink's target is untouched")
	fi, err := os.Lstat(files.root)
	require.NoError(t, err)
	assert.True(t, fi.Mode().IsRegular(), "the symlink itself is replaced")
	for _, key := range []string{files.pfx, files.key} {
		fi, err = os.Stat(key)
		require.NoError(t, err)
		assert.Equal(t, os.FileMode(0o600), fi.Mode().Perm(), key)
	}

	require.NoError(t, checkSandboxDir(dir))
	open := filepath.Join(base, "open")
	require.NoError(t, os.Mkdir(open, 0o777))
	require.NoError(t, os.Chmod(open, 0o777))
	require.Error(t, checkSandboxDir(open))
	require.NoError(t, os.Chmod(open, 0o777|os.ModeSticky))
	require.NoError(t, checkSandboxDir(open), "sticky, like /tmp")
}

// TestSandboxRefusesOpenDir: `unionpay sandbox -dir` on a directory anyone may write to exits
// with an error before writing anything.
func TestSandboxRefusesOpenDir(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("modes")
	}
	open := filepath.Join(t.TempDir(), "open")
	require.NoError(t, os.Mkdir(open, 0o777))
	require.NoError(t, os.Chmod(open, 0o777))
	r := runCLI(t, "", "sandbox", "-dir", open)
	assert.NotEqual(t, exitOK, r.code)
	assert.Contains(t, r.stderr, "anyone may write to it")
	entries, err := os.ReadDir(open)
	require.NoError(t, err)
	assert.Empty(t, entries)
}

// sandboxVictimDir returns a temporary directory base, a directory dir in it for the sandbox's
// files (mode 0700) and a file victim beside it holding "keep me", for symlinks planted in dir to
// point at; it skips the test on Windows (symlinks and modes).
func sandboxVictimDir(t *testing.T) (base, dir, victim string) {
	t.Helper()
	if runtime.GOOS == "windows" {
		t.Skip("symlinks and modes")
	}
	base = t.TempDir()
	dir = filepath.Join(base, "sandbox")
	require.NoError(t, os.Mkdir(dir, 0o700))
	victim = filepath.Join(base, "victim.txt")
	require.NoError(t, os.WriteFile(victim, []byte("keep me"), 0o600))
	return base, dir, victim
}
