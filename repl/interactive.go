package repl

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/chzyer/readline"
	"github.com/seq2go/seq2go/internal/eval"
)

// Prompts: the first line of a cell, and the lines of a cell still open.
const (
	prompt     = ">>> "
	contPrompt = "... "
)

const banner = `seq2go — deep learning for NLP, in Go, at a prompt.
Type Go: x := mat.NewDense(1, 3, []float64{1, 2, 3}). The library is loaded
(nn, optim, data, charrnn, display, ...). :help lists the commands,
:tutorial the tutorials. Ctrl-C interrupts, Ctrl-D quits.
`

// Interactive runs the REPL on a terminal until Ctrl-D or :quit.
func Interactive(opt Options) error {
	out, errw := terminalOutputs(opt)
	r, err := newREPL(opt, out, errw, true)
	if err != nil {
		return err
	}
	defer r.close()

	cfg := &readline.Config{
		Prompt:            prompt,
		HistoryFile:       historyPath(opt.HistoryFile),
		HistoryLimit:      historyLimit,
		HistorySearchFold: true,
		AutoComplete:      completer{r},
		InterruptPrompt:   "^C",
		EOFPrompt:         "",
		Stdout:            out,
		Stderr:            errw,
	}
	if opt.In != nil {
		cfg.Stdin = io.NopCloser(opt.In)
	}
	rl, err := readline.NewEx(cfg)
	if err != nil {
		return err
	}
	defer rl.Close()
	r.input = func(p string) (string, error) {
		rl.SetPrompt(p)
		defer rl.SetPrompt(prompt)
		return rl.Readline()
	}
	stop := r.catchInterrupts()
	defer stop()

	fmt.Fprint(out, banner)
	var cell []string
	for {
		if len(cell) == 0 {
			rl.SetPrompt(prompt)
		} else {
			rl.SetPrompt(contPrompt)
		}
		line, err := rl.Readline()
		switch {
		case errors.Is(err, readline.ErrInterrupt):
			cell = nil // Ctrl-C at the prompt: drop the line, and the open cell
			continue
		case errors.Is(err, io.EOF):
			fmt.Fprintln(out)
			return nil
		case err != nil:
			return err
		}
		if len(cell) == 0 {
			trimmed := strings.TrimSpace(line)
			if trimmed == "" {
				continue
			}
			if strings.HasPrefix(trimmed, ":") {
				if r.command(trimmed, r.input) {
					return nil
				}
				continue
			}
		}
		cell = append(cell, line)
		src := strings.Join(cell, "\n")
		if status, _ := eval.IsComplete(src); status == "incomplete" {
			continue
		}
		cell = nil
		r.run(src)
	}
}

// historyPath resolves Options.HistoryFile.
func historyPath(p string) string {
	switch p {
	case "-":
		return ""
	case "":
		home, err := os.UserHomeDir()
		if err != nil {
			return ""
		}
		return filepath.Join(home, ".seq2go_history")
	}
	return p
}

// completer serves Tab from eval's Complete. At the start of a line, or
// after white space only, Tab indents.
type completer struct{ r *repl }

func (c completer) Do(line []rune, pos int) ([][]rune, int) {
	if strings.TrimSpace(string(line[:pos])) == "" {
		return [][]rune{[]rune("\t")}, 0
	}
	matches, start, _ := c.r.s.Complete(string(line), pos)
	n := pos - start
	var out [][]rune
	for _, m := range matches {
		if rm := []rune(m); len(rm) >= n {
			out = append(out, rm[n:])
		}
	}
	return out, n
}
