// Package docs extracts the Go documentation of a package as text, one entry
// per exported symbol, in the layout of `go doc`: the declaration, then the
// doc comment indented by four spaces. The symbols generator uses it to
// write the tables that the evaluator's Inspect reads, and the evaluator
// uses it at run time for standard-library packages found under GOROOT.
//
// Keys are import paths qualified by symbol:
//
//	"github.com/seq2go/seq2go/lib/nn"                 the package
//	"github.com/seq2go/seq2go/lib/nn.Linear"          a const, var, func or type
//	"github.com/seq2go/seq2go/lib/nn.Linear.Forward"  a method, or a field of a struct type
package docs

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/build"
	"go/doc"
	"go/parser"
	"go/printer"
	"go/token"
	"path/filepath"
	"sort"
	"strings"
)

// Extract returns the documentation of the package in dir, whose import path
// is path. Only the files that build on this platform are read, and no test
// files.
func Extract(path, dir string) (map[string]string, error) {
	bp, err := build.Default.ImportDir(dir, 0)
	if err != nil {
		return nil, fmt.Errorf("docs: %s: %w", path, err)
	}
	fset := token.NewFileSet()
	var files []*ast.File
	for _, name := range bp.GoFiles {
		f, err := parser.ParseFile(fset, filepath.Join(dir, name), nil, parser.ParseComments)
		if err != nil {
			return nil, fmt.Errorf("docs: %w", err)
		}
		files = append(files, f)
	}
	p, err := doc.NewFromFiles(fset, files, path)
	if err != nil {
		return nil, fmt.Errorf("docs: %s: %w", path, err)
	}
	e := extractor{fset: fset, p: p, out: map[string]string{}}
	e.add(path, fmt.Sprintf("package %s // import %q", p.Name, path), p.Doc, nil)
	for _, v := range append(p.Consts, p.Vars...) {
		e.value(path, v)
	}
	for _, f := range p.Funcs {
		e.add(path+"."+f.Name, e.node(f.Decl), f.Doc, nil)
	}
	for _, t := range p.Types {
		e.typ(path, t)
	}
	return e.out, nil
}

type extractor struct {
	fset *token.FileSet
	p    *doc.Package
	out  map[string]string
}

// add stores decl and the formatted comment under key, followed by the
// lines of more (signatures of related symbols) when there are any.
func (e *extractor) add(key, decl, comment string, more []string) {
	var b strings.Builder
	b.WriteString(decl)
	b.WriteString("\n")
	if text := strings.TrimRight(string(e.p.Text(comment)), "\n"); text != "" {
		b.WriteString("\n")
		for _, line := range strings.Split(text, "\n") {
			if line != "" {
				// A code block comes back indented by a tab: make it
				// four more spaces, as go doc does.
				b.WriteString("    ")
				if rest, ok := strings.CutPrefix(line, "\t"); ok {
					b.WriteString("    ")
					line = rest
				}
			}
			b.WriteString(line)
			b.WriteString("\n")
		}
	}
	if len(more) > 0 {
		b.WriteString("\n")
		for _, m := range more {
			b.WriteString(m)
			b.WriteString("\n")
		}
	}
	e.out[key] = b.String()
}

func (e *extractor) value(path string, v *doc.Value) {
	decl := e.node(v.Decl)
	for _, name := range v.Names {
		if token.IsExported(name) {
			e.add(path+"."+name, decl, v.Doc, nil)
		}
	}
}

func (e *extractor) typ(path string, t *doc.Type) {
	var more []string
	for _, v := range append(t.Consts, t.Vars...) {
		e.value(path, v)
		more = append(more, firstLine(e.node(v.Decl)))
	}
	for _, f := range t.Funcs {
		sig := e.node(f.Decl)
		e.add(path+"."+f.Name, sig, f.Doc, nil)
		more = append(more, sig)
	}
	for _, m := range t.Methods {
		sig := e.node(m.Decl)
		e.add(path+"."+t.Name+"."+m.Name, sig, m.Doc, nil)
		more = append(more, sig)
	}
	e.add(path+"."+t.Name, e.node(t.Decl), t.Doc, more)

	// Fields of a struct type, each with its comment, so that Inspect on
	// l.W shows what W is.
	for _, spec := range t.Decl.Specs {
		ts, ok := spec.(*ast.TypeSpec)
		if !ok {
			continue
		}
		st, ok := ts.Type.(*ast.StructType)
		if !ok {
			continue
		}
		for _, f := range st.Fields.List {
			for _, n := range f.Names {
				if !n.IsExported() {
					continue
				}
				key := path + "." + t.Name + "." + n.Name
				if _, isMethod := e.out[key]; isMethod {
					continue
				}
				comment := f.Doc.Text()
				if comment == "" {
					comment = f.Comment.Text()
				}
				e.add(key, fmt.Sprintf("field %s %s // in type %s", n.Name, e.node(f.Type), t.Name), comment, nil)
			}
		}
	}
}

// node prints a declaration the way go doc shows it: without its doc
// comment and, for a function, without its body.
func (e *extractor) node(n ast.Node) string {
	switch d := n.(type) {
	case *ast.FuncDecl:
		c := *d
		c.Doc, c.Body = nil, nil
		n = &c
	case *ast.GenDecl:
		c := *d
		c.Doc = nil
		n = &c
	}
	var b bytes.Buffer
	cfg := printer.Config{Mode: printer.UseSpaces | printer.TabIndent, Tabwidth: 8}
	if err := cfg.Fprint(&b, e.fset, n); err != nil {
		return fmt.Sprintf("<%v>", err)
	}
	return b.String()
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i] + " ..."
	}
	return s
}

// Keys returns the keys of m in order.
func Keys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
