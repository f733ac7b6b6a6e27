package eval

import (
	"context"
	"errors"
	"fmt"
	"go/ast"
	"go/types"
	"io"
	"log"
	"os"
	"path"
	"reflect"
	"regexp"
	"runtime/debug"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/seq2go/seq2go/internal/symbols"
	"github.com/seq2go/seq2go/lib/blas"
	"github.com/seq2go/seq2go/lib/display"
	"github.com/traefik/yaegi/interp"
	"github.com/traefik/yaegi/stdlib"
)

// Options configure a Session.
type Options struct {
	// Stdout and Stderr receive what cells write, as they write it: the
	// output of interpreted code and of compiled library code alike (see
	// the package documentation). nil means os.Stdout and os.Stderr.
	Stdout, Stderr io.Writer

	// Display receives the rich outputs cells make through package display
	// (display.Show, display.PNG, ...), after the text written before them
	// has reached Stdout. When it also implements display.Inputter, it
	// answers display.Input. nil writes each output's text/plain entry (or
	// a one-line description of it) to Stdout.
	Display display.Sink
}

// A Session is one interpreter and its state: the variables, functions,
// types and imports of the cells evaluated so far. Its methods may be
// called from several goroutines; cells run one at a time, in a process
// as well as in a session, because output capture redirects the process's
// file descriptors.
type Session struct {
	opt    Options
	mu     sync.Mutex // one Eval at a time
	interp *interp.Interpreter
	out    *capture // nil when output is not captured at the descriptor level
	errc   *capture
	sink   display.Sink
	tables []interp.Exports // the symbol tables in use
	stdin  *inputReader     // the cells' standard input, when Display is an Inputter

	names   map[string]string   // session globals and their kind: "var", "func", "type", "const"
	imports map[string]string   // package name in scope → import path
	decls   map[string]string   // source of the session's funcs and types, for Inspect
	methods map[string][]string // methods declared on the session's types
	typeOf  map[string]string   // session variable → the session type it was made of, when plain to see
	phantom map[string]bool     // names yaegi holds from cells that failed before defining them
	cells   []string            // the cells that ran without error, for Source

	empty   *interp.Program // compiled from "": run executes it to reset the stop channel
	pending <-chan outcome  // the run of an interrupted cell that had not returned (see run.go)
	ncell   int             // cells evaluated so far: the number of the current one
	sources map[int]string  // cells that hold functions and closures, by number, for panics' frames
	atVars  map[string]bool // position variables the interpreter has (see place.go)

	stateMu    sync.Mutex // guards the fields below, which run-time hooks touch
	intr       context.Context
	cancelIntr context.CancelFunc
	shown      []any // what the final expression gave the show hook
	showCalled bool
	at         int      // byte offset of the top-level statement running, or -1
	trace      []string // the function names of yaegi's "N:M: panic: f(...)" lines of the current cell
	stoppable  bool     // a program runs, and stopInterpreter may stop it
	stopped    bool     // it was stopped
	stopAsked  bool     // the current cell was interrupted
}

// useBLAS installs lib/blas once per process.
var useBLAS = sync.OnceFunc(blas.Use)

// evalMu serialises cells across sessions: output capture redirects the
// process's file descriptors 1 and 2.
var evalMu sync.Mutex

// showPath is the hidden package of the hooks Eval wraps cells in (the
// final value, the statement running), imported as showName. cellPath is
// the package cells reach their interrupt context through.
const (
	showPath = "seq2go.internal/show"
	showName = "__seq2go"
	cellPath = "seq2go/cell"
)

// stdPrelude lists the standard packages every cell sees without an import.
var stdPrelude = []struct{ name, path string }{
	{"bytes", "bytes"}, {"fmt", "fmt"}, {"image", "image"}, {"png", "image/png"},
	{"math", "math"}, {"os", "os"}, {"rand", "math/rand/v2"}, {"strings", "strings"},
	{"time", "time"},
	{"mat", "gonum.org/v1/gonum/mat"},
}

// libPrefix is the import path of the library's packages: every one of them
// is in the prelude under its own name.
const libPrefix = "github.com/seq2go/seq2go/lib/"

