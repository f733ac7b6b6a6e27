//go:build linux || darwin || freebsd || netbsd || openbsd

package eval

import "syscall"

// captureSupported reports whether this platform captures the output of
// compiled code (by redirecting file descriptors).
const captureSupported = true

func dupCloexec(fd int) (int, error) {
	syscall.ForkLock.RLock()
	defer syscall.ForkLock.RUnlock()
	nfd, err := syscall.Dup(fd)
	if err != nil {
		return -1, err
	}
	syscall.CloseOnExec(nfd)
	return nfd, nil
}

func dup2(oldfd, newfd int) error {
	for {
		err := dup2sys(oldfd, newfd)
		if err != syscall.EINTR {
			return err
		}
	}
}
