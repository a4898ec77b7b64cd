package apicheck_test

// Doc links as pkg.go.dev renders them: go/doc recognises [Name], [Recv.Name], [pkg],
// [pkg.Name] and [pkg.Recv.Name] (each optionally with a leading *) only when the name
// resolves; otherwise the reader sees the brackets as plain text. This test parses every
// package of the module the way go/doc does and reports each bracketed reference that
// does not resolve, or resolves to a package that has no such symbol (a dead anchor),
// and each Example function that godoc cannot attach to a name.

import (
	"fmt"
	"go/ast"
	"go/build"
	"go/doc"
	"go/doc/comment"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
)

const modulePath = "github.com/goacp/unionpay"

type docPkg struct {
	dir, path string
	fset      *token.FileSet
	files     []*ast.File // the package's own files, as go build selects them
	tests     []*ast.File // _test.go files, package p and p_test
	exp       *doc.Package
	all       *doc.Package
}

var (
	docPkgsOnce sync.Once
	docPkgsV    []*docPkg
	docPkgsErr  error
	extPkgs     sync.Map // import path -> *doc.Package (nil if it cannot be loaded)
)

func moduleRoot() string { return filepath.Join("..", "..") }

func loadDir(dir, importPath string, withTests bool) (*docPkg, error) {
	bp, err := build.Default.ImportDir(dir, 0)
	if err != nil {
		return nil, err
	}
	p := &docPkg{dir: dir, path: importPath, fset: token.NewFileSet()}
	parse := func(names []string) ([]*ast.File, error) {
		var out []*ast.File
		for _, n := range names {
			f, err := parser.ParseFile(p.fset, filepath.Join(dir, n), nil, parser.ParseComments)
			if err != nil {
				return nil, err
			}
			out = append(out, f)
		}
		return out, nil
	}
	// go/doc consumes the AST it reads (it drops doc comments and unexported
	// declarations), so each doc.Package gets a fresh parse.
	if p.files, err = parse(bp.GoFiles); err != nil {
		return nil, err
	}
	if withTests {
		if p.tests, err = parse(append(slices.Clone(bp.TestGoFiles), bp.XTestGoFiles...)); err != nil {
			return nil, err
		}
	}
	own, err := parse(bp.GoFiles)
	if err != nil {
		return nil, err
	}
	tests := []*ast.File{}
	if withTests {
		if tests, err = parse(append(slices.Clone(bp.TestGoFiles), bp.XTestGoFiles...)); err != nil {
			return nil, err
		}
	}
	if p.exp, err = doc.NewFromFiles(p.fset, append(own, tests...), importPath); err != nil {
		return nil, err
	}
	if own, err = parse(bp.GoFiles); err != nil {
		return nil, err
	}
	if p.all, err = doc.NewFromFiles(p.fset, own, importPath, doc.AllDecls); err != nil {
		return nil, err
	}
	return p, nil
}

func modulePkgs(t *testing.T) []*docPkg {
	docPkgsOnce.Do(func() {
		root := moduleRoot()
		docPkgsErr = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if !d.IsDir() {
				return nil
			}
			name := d.Name()
			if path != root && (name == "testdata" || strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_")) {
				return filepath.SkipDir
			}
			if path != root {
				if _, err := os.Stat(filepath.Join(path, "go.mod")); err == nil {
					return filepath.SkipDir
				}
			}
			rel, _ := filepath.Rel(root, path)
			ip := modulePath
			if rel != "." {
				ip += "/" + filepath.ToSlash(rel)
			}
			p, err := loadDir(path, ip, true)
			if err != nil {
				if _, ok := err.(*build.NoGoError); ok {
					return nil
				}
				return fmt.Errorf("%s: %w", path, err)
			}
			if len(p.files) == 0 && len(p.tests) == 0 {
				return nil
			}
			docPkgsV = append(docPkgsV, p)
			return nil
		})
	})
	if docPkgsErr != nil {
		t.Fatal(docPkgsErr)
	}
	return docPkgsV
}

// exportedDoc returns the exported documentation of the package at import path ip.
func exportedDoc(t *testing.T, ip string) *doc.Package {
	for _, p := range modulePkgs(t) {
		if p.path == ip {
			return p.exp
		}
	}
	if v, ok := extPkgs.Load(ip); ok {
		return v.(*doc.Package)
	}
	var dp *doc.Package
	bp, err := build.Default.Import(ip, moduleRoot(), build.FindOnly)
	if err == nil {
		if p, err := loadDir(bp.Dir, ip, false); err == nil {
			dp = p.exp
		}
	}
	extPkgs.Store(ip, dp)
	return dp
}

