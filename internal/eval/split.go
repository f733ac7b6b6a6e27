package eval

import (
	"go/ast"
	"go/parser"
	"go/scanner"
	"go/token"
	"sort"
	"strings"
)

// A cell is one piece of source as the user typed it, split into top-level
// items: declarations (import, type, func, var, const) and statements, in
// any order. yaegi accepts either a file of declarations or a run of
// statements per call; split turns a cell into the calls to make.
type cell struct {
	src     string
	items   []item // in source order
	pkgMain bool   // the cell began with "package main" (a whole program)
	lines   []int  // byte offset of the start of each line, for positions
}

type itemKind int

const (
	itemImport itemKind = iota
	itemType
	itemFunc
	itemVar
	itemConst
	itemStmt
)

func (k itemKind) isDecl() bool { return k != itemStmt }

// An item is one top-level declaration or statement of a cell.
type item struct {
	kind       itemKind
	start, end int      // byte offsets in the cell
	node       ast.Node // *ast.GenDecl, *ast.FuncDecl or an ast.Stmt
	defines    []string // names it declares at the top level
	uses       map[string]bool
	unresolved []ref // identifiers it refers to that the cell does not declare locally
	recv       string
}

// A ref is an identifier and its byte offset in the cell.
type ref struct {
	name string
	off  int
}

// newCell returns src with the offsets of its lines.
func newCell(src string) *cell {
	c := &cell{src: src, lines: []int{0}}
	for i := 0; i < len(src); i++ {
		if src[i] == '\n' {
			c.lines = append(c.lines, i+1)
		}
	}
	return c
}

// pos returns the 1-based line and column (in bytes, as the go command
// counts) of byte offset off in the cell.
func (c *cell) pos(off int) (line, col int) {
	i := sort.Search(len(c.lines), func(i int) bool { return c.lines[i] > off }) - 1
	return i + 1, off - c.lines[i] + 1
}

// Prefixes under which split parses a stretch of the cell: as a file of
// declarations, or as the body of a function.
const (
	declPrefix = "package p;"
	stmtPrefix = "package p;func _(){"
)

// split parses src into items. A syntax error comes back as an *Error at
// the cell's own line and column.
//
// A scan over the tokens cuts the cell into stretches of declarations and
// stretches of statements, at the statement boundaries of its top level;
// go/parser then parses each stretch as a file or as a function body.
func split(src string) (*cell, error) {
	c := newCell(src)
	toks := scan(src)
	i := 0
	if len(toks) > 0 && toks[0].tok == token.PACKAGE {
		// A whole program: "package main" and its declarations.
		if len(toks) < 2 || toks[1].tok != token.IDENT {
			return nil, c.errorAt(toks[0].off, "syntax error: package clause without a name")
		}
		if toks[1].lit != "main" {
			return nil, c.errorAt(toks[0].off, "package %s: a cell or script is package main", toks[1].lit)
		}
		c.pkgMain = true
		i = 2
	}
	for i < len(toks) {
		if toks[i].tok == token.SEMICOLON {
			i++
			continue
		}
		decl := startsDecl(toks, i)
		j := i
		for j < len(toks) {
			j = stmtEnd(toks, j)
			for j < len(toks) && toks[j].tok == token.SEMICOLON {
				j++
			}
			if j >= len(toks) || startsDecl(toks, j) != decl {
				break
			}
		}
		start := toks[i].off
		stop := len(src)
		if j < len(toks) {
			stop = toks[j].off
		}
		var items []item
		var err error
		if decl {
			items, err = c.parseDecls(start, stop)
		} else {
			items, err = c.parseStmts(start, stop)
		}
		if err != nil {
			return nil, err
		}
		c.items = append(c.items, items...)
		i = j
	}
	return c, nil
}

