package nn

import (
	"math"

	seqblas "github.com/seq2go/seq2go/lib/blas"
	"gonum.org/v1/gonum/mat"
)

// Tanh is the element-wise hyperbolic tangent, the φ of the talk's RNN:
//
//	y = tanh(x),  ∂L/∂x = ∂L/∂y ⊙ (1 − y²)
type Tanh struct{ y *mat.Dense }

// Sigmoid is the element-wise logistic function, the gate of LSTM and GRU:
//
//	y = σ(x) = 1 / (1 + e^−x),  ∂L/∂x = ∂L/∂y ⊙ y ⊙ (1 − y)
type Sigmoid struct{ y *mat.Dense }

// ReLU is the element-wise rectifier:
//
//	y = max(0, x),  ∂L/∂x = ∂L/∂y ⊙ [x > 0]
type ReLU struct{ y *mat.Dense }

// Forward returns tanh(x).
func (a *Tanh) Forward(x *mat.Dense) *mat.Dense {
	a.y = applyRows(x, seqblas.TanhTo)
	return a.y
}

// Backward returns dy ⊙ (1 − y²).
func (a *Tanh) Backward(dy *mat.Dense) *mat.Dense {
	return applyGrad(dy, a.y, func(y float64) float64 { return 1 - y*y })
}

// Params returns nil: Tanh has no parameters.
func (a *Tanh) Params() []*Param { return nil }

// Forward returns σ(x).
func (a *Sigmoid) Forward(x *mat.Dense) *mat.Dense {
	a.y = applyRows(x, seqblas.SigmoidTo)
	return a.y
}

// Backward returns dy ⊙ y ⊙ (1 − y).
func (a *Sigmoid) Backward(dy *mat.Dense) *mat.Dense {
	return applyGrad(dy, a.y, func(y float64) float64 { return y * (1 - y) })
}

// Params returns nil: Sigmoid has no parameters.
func (a *Sigmoid) Params() []*Param { return nil }

// Forward returns max(0, x).
func (a *ReLU) Forward(x *mat.Dense) *mat.Dense {
	a.y = apply(x, func(v float64) float64 { return math.Max(0, v) })
	return a.y
}

// Backward returns dy where the output was positive, 0 elsewhere.
func (a *ReLU) Backward(dy *mat.Dense) *mat.Dense {
	return applyGrad(dy, a.y, func(y float64) float64 {
		if y > 0 {
			return 1
		}
		return 0
	})
}

// Params returns nil: ReLU has no parameters.
func (a *ReLU) Params() []*Param { return nil }

// apply returns f applied to every element of x.
func apply(x *mat.Dense, f func(float64) float64) *mat.Dense {
	r, c := x.Dims()
	y := mat.NewDense(r, c, nil)
	for i := 0; i < r; i++ {
		xr, yr := x.RawRowView(i), y.RawRowView(i)
		for j := range yr {
			yr[j] = f(xr[j])
		}
	}
	return y
}

// applyRows returns f applied to every row of x, where f(dst, src) writes
// an element-wise function of src into dst: lib/blas's vectorised tanh and
// sigmoid, the same code the recurrent cells use.
func applyRows(x *mat.Dense, f func(dst, src []float64) []float64) *mat.Dense {
	r, c := x.Dims()
	y := mat.NewDense(r, c, nil)
	for i := 0; i < r; i++ {
		f(y.RawRowView(i), x.RawRowView(i))
	}
	return y
}

// applyGrad returns dy ⊙ f'(y), where f' is written in terms of the output y.
func applyGrad(dy, y *mat.Dense, fprime func(float64) float64) *mat.Dense {
	r, c := y.Dims()
	MustDims(dy, r, c)
	dx := mat.NewDense(r, c, nil)
	for i := 0; i < r; i++ {
		dyr, yr, dxr := dy.RawRowView(i), y.RawRowView(i), dx.RawRowView(i)
		for j := range dxr {
			dxr[j] = dyr[j] * fprime(yr[j])
		}
	}
	return dx
}
