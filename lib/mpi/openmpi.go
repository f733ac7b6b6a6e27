//go:build mpi

package mpi

/*
#cgo pkg-config: ompi-c
#include <mpi.h>

// Open MPI's handles (MPI_COMM_WORLD, MPI_DOUBLE, MPI_SUM, MPI_IN_PLACE)
// are macros over addresses of its globals, which cgo cannot name: these
// wrappers use them on the C side.
static int init_serialized(int *provided) {
	return MPI_Init_thread(NULL, NULL, MPI_THREAD_SERIALIZED, provided);
}
static int world_rank(int *r) { return MPI_Comm_rank(MPI_COMM_WORLD, r); }
static int world_size(int *n) { return MPI_Comm_size(MPI_COMM_WORLD, n); }
static int allreduce_sum(double *buf, int n) {
	return MPI_Allreduce(MPI_IN_PLACE, buf, n, MPI_DOUBLE, MPI_SUM, MPI_COMM_WORLD);
}
static int bcast(double *buf, int n, int root) {
	return MPI_Bcast(buf, n, MPI_DOUBLE, root, MPI_COMM_WORLD);
}
static int barrier(void) { return MPI_Barrier(MPI_COMM_WORLD); }
static int abort_world(int code) { return MPI_Abort(MPI_COMM_WORLD, code); }
static int serialized(void) { return MPI_THREAD_SERIALIZED; }
*/
import "C"

import (
	"fmt"
	"sync"
)

// mu serialises the calls into MPI (MPI_THREAD_SERIALIZED); state is what
// Init found.
var (
	mu    sync.Mutex
	state struct {
		initialized, finalized bool
		rank, size             int
	}
)

// chunk is the most elements one MPI call moves: MPI counts are C ints.
const chunk = 1 << 30

// Built reports whether this binary has MPI built in (the mpi tag).
func Built() bool { return true }

// Init initialises MPI for the whole process; call it once, before any
// other function of the package. Outside mpirun it makes a job of one rank.
func Init() error {
	mu.Lock()
	defer mu.Unlock()
	if state.initialized {
		return fmt.Errorf("mpi: Init called twice")
	}
	var provided, rank, size C.int
	if err := check("MPI_Init_thread", C.init_serialized(&provided)); err != nil {
		return err
	}
	if provided < C.serialized() {
		return fmt.Errorf("mpi: this Open MPI gives thread level %d, below MPI_THREAD_SERIALIZED", int(provided))
	}
	if err := check("MPI_Comm_rank", C.world_rank(&rank)); err != nil {
		return err
	}
	if err := check("MPI_Comm_size", C.world_size(&size)); err != nil {
		return err
	}
	state.initialized, state.rank, state.size = true, int(rank), int(size)
	return nil
}

// Finalize ends MPI for the process. Every rank calls it, after its last
// collective call.
func Finalize() error {
	return call("Finalize", func() error {
		state.finalized = true
		return check("MPI_Finalize", C.MPI_Finalize())
	})
}

// Rank returns this process's rank, 0 … Size()−1 (0 before Init).
func Rank() int { mu.Lock(); defer mu.Unlock(); return state.rank }

// Size returns the number of ranks in the job (1 before Init).
func Size() int {
	mu.Lock()
	defer mu.Unlock()
	if !state.initialized {
		return 1
	}
	return state.size
}

// AllreduceSum replaces buf, on every rank, by the element-wise sum of the
// bufs of all ranks, which must have the same length. It returns when this
// rank has the sum.
func AllreduceSum(buf []float64) error {
	return call("AllreduceSum", func() error {
		return chunks(buf, func(p *C.double, n C.int) error {
			return check("MPI_Allreduce", C.allreduce_sum(p, n))
		})
	})
}

// Bcast copies buf of rank root into buf of every other rank; all bufs
// must have the same length.
func Bcast(buf []float64, root int) error {
	return call("Bcast", func() error {
		if root < 0 || root >= state.size {
			return fmt.Errorf("mpi: Bcast from rank %d of a job of %d", root, state.size)
		}
		return chunks(buf, func(p *C.double, n C.int) error {
			return check("MPI_Bcast", C.bcast(p, n, C.int(root)))
		})
	})
}

// Barrier returns once every rank has called it.
func Barrier() error {
	return call("Barrier", func() error { return check("MPI_Barrier", C.barrier()) })
}

// Abort ends every rank of the job with exit status code: what a rank does
// when it cannot go on and the others must not wait for it.
func Abort(code int) {
	mu.Lock()
	defer mu.Unlock()
	if state.initialized && !state.finalized {
		C.abort_world(C.int(code))
	}
}

// call runs f, the body of the package function name, with mu held once
// MPI is initialised and not finalised.
func call(name string, f func() error) error {
	mu.Lock()
	defer mu.Unlock()
	if err := ready(name); err != nil {
		return err
	}
	return f()
}

// chunks calls f on the parts of buf that one MPI call can take (its counts
// are C ints), in order. cgo: the Go memory of a part is C's for the
// duration of f's MPI call only.
func chunks(buf []float64, f func(p *C.double, n C.int) error) error {
	for lo := 0; lo < len(buf); lo += chunk {
		part := buf[lo:min(lo+chunk, len(buf))]
		if err := f((*C.double)(&part[0]), C.int(len(part))); err != nil {
			return err
		}
	}
	return nil
}

// ready returns an error unless MPI is initialised and not finalised.
func ready(call string) error {
	switch {
	case !state.initialized:
		return fmt.Errorf("mpi: %s before Init", call)
	case state.finalized:
		return fmt.Errorf("mpi: %s after Finalize", call)
	}
	return nil
}

// check turns an MPI return code into an error naming the call.
func check(call string, code C.int) error {
	if code == C.MPI_SUCCESS {
		return nil
	}
	var buf [C.MPI_MAX_ERROR_STRING]C.char
	var n C.int
	C.MPI_Error_string(code, &buf[0], &n)
	return fmt.Errorf("mpi: %s: %s", call, C.GoStringN(&buf[0], n))
}
