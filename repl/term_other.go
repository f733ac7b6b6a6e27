//go:build !unix

package repl

import (
	"io"
	"os"
)

// terminalOutputs returns the REPL's outputs (the evaluator does not
// redirect descriptors here).
func terminalOutputs(opt Options) (out, errw io.Writer) {
	out, errw = opt.Out, opt.Err
	if out == nil {
		out = os.Stdout
	}
	if errw == nil {
		errw = os.Stderr
	}
	return out, errw
}
