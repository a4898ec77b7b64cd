package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

// TestSandboxSM2FilesPrivate: with -sm2, the .sm2 file (the merchant's SM2 key) and the
// acp_sdk.properties naming it with its password are written as the PFX is: mode 0600 whatever
// was there before, and a symlink planted at their names replaced, its target untouched.
func TestSandboxSM2FilesPrivate(t *testing.T) {
	_, dir, victim := sandboxVictimDir(t)
	require.NoError(t, os.Symlink(victim, filepath.Join(dir, "sandbox_sign.sm2")))
	require.NoError(t, os.Symlink(victim, filepath.Join(dir, sandboxConfigName)))
	loose := filepath.Join(dir, "sandbox_sm2_root.cer")
	require.NoError(t, os.WriteFile(loose, []byte("old"), 0o666))
	require.NoError(t, os.Chmod(loose, 0o666))

	srv := unionpaytest.NewServer(unionpaytest.WithPlainHTTP(), unionpaytest.WithSM2())
	t.Cleanup(srv.Close)
	files, err := writeSandboxFiles(srv, dir)
	require.NoError(t, err)
	files.config, err = writeSandboxConfig(dir, "http://127.0.0.1:8080", files)
	require.NoError(t, err)

	got, err := os.ReadFile(victim)
	require.NoError(t, err)
	assert.Equal(t, "keep me", string(got), "the symlinks' target is untouched")
	for _, path := range []string{files.sm2, files.config, files.sm2Root, files.sm2Middle, files.sm2Verify, files.sm2Enc} {
		fi, err := os.Lstat(path)
		require.NoError(t, err)
		assert.True(t, fi.Mode().IsRegular(), "%s: a regular file, the symlink replaced", path)
		assert.Equal(t, os.FileMode(0o600), fi.Mode().Perm(), path)
	}
	config, err := os.ReadFile(files.config)
	require.NoError(t, err)
	assert.True(t, strings.Contains(string(config), "acpsdk.sm2.signCert.pwd="), "the file holding the password is the one checked")
}
