package mpi

import (
	"errors"
	"os"
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
