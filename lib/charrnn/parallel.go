package charrnn

import (
	"errors"
	"fmt"

	"github.com/seq2go/seq2go/lib/nn"
	"github.com/seq2go/seq2go/lib/training"
)

// Data parallelism across processes and asynchronous workers: a Trainer
// is a training.Sharder (one rank of an MPI job computes its lanes of
// every chunk) and a training.Forker (a parameter server's worker reads a
// stretch of the text of its own).

// Shard makes LossGrad compute lanes [k·B/n, (k+1)·B/n) of every chunk
// alone, with their mean loss and their characters as tokens
// (training.Sharder): rank k of an n-rank MPI job. The carried state keeps
// those lanes' rows. Only a mean loss can be combined by tokens: the lstm
// architecture's, not min-char-rnn's summed one. A sharded trainer's
// checkpoints hold no carried state (it holds its own lanes' only), so a
// run resumed from one starts the next chunk from a blank state.
func (t *Trainer) Shard(k, n int) error {
	b := t.Model.Config.Batch
	switch {
	case t.Model.loss.Sum:
		return errors.New("charrnn: the rnn architecture sums its loss over a chunk; sharding needs a mean loss (lstm)")
	case n < 1 || k < 0 || k >= n:
		return fmt.Errorf("charrnn: shard %d of %d", k, n)
	case b < n:
		return fmt.Errorf("charrnn: %d lanes cannot be shared among %d processes", b, n)
	}
	t.Model.gatherState()
	t.Model.replicas, t.Model.lanes = nil, nil
	t.lo, t.hi = k*b/n, (k+1)*b/n
	for _, l := range t.Model.layers {
		h, c := l.State()
		l.SetState(laneRows(h, b, t.lo, t.hi), laneRows(c, b, t.lo, t.hi))
	}
	return nil
}

// sharded reports whether Shard gave the trainer a part of the lanes.
func (t *Trainer) sharded() bool { return t.hi > 0 }

// Fork returns worker k of n of asynchronous data parallelism
// (training.Forker): a trainer of a copy of the model (the same weights,
// its own copy of them, its own gradients and carried state) on a
// batcher of its own over the same text, starting k/n of an epoch ahead
// of the trainer's position, so that the workers read different stretches.
// Its batches follow from its own position, not from LossGrad's argument.
func (t *Trainer) Fork(k, n int) training.Model {
	m := t.Model.replica()
	nn.Detach(m.Params())
	b := *t.Batches
	b.SetPosition(t.Batches.Position() + k*b.BatchesPerEpoch()/n) // never negative: no error
	return &Trainer{Model: m, Batches: &b, Workers: 1}
}

// shardLanes returns the trainer's lanes of a chunk (all of them when it
// is not sharded).
func (t *Trainer) shardLanes(ids [][]int) [][]int {
	if !t.sharded() {
		return ids
	}
	return lanes(ids, t.lo, t.hi)
}