// New returns a session with the prelude imported: fmt, math, strings,
// time, bytes, os, image, image/png, math/rand/v2 as rand, gonum's mat,
// every package of lib under its own name (nn, optim, data, display, ...)
// and cell, whose cell.Context() is the session's interrupt context.
//
// New installs lib/blas as gonum's BLAS for the whole process (blas.Use),
// as the seq2go binary does: the library leaves that choice to the
// program, and the REPL and the kernel are programs whose cells should run
// at the command line's speed, with its figures. It does so once, so that
// sessions made at the same time, or while another one computes, do not
// race on gonum's global.
func New(opt Options) (*Session, error) {
	useBLAS()
	if opt.Stdout == nil {
		opt.Stdout = os.Stdout
	}
	if opt.Stderr == nil {
		opt.Stderr = os.Stderr
	}
	s := &Session{
		opt:     opt,
		names:   map[string]string{},
		imports: map[string]string{},
		decls:   map[string]string{},
		methods: map[string][]string{},
		typeOf:  map[string]string{},
		phantom: map[string]bool{},
		sources: map[int]string{},
		atVars:  map[string]bool{},
	}
	s.intr, s.cancelIntr = context.WithCancel(context.Background())

	yopt := interp.Options{Unrestricted: true, Stderr: &panicSniffer{s: s}}
	// The descriptors are duplicated while no cell of another session has
	// them redirected.
	evalMu.Lock()
	defer evalMu.Unlock()
	if captureSupported {
		var err error
		if s.out, err = newCapture(1, opt.Stdout); err == nil {
			if s.errc, err = newCapture(2, opt.Stderr); err != nil {
				s.out.close()
				s.out = nil
			}
		}
	}
	if s.out == nil {
		// No capture: route at least interpreted code's output.
		yopt.Stdout = opt.Stdout
	}
	s.sink = newSink(s)
	tables := []interp.Exports{stdlib.Symbols, symbols.Symbols, {
		showPath + "/show": {"Show": reflect.ValueOf(s.show), "At": reflect.ValueOf(s.setAt)},
		cellPath + "/cell": {"Context": reflect.ValueOf(s.Context)},
	}}
	if in, ok := s.sink.(display.Inputter); ok {
		// fmt.Scan and friends ask the front end (see inputReader), and so
		// does os.Stdin, which cells see as an io.Reader.
		s.stdin = newInputReader(in)
		yopt.Stdin = s.stdin
		var stdin io.Reader = s.stdin
		tables = append(tables, interp.Exports{"os/os": {"Stdin": reflect.ValueOf(&stdin).Elem()}})
	}
	s.interp = interp.New(yopt)
	for _, e := range tables {
		if err := s.use(e); err != nil {
			s.Close()
			return nil, err
		}
	}

	var b strings.Builder
	b.WriteString("import (\n")
	for _, p := range prelude() {
		fmt.Fprintf(&b, "\t%s %q\n", p.name, p.path)
		s.imports[p.name] = p.path
	}
	fmt.Fprintf(&b, "\t%s %q\n)", showName, showPath)
	if _, err := s.interp.Compile(b.String()); err != nil {
		s.Close()
		return nil, fmt.Errorf("eval: prelude: %w", err)
	}
	var err error
	if s.empty, err = s.interp.Compile(""); err != nil {
		s.Close()
		return nil, fmt.Errorf("eval: %w", err)
	}
	return s, nil
}

// prelude returns the packages imported into every session.
func prelude() []struct{ name, path string } {
	p := append([]struct{ name, path string }{}, stdPrelude...)
	var lib []string
	for k := range symbols.Symbols {
		if strings.HasPrefix(k, libPrefix) {
			lib = append(lib, k)
		}
	}
	sort.Strings(lib)
	for _, k := range lib {
		p = append(p, struct{ name, path string }{path.Base(k), path.Dir(k)})
	}
	return append(p, struct{ name, path string }{"cell", cellPath})
}

// Close restores the process's file descriptors, cancels the interrupt
// context (stopping loops that cells left running with it) and uninstalls
// the session's display sink.
func (s *Session) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.stateMu.Lock()
	s.cancelIntr()
	s.stateMu.Unlock()
	for _, c := range []*capture{s.out, s.errc} {
		if c != nil {
			c.close()
		}
	}
	s.out, s.errc = nil, nil
	s.stateMu.Lock()
	s.interp = nil
	s.stateMu.Unlock()
	display.SetSink(nil)
	return nil
}

// Context returns the session's interrupt context, which cells reach as
// cell.Context(): it is cancelled when the running cell is interrupted
// (its Eval's ctx is done), and a fresh one serves the cells after that.
// Library loops that run long take it, so that an interrupt stops them
// between two steps:
//
//	err := tr.Run(cell.Context(), 2000, nil) // charrnn: stops on Ctrl-C, weights intact
func (s *Session) Context() context.Context {
	s.stateMu.Lock()
	defer s.stateMu.Unlock()
	return s.intr
}

// show is the hook the final expression of a cell is wrapped in.
func (s *Session) show(v ...any) {
	s.stateMu.Lock()
	s.shown, s.showCalled = v, true
	s.stateMu.Unlock()
}

// setAt is the hook each top-level statement calls before it runs, so that
// a panic can be placed: yaegi places it at the first statement of the
// function it happened in.
func (s *Session) setAt(off int) {
	s.stateMu.Lock()
	s.at = off
	s.stateMu.Unlock()
}

