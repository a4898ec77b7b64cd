package main

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/reconcile"
	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

// TestDownloadKeepsExistingFile: without -o, download never replaces a file already under
// UnionPay's name that holds other bytes (it did, silently: yesterday's copy of a settlement
// file, evidence, gone): status 1, one line naming the path and -force, the file as it was and
// nothing else left in the directory. The same bytes are left as they are, status 0; -force
// replaces; -o, the caller's own name, replaces as filecontent -o does.
func TestDownloadKeepsExistingFile(t *testing.T) {
	download, name, day0 := settlementDayFile(t)

	const old = "PK\x03\x04 yesterday's copy, kept as evidence"
	tests := []struct {
		name     string
		existing string // the file under UnionPay's name before the run
		args     []string
		code     int
		err      string // part of the one line on stderr
		want     string // the file under UnionPay's name after the run
	}{
		{name: "other bytes: refused", existing: old, code: exitFailed,
			err: name + " already exists, with other bytes than the file downloaded: it is left as it is, " +
				"and nothing was written (a settlement file is never replaced silently): move it away, give -force to replace it",
			want: old},
		{name: "the same bytes: left as they are", existing: string(day0), err: name + " already holds this file", want: string(day0)},
		{name: "the same bytes, -reconcile reads them", existing: string(day0), args: []string{"-reconcile"},
			err: "already holds this file", want: string(day0)},
		{name: "-force replaces", existing: old, args: []string{"-force"}, err: "wrote " + name, want: string(day0)},
		{name: "none there", err: "wrote " + name, want: string(day0)},
		{name: "-o replaces the caller's own file", existing: old, args: []string{"-o", "mine.zip"}, err: "wrote mine.zip", want: old},
		{name: "-o and -force", existing: old, args: []string{"-o", "mine.zip", "-force"}, code: exitUsage,
			err: "-force is for UnionPay's file name: -o FILE replaces a file there anyway", want: old},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			t.Chdir(dir)
			if tt.existing != "" {
				writeTestFile(t, dir, name, []byte(tt.existing))
				writeTestFile(t, dir, "mine.zip", []byte(tt.existing))
			}
			r := download(t, tt.args...)
			require.Equal(t, tt.code, r.code, "stdout %q stderr %q", r.stdout, r.stderr)
			assert.Equal(t, 1, errorLines(r.stderr), "one line on stderr: %q", r.stderr)
			assert.Contains(t, r.stderr, tt.err)
			if slices.Contains(tt.args, "-reconcile") {
				assert.Contains(t, r.stdout, `"txnAmtCredit":`)
			}
			got, err := os.ReadFile(name)
			require.NoError(t, err)
			assert.Equal(t, tt.want, string(got))
			if slices.Contains(tt.args, "-o") && tt.code == exitOK {
				mine, err := os.ReadFile("mine.zip")
				require.NoError(t, err)
				assert.Equal(t, string(day0), string(mine), "-o replaced")
			}
			entries, err := os.ReadDir(dir)
			require.NoError(t, err)
			for _, e := range entries {
				assert.False(t, strings.HasPrefix(e.Name(), "."), "a temporary file left: %s", e.Name())
				if runtime.GOOS != "windows" {
					fi, err := e.Info()
					require.NoError(t, err)
					if e.Name() == name && tt.want != tt.existing {
						assert.Equal(t, os.FileMode(0o600), fi.Mode().Perm(), "written as before: mode 0600")
					}
				}
			}
		})
	}
}

// TestWriteFileReplacingKeeps: writeFileReplacing, replace false, leaves what is at the path as
// it is, whatever it is (a file, a symlink to another, a dangling symlink), with an error
// matching errFileExists that names the path, and no temporary file; with nothing there it
// writes the file, mode 0600.
func TestWriteFileReplacingKeeps(t *testing.T) {
	write := func(w io.Writer) error {
		_, err := io.WriteString(w, "new")
		return err
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "day.zip")
	require.NoError(t, writeFileReplacing(path, false, write))
	got, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, "new", string(got))
	if runtime.GOOS != "windows" {
		fi, err := os.Stat(path)
		require.NoError(t, err)
		assert.Equal(t, os.FileMode(0o600), fi.Mode().Perm())
	}

	for _, tt := range plantedCases() { // a file holding "old", or a symlink
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "day.zip")
			victim := writeTestFile(t, dir, "victim.txt", []byte("old"))
			if tt.target == "" {
				writeTestFile(t, dir, "day.zip", []byte("old"))
			} else {
				require.NoError(t, os.Symlink(tt.target, path))
			}
			err := writeFileReplacing(path, false, write)
			require.True(t, errors.Is(err, errFileExists), "%v", err)
			assert.Contains(t, err.Error(), path)
			got, err := os.ReadFile(victim)
			require.NoError(t, err)
			assert.Equal(t, "old", string(got), "the symlink's target untouched")
			if tt.target != "" {
				link, err := os.Readlink(path)
				require.NoError(t, err)
				assert.Equal(t, tt.target, link, "the symlink left as it is")
			} else {
				got, err := os.ReadFile(path)
				require.NoError(t, err)
				assert.Equal(t, "old", string(got))
			}
			entries, err := os.ReadDir(dir)
			require.NoError(t, err)
			for _, e := range entries {
				assert.False(t, strings.HasPrefix(e.Name(), "."), "a temporary file left: %s", e.Name())
			}
		})
	}
}

// planted is what a test puts at a name before a file is written there: a file (target "") or a
// symlink to target, relative to the directory (victim.txt, or nosuch.txt: dangling).
type planted struct{ name, target string }

// plantedCases are the things planted: a file, and where symlinks are made, a symlink to a file
// and a dangling one.
func plantedCases() []planted {
	cases := []planted{{"a file", ""}}
	if runtime.GOOS != "windows" {
		cases = append(cases, planted{"a symlink", "victim.txt"}, planted{"a dangling symlink", "nosuch.txt"})
	}
	return cases
}

// settlementDayFile downloads a day's settlement file (one payment) into a fresh working
// directory and returns a download of that day (args added to its flags), the file's name
// (UnionPay's) and its bytes, to plant copies of. The gateway's clock stands still: the day's zip, whose members
// carry the time it was made, is then the same bytes at every download, as a file UnionPay
// published is.
func settlementDayFile(t *testing.T) (download func(t *testing.T, args ...string) result, name string, day0 []byte) {
	t.Helper()
	still := unionpaytest.BusinessDayClock()()
	c := newServiceCreds(t, unionpaytest.WithClock(func() time.Time { return still }))
	frontPay(t, c.g, 2345, unionpaytest.TestCard)
	day := c.g.srv.Now().In(reconcile.Beijing()).Format("20060102")
	name = c.g.srv.MerchantID() + "_" + day + ".zip"
	download = func(t *testing.T, args ...string) result {
		t.Helper()
		return c.run(t, c.transport(), append(append([]string{"download", "-settle-date", day}, args...), c.configFlags...)...)
	}
	t.Chdir(t.TempDir())
	r := download(t)
	require.Equal(t, exitOK, r.code, "stdout %q stderr %q", r.stdout, r.stderr)
	day0, err := os.ReadFile(name)
	require.NoError(t, err)
	return download, name, day0
}
