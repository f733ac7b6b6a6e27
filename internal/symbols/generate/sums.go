package generate

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"go/importer"
	"go/token"
	"go/types"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
)

// Checking the tables cheaply.
//
// Regenerating a table type-checks its package, and every package it
// imports, from source: two minutes for all of them on two cores. But a
// table is a function of little: of what yaegi's extractor (v0.16.1,
// extract.genContent) reads of the package — the exported names and their
// kinds, the type and value of each constant, which functions and types
// are generic, and the complete method set of each exported interface,
// parameter names included — and of the extractor's version and the Go
// release. API digests all of that, from the compiler's export data, which
// the build cache already holds: a second for every package.
//
// tables.sum, written by go generate after the tables, records for each
// package that digest and the SHA-256 of its table file. A table whose
// package's digest and file hash both match the record is the table go
// generate would write; only the others need regenerating to be checked.

// TableFile returns the name of the file `yaegi extract` writes for the
// package at path: gonum.org/v1/gonum/mat → gonum_org-v1-gonum-mat.go.
func TableFile(path string) string {
	return strings.NewReplacer("/", "-", ".", "_", "~", "_").Replace(path) + ".go"
}

// APIs returns the digest of each package of pkgs as the extractor sees it
// (see above), from export data that `go list -export` builds or finds in
// the build cache.
func APIs(pkgs []string) (map[string]string, error) {
	exports, err := exportFiles(pkgs)
	if err != nil {
		return nil, err
	}
	version, err := extractorVersion()
	if err != nil {
		return nil, err
	}
	imp := importer.ForCompiler(token.NewFileSet(), "gc", func(path string) (io.ReadCloser, error) {
		f, ok := exports[path]
		if !ok {
			return nil, fmt.Errorf("no export data for %s", path)
		}
		return os.Open(f)
	})
	digests := map[string]string{}
	for _, path := range pkgs {
		p, err := imp.Import(path)
		if err != nil {
			return nil, fmt.Errorf("generate: %s: %w", path, err)
		}
		h := sha256.New()
		fmt.Fprintf(h, "yaegi %s, %s\n", version, goRelease())
		writeAPI(h, p)
		digests[path] = hex.EncodeToString(h.Sum(nil))
	}
	return digests, nil
}

// writeAPI writes to w, one line per exported name in order, what the
// extractor reads of p.
func writeAPI(w io.Writer, p *types.Package) {
	qualify := func(q *types.Package) string { return q.Path() }
	fmt.Fprintf(w, "package %s %s\n", p.Name(), p.Path())
	sc := p.Scope()
	for _, name := range sc.Names() { // sorted
		o := sc.Lookup(name)
		if !o.Exported() {
			continue
		}
		switch o := o.(type) {
		case *types.Const:
			fmt.Fprintf(w, "const %s %s = %s\n", name, types.TypeString(o.Type(), qualify), o.Val().ExactString())
		case *types.Func:
			sig := o.Type().(*types.Signature)
			fmt.Fprintf(w, "func %s generic=%t\n", name, sig.TypeParams().Len() > 0 || sig.RecvTypeParams().Len() > 0)
		case *types.Var:
			fmt.Fprintf(w, "var %s\n", name)
		case *types.TypeName:
			generic := false
			if n, ok := o.Type().(*types.Named); ok {
				generic = n.TypeParams().Len() > 0
			}
			fmt.Fprintf(w, "type %s generic=%t\n", name, generic)
			if it, ok := o.Type().Underlying().(*types.Interface); ok {
				fmt.Fprintf(w, "\tembeds %d\n", it.NumEmbeddeds())
				for i := 0; i < it.NumMethods(); i++ {
					m := it.Method(i)
					sig := m.Type().(*types.Signature)
					fmt.Fprintf(w, "\t%s %s variadic=%t\n", m.Name(), types.TypeString(sig, qualify), sig.Variadic())
					for _, tuple := range []*types.Tuple{sig.Params(), sig.Results()} {
						for j := 0; j < tuple.Len(); j++ {
							fmt.Fprintf(w, "\t\t%q\n", tuple.At(j).Name())
						}
					}
				}
			}
		}
	}
}

// exportFiles returns the export data file of each package of pkgs and of
// every package they import.
func exportFiles(pkgs []string) (map[string]string, error) {
	out, err := goList(append([]string{"-export", "-deps", "-json=ImportPath,Export"}, pkgs...)...)
	if err != nil {
		return nil, fmt.Errorf("generate: %w", err)
	}
	files := map[string]string{}
	dec := json.NewDecoder(bytes.NewReader(out))
	for dec.More() {
		var p struct{ ImportPath, Export string }
		if err := dec.Decode(&p); err != nil {
			return nil, fmt.Errorf("generate: go list -export: %w", err)
		}
		if p.Export != "" {
			files[p.ImportPath] = p.Export
		}
	}
	return files, nil
}

// extractorVersion is the version of yaegi that go.mod pins, whose
// extractor `go tool yaegi extract` runs.
func extractorVersion() (string, error) {
	out, err := goList("-m", "-f", "{{.Version}}", "github.com/traefik/yaegi")
	if err != nil {
		return "", fmt.Errorf("generate: %w", err)
	}
	return strings.TrimSpace(string(out)), nil
}

// goRelease is the Go release without its patch number ("go1.26"): the
// extractor's output depends on go/types and gofmt, which change with
// releases.
func goRelease() string {
	v := runtime.Version()
	if i := strings.Index(v, "."); i >= 0 {
		if j := strings.IndexAny(v[i+1:], ".-rb "); j >= 0 {
			v = v[:i+1+j]
		}
	}
	return v
}

// A Sum is the record of one table in tables.sum.
type Sum struct {
	API  string // the digest of the package's API (APIs)
	File string // the SHA-256 of its table file
}

// FileHash returns the SHA-256 of b, as tables.sum records it.
func FileHash(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

// Sums returns the text of tables.sum for pkgs, whose tables are in dir:
// one line per package, "path api-digest file-hash", sorted by path.
func Sums(pkgs []string, dir string) ([]byte, error) {
	apis, err := APIs(pkgs)
	if err != nil {
		return nil, err
	}
	sorted := append([]string(nil), pkgs...)
	sort.Strings(sorted)
	var b bytes.Buffer
	b.WriteString("# Generated by gendoc (go generate ./internal/symbols): for each table, the\n")
	b.WriteString("# digest of its package's API as yaegi extract reads it, and the SHA-256 of\n")
	b.WriteString("# the table file. TestGeneratedTablesUpToDate regenerates only what differs.\n")
	for _, path := range sorted {
		f, err := os.ReadFile(filepath.Join(dir, TableFile(path)))
		if err != nil {
			return nil, fmt.Errorf("generate: %w", err)
		}
		fmt.Fprintf(&b, "%s %s %s\n", path, apis[path], FileHash(f))
	}
	return b.Bytes(), nil
}

// ParseSums reads the text of tables.sum.
func ParseSums(text []byte) map[string]Sum {
	sums := map[string]Sum{}
	sc := bufio.NewScanner(bytes.NewReader(text))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) == 3 && !strings.HasPrefix(f[0], "#") {
			sums[f[0]] = Sum{API: f[1], File: f[2]}
		}
	}
	return sums
}
