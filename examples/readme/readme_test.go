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

// migrationPath is docs/MIGRATION.md, whose Go snippets are compiled as the README's are.
const migrationPath = "../../docs/MIGRATION.md"

// Every Go snippet of the README and of docs/MIGRATION.md is a complete file that compiles
// against this module. Each is built as its own package through a build overlay, so nothing is
// written into the repository. (The README's translations hold only the README's own blocks:
// TestTranslationCodeIsTheReadmes.)
func TestGoSnippetsCompile(t *testing.T) {
	goTool := goToolOrSkip(t)
	root, err := filepath.Abs("../..")
	require.NoError(t, err)
	tmp := t.TempDir()
	replace := map[string]string{}
	var pkgs []string
	for _, doc := range []struct {
		name, path, prefix string
		min                int
	}{
		{"README", readmePath, "snippet", 4},
		{"docs/MIGRATION.md", migrationPath, "migration", 2},
	} {
		n := 0
		for i, b := range blocksOf(t, doc.path) {
			if b.lang != "go" {
				continue
			}
			require.True(t, strings.HasPrefix(b.code, "package "), "%s line %d: a Go snippet must be a whole file", doc.name, b.line)
			dir := fmt.Sprintf("examples/readme/%s%02d", doc.prefix, i)
			src := filepath.Join(tmp, fmt.Sprintf("%s%02d.go", doc.prefix, i))
			require.NoError(t, os.WriteFile(src, []byte(b.code), 0o600))
			replace[filepath.Join(root, dir, "snippet.go")] = src
			pkgs = append(pkgs, "./"+dir)
			n++
		}
		require.GreaterOrEqual(t, n, doc.min, "the Go snippets of %s", doc.name)
	}
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
	runOverlayTest(t, goTool, root, tmp, "fakegateway", map[string]string{
		filepath.Join(root, "examples", "readme", "fakegateway", "snippet_test.go"): src},
		"the README's fake-gateway snippet", "TestPayAndQuery")
}

// runOverlayTest builds, with goTool, the test binary of ./examples/readme/pkg with files replaced as replace
// says (the package's directory exists only in that overlay: vet, which would chdir there, is
// off), runs it in tmp, and fails t, naming what, unless it builds, passes and runs test.
func runOverlayTest(t *testing.T, goTool, root, tmp, pkg string, replace map[string]string, what, test string) {
	t.Helper()
	overlay, err := json.Marshal(map[string]any{"Replace": replace})
	require.NoError(t, err)
	overlayPath := filepath.Join(tmp, "overlay.json")
	require.NoError(t, os.WriteFile(overlayPath, overlay, 0o600))
	bin := filepath.Join(tmp, pkg+".test")
	cmd := exec.Command(goTool, "test", "-c", "-vet=off", "-o", bin, "-overlay", overlayPath, "./examples/readme/"+pkg)
	cmd.Dir = root
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "%s does not build:\n%s", what, out)
	cmd = exec.Command(bin, "-test.v")
	cmd.Dir = tmp
	out, err = cmd.CombinedOutput()
	require.NoError(t, err, "%s fails:\n%s", what, out)
	assert.Contains(t, string(out), "--- PASS: "+test)
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

// rehearsalTest is the test run with docs/MIGRATION.md's Rehearse snippet: the file of
// UnionPay's public test kit (unionpay/testdata/javaconfig/test.properties, its path given as
// %q) pays, refunds and queries an order on the fake gateway.
const rehearsalTest = `package shop

import (
	"context"
	"testing"
	"time"

	"github.com/goacp/unionpay/unionpay"
	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

func TestRehearse(t *testing.T) {
	client, srv, err := Rehearse(%q)
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	ctx := context.Background()
	now := srv.Now()
	form, err := client.FrontConsume(&unionpay.ConsumeRequest{OrderID: "JAVA0001", Amount: 1000, TxnTime: now,
		PayTimeout: now.Add(15 * time.Minute), FrontURL: "https://shop.example/return", BackURL: "https://shop.example/notify"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := srv.Pay(ctx, form.Fields, unionpaytest.TestCard); err != nil {
		t.Fatal(err)
	}
	tx, err := client.Query(ctx, form.QueryRequest())
	if err != nil || tx.State != unionpay.Succeeded {
		t.Fatalf("query: %%v, %%v", tx, err)
	}
	if _, err := client.Refund(ctx, &unionpay.FollowUpRequest{OrderID: "JAVA0002", OrigQueryID: tx.QueryID,
		Amount: 300, BackURL: "https://shop.example/notify"}); err != nil {
		t.Fatal(err)
	}
}
`

// TestRehearsalSnippetRuns: docs/MIGRATION.md's snippet that points a client built from an
// acp_sdk.properties at the fake gateway ("Trying the port on the fake gateway") works, not
// only compiles: with the public test kit's file, an order is paid, queried and refunded.
func TestRehearsalSnippetRuns(t *testing.T) {
	goTool := goToolOrSkip(t)
	var snippet string
	for _, b := range blocksOf(t, migrationPath) {
		if b.lang == "go" && strings.Contains(b.code, "\nfunc Rehearse(path string)") {
			snippet = b.code
		}
	}
	require.NotEmpty(t, snippet, "docs/MIGRATION.md: no Go snippet with Rehearse")
	root, err := filepath.Abs("../..")
	require.NoError(t, err)
	properties := filepath.Join(root, "unionpay", "testdata", "javaconfig", "test.properties")
	tmp := t.TempDir()
	src, test := filepath.Join(tmp, "snippet.go"), filepath.Join(tmp, "snippet_test.go")
	require.NoError(t, os.WriteFile(src, []byte(snippet), 0o600))
	require.NoError(t, os.WriteFile(test, fmt.Appendf(nil, rehearsalTest, properties), 0o600))
	dir := filepath.Join(root, "examples", "readme", "rehearsal")
	runOverlayTest(t, goTool, root, tmp, "rehearsal", map[string]string{
		filepath.Join(dir, "snippet.go"): src, filepath.Join(dir, "snippet_test.go"): test},
		"docs/MIGRATION.md's Rehearse snippet", "TestRehearse")
}
