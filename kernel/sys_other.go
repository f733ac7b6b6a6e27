//go:build !unix

package kernel

import (
	"io"
	"os"
)

func stderrDup() io.Writer { return os.Stderr }

// parentWatch reports a change of the parent pid.
func parentWatch() func() bool {
	ppid := os.Getppid()
	return func() bool { return os.Getppid() != ppid }
}