// stmtEnd returns the index of the semicolon that ends the statement or
// declaration starting at toks[i]: the next one outside brackets. The
// headers of for, if and switch hold such semicolons, but only before the
// block's opening brace.
func stmtEnd(toks []tok, i int) int {
	depth := 0
	header := false
	switch toks[i].tok {
	case token.FOR, token.IF, token.SWITCH, token.SELECT:
		header = true
	}
	for ; i < len(toks); i++ {
		switch toks[i].tok {
		case token.LBRACE:
			if depth == 0 {
				header = false
			}
			depth++
		case token.LPAREN, token.LBRACK:
			depth++
		case token.RPAREN, token.RBRACK, token.RBRACE:
			depth--
		case token.SEMICOLON:
			if depth <= 0 && !header {
				return i
			}
		}
	}
	return i
}

// A tok is a token of the cell and its byte offset.
type tok struct {
	tok token.Token
	lit string
	off int
}

// scan returns the tokens of src without comments. Scanner errors are left
// for the parser to report.
func scan(src string) []tok {
	var s scanner.Scanner
	fset := token.NewFileSet()
	f := fset.AddFile("", -1, len(src))
	s.Init(f, []byte(src), func(token.Position, string) {}, 0)
	var toks []tok
	for {
		p, t, lit := s.Scan()
		if t == token.EOF {
			return toks
		}
		toks = append(toks, tok{t, lit, f.Offset(p)})
	}
}

// startsDecl reports whether the statement that starts at toks[i] is a
// declaration: import, type, var, const, or a function or method
// declaration ("func name", "func (recv) name(") — not a function literal.
func startsDecl(toks []tok, i int) bool {
	switch toks[i].tok {
	case token.IMPORT, token.TYPE, token.VAR, token.CONST:
		return true
	case token.FUNC:
	default:
		return false
	}
	if i+1 < len(toks) && toks[i+1].tok == token.IDENT {
		return true
	}
	if i+1 >= len(toks) || toks[i+1].tok != token.LPAREN {
		return false
	}
	depth := 0
	for j := i + 1; j < len(toks); j++ {
		switch toks[j].tok {
		case token.LPAREN:
			depth++
		case token.RPAREN:
			depth--
			if depth == 0 {
				return j+2 < len(toks) && toks[j+1].tok == token.IDENT &&
					(toks[j+2].tok == token.LPAREN || toks[j+2].tok == token.LBRACK)
			}
		}
	}
	return false
}

// parseDecls parses the declarations in src[off:stop].
func (c *cell) parseDecls(off, stop int) ([]item, error) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "", declPrefix+c.src[off:stop], parser.AllErrors)
	if err != nil {
		return nil, c.syntaxError(err, off, stop, len(declPrefix))
	}
	file := fset.File(f.Pos())
	at := func(p token.Pos) int { return off + file.Offset(p) - len(declPrefix) }
	var items []item
	for _, d := range f.Decls {
		it := item{start: at(d.Pos()), end: at(d.End()), node: d}
		switch d := d.(type) {
		case *ast.FuncDecl:
			it.kind = itemFunc
			if d.Recv == nil {
				it.defines = []string{d.Name.Name}
			} else if len(d.Recv.List) > 0 {
				it.recv = recvName(d.Recv.List[0].Type)
			}
		case *ast.GenDecl:
			it.kind = map[token.Token]itemKind{token.IMPORT: itemImport, token.TYPE: itemType, token.VAR: itemVar, token.CONST: itemConst}[d.Tok]
			for _, s := range d.Specs {
				switch s := s.(type) {
				case *ast.TypeSpec:
					it.defines = append(it.defines, s.Name.Name)
				case *ast.ValueSpec:
					for _, n := range s.Names {
						it.defines = append(it.defines, n.Name)
					}
				}
			}
		}
		items = append(items, it)
	}
	c.resolve(items, f.Unresolved, at)
	return items, nil
}