// Result is what a cell gives back besides its output.
type Result struct {
	// Value is the value of the cell's final expression statement, rendered:
	// "text/plain" always (a mat.Matrix formatted by mat.Formatted with
	// %.6g, anything else by %v), plus "image/png", "image/svg+xml",
	// "text/html" or "text/markdown" for a value with the PNG, SVG, HTML or
	// Markdown method (see display.Render). It is nil when the cell does not end with an
	// expression, or ends with one that gives no value, several values
	// (fmt.Println), or a nil from a call.
	Value display.Bundle

	// Type is the Go type of that value, as %T prints it.
	Type string
}

// Error is a cell's failure. The session's state survives it: the cells
// before, and whatever the failing cell declared before it failed.
type Error struct {
	// Kind is "syntax", "compile", "panic", "interrupt", "busy" (the cell
	// did not run: an interrupted cell is still running a compiled call) or
	// "internal" (a failure of the interpreter itself).
	Kind string

	// Line and Col are the position in the cell, 1-based, in bytes as the
	// go command counts columns; 0 when the error has no position. For a
	// panic, the statement of this cell where it happened (inside a
	// function the cell declares, or the call of one declared earlier); for
	// an interrupt, the statement that was stopped.
	Line, Col int

	// Msg is the problem, without the position: "undefined: x",
	// "panic: mat: dimension mismatch", "interrupted: ...".
	Msg string

	// Stack lists, for a panic, the calls of interpreted code it unwound,
	// innermost first: the functions declared in cells and the cell's own
	// statements, each at the statement it was running. Compiled frames
	// (the library, the interpreter) are left out.
	Stack []Frame

	// Err is the underlying error: context.Canceled or
	// context.DeadlineExceeded for an interrupt, interp.Panic for a panic.
	Err error

	off int // byte offset in the cell, or -1
}

func (e *Error) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%d:%d: %s", e.Line, e.Col, e.Msg)
	}
	return e.Msg
}

func (e *Error) Unwrap() error { return e.Err }

// errorAt returns a syntax error at cell offset off.
func (c *cell) errorAt(off int, format string, args ...any) *Error {
	line, col := c.pos(off)
	return &Error{Kind: "syntax", Line: line, Col: col, Msg: fmt.Sprintf(format, args...), off: off}
}

// Eval runs one cell: declarations and statements in any order (see the
// package documentation), with the session's earlier state. What the cell
// writes streams to Options.Stdout and Options.Stderr while it runs; the
// value of a final expression comes back in Result. A failure — syntax,
// compile error, panic, interrupt — comes back as an *Error. Cancelling ctx
// interrupts the cell: interpreted code stops at once, library loops that
// take cell.Context() at their next step, and Eval returns within a second.
func (s *Session) Eval(ctx context.Context, src string) (Result, error) {
	return s.eval(ctx, src, true)
}

// TypeOf evaluates expr like Eval, and returns the Go type of its value (""
// for none). The REPL's :type uses it: expr runs, but is not kept among the
// cells Source returns.
func (s *Session) TypeOf(ctx context.Context, expr string) (string, error) {
	res, err := s.eval(ctx, expr, false)
	return res.Type, err
}

