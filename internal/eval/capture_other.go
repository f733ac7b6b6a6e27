//go:build !(linux || darwin || freebsd || netbsd || openbsd)

package eval

import "errors"

// captureSupported is false here: only interpreted code's output reaches
// Options.Stdout; compiled code writes to the process's own stdout.
const captureSupported = false

func dupCloexec(fd int) (int, error) { return -1, errors.ErrUnsupported }

func dup2(oldfd, newfd int) error { return errors.ErrUnsupported }
