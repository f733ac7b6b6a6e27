package nn_test

import (
	"math/rand/v2"
	"testing"

	"github.com/seq2go/seq2go/lib/gradcheck"
	"github.com/seq2go/seq2go/lib/nn"
	"gonum.org/v1/gonum/mat"
)

func TestGradMeanSquaredError(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 9))
	p := &nn.Param{Name: "pred", Value: randDense(rng, 3, 2), Grad: mat.NewDense(3, 2, nil)}
	y := randDense(rng, 3, 2)
	mask := []float64{1, 0, 1}
	var l nn.MeanSquaredError
	mustPass(t, gradcheck.Check(func() float64 { return l.Forward(p.Value, y, mask) },
		func() { p.Grad.Add(p.Grad, l.Backward()) }, []*nn.Param{p}))
	// (1−0)² and (3−1)² over 2 elements: 2.5; the masked row does not count.
	got := l.Forward(mat.NewDense(2, 1, []float64{1, 3}), mat.NewDense(2, 1, []float64{0, 1}), nil)
	if got != 2.5 {
		t.Errorf("loss %v, want 2.5", got)
	}
	if got := l.Forward(mat.NewDense(1, 1, []float64{1}), mat.NewDense(1, 1, []float64{0}), []float64{0}); got != 0 {
		t.Errorf("all masked: loss %v, want 0", got)
	}
}
