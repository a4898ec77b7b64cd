package readme

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// translations lists the README's translations (docs/README.<language>.md), relative to the
// repository's root.
func translations(t *testing.T) []string {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join("..", "..", "docs", "README.*.md"))
	require.NoError(t, err)
	require.NotEmpty(t, paths, "no docs/README.*.md")
	var out []string
	for _, p := range paths {
		rel, err := filepath.Rel(filepath.Join("..", ".."), p)
		require.NoError(t, err)
		out = append(out, filepath.ToSlash(rel))
	}
	return out
}

// TestTranslationCodeIsTheReadmes: every fenced code block of a translation of the README is one
// of the README's own blocks, byte for byte and in the same language, so that it stays compiled
// (TestGoSnippetsCompile) and tested there; and its quick start is the README's two commands.
// A translation writes prose only: new code goes into the README first.
func TestTranslationCodeIsTheReadmes(t *testing.T) {
	readme := blocks(t)
	var quickStart block
	for _, b := range readme {
		if b.lang == "sh" && b.code == "go run ./examples/quickstart\ngo test ./...\n" {
			quickStart = b
		}
	}
	require.NotEmpty(t, quickStart.code, "README: no quick start block (TestQuickStart)")
	for _, doc := range translations(t) {
		t.Run(doc, func(t *testing.T) {
			got := blocksOf(t, filepath.Join("..", "..", filepath.FromSlash(doc)))
			hasQuickStart := false
			for _, b := range got {
				found := slices.ContainsFunc(readme, func(r block) bool { return r.lang == b.lang && r.code == b.code })
				assert.True(t, found, "%s line %d: a %q block that is not one of README.md's, verbatim", doc, b.line, b.lang)
				hasQuickStart = hasQuickStart || (b.lang == quickStart.lang && b.code == quickStart.code)
			}
			assert.True(t, hasQuickStart, "%s: no quick start block with README.md's two commands", doc)
		})
	}
}

// TestTranslationsChecked: every translation is among the documents whose relative links and
// #anchors TestLinksResolve checks. (The Go names it quotes in code spans, `pkg.Name` and
// `Type.Member`, are checked by internal/apicheck's TestMarkdownSymbolsExist, which reads every
// docs/*.md.)
func TestTranslationsChecked(t *testing.T) {
	for _, doc := range translations(t) {
		assert.Contains(t, docs, doc, "links_test.go: docs does not list %s", doc)
	}
}

// TestTranslationsNameQRCodeAPI: every translation describes the QR-code payment with the Go
// names the README's feature row for it quotes in code spans (the calls, fields, constants,
// errors and example), so that the product is not missing from a translation that lists the
// others.
func TestTranslationsNameQRCodeAPI(t *testing.T) {
	b, err := os.ReadFile(readmePath)
	require.NoError(t, err)
	var row string
	for line := range strings.SplitSeq(string(b), "\n") {
		if strings.HasPrefix(line, "| QR-code payment") {
			row = line
		}
	}
	require.NotEmpty(t, row, "README.md: no feature row for the QR-code payment")
	var names []string
	for _, m := range codeSpan.FindAllStringSubmatch(row, -1) {
		if name := m[1]; goName.MatchString(name) {
			names = append(names, name)
		}
	}
	require.Contains(t, names, "ApplyQRCode", "the row's code spans: %q", names)
	for _, doc := range translations(t) {
		text, err := os.ReadFile(filepath.Join("..", "..", filepath.FromSlash(doc)))
		require.NoError(t, err)
		for _, name := range names {
			assert.Contains(t, string(text), name, "%s does not name %s, which README.md's QR-code row does", doc, name)
		}
	}
}

// codeSpan is a Markdown code span's text; goName one that names Go API: an identifier, maybe
// qualified, a pointer or a call, or a map entry of one.
var (
	codeSpan = regexp.MustCompile("`([^`]+)`")
	goName   = regexp.MustCompile(`^\*?[A-Za-z][A-Za-z0-9_]*(\.[A-Z][A-Za-z0-9_]*)*(\(\)|\["[a-zA-Z]+"\])?$`)
)