// eval is Eval; record keeps the cell for Source.
func (s *Session) eval(ctx context.Context, src string, record bool) (res Result, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	evalMu.Lock()
	defer evalMu.Unlock()
	if s.interp == nil {
		return Result{}, errors.New("eval: session closed")
	}
	if !s.settled(ctx) {
		return Result{}, &Error{Kind: "busy", off: -1, Msg: "the interrupted cell is still running a compiled call (one that does not take cell.Context()): " +
			"this cell did not run; run it again once that call has returned, or restart the session"}
	}
	s.ncell++
	cellNo := s.ncell

	c, err := split(src)
	if err != nil {
		return Result{}, err
	}
	if err := s.checkImports(c); err != nil {
		return Result{}, err
	}
	if err := s.checkPhantoms(c); err != nil {
		return Result{}, err
	}

	// Interrupts: ctx done → the session context is cancelled now, so
	// library loops stop, and the interpreted code is stopped (run.go).
	s.stateMu.Lock()
	if s.intr.Err() != nil {
		s.intr, s.cancelIntr = context.WithCancel(context.Background())
	}
	cancelIntr := s.cancelIntr
	s.shown, s.showCalled, s.trace, s.at, s.stopAsked = nil, false, nil, -1, false
	s.stateMu.Unlock()
	stop := context.AfterFunc(ctx, func() { cancelIntr(); s.stop() })
	defer stop()

	display.SetSink(s.sink)
	if s.stdin != nil {
		s.stdin.reset()
	}
	if s.out != nil {
		if err := s.out.start(); err == nil {
			defer s.out.stop()
		}
		if err := s.errc.start(); err == nil {
			defer s.errc.stop()
		}
	}

	// Compile every piece before running any, so that a cell with an
	// error anywhere runs nothing.
	final, hasFinal := c.finalExpr()
	segs, vars := s.segments(c, final, hasFinal, cellNo)
	if c.pkgMain && c.defines()["main"] {
		segs = append(segs, segment{src: fmt.Sprintf("%s.At(%d);%s()", showName, mainOffset(c), mainName)})
	}
	decl, declared := s.declareVars(vars)
	if decl != "" {
		segs = append([]segment{{src: decl}}, segs...)
	}
	progs := make([]*interp.Program, len(segs))
	for i, seg := range segs {
		if progs[i], err = s.compileSegment(c, seg); err != nil {
			s.haunt(segs, -1)
			return Result{}, err
		}
		if i == 0 && decl != "" {
			for _, n := range declared {
				s.atVars[n] = true
			}
		}
	}
	if len(vars) > 0 {
		s.sources[cellNo] = src
	}
	for i, p := range progs {
		if _, err := s.execute(ctx, p); err != nil {
			// What ran before the failure is defined; what did not, yaegi
			// holds anyway (it compiled it), with zero values.
			s.stateMu.Lock()
			at := s.at
			s.stateMu.Unlock()
			for _, seg := range segs[:i] {
				s.learn(c, seg)
			}
			ran := segment{}
			for _, it := range segs[i].items {
				if it.kind.isDecl() || it.start <= at {
					ran.items = append(ran.items, it)
				}
			}
			s.learn(c, ran)
			s.haunt(segs[i:], at)
			return Result{}, s.runError(c, cellNo, err)
		}
	}
	for _, seg := range segs {
		s.learn(c, seg)
	}
	if record {
		s.cells = append(s.cells, src)
	}

	s.stateMu.Lock()
	shown, called := s.shown, s.showCalled
	s.stateMu.Unlock()
	if !hasFinal || !called || len(shown) != 1 {
		return Result{}, nil
	}
	v := shown[0]
	if v == nil {
		if _, isCall := final.node.(*ast.ExprStmt).X.(*ast.CallExpr); isCall {
			return Result{}, nil
		}
	}
	b, err := render(v)
	if err != nil {
		return Result{}, err
	}
	return Result{Value: b, Type: fmt.Sprintf("%T", v)}, nil
}

// srcName is the file name in the line directives: yaegi scopes imports by
// the file name of a position, and names its one incremental file "_.go"
// (and drops that name from its messages).
const srcName = "_.go"

// mainName is what a cell's func main is called in the interpreter: yaegi
// runs a function named main after compiling anything once one exists, so
// it must not exist. A program's main is called once, after its
// declarations.
const mainName = "__seq2go_main"

// A segment is one call to yaegi: a run of declarations (a file), or a run
// of statements, or the final expression wrapped in the show hook.
type segment struct {
	src   string
	items []item
	show  bool
	text  string // for show: the expression, with its line directive
}

// segments turns the cell's items, in run order, into yaegi sources. Each
// item is preceded by a line directive, /*line _.go:L:C*/, so that yaegi's
// errors carry the cell's own positions, and each top-level statement by a
// call of the At hook, which places panics.
func (s *Session) segments(c *cell, final item, hasFinal bool, cellNo int) ([]segment, map[string]bool) {
	items := c.order()
	vars := map[string]bool{}
	var segs []segment
	var cur *segment
	kind := func(it item) int {
		if it.kind.isDecl() {
			return 1
		}
		return 2
	}
	last := -1
	for _, it := range items {
		text, v := s.itemSource(c, it, cellNo)
		if text == "" {
			continue
		}
		if v != "" {
			vars[v] = true
		}
		if hasFinal && it.start == final.start && it.kind == itemStmt {
			// The final expression runs alone, so that the retry without
			// the hook (for an expression with no value) cannot repeat
			// other statements.
			segs = append(segs, segment{
				src:   fmt.Sprintf("%s.At(%d);%s.Show(%s)", showName, it.start, showName, text),
				items: []item{it},
				show:  true,
				text:  text,
			})
			cur, last = nil, -1
			continue
		}
		if cur == nil || kind(it) != last {
			segs = append(segs, segment{})
			cur = &segs[len(segs)-1]
			last = kind(it)
		} else {
			cur.src += "\n"
		}
		if it.kind == itemStmt {
			if compound(it.node) {
				// yaegi v0.16.1 loses variables that a block at the top
				// level declares in pairs (a, b := f() in a loop body says
				// "undefined: a"); in a function it does not. The block's
				// variables are its own, so the function changes nothing.
				text = "func() {" + text + "\n}()"
			}
			text = fmt.Sprintf("%s.At(%d);%s", showName, it.start, text)
		}
		cur.src += text
		cur.items = append(cur.items, it)
	}
	return segs, vars
}

