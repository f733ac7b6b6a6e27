package eval_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/seq2go/seq2go/internal/eval"
	"github.com/seq2go/seq2go/lib/display"
	"github.com/traefik/yaegi/interp"
)

// evalTest is one cell of a table that runs in order against one Session,
// as yaegi's own tests do: state carries over from row to row.
type evalTest struct {
	desc string
	src  string
	want string // what the cell printed, then its value's text/plain and "\n"
	err  string // a substring of the error; "" for none
}

// recorder collects a session's output and display calls in order.
type recorder struct {
	mu     sync.Mutex
	events []string
}

func (r *recorder) add(e string) {
	r.mu.Lock()
	r.events = append(r.events, e)
	r.mu.Unlock()
}

func (r *recorder) take() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	e := r.events
	r.events = nil
	return e
}

type stream struct {
	r    *recorder
	name string
}

func (w stream) Write(b []byte) (int, error) { w.r.add(w.name + ":" + string(b)); return len(b), nil }

func (r *recorder) Display(b display.Bundle, id string) {
	r.add(fmt.Sprintf("display:%s", b[display.MIMEText]))
}

func (r *recorder) Update(b display.Bundle, id string) {
	r.add(fmt.Sprintf("update:%s", b[display.MIMEText]))
}

// output joins the recorded stdout and stderr writes.
func output(events []string) string {
	var b strings.Builder
	for _, e := range events {
		if s, ok := strings.CutPrefix(e, "out:"); ok {
			b.WriteString(s)
		} else if s, ok := strings.CutPrefix(e, "err:"); ok {
			b.WriteString(s)
		}
	}
	return b.String()
}

// newSession returns a session whose output and displays go to a recorder,
// with testlib: compiled code that prints, and rich values.
func newSession(t *testing.T) (*eval.Session, *recorder) {
	t.Helper()
	r := &recorder{}
	s, err := eval.New(eval.Options{Stdout: stream{r, "out"}, Stderr: stream{r, "err"}, Display: r})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	err = s.Use(interp.Exports{"example.com/testlib/testlib": {
		"Print":   reflect.ValueOf(func(s string) { fmt.Print(s) }),
		"Eprint":  reflect.ValueOf(func(s string) { fmt.Fprint(os.Stderr, s) }),
		"NewPic":  reflect.ValueOf(func() *pic { return &pic{} }),
		"NewNote": reflect.ValueOf(func() note { return "*hi*" }),
	}})
	if err != nil {
		t.Fatal(err)
	}
	return s, r
}

// pic is a rich value: PNG and HTML.
type pic struct{}

func (*pic) PNG() []byte    { return []byte("\x89PNG fake") }
func (*pic) HTML() string   { return "<b>pic</b>" }
func (*pic) String() string { return "a picture" }

type note string

func (n note) Markdown() string { return string(n) }

func runTable(t *testing.T, s *eval.Session, r *recorder, tests []evalTest) {
	t.Helper()
	for _, tt := range tests {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		res, err := s.Eval(ctx, tt.src)
		cancel()
		got := output(r.take())
		if res.Value != nil {
			got += string(res.Value[display.MIMEText]) + "\n"
		}
		switch {
		case tt.err == "" && err != nil:
			t.Errorf("%s: unexpected error %v\n%s", tt.desc, err, tt.src)
		case tt.err != "" && err == nil:
			t.Errorf("%s: got no error, want %q\n%s", tt.desc, tt.err, tt.src)
		case tt.err != "" && !strings.Contains(err.Error(), tt.err):
			t.Errorf("%s: got error %q, want %q", tt.desc, err, tt.err)
		}
		if got != tt.want {
			t.Errorf("%s: got output %q, want %q", tt.desc, got, tt.want)
		}
	}
}

