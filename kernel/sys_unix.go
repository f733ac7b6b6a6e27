//go:build unix

package kernel

import (
	"io"
	"os"
	"strconv"
	"syscall"
)

// stderrDup returns a duplicate of descriptor 2 made now, before the
// evaluator points descriptor 2 at its capture pipe while cells run: the
// kernel's log lines must reach Jupyter's log, not the notebook.
func stderrDup() io.Writer {
	fd, err := syscall.Dup(2)
	if err != nil {
		return os.Stderr
	}
	syscall.CloseOnExec(fd)
	return os.NewFile(uintptr(fd), "stderr")
}

// parentWatch returns a function that reports whether the process that
// started the kernel has died. jupyter_client names itself in
// JPY_PARENT_PID: that process is watched when it is set, so that a launcher
// in between (a shell wrapper that exits) does not end the kernel.
// Otherwise the kernel watches for a change of its parent pid (reparenting
// to init or a subreaper) since the process started: a parent that dies
// while the kernel starts (the evaluator takes a while) counts too.
func parentWatch() func() bool {
	if pid, err := strconv.Atoi(os.Getenv("JPY_PARENT_PID")); err == nil && pid > 1 {
		return func() bool { return syscall.Kill(pid, 0) == syscall.ESRCH }
	}
	return func() bool { return os.Getppid() != startPPID }
}

// startPPID is the parent pid when the process started.
var startPPID = os.Getppid()
