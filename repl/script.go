package repl

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"strconv"
	"strings"

	"github.com/seq2go/seq2go/internal/eval"
	"github.com/seq2go/seq2go/internal/tutorial"
)

// ExitError is a script's exit status other than 0: os.Exit(Code) in the
// script, or 1 after an error.
type ExitError struct{ Code int }

func (e *ExitError) Error() string { return fmt.Sprintf("exit status %d", e.Code) }

// File evaluates the Go file at path as one cell, with its output on
// Options.Out and Err: a script of cells (declarations and statements in
// any order, as :save writes) or a package main program, whose main runs.
// An error is printed as "path:line:col: message" and returned; a call of
// os.Exit(n) returns an *ExitError with n; Ctrl-C interrupts the script
// (the error wraps context.Canceled).
func File(path string, opt Options) error {
	src, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	out, errw := terminalOutputs(opt)
	r, err := newREPL(opt, out, errw, false)
	if err != nil {
		return err
	}
	defer r.close()
	stop := r.catchInterrupts()
	defer stop()
	r.input = lineReader(opt.In)
	return exitStatus(r.runQuiet(path, 1, string(src)))
}

// runQuiet runs src, showing its value, and prints an error as
// "name:line:col: message", where src starts at line first of name.
func (r *repl) runQuiet(name string, first int, src string) error {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	r.mu.Lock()
	r.cancel = cancel
	r.mu.Unlock()
	res, err := r.s.Eval(ctx, src)
	r.mu.Lock()
	r.cancel = nil
	r.mu.Unlock()
	r.sink.endCell()
	if err != nil {
		var e *eval.Error
		if errors.As(err, &e) && e.Line > 0 {
			fmt.Fprintf(r.errw, "%s:%d:%d: %s\n", name, first+e.Line-1, e.Col, e.Msg)
		} else {
			fmt.Fprintf(r.errw, "%s: %v\n", name, err)
		}
		return err
	}
	if res.Value != nil {
		r.sink.show(res.Value, "", false)
	}
	return nil
}

var osExit = regexp.MustCompile(`^panic: os\.Exit\((\d+)\)$`)

// exitStatus turns a script's error into an *ExitError, keeping
// interrupts as they are.
func exitStatus(err error) error {
	if err == nil || errors.Is(err, context.Canceled) {
		return err
	}
	var e *eval.Error
	if errors.As(err, &e) {
		if m := osExit.FindStringSubmatch(e.Msg); m != nil {
			code, _ := strconv.Atoi(m[1])
			if code == 0 {
				return nil
			}
			return &ExitError{code}
		}
	}
	return &ExitError{1}
}

// Pipe evaluates cells read from Options.In as the prompt would, without
// one: lines gather until they make a complete cell (eval.IsComplete),
// which then runs and shows its value; lines starting with ":" are
// commands. It stops at the first error, which it returns as an
// *ExitError with status 1.
//
//	echo 'x := 21
//	x * 2' | seq2go          # prints 42
func Pipe(opt Options) error {
	in := opt.In
	if in == nil {
		in = os.Stdin
	}
	out, errw := terminalOutputs(opt)
	r, err := newREPL(opt, out, errw, false)
	if err != nil {
		return err
	}
	defer r.close()
	stop := r.catchInterrupts()
	defer stop()
	br := bufio.NewReader(in)
	r.input = lineReader(br)

	var cell []string
	line := 0
	first := 1
	for {
		text, err := br.ReadString('\n')
		if text == "" && err != nil {
			break
		}
		line++
		text = strings.TrimRight(text, "\r\n")
		if len(cell) == 0 {
			first = line
			trimmed := strings.TrimSpace(text)
			if trimmed == "" {
				continue
			}
			if strings.HasPrefix(trimmed, ":") {
				if r.command(trimmed, nil) {
					return nil
				}
				continue
			}
		}
		cell = append(cell, text)
		src := strings.Join(cell, "\n")
		if status, _ := eval.IsComplete(src); status == "incomplete" {
			continue
		}
		cell = nil
		if err := r.runQuiet("stdin", first, src); err != nil {
			return exitStatus(err)
		}
	}
	if len(cell) > 0 {
		return exitStatus(r.runQuiet("stdin", first, strings.Join(cell, "\n")))
	}
	return nil
}

// lineReader returns a function that reads a line for display.Input.
func lineReader(in io.Reader) func(string) (string, error) {
	if in == nil {
		in = os.Stdin
	}
	br, ok := in.(*bufio.Reader)
	if !ok {
		br = bufio.NewReader(in)
	}
	return func(prompt string) (string, error) {
		line, err := br.ReadString('\n')
		if line == "" && err != nil {
			return "", err
		}
		return strings.TrimRight(line, "\r\n"), nil
	}
}

// Tutorial runs chapter n of the tutorials straight through, showing each
// cell and its output, without asking: what `seq2go` does on a
// non-terminal with nothing on its input.
func Tutorial(n int, opt Options) error {
	out, errw := terminalOutputs(opt)
	r, err := newREPL(opt, out, errw, false)
	if err != nil {
		return err
	}
	defer r.close()
	if r.opt.Tutorials == nil {
		return errors.New("no tutorials here: run seq2go from its source tree, where tutorials/ is")
	}
	ch, err := tutorial.Find(r.opt.Tutorials, n)
	if err != nil {
		return err
	}
	stop := r.catchInterrupts()
	defer stop()
	if err := r.walk(ch, nil); err != nil {
		return exitStatus(err)
	}
	return nil
}
