package translate

import (
	"fmt"

	"github.com/seq2go/seq2go/lib/nn"
	"github.com/seq2go/seq2go/lib/seq2seq"
	"github.com/seq2go/seq2go/lib/training"
)

// Data parallelism across processes and asynchronous workers: a Trainer
// is a training.Sharder (one rank of an MPI job computes its pairs of
// every batch) and a training.Forker (a parameter server's worker reads
// batches of its own).

// Shard makes LossGrad compute pairs [k·B/n, (k+1)·B/n) of every batch
// alone, with their mean loss per target token and their target tokens
// (training.Sharder): rank k of an n-rank MPI job.
func (tr *Trainer) Shard(k, n int) error {
	if n < 1 || k < 0 || k >= n {
		return fmt.Errorf("translate: shard %d of %d", k, n)
	}
	if b := tr.T.Config.Batch; b < n {
		return fmt.Errorf("translate: batches of %d pairs cannot be shared among %d processes", b, n)
	}
	tr.part, tr.parts = k, n
	return nil
}

// Fork returns worker k of n of asynchronous data parallelism
// (training.Forker): a replica of the model with its own copy of the
// weights, reading the trainer's batches k, k+n, k+2n, … from the
// trainer's step on, so that the workers share out the epochs' batches.
func (tr *Trainer) Fork(k, n int) training.Model {
	m := tr.T.Model.Replica()
	nn.Detach(m.Params())
	m.ReseedRand(uint64(tr.T.Config.Seed), uint64(k)+1)
	return &fork{tr: tr, m: m, first: tr.Step + k, every: n}
}

// fork is a worker of Fork: its batches are the trainer's, every every-th
// from first.
type fork struct {
	tr           *Trainer
	m            *seq2seq.Model
	first, every int
}

func (f *fork) Params() []*nn.Param { return f.m.Params() }

func (f *fork) LossGrad(batch int) (loss float64, tokens int) {
	src, tgt := f.tr.batch(f.first + batch*f.every)
	return f.m.LossGrad(src, tgt, 1)
}
