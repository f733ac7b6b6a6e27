package eval

import (
	"go/scanner"
	"go/token"
	"go/types"
	"reflect"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// IsComplete reports whether src is ready to run: "complete", "incomplete"
// (a block, bracket, raw string or comment is still open, or the cell ends
// in the middle of a statement: more lines will follow) or "invalid" (a
// syntax error that more lines cannot fix). For "incomplete", indent is the
// indentation of the next line: a tab per open bracket. It serves the REPL's
// continuation prompt and Jupyter's is_complete_request.
func IsComplete(src string) (status, indent string) {
	if strings.TrimSpace(src) == "" {
		return "complete", ""
	}
	fset := token.NewFileSet()
	file := fset.AddFile("", -1, len(src))
	var s scanner.Scanner
	open := false // a raw string or comment runs to the end
	bad := false
	s.Init(file, []byte(src), func(_ token.Position, msg string) {
		switch msg {
		case "raw string literal not terminated", "comment not terminated":
			open = true
		default:
			bad = true
		}
	}, 0)
	var stack []token.Token
	for {
		_, tok, _ := s.Scan()
		if tok == token.EOF {
			break
		}
		switch tok {
		case token.LPAREN, token.LBRACK, token.LBRACE:
			stack = append(stack, tok)
		case token.RPAREN, token.RBRACK, token.RBRACE:
			want := map[token.Token]token.Token{token.RPAREN: token.LPAREN, token.RBRACK: token.LBRACK, token.RBRACE: token.LBRACE}[tok]
			if len(stack) == 0 || stack[len(stack)-1] != want {
				return "invalid", ""
			}
			stack = stack[:len(stack)-1]
		}
	}
	switch {
	case open:
		return "incomplete", ""
	case bad:
		return "invalid", ""
	case len(stack) > 0:
		return "incomplete", strings.Repeat("\t", len(stack))
	}
	_, err := split(src)
	if err == nil {
		return "complete", ""
	}
	if e, ok := err.(*Error); ok && e.off >= len(strings.TrimRightFunc(src, unicode.IsSpace)) {
		return "incomplete", ""
	}
	return "invalid", ""
}

// Complete returns the completions of the identifier that ends at cursor
// in src: the members of a package after "pkg.", the fields and methods of
// a session variable after "v." (and of its fields after "v.f."), and
// otherwise the session's variables, functions and types, the packages in
// scope, Go's keywords and builtins. cursor, start and end count Unicode
// code points (runes), as Jupyter does; matches replace src[start:end],
// where end is cursor, and are sorted.
func (s *Session) Complete(src string, cursor int) (matches []string, start, end int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	b := runeOffset(src, cursor)
	cursor = utf8.RuneCountInString(src[:b])
	ws := identStart(src, b)
	prefix := src[ws:b]
	start, end = utf8.RuneCountInString(src[:ws]), cursor

	var cands []string
	if ws > 0 && src[ws-1] == '.' {
		chain := chainBefore(src, ws-1)
		if len(chain) == 0 {
			return nil, start, end
		}
		cands = s.members(chain)
	} else {
		if prefix == "" {
			return nil, start, end
		}
		cands = s.topNames()
	}
	seen := map[string]bool{}
	for _, c := range cands {
		if strings.HasPrefix(c, prefix) && !strings.HasPrefix(c, "_") && !seen[c] {
			seen[c] = true
			matches = append(matches, c)
		}
	}
	sort.Strings(matches)
	return matches, start, end
}

// runeOffset returns the byte offset of rune index i in src, clamped.
func runeOffset(src string, i int) int {
	if i <= 0 {
		return 0
	}
	n := 0
	for b := range src {
		if n == i {
			return b
		}
		n++
	}
	return len(src)
}

func isIdentRune(r rune) bool { return r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r) }

// identStart returns the byte offset where the identifier ending at b
// starts (b itself when there is none).
func identStart(src string, b int) int {
	for b > 0 {
		r, n := utf8.DecodeLastRuneInString(src[:b])
		if !isIdentRune(r) {
			break
		}
		b -= n
	}
	return b
}

// identEnd returns the byte offset where the identifier containing b ends.
func identEnd(src string, b int) int {
	for b < len(src) {
		r, n := utf8.DecodeRuneInString(src[b:])
		if !isIdentRune(r) {
			break
		}
		b += n
	}
	return b
}

