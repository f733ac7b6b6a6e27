package nn

import (
	"math/rand/v2"
	"testing"
	"time"

	"gonum.org/v1/gonum/mat"
)

// slowWeights is an LSTM whose weight-gradient products take 100 ms.
type slowWeights struct{ *LSTM }

func (l slowWeights) endBackward() {
	time.Sleep(100 * time.Millisecond)
	l.LSTM.endBackward()
}

// A layer goes on to its weight gradients as soon as it has gone back
// through its step 1, while the layer above still computes its own: the
// weight gradients of all layers overlap, rather than each layer waiting
// for the one above to finish.
func TestPipelineWeightsOverlap(t *testing.T) {
	rng := rand.New(rand.NewPCG(29, 29))
	p := NewPipeline(NewStack(NewLSTM(rng, 3, 4), slowWeights{NewLSTM(rng, 4, 4)}))
	xs, dys := make([]*mat.Dense, 5), make([]*mat.Dense, 5)
	for i := range xs {
		xs[i], dys[i] = mat.NewDense(2, 3, nil), mat.NewDense(2, 4, nil)
		InitNormal(rng, xs[i], 1)
		InitNormal(rng, dys[i], 1)
	}
	p.ForwardSeq(xs, nil)
	p.BackwardSeq(dys)
	var w [2]Span
	for _, s := range p.Spans() {
		if s.Weights {
			w[s.Layer] = s
		}
	}
	if w[1].End-w[1].Start < 100*time.Millisecond {
		t.Fatalf("layer 2's weight gradients took %v, not the 100 ms of slowWeights", w[1].End-w[1].Start)
	}
	if w[0].Start > w[1].Start+50*time.Millisecond {
		t.Errorf("layer 1's weight gradients began %v after layer 2's, which took %v: they should overlap",
			w[0].Start-w[1].Start, w[1].End-w[1].Start)
	}
}
