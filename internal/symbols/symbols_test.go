package symbols

import (
	"bytes"
	"go/ast"
	"go/build"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/seq2go/seq2go/internal/symbols/generate"
)

const module = "github.com/seq2go/seq2go"

// packages returns the import paths of the table lines of symbols.go.
func packages(t *testing.T) []string {
	t.Helper()
	src, err := os.ReadFile("symbols.go")
	if err != nil {
		t.Fatal(err)
	}
	pkgs := generate.Packages(string(src))
	if len(pkgs) == 0 {
		t.Fatal("symbols.go has no yaegi extract lines")
	}
	return pkgs
}

// key is the Symbols key of the package at path: "path/name".
func key(path, name string) string { return path + "/" + name }

func TestEveryLibPackageHasATable(t *testing.T) {
	listed := map[string]bool{}
	for _, p := range packages(t) {
		listed[p] = true
	}
	root := filepath.Join("..", "..", "lib")
	err := filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() || d.Name() == "testdata" {
			return nil
		}
		bp, err := build.ImportDir(path, 0)
		if err != nil || len(bp.GoFiles) == 0 || bp.Name == "main" {
			return nil // no package here (or only tests)
		}
		rel, _ := filepath.Rel(filepath.Join("..", ".."), path)
		imp := module + "/" + filepath.ToSlash(rel)
		if !listed[imp] {
			t.Errorf("%s has no symbol table: add\n\t//go:generate go tool yaegi extract -name symbols %s\nto internal/symbols/symbols.go and run go generate ./internal/symbols", imp, imp)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// exported returns the exported package-level names of the package in dir
// that yaegi can extract, and separately the generic ones it cannot.
func exported(t *testing.T, dir string) (names, generic []string) {
	t.Helper()
	bp, err := build.ImportDir(dir, 0)
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	add := func(n *ast.Ident, typeParams *ast.FieldList) {
		if !n.IsExported() {
			return
		}
		if typeParams != nil && len(typeParams.List) > 0 {
			generic = append(generic, n.Name)
			return
		}
		names = append(names, n.Name)
	}
	for _, name := range bp.GoFiles {
		f, err := parser.ParseFile(fset, filepath.Join(dir, name), nil, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			switch d := d.(type) {
			case *ast.FuncDecl:
				if d.Recv == nil {
					add(d.Name, d.Type.TypeParams)
				}
			case *ast.GenDecl:
				for _, s := range d.Specs {
					switch s := s.(type) {
					case *ast.TypeSpec:
						add(s.Name, s.TypeParams)
					case *ast.ValueSpec:
						for _, n := range s.Names {
							add(n, nil)
						}
					}
				}
			}
		}
	}
	return names, generic
}

// TestTablesHaveEveryExportedSymbol compares each table with its package's
// source: a symbol added to a package since the last go generate is missing
// from the table, and interpreted code cannot use it.
func TestTablesHaveEveryExportedSymbol(t *testing.T) {
	pkgs := packages(t)
	dirs, err := generate.Dirs(pkgs)
	if err != nil {
		t.Fatal(err)
	}
	for _, path := range pkgs {
		bp, err := build.ImportDir(dirs[path], 0)
		if err != nil {
			t.Fatal(err)
		}
		table, ok := Symbols[key(path, bp.Name)]
		if !ok {
			t.Errorf("no table for %s: run go generate ./internal/symbols", path)
			continue
		}
		names, generic := exported(t, dirs[path])
		var missing []string
		for _, n := range names {
			if _, ok := table[n]; !ok {
				missing = append(missing, n)
			}
		}
		if len(missing) > 0 {
			t.Errorf("table of %s lacks %s: run go generate ./internal/symbols", path, strings.Join(missing, ", "))
		}
		if strings.HasPrefix(path, module+"/") && len(generic) > 0 {
			t.Errorf("%s exports generic %s, which yaegi cannot extract: the REPL cannot call them (STYLE §2.7)", path, strings.Join(generic, ", "))
		}
		src := map[string]bool{}
		for _, n := range append(names, generic...) {
			src[n] = true
		}
		for n := range table {
			if !strings.HasPrefix(n, "_") && !src[n] {
				t.Errorf("table of %s has %s, which the package no longer exports: run go generate ./internal/symbols", path, n)
			}
		}
	}
}

// TestInterfaceWrappers checks that the wrapper yaegi generates for each
// exported interface (the "_Name" entry, which lets interpreted types
// satisfy it) still implements it: an interface that gained a method since
// the last go generate breaks interpreted implementations.
func TestInterfaceWrappers(t *testing.T) {
	for _, path := range packages(t) {
		var table map[string]reflect.Value
		for k, v := range Symbols {
			if strings.HasPrefix(k, path+"/") && !strings.Contains(strings.TrimPrefix(k, path+"/"), "/") {
				table = v
			}
		}
		for name, v := range table {
			if strings.HasPrefix(name, "_") || v.Kind() != reflect.Pointer || v.Type().Elem().Kind() != reflect.Interface {
				continue
			}
			iface := v.Type().Elem()
			if iface.NumMethod() == 0 {
				continue
			}
			w, ok := table["_"+name]
			if !ok {
				t.Errorf("%s.%s: no interface wrapper: run go generate ./internal/symbols", path, name)
				continue
			}
			if wt := w.Type().Elem(); !wt.Implements(iface) && !reflect.PointerTo(wt).Implements(iface) {
				t.Errorf("%s.%s: the wrapper %v is stale: run go generate ./internal/symbols", path, name, wt)
			}
		}
	}
}

func TestDocsUpToDate(t *testing.T) {
	want, err := generate.Docs(packages(t))
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile("docs_gen.go")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("docs_gen.go is stale: run go generate ./internal/symbols")
	}
	for _, k := range []string{
		module + "/lib/nn.Linear",
		module + "/lib/nn.Linear.Forward",
		"gonum.org/v1/gonum/mat.NewDense",
		"gonum.org/v1/gonum/mat",
	} {
		if Docs[k] == "" {
			t.Errorf("Docs[%q] is empty", k)
		}
	}
}

// TestGeneratedTablesUpToDate checks that every table is what go generate
// would write. A table whose package's API digest and file hash match its
// record in tables.sum is (see package generate); the others are
// regenerated into a temporary directory, as go generate would, and compared
// byte for byte — about five seconds a package on two cores, where the
// record saves it.
func TestGeneratedTablesUpToDate(t *testing.T) {
	src, err := os.ReadFile("symbols.go")
	if err != nil {
		t.Fatal(err)
	}
	lines := generate.Lines(string(src))
	pkgs := generate.Packages(string(src))
	apis, err := generate.APIs(pkgs)
	if err != nil {
		t.Fatal(err)
	}
	sumText, err := os.ReadFile("tables.sum")
	if err != nil {
		t.Logf("no tables.sum (%v): regenerating every table", err)
	}
	sums := generate.ParseSums(sumText)
	want := map[string]bool{}
	var check []string // the lines of the tables to regenerate
	for i, path := range pkgs {
		name := generate.TableFile(path)
		want[name] = true
		got, err := os.ReadFile(name)
		if err != nil {
			t.Errorf("%s is not checked in: run go generate ./internal/symbols", name)
			continue
		}
		if rec, ok := sums[path]; !ok || rec.API != apis[path] || rec.File != generate.FileHash(got) {
			check = append(check, lines[i])
		}
	}
	if len(check) > 0 {
		t.Logf("tables.sum does not vouch for %d of %d tables: regenerating them", len(check), len(lines))
		if regenerate(t, check) {
			t.Logf("they are up to date; run go generate ./internal/symbols to update tables.sum and make this test quick")
		}
	}
	// A table whose line was removed must go too.
	committed, _ := filepath.Glob("*.go")
	sort.Strings(committed)
	for _, name := range committed {
		b, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		if bytes.HasPrefix(b, []byte("// Code generated by 'yaegi extract")) && !want[name] {
			t.Errorf("%s has no go:generate line in symbols.go: delete it", name)
		}
	}
}

// regenerate runs the yaegi extract lines in a temporary directory, in
// parallel, compares each table it writes with the committed one, and
// reports whether all are equal.
func regenerate(t *testing.T, lines []string) bool {
	t.Helper()
	// The extractor must run inside the module, so that it resolves our
	// packages and the versions go.mod pins; a directory starting with "_"
	// is invisible to the go command's patterns.
	tmp, err := os.MkdirTemp(".", "_regen")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(tmp) })

	var wg sync.WaitGroup
	var mu sync.Mutex
	for _, line := range lines {
		wg.Add(1)
		go func() {
			defer wg.Done()
			args := strings.Fields(line)
			cmd := exec.Command(args[0], args[1:]...)
			cmd.Dir = tmp
			if out, err := cmd.CombinedOutput(); err != nil || len(out) > 0 {
				mu.Lock()
				t.Errorf("%s: %v\n%s", line, err, out)
				mu.Unlock()
			}
		}()
	}
	wg.Wait()

	equal := true
	for _, line := range lines {
		f := strings.Fields(line)
		name := generate.TableFile(f[len(f)-1])
		regen, err := os.ReadFile(filepath.Join(tmp, name))
		if err != nil {
			t.Errorf("%s wrote no %s", line, name)
			equal = false
			continue
		}
		got, err := os.ReadFile(name)
		if err == nil && !bytes.Equal(got, regen) {
			t.Errorf("%s is stale: run go generate ./internal/symbols", name)
			equal = false
		}
	}
	return equal
}
