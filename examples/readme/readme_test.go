// Package readme holds the tests that keep the repository's README.md honest: its quick start is
// the two commands promised, and every Go snippet in it compiles against the real API.
package readme

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const readmePath = "../../README.md"

// block is a fenced code block of a Markdown file.
type block struct {
	lang, code string
	line       int
}

var fence = regexp.MustCompile("(?m)^```([a-z]*)\n")

// blocks returns the README's fenced code blocks.
func blocks(t *testing.T) []block {
	t.Helper()
	return blocksOf(t, readmePath)
}

// blocksOf returns the fenced code blocks of the Markdown file at path.
func blocksOf(t *testing.T, path string) []block {
	t.Helper()
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	text := string(b)
	var out []block
	for {
		loc := fence.FindStringSubmatchIndex(text)
		if loc == nil {
			return out
		}
		lang := text[loc[2]:loc[3]]
		rest := text[loc[1]:]
		end := strings.Index(rest, "\n```")
		require.GreaterOrEqual(t, end, 0, "unclosed code block")
		line := strings.Count(string(b[:len(b)-len(rest)]), "\n") + 1
		out = append(out, block{lang: lang, code: rest[:end+1], line: line})
		text = rest[end+4:]
	}
}

// The quick start is exactly the two commands the README promises.
func TestQuickStart(t *testing.T) {
	b, err := os.ReadFile(readmePath)
	require.NoError(t, err)
	_, section, ok := strings.Cut(string(b), "\n## Quick start\n")
	require.True(t, ok)
	section, _, _ = strings.Cut(section, "\n## ")
	m := regexp.MustCompile("(?s)```sh\n(.*?)```").FindStringSubmatch(section)
	require.NotNil(t, m)
	assert.Equal(t, "go run ./examples/quickstart\ngo test ./...\n", m[1])
}

// Every Go snippet of the README is a complete file that compiles against this module. Each is
// built as its own package through a build overlay, so nothing is written into the repository.
func TestGoSnippetsCompile(t *testing.T) {
	goTool := goToolOrSkip(t)
	root, err := filepath.Abs("../..")
	require.NoError(t, err)
	tmp := t.TempDir()
	replace := map[string]string{}
	var pkgs []string
	for i, b := range blocks(t) {
		if b.lang != "go" {
			continue
		}
		require.True(t, strings.HasPrefix(b.code, "package "), "README line %d: a Go snippet must be a whole file", b.line)
		dir := fmt.Sprintf("examples/readme/snippet%02d", i)
		src := filepath.Join(tmp, fmt.Sprintf("snippet%02d.go", i))
		require.NoError(t, os.WriteFile(src, []byte(b.code), 0o600))
		replace[filepath.Join(root, dir, "snippet.go")] = src
		pkgs = append(pkgs, "./"+dir)
	}
	require.GreaterOrEqual(t, len(pkgs), 4, "the README's Go snippets")
	overlay, err := json.Marshal(map[string]any{"Replace": replace})
	require.NoError(t, err)
	overlayPath := filepath.Join(tmp, "overlay.json")
	require.NoError(t, os.WriteFile(overlayPath, overlay, 0o600))
	cmd := exec.Command(goTool, append([]string{"build", "-overlay", overlayPath}, pkgs...)...)
	cmd.Dir = root
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "README snippets do not compile:\n%s", out)
}

// TestFakeGatewaySnippetRuns: the README's snippet that points a merchant's own test at the fake
// gateway ("Testing your code") is a test file that passes, not only one that compiles: the
// _test.go file of a package of its own, through a build overlay.
func TestFakeGatewaySnippetRuns(t *testing.T) {
	goTool := goToolOrSkip(t)
	var snippet string
	for _, b := range blocks(t) {
		if b.lang == "go" && strings.Contains(b.code, "\nfunc newFakeGateway(t *testing.T)") {
			snippet = b.code
		}
	}
	require.NotEmpty(t, snippet, "README: no Go snippet with newFakeGateway")
	root, err := filepath.Abs("../..")
	require.NoError(t, err)
	tmp := t.TempDir()
	src := filepath.Join(tmp, "snippet_test.go")
	require.NoError(t, os.WriteFile(src, []byte(snippet), 0o600))
	overlay, err := json.Marshal(map[string]any{"Replace": map[string]string{
		filepath.Join(root, "examples", "readme", "fakegateway", "snippet_test.go"): src}})
	require.NoError(t, err)
	overlayPath := filepath.Join(tmp, "overlay.json")
	require.NoError(t, os.WriteFile(overlayPath, overlay, 0o600))
	// The package's directory exists only in the overlay: the test binary is built (vet, which
	// would chdir there, off) and run in tmp.
	bin := filepath.Join(tmp, "fakegateway.test")
	cmd := exec.Command(goTool, "test", "-c", "-vet=off", "-o", bin, "-overlay", overlayPath, "./examples/readme/fakegateway")
	cmd.Dir = root
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "the README's fake-gateway snippet does not build:\n%s", out)
	cmd = exec.Command(bin, "-test.v")
	cmd.Dir = tmp
	out, err = cmd.CombinedOutput()
	require.NoError(t, err, "the README's fake-gateway snippet fails:\n%s", out)
	assert.Contains(t, string(out), "--- PASS: TestPayAndQuery")
}

// goToolOrSkip returns the go tool that built the test binary (or the one on PATH), and skips t
// in -short mode or where there is none.
func goToolOrSkip(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("runs the go tool")
	}
	//lint:ignore SA1019 a test binary runs where it was built, so its GOROOT is meaningful.
	goTool := filepath.Join(runtime.GOROOT(), "bin", "go")
	if _, err := os.Stat(goTool); err != nil {
		if goTool, err = exec.LookPath("go"); err != nil {
			t.Skip("no go tool")
		}
	}
	return goTool
}
