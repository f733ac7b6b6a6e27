package nn_test

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/seq2go/seq2go/lib/gradcheck"
	"github.com/seq2go/seq2go/lib/nn"
	"gonum.org/v1/gonum/mat"
)

// oneHotSeq returns T steps of B one-hot rows over d classes: sparse enough
// (one element in d ≥ 16) for RNN's sparse input products.
func oneHotSeq(rng *rand.Rand, steps, b, d int) []*mat.Dense {
	xs := make([]*mat.Dense, steps)
	for t := range xs {
		xs[t] = mat.NewDense(b, d, nil)
		for i := 0; i < b; i++ {
			xs[t].Set(i, rng.IntN(d), 1)
		}
	}
	return xs
}

// naiveRNN is the reference forward pass, one step at a time with mat's
// dense products: h_t = tanh(x_t·Wx + h_{t−1}·Wh + b).
func naiveRNN(l *nn.RNN, xs []*mat.Dense) []*mat.Dense {
	b, _ := xs[0].Dims()
	_, hid := l.Wh.Value.Dims()
	h := mat.NewDense(b, hid, nil)
	var hs []*mat.Dense
	for _, x := range xs {
		var a, r mat.Dense
		a.Mul(x, l.Wx.Value)
		r.Mul(h, l.Wh.Value)
		a.Add(&a, &r)
		next := mat.NewDense(b, hid, nil)
		next.Apply(func(_, j int, v float64) float64 { return math.Tanh(v + l.B.Value.At(0, j)) }, &a)
		hs, h = append(hs, next), next
	}
	return hs
}

// One-hot inputs take the sparse products (x·Wx picks rows, xᵀ·da adds
// rows): the outputs match the dense reference, and the gradients pass the
// finite-difference check, which also perturbs the zeros of x (the
// perturbed x, with one more non-zero, is still sparse).
func TestRNNOneHotInputs(t *testing.T) {
	const d = 32 // one-hot over 32 classes: 6 of 192 elements non-zero
	rng := rand.New(rand.NewPCG(21, 21))
	l := randomBiases(rng, nn.NewRNN(rng, d, tH)).(*nn.RNN)
	xs := oneHotSeq(rng, tT, tB, d)
	want := naiveRNN(l, xs)
	for step, y := range l.ForwardSeq(xs, nil) {
		equalApprox(t, "h", y, want[step])
	}
	checkPass(t, gradcheck.Seq(l, xs, nil, rng))
	checkPass(t, gradcheck.Seq(l, xs, []int{3, 1}, rng))
}

// NoInputGrad skips ∂L/∂x: BackwardSeq returns nil and accumulates the same
// weight gradients as without it.
func TestRNNNoInputGrad(t *testing.T) {
	rng := rand.New(rand.NewPCG(22, 22))
	full := randomBiases(rng, nn.NewRNN(rng, tD, tH)).(*nn.RNN)
	skip := full.Replica().(*nn.RNN)
	skip.NoInputGrad = true
	xs, dys := randSeq(rng, tT, tB, tD), randSeq(rng, tT, tB, tH)
	full.ForwardSeq(xs, nil)
	if dx := full.BackwardSeq(dys); len(dx) != tT {
		t.Fatalf("without NoInputGrad: %d input gradients, want %d", len(dx), tT)
	}
	skip.ForwardSeq(xs, nil)
	if dx := skip.BackwardSeq(dys); dx != nil {
		t.Fatalf("with NoInputGrad: got %d input gradients, want nil", len(dx))
	}
	for i, p := range skip.Params() {
		if !mat.Equal(p.Grad, full.Params()[i].Grad) {
			t.Errorf("%s: the gradient differs with NoInputGrad", p.Name)
		}
	}
}
