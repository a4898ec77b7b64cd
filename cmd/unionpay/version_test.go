package main

import (
	"bytes"
	"context"
	"runtime"
	"runtime/debug"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestVersion: version, -version and --version print the module's version, the commit and the
// Go version of the build, status 0; "(devel)" and "(none)" when the build recorded none.
func TestVersion(t *testing.T) {
	stamped := &debug.BuildInfo{GoVersion: "go1.26.1", Main: debug.Module{Path: "github.com/goacp/unionpay",
		Version: "v0.0.0-20261128092731-6d2d361f6bc9+dirty"}, Settings: []debug.BuildSetting{
		{Key: "vcs", Value: "git"}, {Key: "vcs.revision", Value: "6d2d361f6bc9e266d28a64f9319652d5ec2fb1ae"},
		{Key: "vcs.modified", Value: "true"}}}
	released := &debug.BuildInfo{GoVersion: "go1.26.2", Main: debug.Module{Path: "github.com/goacp/unionpay", Version: "v1.4.0"}}
	devel := &debug.BuildInfo{GoVersion: "go1.26.3", Main: debug.Module{Path: "github.com/goacp/unionpay", Version: "(devel)"},
		Settings: []debug.BuildSetting{{Key: "vcs.revision", Value: "6d2d361f6bc9e266d28a64f9319652d5ec2fb1ae"},
			{Key: "vcs.modified", Value: "false"}}}
	tests := []struct {
		name string
		args []string
		bi   *debug.BuildInfo
		ok   bool
		want string
	}{
		{"a clone's build, modified", []string{"version"}, stamped, true, "version: v0.0.0-20261128092731-6d2d361f6bc9+dirty\n" +
			"revision: 6d2d361f6bc9e266d28a64f9319652d5ec2fb1ae (modified)\ngo: go1.26.1\n"},
		{"go install MODULE@VERSION", []string{"-version"}, released, true, "version: v1.4.0\nrevision: (none)\ngo: go1.26.2\n"},
		{"(devel), not modified", []string{"--version"}, devel, true,
			"version: (devel)\nrevision: 6d2d361f6bc9e266d28a64f9319652d5ec2fb1ae\ngo: go1.26.3\n"},
		{"nothing recorded", []string{"version"}, nil, false, "version: (devel)\nrevision: (none)\ngo: " + runtime.Version() + "\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			e := &env{ctx: context.Background(), stdin: strings.NewReader(""), stdout: &out, stderr: &errOut,
				getenv: func(string) string { return "" }, buildInfo: func() (*debug.BuildInfo, bool) { return tt.bi, tt.ok }}
			code := e.dispatch(tt.args)
			require.Equal(t, exitOK, code, "stderr %q", errOut.String())
			assert.Equal(t, tt.want, out.String())
			assert.Empty(t, errOut.String())
		})
	}
}

// TestVersionUsage: the running program's own build is read, an argument is a usage error, and
// the command is in the list of commands.
func TestVersionUsage(t *testing.T) {
	r := runCLI(t, "", "version")
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.True(t, strings.HasPrefix(r.stdout, "version: "), r.stdout)
	assert.Contains(t, r.stdout, "\ngo: "+runtime.Version()+"\n")

	requireFailure(t, runCLI(t, "", "version", "extra"), exitUsage, "unexpected argument")
	requireFailure(t, runCLI(t, "", "--version", "extra"), exitUsage, "unionpay version: unexpected argument")

	usage := runCLI(t, "", "-h")
	assert.Contains(t, usage.stdout, "\n  version ")
}