// chainBefore returns the selector chain "a.b.c" that ends just before
// byte offset dot, as {"a", "b", "c"}; nil when something other than
// identifiers precedes (a call, an index).
func chainBefore(src string, dot int) []string {
	var chain []string
	end := dot
	for {
		st := identStart(src, end)
		if st == end {
			return nil
		}
		id := src[st:end]
		if r, _ := utf8.DecodeRuneInString(id); unicode.IsDigit(r) {
			return nil
		}
		chain = append([]string{id}, chain...)
		if st > 0 && src[st-1] == '.' {
			end = st - 1
			continue
		}
		return chain
	}
}

// table returns the symbol table of the package imported as name.
func (s *Session) table(name string) (path string, table map[string]reflect.Value, ok bool) {
	path, ok = s.imports[name]
	if !ok {
		return "", nil, false
	}
	if _, shadowed := s.globals()[name]; shadowed {
		return "", nil, false
	}
	pn, _ := s.packageName(path)
	for _, e := range s.tables {
		if t, ok := e[path+"/"+pn]; ok {
			return path, t, true
		}
	}
	return "", nil, false
}

// value resolves a selector chain to a value: a session variable, or a
// package's variable, and then fields of it.
func (s *Session) value(chain []string) (reflect.Value, bool) {
	var v reflect.Value
	rest := chain[1:]
	if g, ok := s.globals()[chain[0]]; ok {
		v = g
	} else if _, t, ok := s.table(chain[0]); ok && len(chain) > 1 {
		sym, ok := t[chain[1]]
		if !ok || sym.Kind() == reflect.Func || isTypeSymbol(sym) {
			return reflect.Value{}, false
		}
		v, rest = sym, chain[2:]
	} else {
		return reflect.Value{}, false
	}
	for _, f := range rest {
		for v.Kind() == reflect.Interface || v.Kind() == reflect.Pointer {
			if v.IsNil() {
				return reflect.Value{}, false
			}
			v = v.Elem()
		}
		if v.Kind() != reflect.Struct {
			return reflect.Value{}, false
		}
		v = v.FieldByName(f)
		if !v.IsValid() {
			return reflect.Value{}, false
		}
	}
	return v, v.IsValid()
}

// isTypeSymbol reports whether a table entry is a type: yaegi's tables hold
// a type T as a nil *T.
func isTypeSymbol(v reflect.Value) bool {
	return v.Kind() == reflect.Pointer && v.IsNil()
}

// members lists what may follow "chain.".
func (s *Session) members(chain []string) []string {
	if len(chain) == 1 {
		if _, t, ok := s.table(chain[0]); ok {
			names := make([]string, 0, len(t))
			for n := range t {
				names = append(names, n)
			}
			return names
		}
	}
	v, ok := s.value(chain)
	if !ok {
		return nil
	}
	names := typeMembers(v)
	if len(chain) == 1 {
		names = append(names, s.methods[s.typeOf[chain[0]]]...)
	}
	return names
}

// typeMembers lists the exported fields and methods of v's type, looking
// through interfaces and pointers.
func typeMembers(v reflect.Value) []string {
	var names []string
	if v.Kind() == reflect.Interface && !v.IsNil() {
		v = v.Elem()
	}
	t := v.Type()
	addMethods := func(t reflect.Type) {
		for i := 0; i < t.NumMethod(); i++ {
			if m := t.Method(i); m.IsExported() {
				names = append(names, m.Name)
			}
		}
	}
	addMethods(t)
	if t.Kind() != reflect.Pointer && t.Kind() != reflect.Interface {
		addMethods(reflect.PointerTo(t))
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.Kind() == reflect.Struct {
		for _, f := range reflect.VisibleFields(t) {
			if f.IsExported() {
				names = append(names, f.Name)
			}
		}
	}
	return names
}

// topNames lists the names a cell can use unqualified.
func (s *Session) topNames() []string {
	var names []string
	for n := range s.names {
		names = append(names, n)
	}
	for n := range s.globals() {
		names = append(names, n)
	}
	for n := range s.imports {
		names = append(names, n)
	}
	for _, n := range types.Universe.Names() {
		if !unsupportedBuiltin[n] {
			names = append(names, n)
		}
	}
	for tok := token.BREAK; tok <= token.VAR; tok++ {
		if tok.IsKeyword() {
			names = append(names, tok.String())
		}
	}
	return names
}
