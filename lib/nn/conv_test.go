package nn_test

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/seq2go/seq2go/lib/gradcheck"
	"github.com/seq2go/seq2go/lib/nn"
	"gonum.org/v1/gonum/mat"
)

func TestGradConv1D(t *testing.T) {
	for _, k := range []int{1, 3, 5} {
		t.Run(fmt.Sprintf("k=%d", k), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(6, 6))
			c := nn.NewConv1D(rng, 3, 4, k)
			nn.InitNormal(rng, c.B.Value, 1)
			mustPass(t, gradcheck.Seq(c, randSeq(rng, 4, 3, 3), []int{4, 2, 1}, rng))
		})
	}
}

// TestConv1DNaive pins the im2col product to the formula, computed with
// loops: y_t[b] = bias + Σ_j x_{t+j−p}[b]·W_j, zero outside [0, n_b).
func TestConv1DNaive(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	const steps, b, d, f, k = 5, 2, 3, 2, 3
	c := nn.NewConv1D(rng, d, f, k)
	nn.InitNormal(rng, c.B.Value, 1)
	xs := randSeq(rng, steps, b, d)
	lengths := []int{5, 3}
	ys := c.ForwardSeq(xs, lengths)
	for tt := 0; tt < steps; tt++ {
		for i := 0; i < b; i++ {
			for o := 0; o < f; o++ {
				want := c.B.Value.At(0, o)
				for j := 0; j < k; j++ {
					u := tt + j - 1
					if u < 0 || u >= lengths[i] || tt >= lengths[i] {
						continue
					}
					for q := 0; q < d; q++ {
						want += xs[u].At(i, q) * c.W.Value.At(j*d+q, o)
					}
				}
				if tt >= lengths[i] {
					want = 0
				}
				if got := ys[tt].At(i, o); abs(got-want) > 1e-12 {
					t.Fatalf("y_%d[%d,%d] = %.15g, want %.15g", tt, i, o, got, want)
				}
			}
		}
	}
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}

func TestGradMaxOverTime(t *testing.T) {
	rng := rand.New(rand.NewPCG(8, 8))
	lengths := []int{3, 1, 0}
	xs := make([]*nn.Param, 3)
	for tt := range xs {
		xs[tt] = &nn.Param{Name: fmt.Sprintf("x%d", tt), Value: randDense(rng, 3, 4), Grad: mat.NewDense(3, 4, nil)}
	}
	r := randDense(rng, 3, 4)
	var m nn.MaxOverTime
	loss := func() float64 {
		var p mat.Dense
		p.MulElem(m.Forward(values(xs), lengths), r)
		return mat.Sum(&p)
	}
	backward := func() {
		for tt, d := range m.Backward(r) {
			xs[tt].Grad.Add(xs[tt].Grad, d)
		}
	}
	mustPass(t, gradcheck.Check(loss, backward, xs))
	y := m.Forward(values(xs), lengths)
	if got := y.At(1, 2); got != xs[0].Value.At(1, 2) {
		t.Errorf("a one-step sequence pools to its step: %v, want %v", got, xs[0].Value.At(1, 2))
	}
	if got := mat.Sum(y.RowView(2)); got != 0 {
		t.Errorf("an empty sequence pools to zeros, got sum %v", got)
	}
}