func TestEval(t *testing.T) {
	s, r := newSession(t)
	runTable(t, s, r, []evalTest{
		{desc: "value of a final expression", src: "1 + 2", want: "3\n"},
		{desc: "an assignment shows nothing", src: "x := 5", want: ""},
		{desc: "state carries over", src: "x * 2", want: "10\n"},
		{desc: "assignment to an existing variable", src: "x = 7", want: ""},
		{desc: "fmt.Println shows its output, not its results", src: `fmt.Println("hi", x)`, want: "hi 7\n"},
		{desc: "a string, in Go syntax", src: `strings.ToUpper("abc")`, want: "\"ABC\"\n"},
		{desc: "an empty string is not an empty output", src: `""`, want: "\"\"\n"},
		{desc: "a string of digits is not a number", src: `"1"`, want: "\"1\"\n"},
		{desc: "a value with a String method reads as it says", src: "time.Duration(1500) * time.Millisecond", want: "1.5s\n"},
		{desc: "an error reads as its message", src: `fmt.Errorf("no %s", "way")`, want: "no way\n"},
		{desc: "a matrix is formatted", src: "mat.NewDense(2, 2, []float64{1, 2, 3, 4})", want: "⎡1  2⎤\n⎣3  4⎦\n"},
		{desc: "a row vector", src: "mat.NewDense(1, 3, []float64{1, 2.5, 3})", want: "[1  2.5  3]\n"},
		{
			desc: "declarations after the statements that use them",
			src: `fmt.Println(double(21), origin)
func double(n int) int { return 2 * n }
type point struct{ X, Y int }
var origin = point{}`,
			want: "42 {0 0}\n",
		},
		{
			desc: "a function that uses a variable the cell defines stays in place",
			src: `base := 100
func plusBase(n int) int { return base + n }
plusBase(1)`,
			want: "101\n",
		},
		{
			desc: "a function that uses a variable the cell defines comes right after it",
			src:  "k := 3\nfmt.Println(times(2))\nfunc times(n int) int { return k * n }",
			want: "6\n",
		},
		{
			desc: "the final expression may be followed by declarations",
			src:  "times(5)\nfunc unused() {}",
			want: "15\n",
		},
		{
			desc: "type, var, const and statements interleaved",
			src: `type celsius float64
const boiling celsius = 100
var temps []celsius
temps = append(temps, boiling, boiling/2)
func (c celsius) String() string { return fmt.Sprintf("%.1f°C", float64(c)) }
len(temps)`,
			want: "2\n",
		},
		{
			desc: "a pair declared in a loop at the top level (yaegi loses it outside a function)",
			src:  "func pair(n int) (int, int) { return n, 2 * n }\nfor i := 1; i < 3; i++ {\n\ta, b := pair(i)\n\tfmt.Println(a, b)\n}",
			want: "1 2\n2 4\n",
		},
		{
			desc: "a loop changes the session's variables",
			src:  "total := 0\nfor _, v := range []int{1, 2, 3} {\n\ttotal += v\n}\nif total > 5 {\n\ttotal *= 10\n}\ntotal",
			want: "60\n",
		},
		{desc: "a method declared in an earlier cell", src: "fmt.Println(temps[1].String())", want: "50.0°C\n"},
		{desc: "an import inside a cell", src: "import \"sort\"\nys := []int{3, 1, 2}\nsort.Ints(ys)\nys", want: "[1 2 3]\n"},
		{desc: "importing a prelude package again is harmless", src: "import \"fmt\"\nimport \"math\"\nmath.Sqrt(16)", want: "4\n"},
		{desc: "a prelude package under rand", src: "rand.New(rand.NewPCG(1, 1)).IntN(1000) >= 0", want: "true\n"},
		{desc: "a call with no results shows nothing", src: "func nothing() {}\nnothing()", want: ""},
		{desc: "a nil from a call shows nothing", src: "func fine() error { return nil }\nfine()", want: ""},
		{desc: "a nil variable shows <nil>", src: "var e error\ne", want: "<nil>\n"},
		{desc: "redeclaring with another type", src: "x := \"seven\"\nx", want: "\"seven\"\n"},
		{desc: "a variable may take a package's name", src: "data := []int{1}\nlen(data)", want: "1\n"},
		{
			desc: "a whole program",
			src:  "package main\n\nimport \"fmt\"\n\nfunc main() {\n\tfmt.Println(\"from main\")\n}\n",
			want: "from main\n",
		},
	})
}

