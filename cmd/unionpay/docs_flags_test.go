package main

import (
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// docFlag is a flag as the docs write it after a command: -name, after a space or an opening
// [ ( |, so that the dashes of a date, a file name or --data-binary are not taken for one.
var docFlag = regexp.MustCompile(`(?:^|[\s\[(|])-([a-z][a-z0-9-]*)`)

// flagsOf returns the flags command name declares, as its -h lists them.
func flagsOf(t *testing.T, name string) map[string]bool {
	t.Helper()
	r := runCLI(t, "", name, "-h")
	require.Equal(t, exitOK, r.code, "%s -h: %s", name, r.stderr)
	out := map[string]bool{"h": true}
	_, list, _ := strings.Cut(r.stdout, "\nFlags:\n")
	for _, line := range strings.Split(list, "\n") {
		if f, ok := strings.CutPrefix(line, "  -"); ok {
			f, _, _ = strings.Cut(f, " ")
			out[f] = true
		}
	}
	return out
}

// TestDocsNameExistingFlags: every flag the README and its translations (docs/README.*.md) write
// after "unionpay COMMAND", in a code span or a shell block, is one COMMAND declares, so that a
// renamed or removed flag cannot live on in a document (the translations' prose is not compiled).
func TestDocsNameExistingFlags(t *testing.T) {
	flags := map[string]map[string]bool{}
	for _, c := range commands() {
		flags[c.name] = flagsOf(t, c.name)
	}
	docs, err := filepath.Glob(filepath.Join("..", "..", "docs", "README.*.md"))
	require.NoError(t, err)
	require.NotEmpty(t, docs, "no docs/README.*.md")
	docs = append([]string{filepath.Join("..", "..", "README.md")}, docs...)
	span := regexp.MustCompile("`([^`\n]+)`")
	invocation := regexp.MustCompile(`(?:^|[\s(])unionpay ([a-z]+)\b`)
	for _, doc := range docs {
		text := readTestFile(t, doc)
		fence := false
		checked := 0
		for i, line := range strings.Split(text, "\n") {
			if strings.HasPrefix(strings.TrimSpace(line), "```") {
				fence = !fence
				continue
			}
			var pieces []string
			if fence {
				pieces = []string{line}
			} else {
				for _, m := range span.FindAllStringSubmatch(line, -1) {
					pieces = append(pieces, m[1])
				}
			}
			for _, p := range pieces {
				p, _, _ = strings.Cut(p, "#") // a shell comment
				for _, loc := range invocation.FindAllStringSubmatchIndex(p, -1) {
					cmd := p[loc[2]:loc[3]]
					known, ok := flags[cmd]
					if !ok {
						continue // "unionpay COMMAND", a prose word after unionpay
					}
					rest := p[loc[1]:]
					if k := strings.Index(rest, " | "); k >= 0 { // a shell pipe; "\|" is the docs' alternative
						rest = rest[:k]
					}
					if k := strings.IndexAny(rest, "<>"); k >= 0 { // a redirection ends the arguments
						rest = rest[:k]
					}
					for _, f := range docFlag.FindAllStringSubmatch(rest, -1) {
						checked++
						assert.True(t, known[f[1]], "%s:%d: unionpay %s has no flag -%s", filepath.Base(doc), i+1, cmd, f[1])
					}
				}
			}
		}
		assert.Positive(t, checked, "%s: no flag of a unionpay command found: is the pattern stale?", doc)
	}
}
