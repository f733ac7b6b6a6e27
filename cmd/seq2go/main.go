// Command seq2go is the one binary of seq2go: it trains the talk's models
// on the embedded corpora and samples from them.
//
//	seq2go train charrnn [flags]     train a character language model
//	seq2go sample --model FILE       generate text from a trained model
//
// Run `seq2go help` for the list, and `seq2go train charrnn -h` for a
// command's flags.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
)

const usage = `seq2go — deep learning for NLP, step by step, in Go.

Usage:
  seq2go train charrnn [flags]   train a character language model (min-char-rnn or LSTM)
                                 on the embedded tinyshakespeare or --data FILE
  seq2go sample --model FILE     generate text from a trained character model
  seq2go help                    show this text

Run 'seq2go COMMAND -h' for the flags of a command.
`

// exitInterrupted is the exit status after Ctrl-C, as a shell reports
// death by SIGINT (128 + 2).
const exitInterrupted = 130

// errInterrupted is returned by a command that stopped on Ctrl-C after
// saving its work.
var errInterrupted = errors.New("interrupted")

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run executes one command line and returns the exit status.
func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	var err error
	switch args[0] {
	case "help", "-h", "-help", "--help":
		fmt.Fprint(stdout, usage)
		return 0
	case "train":
		err = train(args[1:], stdout, stderr)
	case "sample":
		err = sample(args[1:], stdout, stderr)
	default:
		fmt.Fprintf(stderr, "seq2go: unknown command %q\n\n%s", args[0], usage)
		return 2
	}
	switch {
	case err == nil:
		return 0
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

func train(args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return usageError{"train: which model? (seq2go train charrnn)"}
	}
	switch args[0] {
	case "charrnn":
		return trainCharRNN(args[1:], stdout, stderr)
	default:
		return usageError{fmt.Sprintf("train: unknown model %q (known: charrnn)", args[0])}
	}
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
