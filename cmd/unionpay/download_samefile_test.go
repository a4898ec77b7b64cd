package main

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/reconcile"
	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

// TestSameFile: sameFile says a file already there holds the download only when it is a regular
// file with exactly its bytes: not one of the same size with other bytes (a corrected file of the
// day, its length unchanged), not one the bytes begin, and not a symlink, even one to a file with
// those bytes and of the same length as they: that one is an error naming it, not followed.
func TestSameFile(t *testing.T) {
	t.Parallel()
	const content = "0123456789" // as long as the name "victim.txt", the symlink's target
	dir := t.TempDir()
	writeTestFile(t, dir, "same", []byte(content))
	writeTestFile(t, dir, "other", []byte("0123456780"))
	writeTestFile(t, dir, "longer", []byte(content+"\n"))
	writeTestFile(t, dir, "victim.txt", []byte(content))
	require.NoError(t, os.Mkdir(filepath.Join(dir, "dir"), 0o700))
	tests := []struct {
		name string
		want bool
		err  string // the error's text after the path; "": none
	}{
		{"same", true, ""},
		{"other", false, ""},
		{"longer", false, ""},
		{"nosuch", false, ""},
		{"dir", false, ""},
	}
	if runtime.GOOS != "windows" {
		require.NoError(t, os.Symlink("victim.txt", filepath.Join(dir, "link")))
		fi, err := os.Lstat(filepath.Join(dir, "link"))
		require.NoError(t, err)
		require.Equal(t, int64(len(content)), fi.Size(), "the symlink is as long as the bytes")
		tests = append(tests, struct {
			name string
			want bool
			err  string
		}{"link", false, " is a symbolic link, not followed: not a regular file"})
	}
	for _, tt := range tests {
		path := filepath.Join(dir, tt.name)
		got, err := sameFile(path, []byte(content))
		if tt.err != "" {
			require.ErrorIs(t, err, errNotRegular, tt.name)
			assert.Equal(t, path+tt.err, err.Error())
		} else {
			require.NoError(t, err, tt.name)
		}
		assert.Equal(t, tt.want, got, tt.name)
	}
}

// TestDownloadUnreadableExisting: a file already under UnionPay's name, of the download's size,
// that cannot be read to compare is a failure naming it (status 1), never a silent success with
// nothing written; it is left as it is.
func TestDownloadUnreadableExisting(t *testing.T) {
	if runtime.GOOS == "windows" || os.Geteuid() == 0 {
		t.Skip("needs file modes that deny reading: not on Windows, not as root")
	}
	still := unionpaytest.BusinessDayClock()()
	c := newServiceCreds(t, unionpaytest.WithClock(func() time.Time { return still }))
	frontPay(t, c.g, 2345, unionpaytest.TestCard)
	day := c.g.srv.Now().In(reconcile.Beijing()).Format("20060102")
	name := c.g.srv.MerchantID() + "_" + day + ".zip"
	download := func() result {
		return c.run(t, c.transport(), append([]string{"download", "-settle-date", day}, c.configFlags...)...)
	}
	dir := t.TempDir()
	t.Chdir(dir)
	r := download()
	require.Equal(t, exitOK, r.code, "stdout %q stderr %q", r.stdout, r.stderr)
	day0, err := os.ReadFile(name)
	require.NoError(t, err)

	other := []byte(strings.Repeat("x", len(day0)))
	path := writeTestFile(t, dir, name, other)
	require.NoError(t, os.Chmod(path, 0))
	t.Cleanup(func() { _ = os.Chmod(path, 0o600) })
	r = download()
	require.Equal(t, exitFailed, r.code, "stdout %q stderr %q", r.stdout, r.stderr)
	assert.Equal(t, 1, errorLines(r.stderr), "one line on stderr: %q", r.stderr)
	assert.Contains(t, r.stderr, "reading "+name+", already there: permission denied")
	require.NoError(t, os.Chmod(path, 0o600))
	got, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, string(other), string(got), "left as it is")
}
