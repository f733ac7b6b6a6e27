package nn_test

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/seq2go/seq2go/lib/nn"
)

// BenchmarkPipeline times one forward and backward pass of a stacked LSTM
// of the char-LSTM's size (B=32 sequences of T=100 steps, input width 64,
// H=256 in every layer) run by the Stack, one layer after another, and by
// the Pipeline, each layer on its own goroutine: the model parallelism of
// GNMT. Compare Stack/L=2 with Pipeline/L=2 at -cpu 2; `seq2go bench
// pipeline` does, taking turns, and fits a model to the per-step times.
func BenchmarkPipeline(b *testing.B) {
	const hidden = 256
	for _, layers := range []int{2, 4} {
		for _, pipelined := range []bool{false, true} {
			name := fmt.Sprintf("Stack/L=%d", layers)
			if pipelined {
				name = fmt.Sprintf("Pipeline/L=%d", layers)
			}
			b.Run(name, func(b *testing.B) {
				rng := rand.New(rand.NewPCG(1, 1))
				s := nn.NewStack(nn.NewLSTM(rng, benchIn, hidden))
				for k := 1; k < layers; k++ {
					s.Layers = append(s.Layers, nn.NewLSTM(rng, hidden, hidden))
				}
				var l nn.SeqLayer = s
				if pipelined {
					l = nn.NewPipeline(s)
				}
				benchPasses(b, rng, l, hidden)
			})
		}
	}
}
