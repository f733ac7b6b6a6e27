package mpi

import (
	"errors"
	"os"
	"strconv"
)

// ErrNotBuilt is returned by every call of a build without the mpi tag.
var ErrNotBuilt = errors.New("mpi: this binary was built without MPI; install Open MPI " +
	"(Debian: apt-get install openmpi-bin libopenmpi-dev pkg-config) and build with " +
	"`go build -tags mpi ./cmd/seq2go`")

// InJob reports whether the process was started by Open MPI's mpirun (its
// environment names the job's size), whether or not MPI is built in: a
// binary without MPI that mpirun started should say so rather than train
// alone N times.
func InJob() bool { return os.Getenv("OMPI_COMM_WORLD_SIZE") != "" }

// JobRank returns the rank mpirun gave this process, from its environment,
// before Init as after it; 0 outside a job.
func JobRank() int {
	r, _ := strconv.Atoi(os.Getenv("OMPI_COMM_WORLD_RANK"))
	return r
}