// docGroups returns the comment groups go/doc shows: the package doc, the doc of every
// declaration and spec, and the doc and line comments of fields, methods and values.
func docGroups(f *ast.File) []*ast.CommentGroup {
	var out []*ast.CommentGroup
	add := func(cgs ...*ast.CommentGroup) {
		for _, cg := range cgs {
			if cg != nil {
				out = append(out, cg)
			}
		}
	}
	add(f.Doc)
	for _, d := range f.Decls {
		switch d := d.(type) {
		case *ast.FuncDecl:
			add(d.Doc)
		case *ast.GenDecl:
			add(d.Doc)
			for _, s := range d.Specs {
				switch s := s.(type) {
				case *ast.TypeSpec:
					add(s.Doc, s.Comment)
					ast.Inspect(s.Type, func(n ast.Node) bool {
						if fl, ok := n.(*ast.Field); ok {
							add(fl.Doc, fl.Comment)
						}
						return true
					})
				case *ast.ValueSpec:
					add(s.Doc, s.Comment)
				}
			}
		}
	}
	return out
}

func docLinks(blocks []comment.Block, visit func(*comment.DocLink)) {
	var text func([]comment.Text)
	text = func(ts []comment.Text) {
		for _, x := range ts {
			switch x := x.(type) {
			case *comment.DocLink:
				visit(x)
			case *comment.Link:
				text(x.Text)
			case *comment.Italic, comment.Plain:
			}
		}
	}
	for _, b := range blocks {
		switch b := b.(type) {
		case *comment.Paragraph:
			text(b.Text)
		case *comment.Heading:
			text(b.Text)
		case *comment.List:
			for _, it := range b.Items {
				docLinks(it.Content, visit)
			}
		}
	}
}

// TestDocLinksResolve parses every doc comment of the module with a parser that takes
// every bracketed name as a link, then checks each one as go/doc (pkg.go.dev) would.
func TestDocLinksResolve(t *testing.T) {
	for _, p := range modulePkgs(t) {
		real := p.exp.Parser()
		for _, f := range p.files {
			for _, cg := range docGroups(f) {
				pos := p.fset.Position(cg.Pos())
				unknownPkg := map[string]bool{}
				loose := &comment.Parser{
					LookupSym: func(recv, name string) bool { return true },
					LookupPackage: func(name string) (string, bool) {
						if ip, ok := real.LookupPackage(name); ok {
							if ip == "" {
								ip = p.path
							}
							return ip, true
						}
						if ip, ok := comment.DefaultLookupPackage(name); ok {
							return ip, true
						}
						unknownPkg[name] = true
						return "?" + name, true
					},
				}
				d := loose.Parse(cg.Text())
				docLinks(d.Content, func(l *comment.DocLink) {
					ref := l.Name
					if l.Recv != "" {
						ref = l.Recv + "." + l.Name
					}
					at := fmt.Sprintf("%s:%d", filepath.ToSlash(pos.Filename), pos.Line)
					switch {
					case strings.HasPrefix(l.ImportPath, "?"):
						name := l.ImportPath[1:]
						// [word] alone is a package link only if word is a package name; most
						// lowercase bracketed words are prose.
						if l.Name == "" {
							return
						}
						t.Errorf("%s: [%s.%s]: package %q is not imported by %s: pkg.go.dev shows the brackets as text",
							at, name, ref, name, p.path)
					case l.ImportPath == "":
						if real.LookupSym(l.Recv, l.Name) {
							return
						}
						if p.all.Parser().LookupSym(l.Recv, l.Name) {
							t.Errorf("%s: [%s] names an unexported or hidden symbol: pkg.go.dev shows the brackets as text", at, ref)
						} else {
							t.Errorf("%s: [%s]: no such symbol in %s", at, ref, p.path)
						}
					default:
						if l.Name == "" {
							return
						}
						other := exportedDoc(t, l.ImportPath)
						if other == nil {
							t.Logf("%s: [%s.%s]: cannot load %s to check", at, l.ImportPath, ref, l.ImportPath)
							return
						}
						if !other.Parser().LookupSym(l.Recv, l.Name) {
							t.Errorf("%s: [%s.%s]: %s has no exported %s: a dead link", at, other.Name, ref, l.ImportPath, ref)
						}
					}
				})
			}
		}
	}
}

