package main

import (
	"context"
	"fmt"
	"io"
	"runtime"

	"github.com/seq2go/seq2go/lib/mpi"
	"github.com/seq2go/seq2go/lib/paramserver"
	"github.com/seq2go/seq2go/lib/training"
)

// This file is how every `seq2go train NAME` trains in parallel, set up on
// the model's loop by the driver (trainFlags.run), never in a model's
// command file:
//
//	--workers N --parallel sync    each batch shared among N replicas, one step (the model's LossGrad)
//	--workers N --parallel async   N workers on batches of their own, a parameter server (lib/paramserver)
//	mpirun -np R seq2go train …    R ranks, each its part of every batch, gradients all-reduced (lib/mpi)
//
// Under mpirun (a binary built with -tags mpi), rank 0 broadcasts its
// weights and optimizer state, every rank computes its part of each batch
// (training.Sharder) with --workers goroutines of its own, the gradients
// are all-reduced every step, and rank 0 alone logs, validates and writes
// checkpoints. Ctrl-C stops every rank after the same step (see
// mpi.AllReduce): rank 0 saves once, and all exit.

// parallel is a run's parallel training, as set up by setParallel.
type parallel struct {
	lead  bool // this process logs, validates and saves: rank 0, or the only process
	ranks int  // processes of the MPI job (1 without one)
	// loopContext returns the context the loop runs under, given the one
	// Ctrl-C cancels.
	loopContext func(ctx context.Context) context.Context
	close       func() error // ends what setParallel started
}

// setParallel sets l up for the parallel training the flags and the
// environment ask for, and says what the process's part is.
func (f *trainFlags) setParallel(name string, l *training.Loop) (*parallel, error) {
	p := &parallel{lead: true, ranks: 1, loopContext: func(ctx context.Context) context.Context { return ctx }, close: func() error { return nil }}
	switch *f.parallel {
	case "sync":
	case "async":
		if mpi.InJob() {
			return nil, usageError{"--parallel async runs in one process: start it without mpirun"}
		}
		fk, ok := l.Model.(training.Forker)
		if !ok {
			return nil, usageError{fmt.Sprintf("--parallel async: %s cannot fork workers of its own (training.Forker)", name)}
		}
		n := *f.workers
		if n <= 0 {
			n = runtime.GOMAXPROCS(0)
		}
		s := *f.staleness
		if !f.set["staleness"] {
			s = n - 1 // equal workers' pushes are about n−1 versions stale: drops little
		}
		srv := paramserver.New(l.Model.Params(), paramserver.Workers(fk, n), s)
		l.Source = srv
		p.close = func() error { srv.Close(); return nil }
		return p, nil
	default:
		return nil, usageError{fmt.Sprintf("--parallel %q: want sync or async", *f.parallel)}
	}
	if !mpi.InJob() {
		return p, nil
	}
	if err := mpi.Init(); err != nil {
		return nil, err
	}
	p.close = mpi.Finalize
	p.ranks, p.lead = mpi.Size(), mpi.Rank() == 0 // rankOutput has silenced the others
	fail := func(err error) (*parallel, error) {
		mpi.Finalize()
		return nil, fmt.Errorf("rank %d: %w", mpi.Rank(), err)
	}
	sh, ok := l.Model.(training.Sharder)
	if !ok {
		return fail(fmt.Errorf("%s cannot compute a part of each batch (training.Sharder): it cannot train under mpirun", name))
	}
	if err := sh.Shard(mpi.Rank(), p.ranks); err != nil {
		return fail(err)
	}
	if err := mpi.BcastParams(l.Model.Params(), 0); err != nil {
		return fail(err)
	}
	if err := mpi.BcastParams(l.Opt.State(), 0); err != nil {
		return fail(err)
	}
	ar := &mpi.AllReduce{}
	l.Exchange = ar
	if !p.lead {
		l.Out, l.ValEvery = "", 0
	}
	p.loopContext = func(ctx context.Context) context.Context {
		loopCtx, stop := context.WithCancel(context.Background())
		ar.Interrupted = func() bool { return ctx.Err() != nil }
		ar.Stop = stop
		return loopCtx
	}
	return p, nil
}

// rankOutput returns where a train command writes: stdout and stderr, or
// nowhere on the ranks other than 0 of an MPI job (their errors still
// reach main's stderr, naming the rank).
func rankOutput(stdout, stderr io.Writer) (io.Writer, io.Writer) {
	if mpi.JobRank() != 0 {
		return io.Discard, io.Discard
	}
	return stdout, stderr
}