// compound reports whether a statement has a block of its own.
func compound(n ast.Node) bool {
	if l, ok := n.(*ast.LabeledStmt); ok {
		n = l.Stmt
	}
	switch n.(type) {
	case *ast.ForStmt, *ast.RangeStmt, *ast.IfStmt, *ast.SwitchStmt, *ast.TypeSwitchStmt, *ast.SelectStmt, *ast.BlockStmt:
		return true
	}
	return false
}

// itemSource is the text of one item for yaegi, after its line directive,
// with the statements of its blocks marked (see place.go), and the position
// variable the marks assign ("" for none). Imports of a package already in
// scope under the same name are dropped (yaegi rejects a second import); so
// is everything of an import that drops all its specs.
func (s *Session) itemSource(c *cell, it item, cellNo int) (string, string) {
	line, col := c.pos(it.start)
	if it.kind != itemImport {
		v, ms := c.marks(it, cellNo)
		if fd, ok := it.node.(*ast.FuncDecl); ok && fd.Recv == nil && fd.Name.Name == "main" {
			// Renamed (see mainName); a directive after the name keeps the
			// columns of the rest of the line.
			name := it.start + int(fd.Name.Pos()-fd.Pos())
			nl, nc := c.pos(name + len("main"))
			ms = append(ms, mark{off: name, skip: len("main"), text: fmt.Sprintf("%s/*line %s:%d:%d*/", mainName, srcName, nl, nc)})
		}
		return fmt.Sprintf("/*line %s:%d:%d*/%s", srcName, line, col, c.withMarks(it.start, it.end, ms)), v
	}
	var b strings.Builder
	for _, sp := range it.node.(*ast.GenDecl).Specs {
		spec := sp.(*ast.ImportSpec)
		p, _ := strconv.Unquote(spec.Path.Value)
		n := s.importName(spec)
		if s.imports[n] == p {
			continue
		}
		off := it.start + int(spec.Pos()-it.node.Pos())
		line, col := c.pos(off)
		if b.Len() > 0 {
			b.WriteString("\n")
		}
		fmt.Fprintf(&b, "/*line %s:%d:%d*/import %s %q", srcName, line, col, n, p)
	}
	return b.String(), ""
}

// use adds symbol tables to the interpreter.
func (s *Session) use(e interp.Exports) error {
	s.tables = append(s.tables, e)
	return s.interp.Use(e)
}

// importName is the name an import spec binds: its explicit name, or the
// package's own name, which for the interpreter's packages is in the key
// of their symbol table ("math/rand/v2/rand").
func (s *Session) importName(spec *ast.ImportSpec) string {
	if spec.Name != nil {
		return spec.Name.Name
	}
	p, _ := strconv.Unquote(spec.Path.Value)
	if n, ok := s.packageName(p); ok {
		return n
	}
	return path.Base(p)
}

// packageName returns the name of the package at import path p and whether
// the interpreter has it.
func (s *Session) packageName(p string) (string, bool) {
	for _, table := range s.tables {
		base := path.Base(p)
		if _, ok := table[p+"/"+base]; ok {
			return base, true
		}
		for k := range table {
			if path.Dir(k) == p {
				return path.Base(k), true
			}
		}
	}
	return "", false
}

// checkImports rejects, before anything runs, an import of a package the
// interpreter does not have, and an import whose name is taken by another
// package.
func (s *Session) checkImports(c *cell) error {
	for _, it := range c.items {
		if it.kind != itemImport {
			continue
		}
		for _, sp := range it.node.(*ast.GenDecl).Specs {
			spec := sp.(*ast.ImportSpec)
			p, _ := strconv.Unquote(spec.Path.Value)
			off := it.start + int(spec.Pos()-it.node.Pos())
			if _, ok := s.packageName(p); !ok {
				e := c.errorAt(off, "import %q: the interpreter does not have this package (it has the standard library up to Go 1.22, lib/..., gonum's mat, floats and stat, and gonum/plot's plot, plotter, vg and vg/draw)", p)
				e.Kind = "compile"
				return e
			}
			n := s.importName(spec)
			if have, ok := s.imports[n]; ok && have != p && n != "_" && n != "." {
				e := c.errorAt(off, "import %q: %s already names %q; import it under another name, for example: import my%s %q", p, n, have, n, p)
				e.Kind = "compile"
				return e
			}
		}
	}
	return nil
}

// mainOffset is the offset of a program's func main.
func mainOffset(c *cell) int {
	for _, it := range c.items {
		if fd, ok := it.node.(*ast.FuncDecl); ok && fd.Recv == nil && fd.Name.Name == "main" {
			return it.start
		}
	}
	return 0
}