// TestExamplesAttached checks that godoc attaches every Example function to a name.
func TestExamplesAttached(t *testing.T) {
	for _, p := range modulePkgs(t) {
		attached := map[string]bool{}
		for _, ex := range p.exp.Examples {
			attached[ex.Name] = true
		}
		for _, ty := range p.exp.Types {
			for _, ex := range ty.Examples {
				attached[ex.Name] = true
			}
			for _, fn := range ty.Funcs {
				for _, ex := range fn.Examples {
					attached[ex.Name] = true
				}
			}
			for _, fn := range ty.Methods {
				for _, ex := range fn.Examples {
					attached[ex.Name] = true
				}
			}
		}
		for _, fn := range p.exp.Funcs {
			for _, ex := range fn.Examples {
				attached[ex.Name] = true
			}
		}
		for _, ex := range doc.Examples(p.tests...) {
			if !attached[ex.Name] {
				t.Errorf("%s: Example%s is attached to no exported name of %s: godoc does not show it",
					p.dir, ex.Name, p.path)
			} else if p.exp.Name == "main" {
				t.Errorf("%s: Example%s is in a command: pkg.go.dev does not show it", p.dir, ex.Name)
			}
		}
	}
}

// TestMarkdownSymbolsExist checks the Go names the Markdown docs quote (`pkg.Name`,
// `pkg.Type.Member`, `Type.Member`) against the module's exported API, and the tests and
// fuzz targets they name (`pkg.TestName`) against the packages' test files. CHANGELOG.md is
// not checked: its history names what was renamed or removed.
func TestMarkdownSymbolsExist(t *testing.T) {
	root := moduleRoot()
	mds, _ := filepath.Glob(filepath.Join(root, "docs", "*.md"))
	mds = append([]string{filepath.Join(root, "README.md")}, mds...)

	byName := map[string]*docPkg{}
	testFuncs := map[string]map[string]bool{}
	for _, p := range modulePkgs(t) {
		if p.exp.Name == "main" {
			continue
		}
		byName[p.exp.Name] = p
		m := map[string]bool{}
		for _, f := range p.tests {
			for _, d := range f.Decls {
				if fd, ok := d.(*ast.FuncDecl); ok && fd.Recv == nil {
					m[fd.Name.Name] = true
				}
			}
		}
		testFuncs[p.exp.Name] = m
	}
	hasType := func(typ string) []*docPkg {
		var out []*docPkg
		for _, p := range byName {
			for _, ty := range p.exp.Types {
				if ty.Name == typ {
					out = append(out, p)
				}
			}
		}
		return out
	}
	span := regexp.MustCompile("`([^`\n]+)`")
	ref := regexp.MustCompile(`(^|[^\w/.])(?:([a-z][a-z0-9]*)\.)?([A-Z]\w*)\.?([A-Z]\w*)?`)
	for _, md := range mds {
		b, err := os.ReadFile(md)
		if err != nil {
			t.Fatal(err)
		}
		fence := false
		for i, line := range strings.Split(string(b), "\n") {
			if strings.HasPrefix(strings.TrimSpace(line), "```") {
				fence = !fence
				continue
			}
			if fence {
				continue
			}
			for _, sm := range span.FindAllStringSubmatch(line, -1) {
				for _, m := range ref.FindAllStringSubmatch(sm[1], -1) {
					pkg, name, member := m[2], m[3], m[4]
					at := fmt.Sprintf("%s:%d", filepath.ToSlash(md), i+1)
					if pkg != "" {
						p, ok := byName[pkg]
						if !ok {
							continue // another package (std, a dependency) or prose
						}
						recv, n := "", name
						if member != "" {
							recv, n = name, member
						}
						if recv == "" && testFuncs[pkg][name] {
							continue // a test, fuzz target or benchmark
						}
						if !p.exp.Parser().LookupSym(recv, n) {
							t.Errorf("%s: `%s`: %s has no exported %s", at, sm[1], p.path, strings.TrimPrefix(recv+"."+n, "."))
						}
						continue
					}
					if member == "" {
						continue
					}
					ps := hasType(name)
					if len(ps) == 0 {
						continue // not a type of the module (http.Request's fields, a Java class ...)
					}
					found := false
					for _, p := range ps {
						found = found || p.exp.Parser().LookupSym(name, member)
					}
					if !found {
						t.Errorf("%s: `%s`: no exported %s.%s in the module", at, sm[1], name, member)
					}
				}
			}
		}
	}
}
