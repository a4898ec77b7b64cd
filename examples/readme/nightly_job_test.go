package readme

import (
	"os/exec"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestNightlyJobKeepsItsFilesPrivate: the README's nightly download-and-reconcile job writes the
// signed request (which fetches the file again), the answer (the day's whole settlement file) and
// the report; it must make them readable by its user alone before the first is written (the
// shell's > takes the umask, 0644 by default, where filecontent -o writes 0600), write them in a
// directory of its own (cron starts in $HOME; a shared directory lets another user plant a
// symbolic link at the predictable names), and reconcile only a file of the day it asked for.
func TestNightlyJobKeepsItsFilesPrivate(t *testing.T) {
	var job string
	for _, b := range blocks(t) {
		if b.lang == "sh" && strings.Contains(b.code, "unionpay filecontent -o") {
			job = b.code
		}
	}
	require.NotEmpty(t, job, "README: no nightly job (a sh block running unionpay filecontent -o)")
	lines := strings.Split(job, "\n")
	firstWrite, umask, cd := -1, -1, -1
	for i, l := range lines {
		code, _, _ := strings.Cut(l, "#")
		switch {
		case umask < 0 && strings.HasPrefix(strings.TrimSpace(code), "umask 077"):
			umask = i
		case cd < 0 && strings.HasPrefix(strings.TrimSpace(code), "cd "):
			cd = i
		case firstWrite < 0 && strings.Contains(code, "> "):
			firstWrite = i
		}
	}
	require.GreaterOrEqual(t, firstWrite, 0)
	assert.True(t, umask >= 0 && umask < firstWrite, "umask 077 before the first file is written")
	assert.True(t, cd >= 0 && cd < firstWrite, "cd to the job's own directory before the first file is written")
	assert.Contains(t, job, "rm -f request.txt", "the signed request is removed once sent")
	assert.Regexp(t, `unionpay reconcile -settle-date "\$DAY" `, job, "the file is bound to the day asked for")
	if bash, err := exec.LookPath("bash"); err == nil {
		out, err := exec.Command(bash, "-n", "-c", job).CombinedOutput()
		assert.NoError(t, err, "bash -n: %s", out)
	}
}