func TestEvalErrors(t *testing.T) {
	s, r := newSession(t)
	runTable(t, s, r, []evalTest{
		{desc: "state before the errors", src: "n := 3", want: ""},
		{desc: "undefined identifier (yaegi: constant definition loop)", src: "a := b + 1", err: "1:6: undefined: b"},
		{desc: "undefined in a later line", src: "y := 1\nfmt.Println(nope)", err: "2:13: undefined: nope"},
		{desc: "undefined in a function body", src: "x := 1\nfunc f() int {\n\treturn missing\n}", err: "3:9: undefined: missing"},
		{desc: "syntax error at the cell's position", src: "z := 1\nz := := 2", err: "2:6: syntax error"},
		{desc: "type error", src: `s := "a" + 1`, err: "1:6: invalid operation"},
		{desc: "the session survives", src: "n", want: "3\n"},
		{desc: "nothing of a cell that does not compile runs", src: "fmt.Println(\"ran\")\nundefinedFunc()", err: "2:1: undefined: undefinedFunc"},
		{desc: "a variable of a cell that did not compile", src: "ghost := 1\nfmt.Println(undefinedThing)", err: "2:13: undefined: undefinedThing"},
		{desc: "stays undefined (yaegi knows it, with a zero value)", src: "ghost + 1", err: "1:1: undefined: ghost"},
		{desc: "until a cell defines it", src: "ghost := 2\nghost", want: "2\n"},
		{desc: "a variable after a panic", src: "before := 1\npanic(\"p\")\nafter := 2", err: "2:1: panic: p"},
		{desc: "is undefined", src: "after", err: "1:1: undefined: after"},
		{desc: "the one before it is defined", src: "before", want: "1\n"},
		{desc: "panic", src: `panic("boom")`, err: "1:1: panic: boom"},
		{desc: "panic on the second line", src: "n++\npanic(fmt.Sprint(\"n is \", n))", err: "2:1: panic: n is 4"},
		{desc: "what ran before a panic stays done", src: "n", want: "4\n"},
		{desc: "panic in a function is placed at the statement that panicked", src: "func bad() {\n\tfmt.Print()\n\tpanic(\"bad\")\n}\nbad()", err: "3:2: panic: bad"},
		{desc: "panic inside a loop is placed inside the loop", src: "for i := 0; i < 3; i++ {\n\tif i == 2 {\n\t\tpanic(i)\n\t}\n}", err: "3:3: panic: 2"},
		{desc: "an index out of range", src: "func index() {\n\tvar s []int\n\ts[3] = 1\n}\nindex()", err: "panic: reflect: slice index out of range"},
		{desc: "panic in a function of an earlier cell is placed at the call", src: "n = 1\nbad()", err: "2:1: panic: bad"},
		{desc: "a shape mismatch in the library", src: "a := mat.NewDense(2, 3, nil)\na.Mul(a, a)", err: "2:1: panic: mat: dimension mismatch"},
		{desc: "os.Exit does not end the session", src: "os.Exit(3)", err: "panic: os.Exit(3)"},
		{desc: "min is missing from yaegi", src: "min(1, 2)", err: "1:1: min: this builtin is missing"},
		{desc: "range over an integer is missing from yaegi", src: "k := 3\nfor i := range k {\n\tfmt.Println(i)\n}", err: "2:1: range over an integer or a function is missing"},
		{desc: "an undefined package", src: "nopkg.Do()", err: "1:1: undefined: nopkg"},
		{desc: "an unknown package", src: "import \"net/nothere\"", err: `1:8: import "net/nothere": the interpreter does not have this package`},
		{desc: "a name taken by a prelude package", src: "import \"crypto/rand\"", err: `rand already names "math/rand/v2"`},
		{desc: "another name works", src: "import crand \"crypto/rand\"\nb := make([]byte, 4)\n_, err := crand.Read(b)\nerr == nil", want: "true\n"},
		{desc: "the session survives them all", src: "n + 1", want: "2\n"},
	})
}

