//go:build darwin || freebsd || netbsd || openbsd

package eval

import "syscall"

func dup2sys(oldfd, newfd int) error { return syscall.Dup2(oldfd, newfd) }
