/*
Package eval is seq2go's one evaluator: the Go interpreter (yaegi) behind the
REPL and the Jupyter kernel, with the whole library loaded.

	s, err := eval.New(eval.Options{Stdout: w, Stderr: w})
	if err != nil { ... }
	defer s.Close()
	res, err := s.Eval(ctx, `
		l := nn.NewLinear(rand.New(rand.NewPCG(1, 1)), 3, 2)
		l.Forward(mat.NewDense(1, 3, []float64{1, 2, 3}))
	`)
	// w received what the cell printed; res.Value["text/plain"] is the
	// final expression's value, the 1×2 output formatted by mat.Formatted.

A Session keeps the state of every cell evaluated so far: variables,
functions, types, imports. Its methods serve both front ends:

	Eval(ctx, src)          run a cell
	IsComplete(src)         complete / incomplete / invalid: continuation prompts, is_complete_request
	Complete(src, cursor)   Tab: package members, fields and methods, session names, keywords
	Inspect(src, cursor)    the go doc of the symbol under the cursor
	TypeOf(ctx, expr)       :type
	Vars(), Source()        :vars and :save
	Context()               the interrupt context cells reach as cell.Context()

Cursor positions and the ranges Complete returns count Unicode code points
(runes), as Jupyter's messages do; error columns count bytes, as the go
command does.

# Cells

A cell is Go source with declarations and statements in any order, as one
types them at a prompt:

	import "strings"
	words := strings.Fields(text)
	func count(ws []string) map[string]int { ... }
	type pair struct{ w string; n int }
	fmt.Println(len(count(words)))

Eval parses the cell (go/parser) and hands it to yaegi in pieces, because
yaegi takes either a file of declarations or a run of statements, never a
mix. Imports come first. Type and function declarations are hoisted above
the statements, as in a Go file, so a statement may call a function declared
below it; a declaration that uses a variable the cell's statements define
comes right after the statement that defines it. A var or const declaration
is hoisted when something above it uses it. Everything else runs in source
order. Errors carry the cell's own line and column.

The cell's value is that of its last statement, when that is an expression
and nothing but type and function declarations follows it.

The prelude imports, for every cell:

	fmt math strings time bytes os image png (image/png) rand (math/rand/v2)
	mat (gonum.org/v1/gonum/mat)
	every package of lib under its own name: nn optim gradcheck charrnn data datasets checkpoint display plot ...
	cell (cell.Context, below)

Other packages are imported as usual, from a cell: the standard library (up
to Go 1.22, the tables yaegi v0.16.1 ships), gonum's floats and stat, and
gonum/plot's plot, plotter, vg and vg/draw (gonum's plot under another name:
import gplot "gonum.org/v1/plot", since plot is lib/plot). A variable may
take a package's name (data := ...); the package is then hidden.

A file that starts with "package main" is a whole program: its main
function runs once, after its declarations. That is what `seq2go run FILE.go`
evaluates. (A func main declared in an ordinary cell is not run; yaegi
would run any function named main after every later cell, so the
interpreter knows it under another name.)

# Values

When the cell's last statement is an expression — decided from the syntax,
not from what yaegi returns — its value is the cell's result: Result.Value
holds it as a display.Bundle, with "text/plain" always (a mat.Matrix
formatted with mat.Formatted and %.6g, cut to an excerpt beyond 12 rows or
columns; a string in Go syntax, "" and "1" as a Go REPL shows them; anything
else with %v, so a value with a String method reads as it says) and the rich
types of its PNG, SVG, HTML or Markdown methods (see display.Render). An expression that gives no value, or several
(fmt.Println(...)), or a nil from a call, shows nothing.

# Output

What a cell writes reaches Options.Stdout and Options.Stderr as it is
written, in order, whether interpreted code or the compiled library wrote it:
during Eval, file descriptors 1 and 2 are pipes (dup2) that a goroutine
copies out. Outputs made through package display go to Options.Display,
after the text written before them. The descriptors belong to the
process, so cells run one at a time in a process: the Evals of two sessions
wait for each other.

# Input

When Options.Display implements display.Inputter (the Jupyter kernel, the
REPL), fmt.Scan, fmt.Scanln and fmt.Scanf in a cell read from it: the
interpreter's standard input asks the Inputter for a line, with no prompt,
whenever what it was given is used up (an input box in a notebook); what a
cell leaves unread is dropped when the next cell starts. os.Stdin reads the
same way: in such a session cells see it as an io.Reader (bufio.NewScanner
(os.Stdin), fmt.Fscan(os.Stdin, ...) work; the methods of *os.File, such as
Fd, are missing, and the compile error says so). Without an Inputter all of
them read the process's standard input, as a script expects.

# Errors

Eval never panics and the session survives every error. A failure comes
back as an *Error with a Kind — syntax, compile, panic, interrupt, internal —
a message that names the problem ("undefined: x", where yaegi says
"constant definition loop" or crashes; "panic: mat: dimension mismatch") and
the cell's line and column. A panic is placed at the statement where it
happened, inside a function or a loop of the cell, or at the call of a
function declared in an earlier cell; Error.Stack lists the interpreted
calls it unwound, each at its statement (yaegi itself knows no better than
the first statement of each function: the session records positions as
cells run, see place.go). Nothing of a cell that
fails to compile runs; a cell that panics keeps what it did before the
panic. A variable that a failed cell did not get to define stays
undefined, although yaegi, having compiled it, holds it with a zero value.

# Interrupts

Cancelling Eval's ctx interrupts the cell. Interpreted code stops at once
(yaegi checks between statements). Compiled code cannot be stopped from
outside, so the library's long loops take a context.Context, and a cell
passes them the session's interrupt context:

	tr, _ := charrnn.NewTrainer(m, train, val)
	err := tr.Run(cell.Context(), 2000, report) // Ctrl-C: stops after the current step, weights intact

cell.Context() is cancelled when the running cell is interrupted, which also
stops goroutines that earlier cells left running with it (yaegi stops their
interpreted code too). Eval returns within a second of the interrupt, once
the cell's code has really stopped: nothing of it runs beside the next
cell. The error says which statement was stopped and that the session keeps
its state. A compiled call that takes no context (a long mat.Mul, a
time.Sleep) cannot be stopped: Eval then returns saying it still runs, and
the next cell waits for it — up to two seconds, after which it does not run
and says why ("busy").
*/
package eval

// BUG(seq2go): A compiled call that an interrupt cannot reach (a library loop
// that takes no context, a long mat.Mul) keeps running after Eval returns;
// the next cell waits for it, and its later output goes straight to the
// process's stdout.

// BUG(seq2go): A panic's frames come from one position variable per function
// name: the calls of a recursive function all show its innermost statement
// (and are shown once), and a deferred closure that runs statements while
// the panic unwinds moves its function's frame to them.

// BUG(seq2go): A goroutine a cell starts and that panics brings the whole
// process down, as in any Go program: only the cell's own goroutine is
// guarded. Output still in the capture pipe when the process dies is lost.

// BUG(seq2go): Interpreted types have no methods as far as reflection can
// see: a type declared in a cell with a PNG method is not rich, and Complete
// knows the methods of a variable's type only where the cell made the type
// plain (v := T{...}, var v T). Rich types belong in the library.

// BUG(seq2go): yaegi v0.16.1 lacks min, max, clear, range over integers and
// over functions, and generic inference through arguments; Eval names the
// missing builtins, and a range over an integer fails with "nil type".