func TestErrorKinds(t *testing.T) {
	s, _ := newSession(t)
	for _, tt := range []struct{ src, kind string }{
		{"x := := 1", "syntax"},
		{"undefinedThing", "compile"},
		{`panic("p")`, "panic"},
	} {
		_, err := s.Eval(context.Background(), tt.src)
		var e *eval.Error
		if !errors.As(err, &e) || e.Kind != tt.kind {
			t.Errorf("%q: got %#v, want kind %s", tt.src, err, tt.kind)
		}
	}
}

// TestOutputOrder interleaves writes of interpreted code (fmt.Print inside
// the interpreter) and of compiled code (testlib.Print calls fmt.Print from
// compiled Go, which writes to file descriptor 1 directly).
func TestOutputOrder(t *testing.T) {
	s, r := newSession(t)
	src := `import "example.com/testlib"
for i := 0; i < 3; i++ {
	fmt.Print("interpreted ", i, "\n")
	testlib.Print(fmt.Sprint("compiled ", i, "\n"))
}
testlib.Eprint("to stderr\n")
os.Stdout.WriteString("os.Stdout\n")
fmt.Println("last")`
	if _, err := s.Eval(context.Background(), src); err != nil {
		t.Fatal(err)
	}
	events := r.take()
	var out, errs strings.Builder
	for _, e := range events {
		if s, ok := strings.CutPrefix(e, "out:"); ok {
			out.WriteString(s)
		} else if s, ok := strings.CutPrefix(e, "err:"); ok {
			errs.WriteString(s)
		}
	}
	want := "interpreted 0\ncompiled 0\ninterpreted 1\ncompiled 1\ninterpreted 2\ncompiled 2\nos.Stdout\nlast\n"
	if out.String() != want {
		t.Errorf("stdout: got %q, want %q", out.String(), want)
	}
	if errs.String() != "to stderr\n" {
		t.Errorf("stderr: got %q", errs.String())
	}
}

// TestDisplay checks rich values and that display outputs arrive in order
// with the text around them.
func TestDisplay(t *testing.T) {
	s, r := newSession(t)
	if _, err := s.Eval(context.Background(), `import "example.com/testlib"
fmt.Println("before")
display.Text("shown")
h := display.Show(1)
fmt.Println("between")
h.Update(2)
testlib.Print("after\n")`); err != nil {
		t.Fatal(err)
	}
	got := strings.Join(r.take(), "|")
	want := "out:before\n|display:shown|display:1|out:between\n|update:2|out:after\n"
	if got != want {
		t.Errorf("events:\ngot  %q\nwant %q", got, want)
	}

	res, err := s.Eval(context.Background(), "testlib.NewPic()")
	if err != nil {
		t.Fatal(err)
	}
	if string(res.Value[display.MIMEPNG]) != "\x89PNG fake" || string(res.Value[display.MIMEHTML]) != "<b>pic</b>" || string(res.Value[display.MIMEText]) != "a picture" {
		t.Errorf("rich value: got %v", res.Value)
	}
	if res.Type != "*eval_test.pic" {
		t.Errorf("type: got %q", res.Type)
	}
	res, err = s.Eval(context.Background(), "testlib.NewNote()")
	if err != nil || string(res.Value[display.MIMEMarkdown]) != "*hi*" {
		t.Errorf("markdown value: got %v, %v", res.Value, err)
	}
}

// interruptAfter returns a context cancelled after d.
func interruptAfter(d time.Duration) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(d, cancel)
	return ctx, cancel
}

