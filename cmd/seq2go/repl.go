package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"io"
	"os"

	"github.com/chzyer/readline"
	"github.com/seq2go/seq2go/repl"
	"github.com/seq2go/seq2go/tutorials"
)

func init() {
	commands["repl"] = command{"the Go REPL with the library loaded (the default: seq2go with no arguments)", runREPL}
	commands["run"] = command{"evaluate a Go file: a script of cells, or a package main (FILE.go)", runScript}
}

// runREPL is `seq2go repl`, and `seq2go` alone. On a terminal it is the
// interactive REPL. Otherwise it evaluates its input as the prompt would
// (echo 'x := 2; x * 21' | seq2go), and with no input at all it runs the
// first tutorial chapter through, so that `seq2go` in a pipeline or a CI
// log shows what the REPL is about. Input is read as it comes: a cell runs
// as soon as its lines are complete.
func runREPL(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("repl", stderr)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	opt := replOptions(stdout, stderr)
	if isTTY(os.Stdin) && isTTY(os.Stdout) {
		return replStatus(repl.Interactive(opt))
	}
	in := bufio.NewReader(os.Stdin)
	if !isTTY(os.Stdin) {
		// Wait for the first byte: none at all means no input.
		if _, err := in.Peek(1); err == io.EOF {
			return replStatus(repl.Tutorial(1, opt))
		}
	}
	opt.In = in
	return replStatus(repl.Pipe(opt))
}

// runScript is `seq2go run FILE.go`.
func runScript(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("run", stderr)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return usageError{err.Error()}
	}
	if fs.NArg() != 1 {
		return usageError{"run: want one file: seq2go run FILE.go"}
	}
	return replStatus(repl.File(fs.Arg(0), replOptions(stdout, stderr)))
}

// replOptions passes the command's outputs on, except the process's own
// stdout and stderr, which the REPL duplicates itself (see repl.Options),
// and the tutorials embedded in the binary.
func replOptions(stdout, stderr io.Writer) repl.Options {
	opt := repl.Options{Tutorials: tutorials.FS}
	if stdout != io.Writer(os.Stdout) {
		opt.Out = stdout
	}
	if stderr != io.Writer(os.Stderr) {
		opt.Err = stderr
	}
	return opt
}

// replStatus maps the REPL's errors to the command's: the script's exit
// status, Ctrl-C.
func replStatus(err error) error {
	var exit *repl.ExitError
	switch {
	case err == nil:
		return nil
	case errors.Is(err, context.Canceled):
		return errInterrupted
	case errors.As(err, &exit):
		return exit // main exits with its code; the REPL said why
	}
	return err
}

// isTTY reports whether f is a terminal, as readline sees it.
func isTTY(f *os.File) bool { return readline.IsTerminal(int(f.Fd())) }