// compileSegment compiles one segment. The final expression, wrapped in
// the show hook, is compiled again without it when it has no value (a call
// of a function without results cannot be an argument).
func (s *Session) compileSegment(c *cell, seg segment) (*interp.Program, error) {
	prog, err := s.compile(seg.src)
	if err != nil && seg.show {
		if p2, err2 := s.compile(fmt.Sprintf("%s.At(%d);%s", showName, seg.items[0].start, seg.text)); err2 == nil {
			prog, err = p2, nil
		} else {
			err = err2
		}
	}
	if err != nil {
		return nil, s.compileError(c, seg, err)
	}
	return prog, nil
}

// compile is interp.Compile behind a recover: yaegi panics on some inputs
// it cannot handle.
func (s *Session) compile(src string) (prog *interp.Program, err error) {
	// yaegi logs before some of its panics ("nil type"); the message it
	// panics with says the same.
	w := log.Writer()
	log.SetOutput(io.Discard)
	defer log.SetOutput(w)
	defer func() {
		if r := recover(); r != nil {
			err = &Error{Kind: "internal", Msg: fmt.Sprintf("the interpreter failed: %v", r), Err: fmt.Errorf("%v\n%s", r, debug.Stack()), off: -1}
		}
	}()
	return s.interp.Compile(src)
}

// learn records what a segment declared, for completion, inspection and the
// undefined-identifier check.
func (s *Session) learn(c *cell, seg segment) {
	for _, it := range seg.items {
		kind := map[itemKind]string{itemType: "type", itemFunc: "func", itemVar: "var", itemConst: "const", itemStmt: "var"}[it.kind]
		for _, n := range it.defines {
			if it.kind == itemFunc && n == "main" {
				continue // renamed: see mainName
			}
			s.names[n] = kind
			delete(s.phantom, n)
			if it.kind == itemFunc || it.kind == itemType {
				s.decls[n] = c.src[it.start:it.end]
			}
		}
		s.learnTypes(it)
		if it.kind == itemFunc && it.recv != "" {
			m := it.node.(*ast.FuncDecl).Name.Name
			if !contains(s.methods[it.recv], m) {
				s.methods[it.recv] = append(s.methods[it.recv], m)
			}
			s.decls[it.recv+"."+m] = c.src[it.start:it.end]
		}
		if it.kind == itemImport {
			for _, sp := range it.node.(*ast.GenDecl).Specs {
				spec := sp.(*ast.ImportSpec)
				p, _ := strconv.Unquote(spec.Path.Value)
				if n := s.importName(spec); n != "_" && n != "." {
					s.imports[n] = p
				}
			}
		}
	}
}

// haunt marks as phantoms the new names of the statements of segs that did
// not run (those after offset at; all of them for at < 0): yaegi compiled
// them, so it knows them, with zero values, but the cell never defined them.
// checkPhantoms reports them undefined until a cell defines them.
func (s *Session) haunt(segs []segment, at int) {
	for _, seg := range segs {
		for _, it := range seg.items {
			if at >= 0 && (it.kind.isDecl() || it.start <= at) {
				continue
			}
			for _, n := range it.defines {
				if _, known := s.names[n]; !known {
					s.phantom[n] = true
				}
			}
		}
	}
}

// checkPhantoms rejects a cell that uses a phantom name it does not define.
func (s *Session) checkPhantoms(c *cell) error {
	if len(s.phantom) == 0 {
		return nil
	}
	defined := c.defines()
	for _, it := range c.items {
		for _, r := range it.unresolved {
			if s.phantom[r.name] && !defined[r.name] {
				line, col := c.pos(r.off)
				return &Error{Kind: "compile", Line: line, Col: col, Msg: "undefined: " + r.name, off: r.off}
			}
		}
	}
	return nil
}