func TestInterruptLoop(t *testing.T) {
	s, r := newSession(t)
	runTable(t, s, r, []evalTest{{desc: "state", src: "kept := 42", want: ""}})
	ctx, cancel := interruptAfter(100 * time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := s.Eval(ctx, "for {}")
	if el := time.Since(start); el > time.Second {
		t.Errorf("Eval returned %v after the interrupt", el-100*time.Millisecond)
	}
	var e *eval.Error
	if !errors.As(err, &e) || e.Kind != "interrupt" || !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v, want an interrupt", err)
	}
	if e.Line != 1 || e.Col != 1 || !strings.Contains(e.Msg, "stopped the cell at this statement") || !strings.Contains(e.Msg, "keeps its state") {
		t.Errorf("got %q at %d:%d, want the stopped statement at 1:1 and that the state is kept", e.Msg, e.Line, e.Col)
	}
	runTable(t, s, r, []evalTest{{desc: "the session survives the interrupt", src: "kept", want: "42\n"}})

	// A loop in a function of an earlier cell, called on line 2.
	runTable(t, s, r, []evalTest{{desc: "a function", src: "func spin() {\n\tfor {\n\t}\n}", want: ""}})
	ctx, cancel = interruptAfter(100 * time.Millisecond)
	defer cancel()
	_, err = s.Eval(ctx, "kept++\nspin()")
	if !errors.As(err, &e) || e.Kind != "interrupt" || e.Line != 2 {
		t.Fatalf("got %v, want an interrupt at line 2", err)
	}
	runTable(t, s, r, []evalTest{{desc: "what ran before the interrupt is kept", src: "kept", want: "43\n"}})
}

