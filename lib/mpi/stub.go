//go:build !mpi

package mpi

// Built reports whether this binary has MPI built in (the mpi tag).
func Built() bool { return false }

// Init returns ErrNotBuilt: this build has no MPI.
func Init() error { return ErrNotBuilt }

// Finalize returns ErrNotBuilt.
func Finalize() error { return ErrNotBuilt }

// Rank returns 0: without MPI a process is a job of one rank.
func Rank() int { return 0 }

// Size returns 1.
func Size() int { return 1 }

// AllreduceSum returns ErrNotBuilt.
func AllreduceSum(buf []float64) error { return ErrNotBuilt }

// Bcast returns ErrNotBuilt.
func Bcast(buf []float64, root int) error { return ErrNotBuilt }

// Barrier returns ErrNotBuilt.
func Barrier() error { return ErrNotBuilt }

// Abort does nothing: without MPI there are no other ranks to stop.
func Abort(code int) {}
