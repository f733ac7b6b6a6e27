package translate

import (
	"math"
	"testing"

	"github.com/seq2go/seq2go/lib/nn"
)

// Two trainers sharded 0 and 1 of 2, their gradients combined by target
// tokens as lib/mpi's AllReduce does, give the gradient of the whole
// batch, up to the order of the sums (1e-12); a fork has weights of its
// own and reads the batches after its sibling's.
func TestShardAndFork(t *testing.T) {
	newTrainer := func() *Trainer {
		tr, pairs := tiny(t, 0)
		trn, err := NewTrainer(tr, pairs)
		if err != nil {
			t.Fatal(err)
		}
		trn.Workers = 1
		return trn
	}
	whole := newTrainer()
	loss, tokens := whole.LossGrad(1)
	combined := make([]*nn.Param, len(whole.Params()))
	for i, p := range whole.Params() {
		r, c := p.Value.Dims()
		combined[i] = nn.NewParam(p.Name, r, c)
	}
	sum, n := 0.0, 0
	for k := range 2 {
		part := newTrainer()
		if err := part.Shard(k, 2); err != nil {
			t.Fatal(err)
		}
		l, m := part.LossGrad(1)
		sum, n = sum+l*float64(m), n+m
		nn.AddGrads(combined, part.Params(), float64(m))
	}
	if n != tokens || math.Abs(sum/float64(n)-loss) > 1e-12 {
		t.Fatalf("shards' loss %v over %d tokens, whole %v over %d", sum/float64(n), n, loss, tokens)
	}
	for i, p := range whole.Params() {
		g := combined[i].Grad
		g.Scale(1/float64(n), g)
		g.Sub(g, p.Grad)
		if d := g.Norm(math.Inf(1)); d > 1e-12 {
			t.Fatalf("%s differs by %g", p.Name, d)
		}
	}
	if err := newTrainer().Shard(0, 3); err == nil {
		t.Error("3 shards of a batch of 2 gave no error")
	}

	f := whole.Fork(1, 2).(*fork)
	if f.Params()[0].Value == whole.Params()[0].Value {
		t.Error("the fork shares the trainer's weights")
	}
	if f.first != 1 || f.every != 2 {
		t.Errorf("fork 1 of 2 reads batches %d, %d+%d, …; want 1, 1+2, …", f.first, f.first, f.every)
	}
	if l, m := f.LossGrad(0); !(l > 0) || m == 0 {
		t.Errorf("the fork's LossGrad = %v, %d", l, m)
	}
}