// TestInterruptCompiledCall interrupts a compiled call that takes no
// context (time.Sleep): Eval returns, saying the call still runs; the next
// cell waits for it, and refuses to run while it does; once it has
// returned, cells run again.
func TestInterruptCompiledCall(t *testing.T) {
	defer eval.SetWaits(100*time.Millisecond, 200*time.Millisecond)()
	s, r := newSession(t)
	ctx, cancel := interruptAfter(50 * time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := s.Eval(ctx, "x := 1\ntime.Sleep(1500 * time.Millisecond)\nx = 2")
	if el := time.Since(start); el > time.Second {
		t.Errorf("Eval returned after %v", el)
	}
	var e *eval.Error
	if !errors.As(err, &e) || e.Kind != "interrupt" || e.Line != 2 || !strings.Contains(e.Msg, "still running") {
		t.Fatalf("got %v, want an interrupt at line 2 that says the call is still running", err)
	}
	_, err = s.Eval(context.Background(), "1 + 1")
	if !errors.As(err, &e) || e.Kind != "busy" || !strings.Contains(e.Msg, "did not run") {
		t.Fatalf("got %v, want the next cell refused while the call runs", err)
	}
	time.Sleep(time.Until(start.Add(1600 * time.Millisecond)))
	runTable(t, s, r, []evalTest{
		{desc: "cells run once the call has returned", src: "x", want: "1\n"},
	})
}

// TestInterruptTraining stops a library training loop, charrnn's
// Trainer.Run, through cell.Context(): compiled code that yaegi alone
// could not stop.
func TestInterruptTraining(t *testing.T) {
	s, r := newSession(t)
	runTable(t, s, r, []evalTest{{desc: "a small model", src: `
text := strings.Repeat("hello world, hello seq2go. ", 200)
v := data.NewCharVocab(text)
ids, _ := v.Encode(text)
cfg := charrnn.MinCharRNN()
cfg.Hidden = 16
m, _ := charrnn.New(cfg, v, rand.New(rand.NewPCG(1, 1)))
tr, err := charrnn.NewTrainer(m, ids, ids)
err`, want: "<nil>\n"}})

	ctx, cancel := interruptAfter(300 * time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := s.Eval(ctx, "err = tr.Run(cell.Context(), 1<<40, nil)\nfmt.Println(\"not reached\")")
	if el := time.Since(start); el > 1300*time.Millisecond {
		t.Errorf("Eval took %v; the interrupt came at 300ms", el)
	}
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v, want an interrupt", err)
	}
	time.Sleep(50 * time.Millisecond) // Run returns after its current step
	runTable(t, s, r, []evalTest{
		{desc: "context is not in the prelude", src: "tr.Step > 0 && err == context.Canceled", err: "undefined: context"},
	})
	runTable(t, s, r, []evalTest{
		{desc: "Run returned the context's error", src: "import \"context\"\ntr.Step > 0 && err == context.Canceled", want: "true\n"},
		{desc: "a fresh context serves the next cell", src: "cell.Context().Err() == nil", want: "true\n"},
	})
}

func TestIsComplete(t *testing.T) {
	for _, tt := range []struct {
		src, status, indent string
	}{
		{"", "complete", ""},
		{"x := 1", "complete", ""},
		{"func f() {", "incomplete", "\t"},
		{"for i := 0; i < 3; i++ {\n\tif i > 1 {", "incomplete", "\t\t"},
		{"fmt.Println(1,", "incomplete", "\t"},
		{"x := 1 +", "incomplete", ""},
		{"s := `raw", "incomplete", ""},
		{"/* comment", "incomplete", ""},
		{"x := )", "invalid", ""},
		{"x = = 1", "invalid", ""},
		{"}", "invalid", ""},
		{`s := "unterminated`, "invalid", ""},
		{"type T struct {\n\tA int\n}", "complete", ""},
	} {
		status, indent := eval.IsComplete(tt.src)
		if status != tt.status || indent != tt.indent {
			t.Errorf("IsComplete(%q) = %q, %q; want %q, %q", tt.src, status, indent, tt.status, tt.indent)
		}
	}
}

func TestComplete(t *testing.T) {
	s, r := newSession(t)
	runTable(t, s, r, []evalTest{{desc: "state", src: `
layer := nn.NewLinear(rand.New(rand.NewPCG(1, 1)), 3, 2)
dense := mat.NewDense(2, 2, nil)
type pt struct{ Xcoord, Ycoord int }
func (p pt) Norm1() int { return p.Xcoord + p.Ycoord }
here := pt{1, 2}
café := 1`}})
	for _, tt := range []struct {
		src        string
		cursor     int // -1: end of src
		has        []string
		start, end int
	}{
		{"nn.Lin", -1, []string{"Linear"}, 3, 6},
		{"mat.NewD", -1, []string{"NewDense", "NewDiagDense"}, 4, 8},
		{"x := mat.NewD", -1, []string{"NewDense"}, 9, 13},
		{"layer.", -1, []string{"Forward", "Backward", "W", "B"}, 6, 6},
		{"layer.W.", -1, []string{"Value", "Grad"}, 8, 8},
		{"dense.Mu", -1, []string{"Mul", "MulElem"}, 6, 8},
		{"here.X", -1, []string{"Xcoord"}, 5, 6},
		{"here.", -1, []string{"Xcoord", "Ycoord", "Norm1"}, 5, 5},
		{"fm", -1, []string{"fmt"}, 0, 2},
		{"lay", -1, []string{"layer"}, 0, 3},
		{"fu", -1, []string{"func"}, 0, 2},
		{"caf", -1, []string{"café"}, 0, 3},
		{"café + la", -1, []string{"layer"}, 7, 9}, // rune offsets: "café + " is 7 runes, 8 bytes
		{"os.Stdout.Wri", -1, []string{"Write", "WriteString"}, 10, 13},
		{"nn.Lin(x)", 6, []string{"Linear"}, 3, 6},
		{"cell.", -1, []string{"Context"}, 5, 5},
	} {
		cursor := tt.cursor
		if cursor < 0 {
			cursor = len([]rune(tt.src))
		}
		got, start, end := s.Complete(tt.src, cursor)
		for _, h := range tt.has {
			if !slicesContains(got, h) {
				t.Errorf("Complete(%q, %d) = %v: lacks %q", tt.src, cursor, got, h)
			}
		}
		if start != tt.start || end != tt.end {
			t.Errorf("Complete(%q, %d): range [%d, %d), want [%d, %d)", tt.src, cursor, start, end, tt.start, tt.end)
		}
	}
	if got, _, _ := s.Complete("__", 2); len(got) != 0 {
		t.Errorf("hidden names completed: %v", got)
	}
}

func slicesContains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func TestInspect(t *testing.T) {
	s, r := newSession(t)
	runTable(t, s, r, []evalTest{{desc: "state", src: `
layer := nn.NewLinear(rand.New(rand.NewPCG(1, 1)), 3, 2)
func square(x float64) float64 { return x * x }`}})
	for _, tt := range []struct {
		src    string
		cursor int // -1: end of src
		has    string
	}{
		{"nn.Linear", -1, "type Linear struct"},
		{"nn.Linear", 4, "Linear is the affine layer"},
		{"mat.NewDense(", -1, "func NewDense(r, c int, data []float64) *Dense"},
		{"y := layer.Forward(x)", 13, "func (l *Linear) Forward(x *mat.Dense) *mat.Dense"},
		{"layer", -1, "var layer *nn.Linear"},
		{"layer.W", -1, "field W *Param"},
		{"square", -1, "func square(x float64) float64"},
		{"mat", -1, `package mat // import "gonum.org/v1/gonum/mat"`},
		{"strings.Fields", -1, "func Fields(s string) []string"},
		{"cell.Context", -1, "interrupt context"},
	} {
		cursor := tt.cursor
		if cursor < 0 {
			cursor = len([]rune(tt.src))
		}
		doc, found := s.Inspect(tt.src, cursor)
		if !found || !strings.Contains(doc, tt.has) {
			t.Errorf("Inspect(%q, %d) = %q, %v; want it to contain %q", tt.src, cursor, doc, found, tt.has)
		}
	}
	if _, found := s.Inspect("  ", 1); found {
		t.Errorf("Inspect found something in white space")
	}
}

func TestVarsAndSource(t *testing.T) {
	s, r := newSession(t)
	runTable(t, s, r, []evalTest{
		{desc: "a", src: "a := 1\nm := mat.NewDense(1, 1, nil)", want: ""},
		{desc: "an error is not saved", src: "undefinedThing", err: "undefined"},
		{desc: "b", src: "var b error", want: ""},
	})
	got := fmt.Sprint(s.Vars())
	if want := "[{a int} {b error} {m *mat.Dense}]"; got != want {
		t.Errorf("Vars: got %s, want %s", got, want)
	}
	src := s.Source()
	if !strings.Contains(src, "a := 1") || !strings.Contains(src, "var b error") || strings.Contains(src, "undefinedThing") {
		t.Errorf("Source:\n%s", src)
	}
	// The saved source runs in a fresh session.
	s2, _ := newSession(t)
	if _, err := s2.Eval(context.Background(), src); err != nil {
		t.Errorf("the saved source fails: %v", err)
	}
}

func TestSessionsInParallel(t *testing.T) {
	var wg sync.WaitGroup
	for i := 0; i < 3; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var out bytes.Buffer
			var mu sync.Mutex
			s, err := eval.New(eval.Options{Stdout: lockedWriter{&mu, &out}, Stderr: lockedWriter{&mu, &out}})
			if err != nil {
				t.Error(err)
				return
			}
			defer s.Close()
			for j := 0; j < 5; j++ {
				if _, err := s.Eval(context.Background(), fmt.Sprintf("fmt.Println(%d)", i)); err != nil {
					t.Error(err)
				}
			}
			mu.Lock()
			defer mu.Unlock()
			if want := strings.Repeat(fmt.Sprintf("%d\n", i), 5); out.String() != want {
				t.Errorf("session %d got %q", i, out.String())
			}
		}()
	}
	wg.Wait()
}

