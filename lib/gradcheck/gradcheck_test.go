package gradcheck_test

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/seq2go/seq2go/lib/gradcheck"
	"github.com/seq2go/seq2go/lib/nn"
	"gonum.org/v1/gonum/mat"
)

// sumSquares is f(x) = Σ x², whose gradient is 2x.
func sumSquares(x []float64) float64 {
	s := 0.0
	for _, v := range x {
		s += v * v
	}
	return s
}

// scaled returns the gradient k·x: right for k = 2, wrong otherwise.
func scaled(k float64) func([]float64) []float64 {
	return func(x []float64) []float64 {
		g := make([]float64, len(x))
		for i, v := range x {
			g[i] = k * v
		}
		return g
	}
}

func TestFunc(t *testing.T) {
	x := []float64{0.5, -1.5, 2}
	for _, tc := range []struct {
		name string
		k    float64
		pass bool
	}{
		{"right", 2, true},
		{"wrong", 3, false},
		{"almost", 2 * (1 + 1e-4), false}, // a 1e-4 relative mistake is caught
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := gradcheck.Func(sumSquares, scaled(tc.k), x)
			if err := r.Err(gradcheck.Tol); (err == nil) != tc.pass {
				t.Fatalf("Err = %v, want pass=%v", err, tc.pass)
			}
			if r.Checked != len(x) {
				t.Fatalf("checked %d elements, want %d", r.Checked, len(x))
			}
		})
	}
}

// brokenLinear forgets the bias gradient: the check must name b.
type brokenLinear struct{ *nn.Linear }

func (l brokenLinear) Backward(dy *mat.Dense) *mat.Dense {
	dx := l.Linear.Backward(dy)
	l.B.Grad.Zero()
	return dx
}

func TestLayerCatchesBrokenBackward(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	l := nn.NewLinear(rng, 3, 2)
	x := mat.NewDense(2, 3, []float64{1, -2, 0.5, 0.3, 0.1, -1})
	if err := gradcheck.Layer(l, x, rng).Err(gradcheck.Tol); err != nil {
		t.Fatalf("correct Linear rejected: %v", err)
	}
	r := gradcheck.Layer(brokenLinear{l}, x, rng)
	if r.Err(gradcheck.Tol) == nil || r.Where[:1] != "b" {
		t.Fatalf("broken bias gradient not caught at b: %v", r)
	}
}

// Check a hand-written gradient of f(x) = Σ x² against central differences.
func ExampleFunc() {
	x := []float64{0.5, -1.5, 2}
	grad := func(x []float64) []float64 { return []float64{2 * x[0], 2 * x[1], 2 * x[2]} }
	r := gradcheck.Func(sumSquares, grad, x)
	fmt.Println(r.Checked, r.Err(gradcheck.Tol) == nil)
	// Output: 3 true
}

// Check a layer: every input and every parameter is perturbed in turn.
func ExampleLayer() {
	rng := rand.New(rand.NewPCG(1, 1))
	l := nn.NewLinear(rng, 4, 3)
	x := mat.NewDense(2, 4, []float64{1, 2, 3, 4, -1, 0, 1, 0.5})
	r := gradcheck.Layer(l, x, rng)
	fmt.Println(r.Checked, r.Err(gradcheck.Tol))
	// Output: 23 <nil>
}