// parseStmts parses the statements in src[off:stop], as the body of a
// function.
func (c *cell) parseStmts(off, stop int) ([]item, error) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "", stmtPrefix+c.src[off:stop]+"\n}", parser.AllErrors)
	if err != nil {
		return nil, c.syntaxError(err, off, stop, len(stmtPrefix))
	}
	fn := f.Decls[0].(*ast.FuncDecl)
	file := fset.File(f.Pos())
	at := func(p token.Pos) int { return off + file.Offset(p) - len(stmtPrefix) }
	var items []item
	for _, s := range fn.Body.List {
		if _, empty := s.(*ast.EmptyStmt); empty {
			continue
		}
		it := item{kind: itemStmt, start: at(s.Pos()), end: at(s.End()), node: s}
		if a, ok := s.(*ast.AssignStmt); ok && a.Tok == token.DEFINE {
			for _, l := range a.Lhs {
				if id, ok := l.(*ast.Ident); ok && id.Name != "_" {
					it.defines = append(it.defines, id.Name)
				}
			}
		}
		items = append(items, it)
	}
	c.resolve(items, f.Unresolved, at)
	return items, nil
}

// resolve records, for each item, the identifiers it uses and those that
// the parser could not resolve inside the parsed stretch.
func (c *cell) resolve(items []item, unresolved []*ast.Ident, at func(token.Pos) int) {
	for i := range items {
		it := &items[i]
		it.uses = map[string]bool{}
		ast.Inspect(it.node, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.SelectorExpr:
				ast.Inspect(n.X, func(n ast.Node) bool {
					if id, ok := n.(*ast.Ident); ok {
						it.uses[id.Name] = true
					}
					return true
				})
				return false
			case *ast.Ident:
				it.uses[n.Name] = true
			}
			return true
		})
		for _, id := range unresolved {
			if o := at(id.Pos()); o >= it.start && o < it.end {
				it.unresolved = append(it.unresolved, ref{id.Name, o})
			}
		}
	}
}

func recvName(e ast.Expr) string {
	for {
		switch t := e.(type) {
		case *ast.StarExpr:
			e = t.X
		case *ast.IndexExpr:
			e = t.X
		case *ast.IndexListExpr:
			e = t.X
		case *ast.ParenExpr:
			e = t.X
		case *ast.Ident:
			return t.Name
		default:
			return ""
		}
	}
}

// syntaxError turns a parser error on a stretch starting at cell offset
// off, parsed after a prefix of prefix bytes, into an *Error at the cell's
// position.
func (c *cell) syntaxError(err error, off, stop, prefix int) error {
	el, ok := err.(scanner.ErrorList)
	if !ok || len(el) == 0 {
		if err == nil {
			return c.errorAt(off, "syntax error")
		}
		return c.errorAt(off, "%s", err.Error())
	}
	e := el[0]
	o := off + e.Pos.Offset - prefix
	if o > stop {
		o = stop // the closing brace of the wrapper, or the end of the stretch
	}
	if o < off {
		o = off
	}
	return c.errorAt(o, "%s", friendlySyntax(e.Msg))
}

// friendlySyntax rewords the parser's messages that mention the wrapper
// split adds around statements.
func friendlySyntax(msg string) string {
	msg = strings.Replace(msg, "found '}'", "found end of cell", 1)
	return "syntax error: " + msg
}

