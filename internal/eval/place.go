package eval

import (
	"fmt"
	"go/ast"
	"sort"
	"strings"
)

// Where a panic happened.
//
// yaegi v0.16.1 reports, for each interpreted frame a panic unwinds, the
// name of the function and the position of the first statement of its body,
// not of the statement that panicked. So the session keeps the positions
// itself: before each top-level statement of a cell it calls the At hook
// (compiled, so an interrupt can read it while the cell runs), and before
// each statement nested in a block — a function body, a loop body, a
// closure — it assigns the statement's place to a position variable, an
// interpreted global int (a few nanoseconds, where a hook call would cost a
// hundred): one per name of a declared function or method, __seq2go_at_f
// (yaegi names a method's frame by the method's name alone), and
// __seq2go_at_main for the blocks and closures of the cells' top level. A
// closure inside f shares f's variable. After a panic, yaegi's frame names
// pick the variables to read, innermost first. (Goroutines that run the same
// function write its variable concurrently: a race on an int that nothing
// reads until the panic, which the race detector would report in a cell
// that starts them.)

// atPrefix starts the names of the position variables; atMain is the one of
// the top level.
const (
	atPrefix = "__seq2go_at_"
	atMain   = atPrefix + "main"
)

// A place is where a statement is: the session's number of the cell and the
// byte offset in it, packed in one int for the position variables.
type place struct{ cell, off int }

func (p place) pack() int64 { return int64(p.cell)<<32 | int64(p.off) }

func unpack(v int64) place { return place{int(v >> 32), int(v & (1<<32 - 1))} }

// Frame is one call of a panic's stack, innermost first: the function, the
// line and column of the statement it was running, and that line of code.
type Frame struct {
	// Func is the function declared in a cell ("f", "T.m"); "" for the
	// cell's own statements and the closures they make.
	Func string

	// Line and Col are 1-based, in the cell that holds the statement;
	// Earlier reports that this is an earlier cell, the one that declared
	// Func.
	Line, Col int
	Earlier   bool

	// Code is that line of the cell.
	Code string
}

// Where says where the frame is, for a reader of the cell: "cell line 3,
// column 2, in f", or "line 3, column 2 of an earlier cell, in f".
func (f Frame) Where() string {
	where := fmt.Sprintf("cell line %d, column %d", f.Line, f.Col)
	if f.Earlier {
		where = fmt.Sprintf("line %d, column %d of an earlier cell", f.Line, f.Col)
	}
	if f.Func != "" {
		where += ", in " + f.Func
	}
	return where
}

// A mark is text to insert at a byte offset of the cell, in place of the
// skip bytes there.
type mark struct {
	off, skip int
	text      string
}

// posVar returns the position variable of the statements of it's blocks.
func posVar(it item) string {
	fd, ok := it.node.(*ast.FuncDecl)
	if !ok {
		return atMain
	}
	name := fd.Name.Name
	if name == "main" && fd.Recv == nil {
		name = mainName
	}
	return atPrefix + name
}

// marks returns the assignments that record, in the position variable of
// it, the place of each statement nested in a block of it, each followed by
// a line directive that gives the statement back its own position.
func (c *cell) marks(it item, cellNo int) (v string, ms []mark) {
	v = posVar(it)
	mark1 := func(n ast.Node) {
		switch n := n.(type) {
		case *ast.EmptyStmt:
			if n.Implicit {
				return
			}
		case *ast.CaseClause, *ast.CommClause:
			return // the clauses of a switch's or select's body: their statements are marked below
		}
		off := it.start + int(n.Pos()-it.node.Pos())
		line, col := c.pos(off)
		ms = append(ms, mark{off: off, text: fmt.Sprintf("%s=%d;/*line %s:%d:%d*/", v, place{cellNo, off}.pack(), srcName, line, col)})
	}
	ast.Inspect(it.node, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.BlockStmt:
			for _, st := range n.List {
				mark1(st)
			}
		case *ast.CaseClause:
			for _, st := range n.Body {
				mark1(st)
			}
		case *ast.CommClause:
			for _, st := range n.Body {
				mark1(st)
			}
		}
		return true
	})
	if len(ms) == 0 {
		return "", nil
	}
	return v, ms
}

// withMarks returns c.src[start:end] with the marks inserted.
func (c *cell) withMarks(start, end int, ms []mark) string {
	sort.Slice(ms, func(i, j int) bool { return ms[i].off < ms[j].off })
	var b strings.Builder
	at := start
	for _, m := range ms {
		if m.off < at || m.off > end {
			continue
		}
		b.WriteString(c.src[at:m.off])
		b.WriteString(m.text)
		at = m.off + m.skip
	}
	b.WriteString(c.src[at:end])
	return b.String()
}

// frameFunc turns a frame name of yaegi's ("main.f", "main.f.func",
// "main.func", "main"; "main.m" for a method m) into the function declared
// in a cell ("" for the top level and its closures), its position variable,
// and whether the frame is a closure.
func frameFunc(name string) (fn, v string, closure bool) {
	name = strings.TrimPrefix(strings.TrimPrefix(name, "main"), ".")
	for name == "func" || strings.HasSuffix(name, ".func") {
		name, closure = strings.TrimSuffix(strings.TrimSuffix(name, "func"), "."), true
	}
	if name == "" {
		return "", atMain, closure
	}
	v = atPrefix + name
	if name == mainName {
		name = "main"
	}
	return name, v, closure
}

// stack returns the frames of the panic that stopped cell c (the session's
// cell number cellNo), innermost first, from yaegi's frame names and the
// position variables; the top level's frame is the statement that ran (at).
// A closure of the top level is at the place of the top level's variable:
// its own statement, or the one of a block that yaegi runs as a closure
// (see segments). Consecutive frames at one place are one. It must run
// after the program has returned.
func (s *Session) stack(c *cell, cellNo int, names []string, at int) []Frame {
	g := s.globals()
	var frames []Frame
	var last place
	for _, name := range names {
		fn, v, closure := frameFunc(name)
		p, ok := place{cellNo, at}, at >= 0
		if fn != "" || closure {
			x, found := g[v]
			if ok = found && x.IsValid() && x.CanInt(); ok {
				p = unpack(x.Int())
				ok = p.cell > 0
			}
		}
		if !ok || p == last {
			continue
		}
		last = p
		src := c.src
		if p.cell != cellNo {
			if src, ok = s.sources[p.cell]; !ok {
				continue
			}
		}
		f := newCell(src)
		line, col := f.pos(p.off)
		frames = append(frames, Frame{Func: fn, Line: line, Col: col, Earlier: p.cell != cellNo, Code: f.line(line)})
	}
	return frames
}

// line returns line n of the cell, 1-based, without its newline.
func (c *cell) line(n int) string {
	if n < 1 || n > len(c.lines) {
		return ""
	}
	end := len(c.src)
	if n < len(c.lines) {
		end = c.lines[n] - 1
	}
	return c.src[c.lines[n-1]:end]
}

// declareVars returns the segment that declares the position variables vs
// that the interpreter does not know yet, or "" when there are none.
func (s *Session) declareVars(vs map[string]bool) (string, []string) {
	var names []string
	for v := range vs {
		if !s.atVars[v] {
			names = append(names, v)
		}
	}
	if len(names) == 0 {
		return "", nil
	}
	sort.Strings(names)
	return "var " + strings.Join(names, ", ") + " int", names
}
