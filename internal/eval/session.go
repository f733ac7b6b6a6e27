package eval

import (
	"bytes"
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
	"runtime"
	"runtime/debug"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

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

	stateMu    sync.Mutex // guards the fields below, which run-time hooks touch
	intr       context.Context
	cancelIntr context.CancelFunc
	shown      []any // what the final expression gave the show hook
	showCalled bool
	at         int      // byte offset of the top-level statement running, or -1
	trace      []string // yaegi's "N:M: panic: ..." lines of the current cell
}

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
// at the command line's speed, with its figures.
func New(opt Options) (*Session, error) {
	blas.Use()
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
	if in, ok := s.sink.(display.Inputter); ok {
		// fmt.Scan and friends ask the front end (see inputReader).
		s.stdin = newInputReader(in)
		yopt.Stdin = s.stdin
	}
	s.interp = interp.New(yopt)
	for _, e := range []interp.Exports{stdlib.Symbols, symbols.Symbols, {
		showPath + "/show": {"Show": reflect.ValueOf(s.show), "At": reflect.ValueOf(s.setAt)},
		cellPath + "/cell": {"Context": reflect.ValueOf(s.Context)},
	}} {
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
	s.interp = nil
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
	// Kind is "syntax", "compile", "panic", "interrupt" or "internal" (a
	// failure of the interpreter itself).
	Kind string

	// Line and Col are the position in the cell, 1-based, in bytes as the
	// go command counts columns; 0 when the error has no position.
	Line, Col int

	// Msg is the problem, without the position: "undefined: x",
	// "panic: mat: dimension mismatch", "interrupted".
	Msg string

	// Trace lists, for a panic, the interpreted frames it unwound,
	// innermost first, as yaegi reports them: "line:col: panic: main.f(...)".
	// yaegi v0.16.1 gives each frame the position of the first statement of
	// its function (in the cell that declared it), not of the statement that
	// panicked; Line and Col, from Eval's own bookkeeping, are those of the
	// top-level statement of the cell that was running.
	Trace []string

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
	// library loops stop; yaegi stops interpreted code itself.
	s.stateMu.Lock()
	if s.intr.Err() != nil {
		s.intr, s.cancelIntr = context.WithCancel(context.Background())
	}
	cancelIntr := s.cancelIntr
	s.shown, s.showCalled, s.trace, s.at = nil, false, nil, -1
	s.stateMu.Unlock()
	stop := context.AfterFunc(ctx, cancelIntr)
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
	segs := s.segments(c, final, hasFinal)
	if c.pkgMain && c.defines()["main"] {
		segs = append(segs, segment{src: fmt.Sprintf("%s.At(%d);%s()", showName, mainOffset(c), mainName)})
	}
	progs := make([]*interp.Program, len(segs))
	for i, seg := range segs {
		if progs[i], err = s.compileSegment(c, seg); err != nil {
			s.haunt(segs, -1)
			return Result{}, err
		}
	}
	for i, p := range progs {
		if _, err := s.execute(ctx, p); err != nil {
			if ctx.Err() != nil {
				settle(time.Now().Add(settleTimeout))
			}
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
			return Result{}, s.runError(c, err)
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
}

// segments turns the cell's items, in run order, into yaegi sources. Each
// item is preceded by a line directive, /*line _.go:L:C*/, so that yaegi's
// errors carry the cell's own positions, and each top-level statement by a
// call of the At hook, which places panics.
func (s *Session) segments(c *cell, final item, hasFinal bool) []segment {
	items := c.order()
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
		text := s.itemSource(c, it)
		if text == "" {
			continue
		}
		if hasFinal && it.start == final.start && it.kind == itemStmt {
			// The final expression runs alone, so that the retry without
			// the hook (for an expression with no value) cannot repeat
			// other statements.
			line, col := c.pos(it.start)
			segs = append(segs, segment{
				src:   fmt.Sprintf("%s.At(%d);%s.Show(/*line %s:%d:%d*/%s)", showName, it.start, showName, srcName, line, col, c.src[it.start:it.end]),
				items: []item{it},
				show:  true,
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
	return segs
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

// itemSource is the text of one item for yaegi, after its line directive.
// Imports of a package already in scope under the same name are dropped
// (yaegi rejects a second import); so is everything of an import that
// drops all its specs.
func (s *Session) itemSource(c *cell, it item) string {
	line, col := c.pos(it.start)
	if fd, ok := it.node.(*ast.FuncDecl); ok && fd.Recv == nil && fd.Name.Name == "main" {
		// Renamed (see mainName); a directive after the name keeps the
		// columns of the rest of the line.
		name := it.start + int(fd.Name.Pos()-fd.Pos())
		nl, nc := c.pos(name + len("main"))
		return fmt.Sprintf("/*line %s:%d:%d*/%s%s/*line %s:%d:%d*/%s", srcName, line, col,
			c.src[it.start:name], mainName, srcName, nl, nc, c.src[name+len("main"):it.end])
	}
	if it.kind != itemImport {
		return fmt.Sprintf("/*line %s:%d:%d*/%s", srcName, line, col, c.src[it.start:it.end])
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
	return b.String()
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
		it := seg.items[0]
		line, col := c.pos(it.start)
		if p2, err2 := s.compile(fmt.Sprintf("%s.At(%d);/*line %s:%d:%d*/%s", showName, it.start, srcName, line, col, c.src[it.start:it.end])); err2 == nil {
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

// settleTimeout bounds how long an interrupted Eval waits for the
// interpreter to stop.
const settleTimeout = 700 * time.Millisecond

// settle waits, until the deadline at most, for interrupted programs to
// stop running: ExecuteWithContext returns as soon as its context is done,
// while the goroutine that runs the program stops only at its next
// interpreted statement, or when the compiled call it is in returns (a
// training step that saw cell.Context() cancelled). The next cell must not
// run beside it. No goroutine of another cell can be running one: cells run
// one at a time in a process, and each ends its program before the next.
func settle(deadline time.Time) {
	buf := make([]byte, 1<<20)
	for time.Now().Before(deadline) {
		n := runtime.Stack(buf, true)
		if !bytes.Contains(buf[:n], []byte("yaegi/interp.(*Interpreter).ExecuteWithContext.func1")) {
			return
		}
		time.Sleep(5 * time.Millisecond)
	}
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

// execute is interp.ExecuteWithContext behind a recover. ExecuteWithContext
// runs the program in a goroutine with its own recover, and returns as soon
// as ctx is done.
func (s *Session) execute(ctx context.Context, prog *interp.Program) (v reflect.Value, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = &Error{Kind: "internal", Msg: fmt.Sprintf("the interpreter failed: %v", r), Err: fmt.Errorf("%v\n%s", r, debug.Stack()), off: -1}
		}
	}()
	if ctx.Err() != nil {
		return v, ctx.Err()
	}
	return s.interp.ExecuteWithContext(ctx, prog)
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
// after a failed cell.
func (s *Session) globals() (g map[string]reflect.Value) {
	defer func() {
		if recover() != nil {
			g = nil
		}
	}()
	return s.interp.Globals()
}

// runError turns an error from running a segment into an *Error.
func (s *Session) runError(c *cell, err error) error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return &Error{Kind: "interrupt", Msg: "interrupted", Err: err, off: -1}
	}
	var p interp.Panic
	if errors.As(err, &p) {
		e := &Error{Kind: "panic", Msg: "panic: " + panicText(p.Value), Err: err, off: -1}
		s.stateMu.Lock()
		e.Trace = append([]string(nil), s.trace...)
		at := s.at
		s.stateMu.Unlock()
		if at >= 0 {
			e.Line, e.Col = c.pos(at)
			e.off = at
			return e
		}
		// A panic outside the statements (a var's initializer): the
		// innermost frame in this cell, as yaegi places it.
		defined := c.defines()
		for i, t := range e.Trace {
			m := panicLine.FindStringSubmatch(t)
			if m == nil {
				continue
			}
			fn := strings.TrimPrefix(m[3], "main.")
			fn, _, _ = strings.Cut(fn, ".")
			if fn == mainName {
				fn = "main"
			}
			if m[3] == "main" || fn == "func" || defined[fn] || i == len(e.Trace)-1 {
				e.Line, _ = strconv.Atoi(m[1])
				e.Col, _ = strconv.Atoi(m[2])
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
// those for the error's position and trace, and passes anything else (the
// output of interpreted code's log package) to the process's stderr,
// which is captured during a cell.
type panicSniffer struct{ s *Session }

var panicLine = regexp.MustCompile(`^(?:\S*?:)?(\d+):(\d+): panic: (\S*?)\(\.\.\.\)`)

func (w *panicSniffer) Write(b []byte) (int, error) {
	if panicLine.Match(b) {
		w.s.stateMu.Lock()
		w.s.trace = append(w.s.trace, strings.TrimRight(string(b), "\n"))
		w.s.stateMu.Unlock()
		return len(b), nil
	}
	if w.s.out == nil {
		return w.s.opt.Stderr.Write(b)
	}
	return os.Stderr.Write(b)
}
