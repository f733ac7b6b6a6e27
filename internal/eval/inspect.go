package eval

import (
	"fmt"
	"go/build"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/seq2go/seq2go/internal/symbols"
	"github.com/seq2go/seq2go/internal/symbols/docs"
)

// Inspect returns the documentation of the symbol under the cursor (a rune
// offset into src), or of the function whose call the cursor is in, just
// after its "(": for a package member, the text `go doc` shows ("mat.Dense",
// "nn.Linear.Forward"); for a session variable, its type and value and the
// doc of its type or of the field or method selected ("l.Forward"); for a
// function or type the session declared, its source.
func (s *Session) Inspect(src string, cursor int) (doc string, found bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	b := runeOffset(src, cursor)
	// On the "(" of a call, or just after it: the function called.
	if b > 0 && src[b-1] == '(' && (b == len(src) || !isIdentByte(src[b])) {
		b--
	}
	if b < len(src) && src[b] == '(' {
		for b > 0 && src[b-1] == ' ' {
			b--
		}
	}
	end := identEnd(src, b)
	st := identStart(src, end)
	if st == end {
		return "", false
	}
	chain := []string{src[st:end]}
	if st > 0 && src[st-1] == '.' {
		if before := chainBefore(src, st-1); before != nil {
			chain = append(before, chain...)
		}
	}
	return s.doc(chain)
}

func isIdentByte(c byte) bool {
	r, _ := utf8.DecodeRuneInString(string(c))
	return c < utf8.RuneSelf && isIdentRune(r)
}

// doc resolves a selector chain to documentation.
func (s *Session) doc(chain []string) (string, bool) {
	// A package, or a member of one.
	if path, t, ok := s.table(chain[0]); ok {
		if path == cellPath {
			return cellDoc, true
		}
		if len(chain) == 1 {
			return lookupDoc(path)
		}
		if d, ok := lookupDoc(path + "." + strings.Join(chain[1:], ".")); ok {
			return d, true
		}
		if sym, ok := t[chain[1]]; ok {
			if len(chain) == 2 {
				return fmt.Sprintf("%s.%s: %s\n", chain[0], chain[1], symbolType(sym)), true
			}
			if v, ok := s.value(chain); ok {
				return s.valueDoc(strings.Join(chain, "."), v), true
			}
		}
		return "", false
	}
	// A session variable, or a field or method of one.
	if g, ok := s.globals()[chain[0]]; ok {
		if len(chain) == 1 {
			return s.valueDoc(chain[0], g), true
		}
		owner, ok := s.value(chain[:len(chain)-1])
		if !ok {
			return "", false
		}
		member := chain[len(chain)-1]
		if d, ok := memberDoc(owner, member); ok {
			return d, true
		}
		if v, ok := s.value(chain); ok {
			return s.valueDoc(strings.Join(chain, "."), v), true
		}
		return "", false
	}
	// A function or type the session declared, or a method of one.
	if d, ok := s.decls[strings.Join(chain, ".")]; ok {
		return d + "\n", true
	}
	return "", false
}

// valueDoc describes a value: its type, its value (cut short), and the doc
// of its type when the type comes from a package.
func (s *Session) valueDoc(name string, v reflect.Value) string {
	var b strings.Builder
	t := v.Type()
	if v.Kind() == reflect.Interface && !v.IsNil() {
		t = v.Elem().Type()
	}
	fmt.Fprintf(&b, "var %s %v\n", name, t)
	if v.CanInterface() {
		val := text(v.Interface())
		if len(val) > 400 {
			val = val[:400] + " ..."
		}
		fmt.Fprintf(&b, "\n%s\n", val)
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.PkgPath() != "" && t.Name() != "" {
		if d, ok := lookupDoc(t.PkgPath() + "." + t.Name()); ok {
			fmt.Fprintf(&b, "\n%s", d)
		}
	}
	return b.String()
}

// memberDoc returns the doc of a field or method of owner's type.
func memberDoc(owner reflect.Value, member string) (string, bool) {
	t := owner.Type()
	if owner.Kind() == reflect.Interface && !owner.IsNil() {
		t = owner.Elem().Type()
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.PkgPath() == "" || t.Name() == "" {
		return "", false
	}
	return lookupDoc(t.PkgPath() + "." + t.Name() + "." + member)
}

// symbolType describes a table entry without docs.
func symbolType(v reflect.Value) string {
	if isTypeSymbol(v) {
		return "type " + v.Type().Elem().String()
	}
	return v.Type().String()
}

// cellDoc documents the prelude's cell package, which exists only in the
// interpreter.
const cellDoc = `package cell // import "seq2go/cell"

func Context() context.Context

    Context returns the session's interrupt context: it is cancelled when
    the running cell is interrupted (Ctrl-C in the REPL, Interrupt in
    Jupyter). Pass it to library loops that run long, so that they stop
    between two steps with the model intact:

        err := tr.Run(cell.Context(), 2000, nil)
`

// stdDocs caches the documentation of standard-library packages, read
// from GOROOT on first use (not generated: the standard library is large,
// and its source is where Go is installed).
var stdDocs sync.Map // import path → map[string]string

// lookupDoc returns the documentation under key ("path", "path.Name",
// "path.Type.Member"): from the generated table, or for the standard
// library from GOROOT's source.
func lookupDoc(key string) (string, bool) {
	if d, ok := symbols.Docs[key]; ok {
		return d, true
	}
	path := key
	// The package path is everything before the first dot after the last
	// slash ("math/rand/v2.Rand.Float64" → "math/rand/v2").
	if i := strings.LastIndexByte(key, '/'); i >= 0 {
		if j := strings.IndexByte(key[i:], '.'); j >= 0 {
			path = key[:i+j]
		}
	} else if j := strings.IndexByte(key, '.'); j >= 0 {
		path = key[:j]
	}
	if strings.Contains(strings.SplitN(path, "/", 2)[0], ".") {
		return "", false // not the standard library
	}
	m, ok := stdDocs.Load(path)
	if !ok {
		d, err := docs.Extract(path, filepath.Join(build.Default.GOROOT, "src", filepath.FromSlash(path)))
		if err != nil {
			d = map[string]string{}
		}
		m, _ = stdDocs.LoadOrStore(path, d)
	}
	d, ok := m.(map[string]string)[key]
	return d, ok
}
