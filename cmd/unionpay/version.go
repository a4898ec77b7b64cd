package main

import (
	"fmt"
	"runtime"
	"runtime/debug"
)

const versionHelp = `
Prints which build of this program this is, as "key: value" lines:

  version   the module's version: v1.2.3 when installed with
            go install github.com/goacp/unionpay/cmd/unionpay@v1.2.3; built in a clone, a
            pseudo-version of its commit (v0.0.0-20261128092731-6d2d361f6bc9, +dirty after it
            with uncommitted changes), or (devel) when the build recorded none (go run, or
            -buildvcs=false)
  revision  the commit it was built from, with " (modified)" after it when the clone had
            uncommitted changes; (none) when the build recorded none (go install MODULE@VERSION,
            go run, -buildvcs=false)
  go        the Go version it was built with

unionpay -version and unionpay --version print the same. Exit status 0; 2 a usage error.`

// buildInfo is the build's information as runtime/debug.ReadBuildInfo gives it.
type buildInfo func() (*debug.BuildInfo, bool)

// runVersion prints the version, the VCS revision and the Go version of e's build.
func runVersion(e *env, args []string) error {
	fs := newFlags(e, "version", "", versionHelp)
	if err := parseFlags(fs, args, 0); err != nil {
		return err
	}
	read := e.buildInfo
	if read == nil {
		read = debug.ReadBuildInfo
	}
	bi, _ := read()
	for _, kv := range versionLines(bi) {
		if _, err := fmt.Fprintf(e.stdout, "%s: %s\n", kv[0], oneLine(kv[1])); err != nil {
			return err
		}
	}
	return nil
}

// versionLines is what version prints of bi (nil: the build recorded nothing), key and value:
// the main module's version ("(devel)" when none was recorded), the VCS revision ("(none)"),
// followed by " (modified)" when the work tree had uncommitted changes, and the Go version (the
// running one's when bi records none).
func versionLines(bi *debug.BuildInfo) [][2]string {
	version, revision, goVersion := "(devel)", "(none)", runtime.Version()
	if bi != nil {
		if bi.Main.Version != "" {
			version = bi.Main.Version
		}
		if bi.GoVersion != "" {
			goVersion = bi.GoVersion
		}
		var modified bool
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				if s.Value != "" {
					revision = s.Value
				}
			case "vcs.modified":
				modified = s.Value == "true"
			}
		}
		if modified && revision != "(none)" {
			revision += " (modified)"
		}
	}
	return [][2]string{{"version", version}, {"revision", revision}, {"go", goVersion}}
}
