package nn_test

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/seq2go/seq2go/lib/gradcheck"
	"github.com/seq2go/seq2go/lib/nn"
	"gonum.org/v1/gonum/mat"
)

func TestMeanPool(t *testing.T) {
	xs := []*mat.Dense{
		mat.NewDense(2, 2, []float64{1, 2, 10, 20}),
		mat.NewDense(2, 2, []float64{3, 4, 99, 99}), // row 1 is padding here
	}
	var p nn.MeanPool
	y := p.Forward(xs, []int{2, 1})
	want := mat.NewDense(2, 2, []float64{2, 3, 10, 20}) // (1+3)/2, (2+4)/2; row 1 alone
	if !mat.Equal(y, want) {
		t.Errorf("Forward = %v, want %v", mat.Formatted(y), mat.Formatted(want))
	}
	dxs := p.Backward(mat.NewDense(2, 2, []float64{1, 1, 1, 1}))
	if dxs[0].At(0, 0) != 0.5 || dxs[1].At(1, 0) != 0 || dxs[0].At(1, 1) != 1 {
		t.Errorf("Backward = %v, %v", mat.Formatted(dxs[0]), mat.Formatted(dxs[1]))
	}
}

// TestMeanPoolGrad checks ∂L/∂x of L = Σ r ⊙ MeanPool(x) with padding.
func TestMeanPoolGrad(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	const steps, b, d = 3, 4, 5
	lens := []int{3, 1, 2, 0}
	var xs []*nn.Param
	for k := 0; k < steps; k++ {
		p := nn.NewParam(fmt.Sprintf("x%d", k), b, d)
		nn.InitNormal(rng, p.Value, 1)
		xs = append(xs, p)
	}
	r := mat.NewDense(b, d, nil)
	nn.InitNormal(rng, r, 1)
	var pool nn.MeanPool
	values := func() []*mat.Dense {
		var v []*mat.Dense
		for _, p := range xs {
			v = append(v, p.Value)
		}
		return v
	}
	loss := func() float64 {
		return mat.Sum(mulElem(pool.Forward(values(), lens), r))
	}
	backward := func() {
		for k, dx := range pool.Backward(r) {
			xs[k].Grad.Add(xs[k].Grad, dx)
		}
	}
	if err := gradcheck.Check(loss, backward, xs).Err(gradcheck.Tol); err != nil {
		t.Error(err)
	}
}

func mulElem(a, b *mat.Dense) *mat.Dense {
	var c mat.Dense
	c.MulElem(a, b)
	return &c
}
