package readme

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// docs are the Markdown files whose links are checked, relative to the repository's root.
var docs = []string{"README.md", "docs/MIGRATION.md", "docs/PERFORMANCE.md", "docs/SECURITY.md", "docs/README.zh-CN.md",
	"CHANGELOG.md"}

// mdLink is a Markdown inline link's target, [text](target), outside code spans.
var mdLink = regexp.MustCompile(`\]\(([^)\s]+)\)`)

// slug is the anchor GitHub gives a heading: lower case, letters (any script), digits, '-' and
// '_' kept, spaces made '-', everything else dropped.
func slug(heading string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(strings.TrimSpace(heading)) {
		switch {
		case unicode.IsLetter(r), unicode.IsDigit(r), r == '-', r == '_':
			b.WriteRune(r)
		case r == ' ':
			b.WriteByte('-')
		}
	}
	return b.String()
}

// anchors lists the anchors of a Markdown file's headings (outside fenced code), a repeated
// heading's with GitHub's "-1", "-2"... suffixes.
func anchors(text string) map[string]bool {
	out := map[string]bool{}
	seen := map[string]int{}
	inCode := false
	for _, line := range strings.Split(text, "\n") {
		if strings.HasPrefix(line, "```") {
			inCode = !inCode
			continue
		}
		if inCode || !strings.HasPrefix(line, "#") {
			continue
		}
		h := strings.TrimLeft(line, "#")
		if !strings.HasPrefix(h, " ") {
			continue
		}
		s := slug(strings.NewReplacer("`", "", "*", "").Replace(h))
		if n := seen[s]; n > 0 {
			out[s+"-"+itoa(n)] = true
		} else {
			out[s] = true
		}
		seen[s]++
	}
	return out
}

func itoa(n int) string {
	if n < 10 {
		return string(rune('0' + n))
	}
	return itoa(n/10) + itoa(n%10)
}

// withoutCode drops fenced blocks and code spans, whose brackets are Go, not links.
func withoutCode(text string) string {
	var b strings.Builder
	inCode := false
	for _, line := range strings.Split(text, "\n") {
		if strings.HasPrefix(line, "```") {
			inCode = !inCode
			continue
		}
		if !inCode {
			b.WriteString(regexp.MustCompile("`[^`]*`").ReplaceAllString(line, ""))
			b.WriteByte('\n')
		}
	}
	return b.String()
}

// TestLinksResolve: every relative link of the Markdown documents names a file of the
// repository, and every #anchor a heading of the file it points into, so that the README's
// contents and its cross-references keep working as sections are renamed.
func TestLinksResolve(t *testing.T) {
	root := filepath.Join("..", "..")
	texts := map[string]string{}
	read := func(rel string) (string, bool) {
		if s, ok := texts[rel]; ok {
			return s, true
		}
		b, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(rel)))
		if err != nil {
			return "", false
		}
		texts[rel] = string(b)
		return string(b), true
	}
	checked := 0
	for _, doc := range docs {
		text, ok := read(doc)
		require.True(t, ok, "%s: not found", doc)
		for _, m := range mdLink.FindAllStringSubmatch(withoutCode(text), -1) {
			target := m[1]
			if strings.Contains(target, "://") || strings.HasPrefix(target, "mailto:") {
				continue
			}
			file, anchor, _ := strings.Cut(target, "#")
			dest := doc
			if file != "" {
				dest = filepath.ToSlash(filepath.Clean(filepath.Join(filepath.Dir(doc), file)))
			}
			destText, ok := read(dest)
			if !ok {
				if _, err := os.Stat(filepath.Join(root, filepath.FromSlash(dest))); err != nil {
					t.Errorf("%s: link %q: %s does not exist", doc, target, dest)
				}
				continue
			}
			checked++
			if anchor != "" && strings.HasSuffix(dest, ".md") && !anchors(destText)[anchor] {
				t.Errorf("%s: link %q: no heading of %s has the anchor %q", doc, target, dest, anchor)
			}
		}
	}
	assert.Greater(t, checked, 10, "links found")
}

// TestSlug pins the anchor rule on headings of the README's kinds.
func TestSlug(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"Quick start", "quick-start"},
		{"Collecting from cards (代收)", "collecting-from-cards-代收"},
		{"Moving from version 5.0.0 to 5.1.0", "moving-from-version-500-to-510"},
		{"Taking a payment and receiving notifications", "taking-a-payment-and-receiving-notifications"},
		{"`notify.Handler` behind a proxy", "notifyhandler-behind-a-proxy"},
	} {
		assert.Equal(t, tt.want, slug(strings.ReplaceAll(tt.in, "`", "")), tt.in)
	}
	a := anchors("# A\n## Same\n```\n## Code\n```\n## Same\n")
	assert.Equal(t, map[string]bool{"a": true, "same": true, "same-1": true}, a)
}

// TestContentsListsEverySection: the README's "Contents:" paragraph links every second-level
// section but the License, in order.
func TestContentsListsEverySection(t *testing.T) {
	b, err := os.ReadFile(readmePath)
	require.NoError(t, err)
	text := string(b)
	_, contents, ok := strings.Cut(text, "\nContents: ")
	require.True(t, ok, "no Contents paragraph")
	contents, _, _ = strings.Cut(contents, "\n\n")
	var listed []string
	for _, m := range regexp.MustCompile(`\]\(#([^)]+)\)`).FindAllStringSubmatch(contents, -1) {
		listed = append(listed, m[1])
	}
	var sections []string
	for _, line := range strings.Split(withoutCode(text), "\n") {
		if h, ok := strings.CutPrefix(line, "## "); ok && h != "License" {
			sections = append(sections, slug(h))
		}
	}
	assert.Equal(t, sections, listed)
}
