// Command seq2go is the one binary of seq2go: it trains the talk's models
// on the embedded corpora, samples from them and translates with them.
//
//	seq2go train charrnn [flags]     train a character language model
//	seq2go sample --model FILE       generate text from a trained model
//	seq2go train translate [flags]   train a seq2seq translator (Tatoeba nl→en)
//	seq2go translate --model FILE    translate standard input (--int8, --beam N)
//	seq2go bench translate --model F the talk's float vs int8 table
//	seq2go answer --model FILE       answer questions about a story (a memory network)
//	seq2go bench babi --model F --test DIR  error per bAbI task, the paper's table
//
// Run `seq2go help` for the list, and `seq2go train charrnn -h` for a
// command's flags. Each command lives in its own file and registers itself
// in commands, trainers or benches from that file's init function.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	"github.com/seq2go/seq2go/lib/blas"
	"github.com/seq2go/seq2go/repl"
)

// A command is one verb of the command line: `seq2go NAME args...`.
type command struct {
	summary string // one line for the usage text, after "seq2go NAME"
	run     func(args []string, stdout, stderr io.Writer) error
}

// commands and trainers are filled by the init functions of this package's
// files, one file per command, so that adding a command touches no other file.
var (
	commands = map[string]command{}
	trainers = map[string]command{} // seq2go train NAME
	benches  = map[string]command{} // seq2go bench NAME
)

func usage() string {
	var b strings.Builder
	b.WriteString("seq2go — deep learning for NLP, step by step, in Go.\n\nUsage:\n")
	for _, name := range sortedKeys(trainers) {
		fmt.Fprintf(&b, "  seq2go train %-18s %s\n", name+" [flags]", trainers[name].summary)
	}
	for _, name := range sortedKeys(benches) {
		fmt.Fprintf(&b, "  seq2go bench %-18s %s\n", name+" [flags]", benches[name].summary)
	}
	for _, name := range sortedKeys(commands) {
		fmt.Fprintf(&b, "  seq2go %-24s %s\n", name+" [flags]", commands[name].summary)
	}
	b.WriteString("  seq2go help                     show this text\n\nRun 'seq2go COMMAND -h' for the flags of a command.\n")
	return b.String()
}

func sortedKeys(m map[string]command) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// exitInterrupted is the exit status after Ctrl-C, as a shell reports
// death by SIGINT (128 + 2).
const exitInterrupted = 130

// errInterrupted is returned by a command that stopped on Ctrl-C after
// saving its work.
var errInterrupted = errors.New("interrupted")

func main() {
	// lib/blas's kernels for every product of the process: the library
	// leaves that choice to the program (see lib/nn's documentation).
	blas.Use()
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run executes one command line and returns the exit status.
func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		args = []string{"repl"} // see runREPL in repl.go
	}
	var err error
	switch name := args[0]; name {
	case "help", "-h", "-help", "--help":
		fmt.Fprint(stdout, usage())
		return 0
	case "train":
		out, errOut := rankOutput(stdout, stderr) // under mpirun, rank 0 alone speaks
		err = subcommand("train", "model", trainers, args[1:], out, errOut)
	case "bench":
		err = subcommand("bench", "benchmark", benches, args[1:], stdout, stderr)
	default:
		cmd, ok := commands[name]
		if !ok {
			fmt.Fprintf(stderr, "seq2go: unknown command %q\n\n%s", name, usage())
			return 2
		}
		err = cmd.run(args[1:], stdout, stderr)
	}
	var exit *repl.ExitError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &exit):
		return exit.Code // os.Exit(n) in a script: its status, said already
	case errors.Is(err, flag.ErrHelp):
		return 0
	case errors.Is(err, errInterrupted):
		return exitInterrupted
	case errors.As(err, new(usageError)):
		fmt.Fprintf(stderr, "seq2go: %v\n", err)
		return 2
	default:
		fmt.Fprintf(stderr, "seq2go: %v\n", err)
		return 1
	}
}

// usageError is a mistake in the command line itself.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

// subcommand runs `seq2go VERB NAME args...`: the command NAME of table,
// whose entries are of the kind what ("model" for train).
func subcommand(verb, what string, table map[string]command, args []string, stdout, stderr io.Writer) error {
	known := strings.Join(sortedKeys(table), ", ")
	if len(args) == 0 {
		return usageError{fmt.Sprintf("%s: which %s? (known: %s)", verb, what, known)}
	}
	t, ok := table[args[0]]
	if !ok {
		return usageError{fmt.Sprintf("%s: unknown %s %q (known: %s)", verb, what, args[0], known)}
	}
	return t.run(args[1:], stdout, stderr)
}

// newFlagSet returns a flag set that reports errors instead of exiting.
func newFlagSet(name string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	return fs
}

// parseFlags parses args and rejects stray positional arguments.
func parseFlags(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return usageError{err.Error()}
	}
	if fs.NArg() > 0 {
		return usageError{fmt.Sprintf("%s: unexpected argument %q", fs.Name(), fs.Arg(0))}
	}
	return nil
}
