package memnet

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/seq2go/seq2go/lib/nn"
)

// BenchmarkLossGrad times a training step's Loss and Backward on batches
// of 32 questions drawn at random of tasks 1 (short stories) and 3 (up to 50 memories),
// with the default configuration, on one worker.
func BenchmarkLossGrad(b *testing.B) {
	for _, task := range []int{1, 3} {
		b.Run(fmt.Sprintf("task=%d", task), func(b *testing.B) {
			stories, err := LoadTask(task)
			if err != nil {
				b.Fatal(err)
			}
			m, err := New(rand.New(rand.NewPCG(1, 1)), DefaultConfig(), NewVocab(stories))
			if err != nil {
				b.Fatal(err)
			}
			exs := m.Examples(stories, task)
			rng := rand.New(rand.NewPCG(2, 2))
			batch := make([]Example, 32)
			b.ReportAllocs()
			n := 0
			for b.Loop() {
				for i := range batch {
					batch[i] = exs[rng.IntN(len(exs))] // a training batch: questions drawn at random
				}
				m.LossGrad(batch, 1)
				nn.ZeroGrads(m.Params())
				n++
			}
			b.ReportMetric(float64(n*32)/b.Elapsed().Seconds(), "questions/s")
		})
	}
}
