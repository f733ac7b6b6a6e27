package eval

import "syscall"

// dup2sys is dup2(2); linux/arm64 has only dup3.
func dup2sys(oldfd, newfd int) error { return syscall.Dup3(oldfd, newfd, 0) }
