package repl

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"sync"

	"github.com/seq2go/seq2go/internal/eval"
)

// Options configure a REPL. The zero value is the REPL on the process's
// standard streams.
type Options struct {
	// In, Out and Err are the input and the outputs; nil means os.Stdin,
	// os.Stdout and os.Stderr.
	In       io.Reader
	Out, Err io.Writer

	// HistoryFile keeps the lines typed at the prompt across runs; "" means
	// ~/.seq2go_history, "-" none.
	HistoryFile string

	// Tutorials holds the tutorial chapters (NN-name.md); nil means the
	// tutorials directory of the seq2go source tree the working directory
	// is in.
	Tutorials fs.FS

	// OutDir receives the files of rich outputs; "" means a seq2go-PID
	// directory in os.TempDir().
	OutDir string
}

// historyLimit bounds the history file, in lines.
const historyLimit = 1000

// A repl is the state shared by the interactive loop and the
// non-interactive runners: the session and where things go.
type repl struct {
	opt   Options
	s     *eval.Session
	out   io.Writer // the terminal, or Out
	errw  io.Writer
	sink  *termSink
	input func(prompt string) (string, error) // a line for display.Input

	mu     sync.Mutex
	cancel context.CancelFunc // of the running cell, for Ctrl-C
}

// newREPL prepares a session whose outputs go to out and errw.
func newREPL(opt Options, out, errw io.Writer, term bool) (*repl, error) {
	if opt.Tutorials == nil {
		opt.Tutorials = findTutorials()
	}
	if opt.OutDir == "" {
		opt.OutDir = filepath.Join(os.TempDir(), fmt.Sprintf("seq2go-%d", os.Getpid()))
	}
	r := &repl{opt: opt, out: out, errw: errw}
	r.sink = newTermSink(out, opt.OutDir, term, func(p string) (string, error) {
		if r.input == nil {
			return "", io.EOF
		}
		return r.input(p)
	})
	if err := r.reset(); err != nil {
		return nil, err
	}
	return r, nil
}

// reset starts a fresh session.
func (r *repl) reset() error {
	if r.s != nil {
		r.s.Close()
	}
	s, err := eval.New(eval.Options{Stdout: r.sink.w, Stderr: r.sink.counted(r.errw), Display: r.sink})
	if err != nil {
		return err
	}
	r.s = s
	return nil
}

func (r *repl) close() {
	if r.s != nil {
		r.s.Close()
	}
}

// catchInterrupts turns SIGINT into the cancellation of the running cell
// (a cell that is not running ignores it: at the prompt the terminal is raw
// and Ctrl-C reaches readline as a key). The returned function stops it.
func (r *repl) catchInterrupts() func() {
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt)
	done := make(chan struct{})
	go func() {
		for {
			select {
			case <-sig:
				r.mu.Lock()
				if r.cancel != nil {
					r.cancel()
				}
				r.mu.Unlock()
			case <-done:
				return
			}
		}
	}()
	return func() { signal.Stop(sig); close(done) }
}

// run evaluates one cell, shows its value or its error, and returns the
// error.
func (r *repl) run(src string) error {
	ctx, cancel := context.WithCancel(context.Background())
	r.mu.Lock()
	r.cancel = cancel
	r.mu.Unlock()
	res, err := r.s.Eval(ctx, src)
	r.mu.Lock()
	r.cancel = nil
	r.mu.Unlock()
	cancel()
	r.sink.endCell()
	if err != nil {
		r.showError(src, err)
		return err
	}
	if res.Value != nil {
		r.sink.show(res.Value, "", false)
	}
	return nil
}

// showError prints err, and for a positioned error the line of the cell
// with a caret under the column.
func (r *repl) showError(src string, err error) {
	var e *eval.Error
	if errors.As(err, &e) && e.Kind == "interrupt" && r.sink.term {
		fmt.Fprintln(r.errw) // after the ^C the terminal echoed
	}
	if !errors.As(err, &e) || e.Line == 0 {
		fmt.Fprintln(r.errw, err)
		return
	}
	fmt.Fprintln(r.errw, err)
	lines := strings.Split(src, "\n")
	if e.Line > len(lines) {
		return
	}
	line := lines[e.Line-1]
	col := min(e.Col-1, len(line))
	// The caret sits under the column: copy the tabs before it.
	pad := []rune{}
	for _, c := range line[:col] {
		if c == '\t' {
			pad = append(pad, '\t')
		} else {
			pad = append(pad, ' ')
		}
	}
	fmt.Fprintf(r.errw, "    %s\n    %s^\n", line, string(pad))
	// A panic that went through functions: the calls, innermost first.
	if len(e.Stack) > 1 {
		for _, f := range e.Stack {
			fmt.Fprintf(r.errw, "  %s: %s\n", f.Where(), strings.TrimSpace(f.Code))
		}
	}
}

// findTutorials returns the tutorials directory of the source tree the
// working directory is in: ./tutorials, or in a parent that holds go.mod.
func findTutorials() fs.FS {
	dir, err := os.Getwd()
	if err != nil {
		return nil
	}
	for {
		if st, err := os.Stat(filepath.Join(dir, "tutorials")); err == nil && st.IsDir() {
			return os.DirFS(filepath.Join(dir, "tutorials"))
		}
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return nil
		}
		dir = parent
	}
}
