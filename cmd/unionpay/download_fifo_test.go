//go:build unix

package main

import (
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// mkfifo makes a named pipe at dir/name and returns its path.
func mkfifo(t *testing.T, dir, name string) string {
	t.Helper()
	path := filepath.Join(dir, name)
	require.NoError(t, syscall.Mkfifo(path, 0o600))
	return path
}

// withinSeconds runs f, failing the test if it has not returned in a few seconds (a read of a
// named pipe waiting for a writer); unblock then makes it return.
func withinSeconds(t *testing.T, f, unblock func()) {
	t.Helper()
	done := make(chan struct{})
	go func() {
		defer close(done)
		f()
	}()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		unblock()
		<-done
		t.Fatal("still waiting after 10s: a named pipe opened to be read waits for a writer")
	}
}

// openWriter opens the named pipe at path to write, without waiting, so that a reader waiting
// on it returns; it fails, harmlessly, when none waits.
func openWriter(path string) func() {
	return func() {
		if f, err := os.OpenFile(path, os.O_WRONLY|syscall.O_NONBLOCK, 0); err == nil {
			_ = f.Close()
		}
	}
}

// TestSameFileNotRegular: sameFile neither waits on a named pipe already under the name nor
// reads a device: each is an error naming the path and what it is, matching errNotRegular.
func TestSameFileNotRegular(t *testing.T) {
	t.Parallel()
	fifo := mkfifo(t, t.TempDir(), "day.zip")
	// A socket cannot be opened (ENXIO): its kind is then that of a look at the name.
	sockDir, err := os.MkdirTemp("", "sock") // short: a socket's path is at most 108 bytes
	require.NoError(t, err)
	t.Cleanup(func() { _ = os.RemoveAll(sockDir) })
	sock := filepath.Join(sockDir, "day.zip")
	ln, err := net.Listen("unix", sock)
	require.NoError(t, err)
	t.Cleanup(func() { _ = ln.Close() })
	tests := []struct {
		path, want string
	}{
		{fifo, fifo + " is a named pipe (FIFO), not read: not a regular file"},
		{os.DevNull, os.DevNull + " is a character device, not read: not a regular file"},
		{sock, sock + " is a socket, not read: not a regular file"},
	}
	for _, tt := range tests {
		var (
			same bool
			err  error
		)
		withinSeconds(t, func() { same, err = sameFile(tt.path, []byte("0123456789")) }, openWriter(tt.path))
		require.ErrorIs(t, err, errNotRegular, tt.path)
		assert.Equal(t, tt.want, err.Error())
		assert.False(t, same)
	}
}

// TestOpenExistingNamedPipe: opening what is under the name to compare it does not wait for a
// writer when it is a named pipe (os.Open does: another process can swap one in after any look
// at the name); the kind is then that of the descriptor.
func TestOpenExistingNamedPipe(t *testing.T) {
	t.Parallel()
	fifo := mkfifo(t, t.TempDir(), "day.zip")
	var (
		f   *os.File
		err error
	)
	withinSeconds(t, func() { f, err = openExisting(fifo) }, openWriter(fifo))
	require.NoError(t, err)
	defer f.Close()
	fi, err := f.Stat()
	require.NoError(t, err)
	assert.Equal(t, fs.ModeNamedPipe, fi.Mode().Type())
}

// TestDownloadNotRegularExisting: without -o, a named pipe or a symlink under UnionPay's name
// (even one to a file holding the download's bytes) is refused, status 1, one line naming it and
// what it is; it is left as it is, not read nor followed, and nothing is written. -force
// replaces either, writing the file (the symlink's target untouched).
func TestDownloadNotRegularExisting(t *testing.T) {
	download, name, day0 := settlementDayFile(t)

	const remedy = ": it is left as it is, and nothing was written: " +
		"move it away, give -force to replace it, or -o FILE to write elsewhere"
	tests := []struct {
		name  string
		plant func(t *testing.T, dir string)
		kind  fs.FileMode
		force bool
		err   string
	}{
		{name: "a named pipe", plant: func(t *testing.T, dir string) { mkfifo(t, dir, name) }, kind: fs.ModeNamedPipe,
			err: name + " is a named pipe (FIFO), not read: not a regular file" + remedy},
		{name: "a symlink to the same bytes", plant: func(t *testing.T, dir string) {
			writeTestFile(t, dir, "victim.zip", day0)
			require.NoError(t, os.Symlink("victim.zip", filepath.Join(dir, name)))
		}, kind: fs.ModeSymlink, err: name + " is a symbolic link, not followed: not a regular file" + remedy},
		{name: "a named pipe, -force", plant: func(t *testing.T, dir string) { mkfifo(t, dir, name) }, force: true,
			err: "wrote " + name},
		{name: "a symlink, -force", plant: func(t *testing.T, dir string) {
			writeTestFile(t, dir, "victim.zip", []byte("victim"))
			require.NoError(t, os.Symlink("victim.zip", filepath.Join(dir, name)))
		}, force: true, err: "wrote " + name},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			t.Chdir(dir)
			tt.plant(t, dir)
			var args []string
			if tt.force {
				args = append(args, "-force")
			}
			var r result
			withinSeconds(t, func() { r = download(t, args...) }, openWriter(name))
			want := exitFailed
			if tt.force {
				want = exitOK
			}
			require.Equal(t, want, r.code, "stdout %q stderr %q", r.stdout, r.stderr)
			assert.Equal(t, 1, errorLines(r.stderr), "one line on stderr: %q", r.stderr)
			assert.Contains(t, r.stderr, tt.err)
			fi, err := os.Lstat(name)
			require.NoError(t, err)
			if !tt.force {
				assert.Equal(t, tt.kind, fi.Mode().Type(), "left as it is")
				return
			}
			assert.True(t, fi.Mode().IsRegular(), "replaced by the file")
			got, err := os.ReadFile(name)
			require.NoError(t, err)
			assert.Equal(t, string(day0), string(got))
			if victim, err := os.ReadFile("victim.zip"); err == nil {
				assert.Equal(t, "victim", string(victim), "the symlink's target untouched")
			}
		})
	}
}