// order returns the cell's items in the order they run. Imports come
// first. Type and function declarations come next, as in a Go file where
// they may be used above the line that declares them, and so do the var
// and const declarations that an item above them uses. A type or function
// declaration that uses a name the cell's statements define cannot come
// before them: it comes right after the statement that defines the last of
// those names, wherever it stands in the cell. Everything else runs in
// source order.
func (c *cell) order() []item {
	// late holds the names that exist only once the cell's statements have
	// run, and the names of the declarations that use them.
	late := map[string]bool{}
	for _, it := range c.items {
		if it.kind == itemStmt {
			for _, n := range it.defines {
				late[n] = true
			}
		}
	}
	uses := func(it item, names map[string]bool) bool {
		if it.recv != "" && names[it.recv] {
			return true
		}
		for n := range it.uses {
			if names[n] {
				return true
			}
		}
		return false
	}
	anchored := make([]bool, len(c.items))
	for changed := true; changed; {
		changed = false
		for i, it := range c.items {
			if !anchored[i] && it.kind.isDecl() && it.kind != itemImport && uses(it, late) {
				anchored[i] = true
				changed = true
				for _, d := range it.defines {
					late[d] = true
				}
			}
		}
	}
	hoisted := make([]bool, len(c.items))
	for i, it := range c.items {
		hoisted[i] = it.kind == itemImport || (it.kind == itemFunc || it.kind == itemType) && !anchored[i]
	}
	// A var or const is hoisted when an item above it, or a hoisted item,
	// uses it.
	for changed := true; changed; {
		changed = false
		for i, it := range c.items {
			if hoisted[i] || anchored[i] || (it.kind != itemVar && it.kind != itemConst) {
				continue
			}
			names := map[string]bool{}
			for _, d := range it.defines {
				names[d] = true
			}
			for j, other := range c.items {
				if (j < i || hoisted[j]) && j != i && uses(other, names) {
					hoisted[i] = true
					changed = true
					break
				}
			}
		}
	}
	// The rest run in source order, except the anchored type and function
	// declarations: each goes right after the first definition of the last
	// statement-defined name it needs.
	definer := map[string]int{}
	for i, it := range c.items {
		for _, d := range it.defines {
			if _, ok := definer[d]; !ok && late[d] {
				definer[d] = i
			}
		}
	}
	key := make([]float64, len(c.items))
	const (
		todo = iota
		busy
		done
	)
	state := make([]int, len(c.items))
	var keyOf func(i int) float64
	keyOf = func(i int) float64 {
		it := c.items[i]
		if !anchored[i] || (it.kind != itemFunc && it.kind != itemType) || state[i] == busy {
			return float64(i)
		}
		if state[i] == done {
			return key[i]
		}
		state[i] = busy
		k := -1.0
		needs := []string{it.recv}
		for n := range it.uses {
			needs = append(needs, n)
		}
		for _, n := range needs {
			if d, ok := definer[n]; ok && d != i {
				k = max(k, keyOf(d)+0.5)
			}
		}
		if k < 0 {
			k = float64(i)
		}
		key[i], state[i] = k, done
		return k
	}
	var imports, first, rest []item
	var restKeys []float64
	for i, it := range c.items {
		switch {
		case it.kind == itemImport:
			imports = append(imports, it)
		case hoisted[i]:
			first = append(first, it)
		default:
			rest = append(rest, it)
			restKeys = append(restKeys, keyOf(i))
		}
	}
	idx := make([]int, len(rest))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return restKeys[idx[a]] < restKeys[idx[b]] })
	sorted := make([]item, len(rest))
	for i, j := range idx {
		sorted[i] = rest[j]
	}
	return append(append(imports, first...), sorted...)
}

// defines returns every name the cell declares at its top level, except
// the names its imports bind.
func (c *cell) defines() map[string]bool {
	d := map[string]bool{}
	for _, it := range c.items {
		for _, n := range it.defines {
			d[n] = true
		}
	}
	return d
}

// finalExpr returns the cell's last statement when it is an expression
// statement followed by nothing but type and function declarations (which
// run nothing): its value is the cell's value.
func (c *cell) finalExpr() (item, bool) {
	for i := len(c.items) - 1; i >= 0; i-- {
		switch it := c.items[i]; it.kind {
		case itemType, itemFunc, itemImport:
			continue
		case itemStmt:
			_, ok := it.node.(*ast.ExprStmt)
			return it, ok
		default:
			return item{}, false
		}
	}
	return item{}, false
}
