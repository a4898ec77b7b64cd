package apicheck_test

// The exported API of the module, in the spirit of Go's own api/ checks: every package a
// caller can import (not internal/, not a command, not examples/) is type-checked from its
// source and rendered as sorted lines, one declaration each, which TestAPISurface compares
// with testdata/api.txt. A renamed field, a changed signature or a removed method then
// fails the test with the lines added and removed, instead of slipping through review.
//
// What a line is:
//
//	pkg P, const Name T = value    (untyped constants as "untyped string"; the exact value)
//	pkg P, var Name T
//	pkg P, func Name[T any](int, ...string) (R, error)
//	pkg P, type Name[K comparable] struct    (or interface, or its underlying type)
//	pkg P, type Name struct, Field T    (exported fields, promoted ones included; see below)
//	pkg P, type Name struct, embedded T
//	pkg P, type Name interface, Method(int) error
//	pkg P, type Name = T    (an alias)
//	pkg P, func (*Name) Method(context.Context) error
//
// Choices:
//   - Parameter and result names are left out: renaming one breaks no caller.
//   - Types are written with package names (context.Context), the package's own unqualified,
//     aliases resolved (a parameter changed from T to an alias of T is no change) and
//     interface{} written any.
//   - A field or method promoted through an unexported embedded field is listed as the outer
//     type's own, since that is how a caller reaches it; one promoted through an exported
//     embedded type is not: the "embedded T" line stands for it, so that a method Go adds to
//     a standard type does not change this file.
//   - A method's receiver is the method set's: (T) if T has it, (*T) if only *T does.
//   - An unexported type of the package that the API names (a result, a field, an alias
//     target) is listed like an exported one, with its exported fields and methods, since a
//     caller can reach them.
//   - Packages are type-checked for linux/amd64 without cgo (what pkg.go.dev shows), so the
//     file is the same on every machine; no package has per-OS or per-arch files today, and
//     TestAPISurface fails if one gains some, so that its API is not checked on one
//     platform only without anyone deciding so.
//   - testdata/api.txt sits with its test rather than in a top-level api/ directory: it is
//     the test's golden file, not part of the module's layout, and a change to the API
//     still shows in review as a change to that file.

