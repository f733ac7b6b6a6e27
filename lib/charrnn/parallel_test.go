package charrnn_test

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/seq2go/seq2go/lib/charrnn"
	"github.com/seq2go/seq2go/lib/data"
	"github.com/seq2go/seq2go/lib/nn"
	"github.com/seq2go/seq2go/lib/training"
	"gonum.org/v1/gonum/mat"
)

// Two trainers sharded 0 and 1 of 2, their gradients combined by tokens as
// lib/mpi's AllReduce does, give the gradient of one trainer on the whole
// chunk, for three chunks with the state carried along (each shard carries
// its lanes'). They differ by the order of the sums alone: within 1e-12.
func TestShardSumsToWhole(t *testing.T) {
	vocab := data.NewCharVocab(verse)
	ids, _ := vocab.Encode(strings.Repeat(verse, 40))
	cfg := tiny("lstm")
	cfg.Batch = 6
	newTrainer := func() *charrnn.Trainer {
		m, _ := charrnn.New(cfg, vocab, rand.New(rand.NewPCG(5, 5)))
		tr, err := charrnn.NewTrainer(m, ids, nil)
		if err != nil {
			t.Fatal(err)
		}
		tr.Workers = 1
		return tr
	}
	whole, parts := newTrainer(), []*charrnn.Trainer{newTrainer(), newTrainer()}
	for k, p := range parts {
		if err := p.Shard(k, len(parts)); err != nil {
			t.Fatal(err)
		}
	}
	for step := range 3 {
		whole.Opt.ZeroGrad()
		loss, tokens := whole.LossGrad(step)
		sum, n := 0.0, 0
		combined := make([]*nn.Param, len(whole.Params()))
		for i, p := range whole.Params() {
			combined[i] = nn.NewParam(p.Name, p.Value.RawMatrix().Rows, p.Value.RawMatrix().Cols)
		}
		for _, p := range parts {
			p.Opt.ZeroGrad()
			l, k := p.LossGrad(step)
			sum, n = sum+l*float64(k), n+k
			nn.AddGrads(combined, p.Params(), float64(k))
		}
		if n != tokens || math.Abs(sum/float64(n)-loss) > 1e-12 {
			t.Fatalf("chunk %d: shards' loss %v over %d tokens, whole %v over %d", step, sum/float64(n), n, loss, tokens)
		}
		for i, p := range whole.Params() {
			g := combined[i].Grad
			g.Scale(1/float64(n), g)
			g.Sub(g, p.Grad)
			if d := g.Norm(math.Inf(1)); d > 1e-12 {
				t.Fatalf("chunk %d: %s differs by %g", step, p.Name, d)
			}
		}
	}
	if err := newTrainer().Shard(2, 2); err == nil {
		t.Error("Shard(2, 2) gave no error")
	}
	rnn, _ := charrnn.New(tiny("rnn"), vocab, rand.New(rand.NewPCG(5, 5)))
	tr, _ := charrnn.NewTrainer(rnn, ids, nil)
	if err := tr.Shard(0, 2); err == nil || !strings.Contains(err.Error(), "mean loss") {
		t.Errorf("sharding min-char-rnn: %v, want an error about its summed loss", err)
	}
}

// A fork has weights of its own, equal to the trainer's when forked, and
// reads another stretch of the text than its sibling.
func TestFork(t *testing.T) {
	vocab := data.NewCharVocab(verse)
	ids, _ := vocab.Encode(strings.Repeat(verse, 40))
	m, _ := charrnn.New(tiny("lstm"), vocab, rand.New(rand.NewPCG(5, 5)))
	tr, err := charrnn.NewTrainer(m, ids, nil)
	if err != nil {
		t.Fatal(err)
	}
	var forks []training.Model
	for k := range 2 {
		forks = append(forks, tr.Fork(k, 2))
	}
	for i, p := range tr.Params() {
		q := forks[0].Params()[i]
		if q.Value == p.Value || !mat.Equal(q.Value, p.Value) {
			t.Fatalf("%s: the fork's weights are the trainer's matrix, or differ from it", p.Name)
		}
	}
	l0, _ := forks[0].LossGrad(0)
	l1, _ := forks[1].LossGrad(0)
	if l0 == l1 {
		t.Errorf("both forks read the same chunk (loss %v)", l0)
	}
}
