package repl

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/seq2go/seq2go/lib/display"
)

// pipe runs input through Pipe and returns stdout, stderr and the error.
func pipe(t *testing.T, input string, opt Options) (string, string, error) {
	t.Helper()
	var out, errw bytes.Buffer
	opt.In, opt.Out, opt.Err = strings.NewReader(input), &out, &errw
	if opt.OutDir == "" {
		opt.OutDir = t.TempDir()
	}
	err := Pipe(opt)
	return out.String(), errw.String(), err
}

func TestPipe(t *testing.T) {
	out, errs, err := pipe(t, `x := 21
x * 2
func half(n int) int {
	return n / 2
}
half(x)
:vars
fmt.Println("done")
`, Options{})
	if err != nil {
		t.Fatalf("%v\n%s", err, errs)
	}
	if want := "42\n10\nx  int\ndone\n"; out != want {
		t.Errorf("got %q, want %q", out, want)
	}
}

func TestPipeStopsAtTheFirstError(t *testing.T) {
	out, errs, err := pipe(t, "fmt.Println(1)\n\nnope + 1\nfmt.Println(2)\n", Options{})
	var exit *ExitError
	if !errors.As(err, &exit) || exit.Code != 1 {
		t.Errorf("got %v, want exit status 1", err)
	}
	if out != "1\n" || errs != "stdin:3:1: undefined: nope\n" {
		t.Errorf("got stdout %q, stderr %q", out, errs)
	}
}

func TestFile(t *testing.T) {
	dir := t.TempDir()
	script := filepath.Join(dir, "script.go")
	os.WriteFile(script, []byte("fmt.Println(square(4))\nfunc square(x int) int { return x * x }\nos.Exit(3)\n"), 0o644)
	var out, errw bytes.Buffer
	err := File(script, Options{Out: &out, Err: &errw, OutDir: dir})
	var exit *ExitError
	if !errors.As(err, &exit) || exit.Code != 3 || out.String() != "16\n" {
		t.Errorf("script: got %v, stdout %q, stderr %q", err, out.String(), errw.String())
	}

	prog := filepath.Join(dir, "prog.go")
	os.WriteFile(prog, []byte("package main\n\nimport \"fmt\"\n\nfunc main() {\n\tfmt.Println(\"main ran\")\n\tpanic(\"oops\")\n}\n"), 0o644)
	out.Reset()
	errw.Reset()
	err = File(prog, Options{Out: &out, Err: &errw, OutDir: dir})
	if !errors.As(err, &exit) || exit.Code != 1 || out.String() != "main ran\n" || errw.String() != prog+":7:2: panic: oops\n" {
		t.Errorf("program: got %v, stdout %q, stderr %q", err, out.String(), errw.String())
	}
}

func TestCommands(t *testing.T) {
	dir := t.TempDir()
	saved := filepath.Join(dir, "saved.go")
	out, errs, err := pipe(t, `a := 1
:type float64(a) * 2.5
:doc mat.NewDense
:save `+saved+`
:reset
:vars
:load `+saved+`
:vars
:time a++
:nothing
`, Options{OutDir: dir})
	if err != nil {
		t.Fatalf("%v\n%s", err, errs)
	}
	for _, want := range []string{
		"float64\n",
		"func NewDense(r, c int, data []float64) *Dense",
		"saved to " + saved,
		"a fresh session\n(no variables)\na  int\n",
		"time: ",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if !strings.Contains(errs, "unknown command :nothing") {
		t.Errorf("stderr: %s", errs)
	}
}

func TestRichOutput(t *testing.T) {
	dir := t.TempDir()
	s := newTermSink(&bytes.Buffer{}, dir, false, nil)
	var buf bytes.Buffer
	s.w.w = &buf
	s.show(display.Bundle{display.MIMEPNG: []byte("not really a png"), display.MIMEText: []byte("fig")}, "", false)
	path := filepath.Join(dir, "out-1.png")
	if got := buf.String(); got != "[image: "+path+"]\nfig\n" {
		t.Errorf("got %q", got)
	}
	if b, err := os.ReadFile(path); err != nil || string(b) != "not really a png" {
		t.Errorf("file: %q %v", b, err)
	}

	// Off a terminal, updates of an output come at most once a second, and
	// the last one when the cell ends.
	buf.Reset()
	for i := 0; i < 5; i++ {
		s.show(display.Bundle{display.MIMEText: []byte{'0' + byte(i)}}, "id", i > 0)
	}
	s.endCell()
	if got := buf.String(); got != "0\n4\n" {
		t.Errorf("updates: got %q", got)
	}

	// On a terminal, an update of the last output is redrawn in place.
	buf.Reset()
	s.term = true
	s.show(display.Bundle{display.MIMEText: []byte("step 1")}, "p", false)
	s.show(display.Bundle{display.MIMEText: []byte("step 2")}, "p", true)
	if got := buf.String(); got != "step 1\n\x1b[1A\r\x1b[Jstep 2\n" {
		t.Errorf("redraw: got %q", got)
	}
}

func TestTutorial(t *testing.T) {
	fsys := fstest.MapFS{"01-one.md": {Data: []byte("# 01 — One\n\nProse.\n\n```go\nx := 2\nx * 3\n```\n")}}
	var out, errw bytes.Buffer
	if err := Tutorial(1, Options{Out: &out, Err: &errw, Tutorials: fsys, OutDir: t.TempDir()}); err != nil {
		t.Fatal(err, errw.String())
	}
	for _, want := range []string{"Prose.", "── cell 1 of 1 ──\n>>> x := 2\n>>> x * 3\n6\n", "End of chapter 1"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("lacks %q:\n%s", want, out.String())
		}
	}
	out.Reset()
	_, _, err := pipe(t, ":tutorial\n", Options{Tutorials: fsys})
	if err != nil {
		t.Fatal(err)
	}
}