import (
	"flag"
	"fmt"
	"go/ast"
	"go/build"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

var updateAPI = flag.Bool("update", false, "rewrite testdata/api.txt with the module's current exported API")

const apiFile = "testdata/api.txt"

// apiContext is the build context whose files make up a package's API: fixed, so that the
// rendering does not depend on the machine the test runs on.
func apiContext() build.Context {
	c := build.Default
	c.GOOS, c.GOARCH, c.CgoEnabled = "linux", "amd64", false
	return c
}

// apiImporter type-checks the module's packages from the files apiContext selects and
// imports every other package (the standard library, dependencies) from source.
type apiImporter struct {
	fset  *token.FileSet
	ctx   build.Context
	pkgs  map[string]*types.Package // this module's, by import path
	other types.ImporterFrom
	dirOf func(importPath string) (string, bool)
}

func (im *apiImporter) Import(path string) (*types.Package, error) {
	return im.ImportFrom(path, "", 0)
}

func (im *apiImporter) ImportFrom(path, srcDir string, mode types.ImportMode) (*types.Package, error) {
	dir, ours := im.dirOf(path)
	if !ours {
		if srcDir == "" {
			srcDir = moduleRoot()
		}
		abs, err := filepath.Abs(srcDir)
		if err != nil {
			return nil, err
		}
		return im.other.ImportFrom(path, abs, mode)
	}
	if p, ok := im.pkgs[path]; ok {
		if p == nil {
			return nil, fmt.Errorf("import cycle through %s", path)
		}
		return p, nil
	}
	im.pkgs[path] = nil
	bp, err := im.ctx.ImportDir(dir, 0)
	if err != nil {
		return nil, err
	}
	var files []*ast.File
	for _, n := range bp.GoFiles {
		f, err := parser.ParseFile(im.fset, filepath.Join(dir, n), nil, parser.SkipObjectResolution)
		if err != nil {
			return nil, err
		}
		files = append(files, f)
	}
	conf := types.Config{Importer: im, Sizes: types.SizesFor("gc", im.ctx.GOARCH)}
	p, err := conf.Check(path, im.fset, files, nil)
	if err != nil {
		return nil, fmt.Errorf("type-checking %s: %w", path, err)
	}
	im.pkgs[path] = p
	return p, nil
}

// newAPIImporter returns an importer for which the import paths dirOf accepts, with their
// directories, are this module's (or a test's synthetic) packages.
func newAPIImporter(dirOf func(string) (string, bool)) *apiImporter {
	fset := token.NewFileSet()
	return &apiImporter{
		fset:  fset,
		ctx:   apiContext(),
		pkgs:  map[string]*types.Package{},
		other: importer.ForCompiler(fset, "source", nil).(types.ImporterFrom),
		dirOf: dirOf,
	}
}

// apiPackages returns the import paths and directories of the packages whose API is
// checked: every package of the module but internal ones, commands and examples.
func apiPackages(t *testing.T) map[string]string {
	out := map[string]string{}
	for _, p := range modulePkgs(t) {
		rel := strings.TrimPrefix(strings.TrimPrefix(p.path, modulePath), "/")
		elems := strings.Split(rel, "/")
		if p.exp.Name == "main" || elems[0] == "examples" || elems[0] == "cmd" ||
			slices.Contains(elems, "internal") || len(p.files) == 0 {
			continue
		}
		out[p.path] = p.dir
	}
	return out
}

// apiLines renders the exported API of pkg, sorted.
func apiLines(pkg *types.Package) []string {
	w := &apiWriter{pkg: pkg, seen: map[*types.TypeName]bool{}}
	scope := pkg.Scope()
	for _, name := range scope.Names() {
		if obj := scope.Lookup(name); obj.Exported() {
			w.object(obj)
		}
	}
	// Unexported types the API names, until no new one turns up.
	for len(w.reached) > 0 {
		tn := w.reached[0]
		w.reached = w.reached[1:]
		w.object(tn)
	}
	slices.Sort(w.lines)
	return slices.Compact(w.lines)
}

type apiWriter struct {
	pkg     *types.Package
	lines   []string
	seen    map[*types.TypeName]bool // unexported types already queued
	reached []*types.TypeName
}

func (w *apiWriter) emit(format string, args ...any) {
	w.lines = append(w.lines, fmt.Sprintf("pkg %s, ", w.pkg.Path())+fmt.Sprintf(format, args...))
}

func (w *apiWriter) object(obj types.Object) {
	switch obj := obj.(type) {
	case *types.Const:
		w.emit("const %s %s = %s", obj.Name(), w.typ(obj.Type()), obj.Val().ExactString())
	case *types.Var:
		w.emit("var %s %s", obj.Name(), w.typ(obj.Type()))
	case *types.Func:
		sig := obj.Type().(*types.Signature)
		w.emit("func %s%s%s", obj.Name(), w.tparams(sig.TypeParams()), w.signature(sig))
	case *types.TypeName:
		w.typeName(obj)
	}
}

func (w *apiWriter) typeName(obj *types.TypeName) {
	if a, ok := obj.Type().(*types.Alias); ok {
		w.emit("type %s%s = %s", obj.Name(), w.tparams(a.TypeParams()), w.typ(a.Rhs()))
		return
	}
	named, ok := obj.Type().(*types.Named)
	if !ok {
		return // a type parameter; not reachable from the package scope
	}
	head := fmt.Sprintf("type %s%s", obj.Name(), w.tparams(named.TypeParams()))
	switch u := named.Underlying().(type) {
	case *types.Struct:
		w.emit("%s struct", head)
		w.structFields(head+" struct", named, u, nil)
	case *types.Interface:
		w.emit("%s interface", head)
		w.interfaceMethods(head+" interface", u)
	default:
		w.emit("%s %s", head, w.typ(u))
	}
	w.methods(obj.Name(), named)
}

// structFields lists the exported fields of s as the fields of outer, flattening unexported
// embedded structs; path is the index path from outer to s.
func (w *apiWriter) structFields(head string, outer *types.Named, s *types.Struct, path []int) {
	for i := range s.NumFields() {
		f := s.Field(i)
		fp := append(slices.Clone(path), i)
		if f.Embedded() && !f.Exported() {
			if st, ok := derefType(f.Type()).Underlying().(*types.Struct); ok {
				w.structFields(head, outer, st, fp)
				continue
			}
		}
		if !f.Exported() {
			continue
		}
		// The name must reach this field from outer: a shallower or ambiguous one hides it.
		if len(path) > 0 {
			got, idx, _ := types.LookupFieldOrMethod(outer, true, w.pkg, f.Name())
			if got != f || !slices.Equal(idx, fp) {
				continue
			}
		}
		if f.Embedded() {
			w.emit("%s, embedded %s", head, w.typ(f.Type()))
		} else {
			w.emit("%s, %s %s", head, f.Name(), w.typ(f.Type()))
		}
	}
}

// interfaceMethods lists the explicit methods of it, flattening unexported embedded
// interfaces; an exported embedded one is a line of its own.
func (w *apiWriter) interfaceMethods(head string, it *types.Interface) {
	for i := range it.NumExplicitMethods() {
		m := it.ExplicitMethod(i)
		if m.Exported() {
			w.emit("%s, %s%s", head, m.Name(), w.signature(m.Type().(*types.Signature)))
		}
	}
	for i := range it.NumEmbeddeds() {
		e := it.EmbeddedType(i)
		if n, ok := types.Unalias(e).(*types.Named); ok && !n.Obj().Exported() {
			if ei, ok := n.Underlying().(*types.Interface); ok {
				w.interfaceMethods(head, ei)
				continue
			}
		}
		w.emit("%s, embedded %s", head, w.typ(e))
	}
}

// methods lists the exported methods of named's method set and its pointer's, but those
// promoted through an exported embedded field.
func (w *apiWriter) methods(name string, named *types.Named) {
	if _, ok := named.Underlying().(*types.Interface); ok {
		return
	}
	value := types.NewMethodSet(named)
	ptr := types.NewMethodSet(types.NewPointer(named))
	for i := range ptr.Len() {
		sel := ptr.At(i)
		m := sel.Obj().(*types.Func)
		if !m.Exported() || promotedThroughExported(named, sel.Index()) {
			continue
		}
		recv := "*" + name
		if value.Lookup(m.Pkg(), m.Name()) != nil {
			recv = name
		}
		if tp := named.TypeParams(); tp.Len() > 0 {
			names := make([]string, tp.Len())
			for j := range tp.Len() {
				names[j] = tp.At(j).Obj().Name()
			}
			recv += "[" + strings.Join(names, ", ") + "]"
		}
		// The method's own signature, with the receiver's type parameters as declared.
		w.emit("func (%s) %s%s", recv, m.Name(), w.signature(m.Type().(*types.Signature)))
	}
}

// promotedThroughExported reports whether the selection path from named crosses an
// exported embedded field.
func promotedThroughExported(named *types.Named, index []int) bool {
	var t types.Type = named
	for _, i := range index[:len(index)-1] {
		st, ok := derefType(t).Underlying().(*types.Struct)
		if !ok {
			return false
		}
		f := st.Field(i)
		if f.Exported() {
			return true
		}
		t = f.Type()
	}
	return false
}

func derefType(t types.Type) types.Type {
	t = types.Unalias(t)
	if p, ok := t.(*types.Pointer); ok {
		return types.Unalias(p.Elem())
	}
	return t
}

func (w *apiWriter) tparams(tp *types.TypeParamList) string {
	if tp.Len() == 0 {
		return ""
	}
	parts := make([]string, tp.Len())
	for i := range tp.Len() {
		p := tp.At(i)
		parts[i] = p.Obj().Name() + " " + w.typ(p.Constraint())
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

// signature writes sig without its receiver, its type parameters or any names.
func (w *apiWriter) signature(sig *types.Signature) string {
	var b strings.Builder
	b.WriteString("(")
	for i := range sig.Params().Len() {
		if i > 0 {
			b.WriteString(", ")
		}
		t := sig.Params().At(i).Type()
		if sig.Variadic() && i == sig.Params().Len()-1 {
			b.WriteString("..." + w.typ(t.(*types.Slice).Elem()))
		} else {
			b.WriteString(w.typ(t))
		}
	}
	b.WriteString(")")
	switch res := sig.Results(); res.Len() {
	case 0:
	case 1:
		b.WriteString(" " + w.typ(res.At(0).Type()))
	default:
		parts := make([]string, res.Len())
		for i := range res.Len() {
			parts[i] = w.typ(res.At(i).Type())
		}
		b.WriteString(" (" + strings.Join(parts, ", ") + ")")
	}
	return b.String()
}

// typ writes t with package names, the package's own unqualified and aliases resolved, and
// queues the unexported named types of the package it meets.
func (w *apiWriter) typ(t types.Type) string {
	t = types.Unalias(t)
	switch t := t.(type) {
	case *types.Named:
		obj := t.Obj()
		name := obj.Name()
		if obj.Pkg() != nil && obj.Pkg() != w.pkg {
			name = obj.Pkg().Name() + "." + name
		}
		if obj.Pkg() == w.pkg && !obj.Exported() && obj.Parent() == w.pkg.Scope() && !w.seen[obj] {
			w.seen[obj] = true
			w.reached = append(w.reached, obj)
		}
		if args := t.TypeArgs(); args.Len() > 0 {
			parts := make([]string, args.Len())
			for i := range args.Len() {
				parts[i] = w.typ(args.At(i))
			}
			name += "[" + strings.Join(parts, ", ") + "]"
		}
		return name
	case *types.Pointer:
		return "*" + w.typ(t.Elem())
	case *types.Slice:
		return "[]" + w.typ(t.Elem())
	case *types.Array:
		return fmt.Sprintf("[%d]%s", t.Len(), w.typ(t.Elem()))
	case *types.Map:
		return "map[" + w.typ(t.Key()) + "]" + w.typ(t.Elem())
	case *types.Chan:
		switch t.Dir() {
		case types.SendOnly:
			return "chan<- " + w.typ(t.Elem())
		case types.RecvOnly:
			return "<-chan " + w.typ(t.Elem())
		}
		return "chan " + w.typ(t.Elem())
	case *types.Signature:
		return "func" + w.signature(t)
	case *types.Interface:
		if t.Empty() {
			return "any"
		}
	case *types.TypeParam:
		return t.Obj().Name()
	}
	// Basic types, struct literals, non-empty interface literals and unions.
	return types.TypeString(t, func(p *types.Package) string {
		if p == w.pkg {
			return ""
		}
		return p.Name()
	})
}

// apiDiff returns the lines only in want (removed) and only in got (added), each sorted.
func apiDiff(want, got []string) (removed, added []string) {
	in := func(s []string, x string) bool { _, ok := slices.BinarySearch(s, x); return ok }
	for _, l := range want {
		if !in(got, l) {
			removed = append(removed, l)
		}
	}
	for _, l := range got {
		if !in(want, l) {
			added = append(added, l)
		}
	}
	return removed, added
}

// platformFiles returns the files of the package in dir that some platforms build and
// others do not (foo_windows.go, //go:build darwin, cgo files): with such files the API may
// depend on the platform, which apiContext fixes to one.
func platformFiles(t *testing.T, dir string) []string {
	t.Helper()
	files := func(goos, goarch string, cgo bool) []string {
		c := apiContext()
		c.GOOS, c.GOARCH, c.CgoEnabled = goos, goarch, cgo
		bp, err := c.ImportDir(dir, 0)
		if err != nil {
			t.Fatal(err)
		}
		return append(slices.Clone(bp.GoFiles), bp.CgoFiles...)
	}
	// A file some of these build and others do not: what differs between their union and
	// their intersection.
	count := map[string]int{}
	platforms := [][3]string{{"linux", "amd64", ""}, {"linux", "amd64", "cgo"}, {"windows", "arm64", ""},
		{"darwin", "arm64", "cgo"}, {"freebsd", "386", ""}, {"js", "wasm", ""}}
	for _, p := range platforms {
		for _, n := range files(p[0], p[1], p[2] == "cgo") {
			count[n]++
		}
	}
	var out []string
	for n, c := range count {
		if c < len(platforms) {
			out = append(out, n)
		}
	}
	slices.Sort(out)
	return out
}

// moduleAPI renders the API of every package apiPackages returns, package by package.
func moduleAPI(t *testing.T) []string {
	dirs := apiPackages(t)
	im := newAPIImporter(func(ip string) (string, bool) {
		if ip != modulePath && !strings.HasPrefix(ip, modulePath+"/") {
			return "", false
		}
		return filepath.Join(moduleRoot(), filepath.FromSlash(strings.TrimPrefix(strings.TrimPrefix(ip, modulePath), "/"))), true
	})
	var lines []string
	for _, ip := range slices.Sorted(maps.Keys(dirs)) {
		if d := platformFiles(t, dirs[ip]); len(d) > 0 {
			t.Errorf("%s: %s built on some platforms only: make TestAPISurface render each platform's API",
				ip, strings.Join(d, ", "))
		}
		p, err := im.Import(ip)
		if err != nil {
			t.Fatal(err)
		}
		lines = append(lines, apiLines(p)...)
	}
	slices.Sort(lines) // apiDiff searches them
	return lines
}

// TestAPISurface compares the module's exported API with testdata/api.txt.
func TestAPISurface(t *testing.T) {
	got := moduleAPI(t)
	if t.Failed() {
		return
	}
	if *updateAPI {
		if err := os.MkdirAll(filepath.Dir(apiFile), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(apiFile, []byte(strings.Join(got, "\n")+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	b, err := os.ReadFile(apiFile)
	if err != nil {
		t.Fatalf("%v: run go test ./internal/apicheck -run TestAPISurface -update to create it", err)
	}
	want := strings.Split(strings.TrimSuffix(strings.ReplaceAll(string(b), "\r\n", "\n"), "\n"), "\n")
	slices.Sort(want)
	removed, added := apiDiff(want, got)
	if len(removed)+len(added) == 0 {
		return
	}
	// One list in line order, so that a changed line's old and new forms come together.
	var diff []string
	for _, l := range removed {
		diff = append(diff, "- "+l)
	}
	for _, l := range added {
		diff = append(diff, "+ "+l)
	}
	slices.SortStableFunc(diff, func(a, b string) int { return strings.Compare(a[2:], b[2:]) })
	var msg strings.Builder
	fmt.Fprintf(&msg, "the exported API differs from %s (- removed, + added):\n%s\n", apiFile, strings.Join(diff, "\n"))
	msg.WriteString("If the change is intended (a removed or changed line breaks callers), note it in " +
		"CHANGELOG.md under \"## Unreleased\" and run\n\tgo test ./internal/apicheck -run TestAPISurface -update")
	t.Error(msg.String())
}

// TestAPISurfaceDetectsChanges renders small synthetic packages before and after a change
// and checks that the checker reports the change, and nothing for a change that is not one.
func TestAPISurfaceDetectsChanges(t *testing.T) {
	const base = `package p

import (
	"context"
	"io"
)

// Kind is a kind.
type Kind string

// KindA is a kind.
const KindA Kind = "a"

// Limit is a limit.
const Limit = 10

type inner struct {
	Promoted int
	hidden   int
}

func (inner) Shared() {}

// Config configures.
type Config struct {
	inner
	Name    string
	Timeout int
	Out     io.Writer
}

// Client is a client.
type Client struct{}

// Query queries.
func (*Client) Query(ctx context.Context, id string) (*Config, error) { return nil, nil }

// Reader reads.
type Reader interface {
	Read(p []byte) (int, error)
}

// Writer is io.Writer.
type Writer = io.Writer

// Box holds a value.
type Box[T any] struct{ V T }

// Set is a set.
type Set[K comparable] map[K]bool

// Keys returns the keys.
func Keys[K comparable](s Set[K]) []K { return nil }

// New returns a client.
func New() *client { return nil }

type client struct{ Addr string }

func (*client) Close() error { return nil }
`
	tests := []struct {
		name           string
		old, new       string // replaced in base
		removed, added []string
	}{
		{name: "added method",
			old: "// Reader reads.", new: "func (Client) Ping() {}\n\n// Reader reads.",
			added: []string{"pkg p, func (Client) Ping()"}},
		{name: "removed field",
			old: "\tTimeout int\n", new: "",
			removed: []string{"pkg p, type Config struct, Timeout int"}},
		{name: "changed parameter type",
			old: "ctx context.Context, id string)", new: "ctx context.Context, id int)",
			removed: []string{"pkg p, func (*Client) Query(context.Context, string) (*Config, error)"},
			added:   []string{"pkg p, func (*Client) Query(context.Context, int) (*Config, error)"}},
		{name: "changed const type",
			old: `const KindA Kind = "a"`, new: `const KindA = "a"`,
			removed: []string{`pkg p, const KindA Kind = "a"`},
			added:   []string{`pkg p, const KindA untyped string = "a"`}},
		{name: "changed const value",
			old: "const Limit = 10", new: "const Limit = 11",
			removed: []string{"pkg p, const Limit untyped int = 10"},
			added:   []string{"pkg p, const Limit untyped int = 11"}},
		{name: "removed promoted field",
			old: "\tPromoted int\n", new: "",
			removed: []string{"pkg p, type Config struct, Promoted int"}},
		{name: "removed promoted method",
			old: "func (inner) Shared() {}", new: "",
			removed: []string{"pkg p, func (Config) Shared()"}},
		{name: "changed interface method",
			old: "Read(p []byte) (int, error)", new: "Read(p []byte) (int64, error)",
			removed: []string{"pkg p, type Reader interface, Read([]byte) (int, error)"},
			added:   []string{"pkg p, type Reader interface, Read([]byte) (int64, error)"}},
		{name: "changed type parameter",
			old: "type Box[T any]", new: "type Box[T comparable]",
			removed: []string{"pkg p, type Box[T any] struct", "pkg p, type Box[T any] struct, V T"},
			added:   []string{"pkg p, type Box[T comparable] struct", "pkg p, type Box[T comparable] struct, V T"}},
		{name: "method of a reachable unexported type",
			old: "func (*client) Close() error", new: "func (*client) Close(force bool) error",
			removed: []string{"pkg p, func (*client) Close() error"},
			added:   []string{"pkg p, func (*client) Close(bool) error"}},
		{name: "renamed parameters are no change",
			old: "ctx context.Context, id string)", new: "c context.Context, orderID string)"},
		{name: "an alias for the same type is no change",
			old: "Out     io.Writer", new: "Out     Writer"},
		{name: "an unexported field is no change",
			old: "\thidden   int\n", new: ""},
	}
	std := importer.ForCompiler(token.NewFileSet(), "source", nil).(types.ImporterFrom)
	render := func(t *testing.T, src string) []string {
		t.Helper()
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, "p.go"), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
		im := newAPIImporter(func(ip string) (string, bool) { return dir, ip == "p" })
		im.other = std // type-check context and io once
		p, err := im.Import("p")
		if err != nil {
			t.Fatal(err)
		}
		return apiLines(p)
	}
	before := render(t, base)
	for _, want := range []string{
		"pkg p, type Config struct, Promoted int",
		"pkg p, type Config struct, Out io.Writer",
		"pkg p, func (Config) Shared()",
		"pkg p, func Keys[K comparable](Set[K]) []K",
		"pkg p, func New() *client",
		"pkg p, type client struct, Addr string",
	} {
		if !slices.Contains(before, want) {
			t.Errorf("base API has no line %q; it has:\n%s", want, strings.Join(before, "\n"))
		}
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !strings.Contains(base, tt.old) {
				t.Fatalf("base has no %q", tt.old)
			}
			after := render(t, strings.Replace(base, tt.old, tt.new, 1))
			removed, added := apiDiff(before, after)
			if !slices.Equal(removed, tt.removed) || !slices.Equal(added, tt.added) {
				t.Errorf("removed %q, added %q; want removed %q, added %q", removed, added, tt.removed, tt.added)
			}
		})
	}
}