// learnTypes records which session type a variable holds, where the cell
// says so plainly (v := T{...}, v := &T{...}, var v T): reflection cannot
// see the methods of interpreted types, so Complete lists them from here.
func (s *Session) learnTypes(it item) {
	typeName := func(e ast.Expr) string {
		if u, ok := e.(*ast.UnaryExpr); ok && u.Op.String() == "&" {
			e = u.X
		}
		if cl, ok := e.(*ast.CompositeLit); ok {
			e = cl.Type
		}
		if st, ok := e.(*ast.StarExpr); ok {
			e = st.X
		}
		if id, ok := e.(*ast.Ident); ok && s.names[id.Name] == "type" {
			return id.Name
		}
		return ""
	}
	switch n := it.node.(type) {
	case *ast.AssignStmt:
		if len(n.Lhs) == len(n.Rhs) {
			for i, l := range n.Lhs {
				if id, ok := l.(*ast.Ident); ok {
					if t := typeName(n.Rhs[i]); t != "" {
						s.typeOf[id.Name] = t
					} else if n.Tok.String() == ":=" {
						delete(s.typeOf, id.Name)
					}
				}
			}
		}
	case *ast.GenDecl:
		for _, sp := range n.Specs {
			if vs, ok := sp.(*ast.ValueSpec); ok {
				for i, id := range vs.Names {
					t := ""
					if vs.Type != nil {
						t = typeName(vs.Type)
					} else if i < len(vs.Values) {
						t = typeName(vs.Values[i])
					}
					if t != "" {
						s.typeOf[id.Name] = t
					} else {
						delete(s.typeOf, id.Name)
					}
				}
			}
		}
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// yaegiPos matches the position yaegi puts before its messages: "2:5:
// undefined: x" (it drops the file name "_.go").
var yaegiPos = regexp.MustCompile(`^(?:(\S*?):)?(\d+):(\d+): ((?s).*)$`)

// compileError turns yaegi's compile error into an *Error at the cell's
// position, naming an undefined identifier as such.
func (s *Session) compileError(c *cell, seg segment, err error) error {
	var e *Error
	if errors.As(err, &e) {
		// yaegi crashes on some undefined identifiers (a package that is
		// not imported): name the identifier when there is one.
		if e.Kind == "internal" {
			if r, ok := s.undefined(c, seg, e); ok {
				line, col := c.pos(r.off)
				return &Error{Kind: "compile", Line: line, Col: col, Msg: "undefined: " + r.name, Err: e, off: r.off}
			}
			// yaegi crashes with "nil type" on a range over an integer or a
			// function (Go 1.22 and 1.23), which it does not know.
			if strings.Contains(e.Msg, "nil type") {
				if off, ok := rangeStmt(seg); ok {
					line, col := c.pos(off)
					return &Error{Kind: "compile", Line: line, Col: col, Err: e, off: off,
						Msg: "range over an integer or a function is missing from the interpreter (yaegi v0.16.1): write for i := 0; i < n; i++"}
				}
			}
		}
		return e
	}
	e = &Error{Kind: "compile", Msg: err.Error(), Err: err, off: -1}
	if m := yaegiPos.FindStringSubmatch(err.Error()); m != nil && (m[1] == srcName || m[1] == "") && !strings.Contains(m[4], "\n") {
		e.Line, _ = strconv.Atoi(m[2])
		e.Col, _ = strconv.Atoi(m[3])
		e.Msg = m[4]
	}
	// yaegi reports some undefined identifiers as "constant definition
	// loop", at the start of the statement: find the identifier ourselves.
	// os.Stdin is an io.Reader in a session that asks its front end for
	// input (see New): say so where its *os.File methods are missing.
	if m, ok := strings.CutPrefix(e.Msg, "undefined method: "); ok && s.stdin != nil && strings.Contains(c.src, "os.Stdin."+m) {
		e.Msg = fmt.Sprintf("os.Stdin.%s: in a notebook or the REPL, os.Stdin is an io.Reader that asks for input (an input box), without the methods of *os.File; read it with bufio or fmt.Fscan", m)
		return e
	}
	if strings.Contains(e.Msg, "constant definition loop") || strings.HasPrefix(e.Msg, "undefined") {
		if r, ok := s.undefined(c, seg, e); ok {
			e.Line, e.Col = c.pos(r.off)
			e.off = r.off
			if unsupportedBuiltin[r.name] {
				e.Msg = fmt.Sprintf("%s: this builtin is missing from the interpreter (yaegi v0.16.1 knows Go's builtins up to Go 1.20): use math.%s or a loop", r.name, strings.ToUpper(r.name[:1])+r.name[1:])
			} else {
				e.Msg = "undefined: " + r.name
			}
		} else if strings.Contains(e.Msg, "constant definition loop") {
			e.Msg = "undefined identifier (" + e.Msg + ")"
		}
	}
	return e
}

// rangeStmt returns the offset of the first range statement of the segment
// whose range expression is not obviously a slice, array, map, string or
// channel.
func rangeStmt(seg segment) (int, bool) {
	for _, it := range seg.items {
		off, found := -1, false
		ast.Inspect(it.node, func(n ast.Node) bool {
			if found {
				return false
			}
			if r, ok := n.(*ast.RangeStmt); ok {
				switch r.X.(type) {
				case *ast.CompositeLit:
				default:
					off, found = it.start+int(r.Pos()-it.node.Pos()), true
				}
			}
			return true
		})
		if found {
			return off, true
		}
	}
	return 0, false
}

// unsupportedBuiltin lists Go builtins that yaegi v0.16.1 lacks.
var unsupportedBuiltin = map[string]bool{"min": true, "max": true, "clear": true}

// undefined returns the first identifier of the segment that is neither
// declared in the cell nor known to the session, at or after the error's
// position when there is one there.
func (s *Session) undefined(c *cell, seg segment, e *Error) (ref, bool) {
	known := c.defines()
	for _, it := range c.items {
		if it.kind == itemImport {
			for _, sp := range it.node.(*ast.GenDecl).Specs {
				known[s.importName(sp.(*ast.ImportSpec))] = true
			}
		}
	}
	for n := range s.names {
		known[n] = true
	}
	for n := range s.imports {
		known[n] = true
	}
	for n := range s.globals() {
		if !s.phantom[n] {
			known[n] = true
		}
	}
	errOff := -1
	if e.Line > 0 && e.Line <= len(c.lines) {
		errOff = c.lines[e.Line-1] + e.Col - 1
	}
	var first, after *ref
	for _, it := range seg.items {
		for i := range it.unresolved {
			r := &it.unresolved[i]
			if known[r.name] || r.name == showName || (types.Universe.Lookup(r.name) != nil && !unsupportedBuiltin[r.name]) {
				continue
			}
			if first == nil {
				first = r
			}
			if after == nil && r.off >= errOff {
				after = r
			}
		}
	}
	if after != nil {
		return *after, true
	}
	if first != nil {
		return *first, true
	}
	return ref{}, false
}

// globals is interp.Globals behind a recover: it can index out of range
// after a failed cell. While an interrupted cell's program still runs it is
// nil: that program writes the globals.
func (s *Session) globals() (g map[string]reflect.Value) {
	if s.pending != nil {
		select {
		case <-s.pending:
			s.pending = nil
		default:
			return nil
		}
	}
	defer func() {
		if recover() != nil {
			g = nil
		}
	}()
	return s.interp.Globals()
}

// runError turns an error from running a segment of cell c (the session's
// cell number cellNo) into an *Error.
func (s *Session) runError(c *cell, cellNo int, err error) error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	s.stateMu.Lock()
	at, names := s.at, append([]string(nil), s.trace...)
	s.stateMu.Unlock()
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		e := &Error{Kind: "interrupt", Err: err, off: at,
			Msg: "interrupted: stopped the cell at this statement; the session keeps its state (every variable, function and type defined so far)"}
		if errors.Is(err, errStillRunning) {
			e.Msg = "interrupted: stopped the cell at this statement, but a compiled call in it is still running " +
				"(one that does not take cell.Context()): the next cell waits for it. The session keeps its state"
		}
		if frames := s.stack(c, cellNo, []string{"main"}, at); len(frames) > 0 {
			e.Line, e.Col = frames[0].Line, frames[0].Col
			e.off = c.lines[e.Line-1] + e.Col - 1
		} else {
			e.Msg = strings.Replace(e.Msg, "at this statement", "before its first statement", 1)
		}
		return e
	}
	var p interp.Panic
	if errors.As(err, &p) {
		e := &Error{Kind: "panic", Msg: "panic: " + panicText(p.Value), Err: err, off: -1}
		e.Stack = s.stack(c, cellNo, names, at)
		for _, f := range e.Stack {
			if !f.Earlier {
				e.Line, e.Col = f.Line, f.Col
				e.off = c.lines[f.Line-1] + f.Col - 1
				break
			}
		}
		return e
	}
	return s.compileError(c, segment{}, err)
}