type lockedWriter struct {
	mu *sync.Mutex
	w  *bytes.Buffer
}

func (l lockedWriter) Write(b []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(b)
}

// TestPanicStack checks where a panic is placed: at the statement that
// panicked, in the cell that holds it, with one frame for each call of
// interpreted code it unwound.
func TestPanicStack(t *testing.T) {
	s, _ := newSession(t)
	type frame struct {
		fn        string
		line, col int
		earlier   bool
		code      string
	}
	for _, tt := range []struct {
		desc, src string
		at        string // Line:Col of the error
		frames    []frame
	}{
		{
			desc: "a panic in a function called by another",
			src:  "func f(x int) int {\n\tif x > 1 {\n\t\tpanic(\"boom\")\n\t}\n\treturn x\n}\nfunc g() {\n\tf(3)\n}\ng()",
			at:   "3:3",
			frames: []frame{
				{"f", 3, 3, false, "\t\tpanic(\"boom\")"},
				{"g", 8, 2, false, "\tf(3)"},
				{"", 10, 1, false, "g()"},
			},
		},
		{
			desc: "functions of an earlier cell: the error is at this cell's call",
			src:  "n := 0\ng()",
			at:   "2:1",
			frames: []frame{
				{"f", 3, 3, true, "\t\tpanic(\"boom\")"},
				{"g", 8, 2, true, "\tf(3)"},
				{"", 2, 1, false, "g()"},
			},
		},
		{
			desc:   "a method",
			src:    "type T struct{}\nfunc (T) at(a []int) int {\n\treturn a[5]\n}\nvar t T\nt.at(nil)",
			at:     "3:2",
			frames: []frame{{"at", 3, 2, false, "\treturn a[5]"}, {"", 6, 1, false, "t.at(nil)"}},
		},
		{
			desc:   "a closure called by the library",
			src:    "import \"sort\"\nxs := []int{3, 1, 2}\nsort.Slice(xs, func(i, j int) bool {\n\tpanic(\"in less\")\n})",
			at:     "4:2",
			frames: []frame{{"", 4, 2, false, "\tpanic(\"in less\")"}, {"", 3, 1, false, "sort.Slice(xs, func(i, j int) bool {"}},
		},
		{
			desc:   "the library, called from a loop",
			src:    "for i := 0; i < 2; i++ {\n\tm := mat.NewDense(2, 3, nil)\n\tm.Mul(m, m)\n}",
			at:     "3:2",
			frames: []frame{{"", 3, 2, false, "\tm.Mul(m, m)"}, {"", 1, 1, false, "for i := 0; i < 2; i++ {"}},
		},
		{
			desc:   "a case of a switch in a loop",
			src:    "for i := 0; i < 2; i++ {\n\tswitch i {\n\tcase 1:\n\t\tpanic(\"one\")\n\t}\n}",
			at:     "4:3",
			frames: []frame{{"", 4, 3, false, "\t\tpanic(\"one\")"}, {"", 1, 1, false, "for i := 0; i < 2; i++ {"}},
		},
		{
			desc:   "a select's case in a function",
			src:    "func pick(c chan int) {\n\tselect {\n\tcase v := <-c:\n\t\tpanic(v)\n\t}\n}\nc := make(chan int, 1)\nc <- 7\npick(c)",
			at:     "4:3",
			frames: []frame{{"pick", 4, 3, false, "\t\tpanic(v)"}, {"", 9, 1, false, "pick(c)"}},
		},
	} {
		_, err := s.Eval(context.Background(), tt.src)
		var e *eval.Error
		if !errors.As(err, &e) || e.Kind != "panic" {
			t.Errorf("%s: got %v, want a panic", tt.desc, err)
			continue
		}
		if at := fmt.Sprintf("%d:%d", e.Line, e.Col); at != tt.at {
			t.Errorf("%s: at %s, want %s", tt.desc, at, tt.at)
		}
		var got []frame
		for _, f := range e.Stack {
			got = append(got, frame{f.Func, f.Line, f.Col, f.Earlier, f.Code})
		}
		if !reflect.DeepEqual(got, tt.frames) {
			t.Errorf("%s: stack\n%+v\nwant\n%+v", tt.desc, got, tt.frames)
		}
	}
}
