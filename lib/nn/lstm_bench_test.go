package nn_test

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/seq2go/seq2go/lib/nn"
	"gonum.org/v1/gonum/mat"
)

// BenchmarkLSTM times one ForwardSeq and BackwardSeq of a char-LM-sized
// batch: B=32 sequences of T=100 steps, input (embedding) width d=64.
// tokens/s counts B·T tokens per iteration, forward and backward together.
func BenchmarkLSTM(b *testing.B) {
	benchSeqLayer(b, func(rng *rand.Rand, in, hidden int) nn.SeqLayer { return nn.NewLSTM(rng, in, hidden) })
}

// BenchmarkGRU is BenchmarkLSTM for the GRU.
func BenchmarkGRU(b *testing.B) {
	benchSeqLayer(b, func(rng *rand.Rand, in, hidden int) nn.SeqLayer { return nn.NewGRU(rng, in, hidden) })
}

func benchSeqLayer(b *testing.B, newLayer func(rng *rand.Rand, in, hidden int) nn.SeqLayer) {
	for _, hidden := range []int{128, 256, 512} {
		b.Run(fmt.Sprintf("H=%d", hidden), func(b *testing.B) {
			rng := rand.New(rand.NewPCG(1, 1))
			benchPasses(b, rng, newLayer(rng, benchIn, hidden), hidden)
		})
	}
}

// The char-LM-sized batch of the recurrent benchmarks: B=32 sequences of
// T=100 steps of width 64 (the embedding).
const benchBatch, benchSteps, benchIn = 32, 100, 64

// benchPasses times forward and backward passes of l (benchIn → hidden)
// over a random batch and reports tokens/s, B·T tokens a pass.
func benchPasses(b *testing.B, rng *rand.Rand, l nn.SeqLayer, hidden int) {
	xs, dys := make([]*mat.Dense, benchSteps), make([]*mat.Dense, benchSteps)
	for t := range xs {
		xs[t], dys[t] = randDense(rng, benchBatch, benchIn), randDense(rng, benchBatch, hidden)
	}
	l.ForwardSeq(xs, nil) // the first call allocates the buffers every later call reuses
	l.BackwardSeq(dys)
	b.ReportAllocs()
	for b.Loop() {
		l.ForwardSeq(xs, nil)
		l.BackwardSeq(dys)
	}
	b.ReportMetric(float64(b.N*benchBatch*benchSteps)/b.Elapsed().Seconds(), "tokens/s")
}