func panicText(v any) string {
	if rv, ok := v.(reflect.Value); ok && rv.IsValid() && rv.CanInterface() {
		v = rv.Interface() // yaegi panics with some values wrapped
	}
	switch v := v.(type) {
	case error:
		return v.Error()
	case fmt.Stringer:
		return v.String()
	default:
		return fmt.Sprint(v)
	}
}

// panicSniffer is yaegi's Stderr. yaegi writes a line "pos: panic:
// func(...)" for each interpreted frame a panic unwinds; the sniffer keeps
// the function names, innermost first, for the error's stack, and passes
// anything else (the output of interpreted code's log package) to the
// process's stderr, which is captured during a cell.
type panicSniffer struct{ s *Session }

var panicLine = regexp.MustCompile(`^(?:\S*?:)?(\d+):(\d+): panic: (\S*?)\(\.\.\.\)`)

func (w *panicSniffer) Write(b []byte) (int, error) {
	if m := panicLine.FindSubmatch(b); m != nil {
		w.s.stateMu.Lock()
		w.s.trace = append(w.s.trace, string(m[3]))
		w.s.stateMu.Unlock()
		return len(b), nil
	}
	if w.s.out == nil {
		return w.s.opt.Stderr.Write(b)
	}
	return os.Stderr.Write(b)
}
