//go:build unix

package repl

import (
	"io"
	"os"
	"syscall"
)

// terminalOutputs returns the REPL's outputs. The process's own stdout and
// stderr are duplicated: while a cell runs, the evaluator points file
// descriptors 1 and 2 at its capture pipes, and what the REPL itself writes
// (the cell's output included, forwarded) must reach the terminal.
func terminalOutputs(opt Options) (out, errw io.Writer) {
	return dupIfStd(opt.Out, os.Stdout), dupIfStd(opt.Err, os.Stderr)
}

func dupIfStd(w io.Writer, std *os.File) io.Writer {
	if w != nil && w != io.Writer(std) {
		return w
	}
	fd, err := syscall.Dup(int(std.Fd()))
	if err != nil {
		return std
	}
	syscall.CloseOnExec(fd)
	return os.NewFile(uintptr(fd), std.Name())
}
