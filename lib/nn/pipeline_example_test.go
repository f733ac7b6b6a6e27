package nn_test

import (
	"fmt"
	"math/rand/v2"

	"github.com/seq2go/seq2go/lib/nn"
	"gonum.org/v1/gonum/mat"
)

// ExamplePipeline runs a two-layer LSTM with each layer on its own
// goroutine and shows which layer worked on which step, in order of start.
func ExamplePipeline() {
	rng := rand.New(rand.NewPCG(1, 1))
	p := nn.NewPipeline(nn.NewStack(nn.NewLSTM(rng, 4, 8), nn.NewLSTM(rng, 8, 8)))
	xs := make([]*mat.Dense, 3) // T = 3 steps of B = 2 rows
	for t := range xs {
		xs[t] = mat.NewDense(2, 4, nil)
		nn.InitNormal(rng, xs[t], 1)
	}
	ys := p.ForwardSeq(xs, nil)
	p.BackwardSeq(ys) // the gradient of ½Σy²
	steps := map[bool][2][]int{}
	for _, s := range p.Spans() {
		if s.Weights {
			continue
		}
		byLayer := steps[s.Backward]
		byLayer[s.Layer] = append(byLayer[s.Layer], s.Step)
		steps[s.Backward] = byLayer
	}
	fmt.Println("forward:  layer 0", steps[false][0], " layer 1", steps[false][1])
	fmt.Println("backward: layer 1", steps[true][1], " layer 0", steps[true][0])
	// Output:
	// forward:  layer 0 [0 1 2]  layer 1 [0 1 2]
	// backward: layer 1 [2 1 0]  layer 0 [2 1 0]
}
