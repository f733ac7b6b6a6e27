/*
Package mpi is a thin binding to Open MPI, the engine that runs one
training on several machines: N copies of the program (ranks 0 … N−1),
started together by mpirun, which sum their gradients with one collective
call per step.

	mpirun -np 2 --hostfile hosts seq2go train charrnn …

Each rank calls Init once, reads its Rank and the job's Size, and then
trades float64 buffers with the others:

	if err := mpi.Init(); err != nil { … }
	defer mpi.Finalize()
	mpi.Bcast(weights, 0)     // every rank starts from rank 0's weights
	…
	mpi.AllreduceSum(grads)   // every rank gets the sum of all ranks' grads
	mpi.Barrier()             // wait until every rank is here

AllreduceSum is the synchronous data parallelism of the talk's "fast
training" slides across machines: every rank computes the gradient of its
shard of the batch, and after the all-reduce every rank holds the sum and
takes the same optimizer step, so the weights stay equal without ever
being sent again. AllReduce does that for a model's parameters, as the
training loop's exchange, and BcastParams gives every rank rank 0's
weights to start from.

# Building with MPI

The binding uses cgo and Open MPI's C library, so it is behind the build
tag mpi; the default build is pure Go and needs no MPI installed, and its
functions return ErrNotBuilt, which says how to build with MPI:

	apt-get install openmpi-bin libopenmpi-dev pkg-config   # Debian, Ubuntu
	go build -tags mpi ./cmd/seq2go

The cgo flags come from pkg-config's ompi-c.

# Threads and cgo

Init asks for MPI_THREAD_SERIALIZED: any goroutine may call into MPI (Go
moves goroutines between OS threads), one call at a time, which a mutex in
this package ensures. A buffer is a Go slice whose backing array is handed
to MPI for the duration of one blocking call only, as cgo's pointer rules
allow; nothing is kept by C after the call returns.

# Failures

A rank that dies (killed, out of memory, a crash) ends the job: mpirun
notices that the process exited and stops every other rank, printing which
rank died and how (see TestFault for what a user sees). Errors inside MPI
calls abort the job the same way (MPI_ERRORS_ARE_FATAL, Open MPI's
default), so a rank never waits for a peer that is gone.

Reference: Message Passing Interface Forum (2015), "MPI: A Message-Passing
Interface Standard", version 3.1, §5.9 (reductions) and §5.4 (broadcast).
*/
package mpi
