package nn_test

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/seq2go/seq2go/lib/blas"
	"github.com/seq2go/seq2go/lib/nn"
	"gonum.org/v1/gonum/mat"
)

// TestPackedWeight checks PackedWeight.Mul against mat's products, W and
// Wᵀ, beta 0 and 1, in both precisions of the products (to float32
// rounding under Float32), and that Reset makes it see a changed W.
func TestPackedWeight(t *testing.T) {
	for _, prec := range []blas.Precision{blas.Float64, blas.Float32} {
		t.Run(prec.String(), func(t *testing.T) {
			defer blas.SetPrecision(blas.SetPrecision(prec))
			tol := 1e-12
			if prec == blas.Float32 {
				tol = 1e-5
			}
			rng := rand.New(rand.NewPCG(1, 1))
			w := randDense(rng, 40, 24) // 40×24
			check := func(name string, got, want *mat.Dense) {
				t.Helper()
				if !mat.EqualApprox(got, want, tol) {
					t.Errorf("%s: got %v, want %v", name, mat.Formatted(got), mat.Formatted(want))
				}
			}
			var fw, bw nn.PackedWeight
			for step := range 3 { // the same packed W for several steps
				x, dy := randDense(rng, 5, 40), randDense(rng, 5, 24)
				y, dx := mat.NewDense(5, 24, nil), mat.NewDense(5, 40, nil)
				fw.Mul(y, x, w, false, 0)
				bw.Mul(dx, dy, w, true, 0)
				var xw, dyw mat.Dense
				xw.Mul(x, w)
				check(fmt.Sprintf("step %d: x·W", step), y, &xw)
				dyw.Mul(dy, w.T())
				check(fmt.Sprintf("step %d: dy·Wᵀ", step), dx, &dyw)
				// beta = 1 accumulates: y = x·W + x·W.
				fw.Mul(y, x, w, false, 1)
				xw.Scale(2, &xw)
				check(fmt.Sprintf("step %d: x·W + y", step), y, &xw)
			}
			// A new sequence after an optimizer step: Reset packs W again.
			w.Scale(-3, w)
			fw.Reset()
			x, y := randDense(rng, 5, 40), mat.NewDense(5, 24, nil)
			fw.Mul(y, x, w, false, 0)
			var want mat.Dense
			want.Mul(x, w)
			check("after Reset", y, &want)
		})
	}
}

// TestLinearForwardTo checks that ForwardTo reuses a buffer of the right
// shape, replaces one of another, and computes what Forward does.
func TestLinearForwardTo(t *testing.T) {
	rng := rand.New(rand.NewPCG(2, 2))
	l := nn.NewLinear(rng, 6, 4)
	x := randDense(rng, 3, 6)
	want := l.Forward(x)
	buf := mat.NewDense(3, 4, nil)
	if got := l.ForwardTo(buf, x); got != buf || !mat.EqualApprox(got, want, 1e-15) {
		t.Errorf("ForwardTo(3×4 buffer) = %p %v, want the buffer %p holding %v", got, mat.Formatted(got), buf, mat.Formatted(want))
	}
	if got := l.ForwardTo(mat.NewDense(2, 4, nil), x); !mat.EqualApprox(got, want, 1e-15) {
		t.Errorf("ForwardTo(2×4 buffer) = %v, want %v", mat.Formatted(got), mat.Formatted(want))
	}
}
