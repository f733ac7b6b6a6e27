package nn_test

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/seq2go/seq2go/lib/gradcheck"
	"github.com/seq2go/seq2go/lib/nn"
	"gonum.org/v1/gonum/mat"
)

// TestGradDropout checks Backward against central differences with the
// mask held fixed: the generator is reseeded before every Forward.
func TestGradDropout(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 5))
	x := &nn.Param{Name: "x", Value: randDense(rng, 4, 6), Grad: mat.NewDense(4, 6, nil)}
	r := randDense(rng, 4, 6)
	d := nn.NewDropout(nil, 0.4)
	loss := func() float64 {
		d.Rand = rand.New(rand.NewPCG(1, 2))
		var m mat.Dense
		m.MulElem(d.Forward(x.Value), r)
		return mat.Sum(&m)
	}
	backward := func() { x.Grad.Add(x.Grad, d.Backward(r)) }
	mustPass(t, gradcheck.Check(loss, backward, []*nn.Param{x}))
}

// TestDropoutStatistics checks the rate of zeros and that the mean is kept.
func TestDropoutStatistics(t *testing.T) {
	const p, n = 0.25, 200_000
	d := nn.NewDropout(rand.New(rand.NewPCG(9, 9)), p)
	ones := mat.NewDense(1, n, nil)
	for j := 0; j < n; j++ {
		ones.Set(0, j, 1)
	}
	y := d.Forward(ones)
	zeros := 0
	for _, v := range y.RawRowView(0) {
		if v == 0 {
			zeros++
		} else if math.Abs(v-1/(1-p)) > 1e-15 {
			t.Fatalf("kept element = %v, want %v", v, 1/(1-p))
		}
	}
	if rate := float64(zeros) / n; math.Abs(rate-p) > 0.005 {
		t.Errorf("zero rate %.4f, want %.2f ± 0.005", rate, p)
	}
	if mean := mat.Sum(y) / n; math.Abs(mean-1) > 0.01 {
		t.Errorf("mean %.4f, want 1 ± 0.01", mean)
	}
	if got := nn.NewDropout(nil, 0).Forward(ones); !mat.Equal(got, ones) {
		t.Error("P = 0 is not the identity")
	}
}
