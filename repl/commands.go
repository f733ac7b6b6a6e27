package repl

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/seq2go/seq2go/internal/tutorial"
)

const help = `Type Go: declarations and statements in any order. The value of a final
expression is shown. The prelude imports fmt, math, strings, time, bytes, os,
image, png, rand (math/rand/v2), mat (gonum) and every lib package (nn,
optim, gradcheck, charrnn, data, datasets, checkpoint, display, plot, ...);
import anything else from the standard library (Go 1.22), gonum floats and
stat, gonum/plot. Long library loops take cell.Context(), which Ctrl-C
cancels: tr.Run(cell.Context(), 2000, nil).

  :help            this text
  :doc SYMBOL      documentation: :doc nn.Linear, :doc mat.Dense.Mul, :doc x
  :type EXPR       the type of an expression (it is evaluated)
  :vars            the session's variables and their types
  :load FILE.go    run a file as one cell
  :save FILE.go    write the cells that ran without error to a file
  :reset           start a fresh session
  :time STMT       run a cell and print how long it took
  :tutorial [N]    list the tutorials, or walk chapter N cell by cell
  :quit            quit (Ctrl-D does too)

Tab completes (pkg. members, v. fields and methods, names). Ctrl-C stops a
running cell, or clears the line. Rich values are written to files; their
paths are printed.
`

// command runs a REPL command line (":name args"), asking questions
// through ask (nil: none, run straight through). It reports whether the REPL
// should quit.
func (r *repl) command(line string, ask func(string) (string, error)) (quit bool) {
	name, arg, _ := strings.Cut(strings.TrimPrefix(line, ":"), " ")
	arg = strings.TrimSpace(arg)
	switch name {
	case "help", "h", "?":
		fmt.Fprint(r.out, help)
	case "quit", "q", "exit":
		return true
	case "doc":
		if arg == "" {
			fmt.Fprintln(r.errw, "usage: :doc SYMBOL")
			return false
		}
		if doc, ok := r.s.Inspect(arg, utf8.RuneCountInString(arg)); ok {
			fmt.Fprint(r.out, withNewline(doc))
		} else {
			fmt.Fprintf(r.errw, "no documentation for %s\n", arg)
		}
	case "type":
		if arg == "" {
			fmt.Fprintln(r.errw, "usage: :type EXPR")
			return false
		}
		typ, err := r.s.TypeOf(context.Background(), arg)
		r.sink.endCell()
		switch {
		case err != nil:
			r.showError(arg, err)
		case typ == "":
			fmt.Fprintln(r.out, "(no value)")
		default:
			fmt.Fprintln(r.out, typ)
		}
	case "vars":
		vars := r.s.Vars()
		if len(vars) == 0 {
			fmt.Fprintln(r.out, "(no variables)")
		}
		width := 0
		for _, v := range vars {
			width = max(width, utf8.RuneCountInString(v.Name))
		}
		for _, v := range vars {
			fmt.Fprintf(r.out, "%-*s  %s\n", width, v.Name, v.Type)
		}
	case "load":
		src, err := os.ReadFile(arg)
		if err != nil {
			fmt.Fprintln(r.errw, err)
			return false
		}
		r.run(string(src))
	case "save":
		if arg == "" {
			fmt.Fprintln(r.errw, "usage: :save FILE.go")
			return false
		}
		if err := os.WriteFile(arg, []byte(r.s.Source()), 0o644); err != nil {
			fmt.Fprintln(r.errw, err)
			return false
		}
		fmt.Fprintf(r.out, "saved to %s\n", arg)
	case "reset":
		if err := r.reset(); err != nil {
			fmt.Fprintln(r.errw, err)
			return true
		}
		fmt.Fprintln(r.out, "a fresh session")
	case "time":
		start := time.Now()
		if err := r.run(arg); err == nil {
			fmt.Fprintf(r.out, "time: %v\n", time.Since(start).Round(time.Microsecond))
		}
	case "tutorial", "tutorials":
		r.tutorial(arg, ask)
	default:
		fmt.Fprintf(r.errw, "unknown command :%s (:help lists them)\n", name)
	}
	return false
}

// tutorial lists the chapters, or walks chapter arg in the current session:
// each prose part, then each code cell shown before it runs. With ask, the
// user runs, skips or stops at each cell.
func (r *repl) tutorial(arg string, ask func(string) (string, error)) {
	fsys := r.opt.Tutorials
	if fsys == nil {
		fmt.Fprintln(r.errw, "no tutorials here: run seq2go from its source tree, where tutorials/ is")
		return
	}
	if arg == "" {
		names, err := tutorial.List(fsys)
		if err != nil || len(names) == 0 {
			fmt.Fprintln(r.errw, "no tutorial chapters found", err)
			return
		}
		fmt.Fprintln(r.out, "Tutorials (:tutorial N walks chapter N):")
		for _, n := range names {
			ch, err := tutorial.Load(fsys, n)
			if err != nil {
				fmt.Fprintln(r.errw, err)
				continue
			}
			fmt.Fprintf(r.out, "  %2d  %s\n", ch.Number, ch.Title)
		}
		return
	}
	n, err := strconv.Atoi(arg)
	if err != nil {
		fmt.Fprintf(r.errw, "usage: :tutorial [N], not %q\n", arg)
		return
	}
	ch, err := tutorial.Find(fsys, n)
	if err != nil {
		fmt.Fprintln(r.errw, err)
		return
	}
	r.walk(ch, ask)
}

// walk shows and runs a chapter's cells.
func (r *repl) walk(ch *tutorial.Chapter, ask func(string) (string, error)) error {
	code := len(ch.Code())
	i := 0
	for _, c := range ch.Cells {
		if c.Kind == tutorial.Markdown {
			fmt.Fprintf(r.out, "\n%s", c.Text)
			continue
		}
		i++
		fmt.Fprintf(r.out, "\n── cell %d of %d ──\n", i, code)
		for _, line := range strings.Split(strings.TrimSuffix(c.Text, "\n"), "\n") {
			fmt.Fprintf(r.out, "%s%s\n", prompt, line)
		}
		if ask != nil {
			a, err := ask("[Enter] run · s skip · q stop: ")
			if err != nil {
				return err
			}
			switch strings.TrimSpace(strings.ToLower(a)) {
			case "q", "quit", "stop":
				fmt.Fprintln(r.out, "stopped; the session keeps what ran.")
				return nil
			case "s", "skip":
				continue
			}
		}
		if err := r.run(c.Text); err != nil {
			return err
		}
	}
	fmt.Fprintf(r.out, "\nEnd of chapter %d. The session keeps its variables: go on from here.\n", ch.Number)
	return nil
}
