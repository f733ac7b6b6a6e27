package nn

import (
	"math/rand/v2"

	"gonum.org/v1/gonum/mat"
)

// Linear is the affine layer of the talk's feed-forward step:
//
//	y = x·W + b        x: B×in, W: in×out, b: 1×out, y: B×out
//
// Backward, given dy = ∂L/∂y (B×out):
//
//	∂L/∂W += xᵀ·dy     (in×out)
//	∂L/∂b += Σ_rows dy (1×out)
//	∂L/∂x  = dy·Wᵀ     (B×in)
type Linear struct {
	W, B *Param
	x    *mat.Dense // the input of the last Forward
}

// NewLinear returns an in→out layer with Xavier-initialised weights and a
// zero bias.
func NewLinear(rng *rand.Rand, in, out int) *Linear {
	l := &Linear{W: NewParam("W", in, out), B: NewParam("b", 1, out)}
	InitXavier(rng, l.W.Value)
	return l
}

// Forward returns x·W + b and remembers x for Backward.
func (l *Linear) Forward(x *mat.Dense) *mat.Dense { return l.ForwardTo(nil, x) }

// ForwardTo is Forward writing y into dst when dst is B×out, into a new
// matrix otherwise, and returns it: for a caller that keeps one output
// buffer from call to call, as the output layer of a training step does
// with its (T·B)×V logits, too large to allocate and clear at every step.
func (l *Linear) ForwardTo(dst, x *mat.Dense) *mat.Dense {
	in, out := l.W.Value.Dims()
	MustDims(x, -1, in)
	b, _ := x.Dims()
	y := Ensure(dst, b, out)
	gemm(false, false, 1, x, l.W.Value, 0, y)
	addBias(y, l.B.Value)
	l.x = x
	return y
}

// Backward accumulates the gradients of W and b and returns ∂L/∂x.
func (l *Linear) Backward(dy *mat.Dense) *mat.Dense {
	in, out := l.W.Value.Dims()
	b, _ := l.x.Dims()
	MustDims(dy, b, out)
	gemm(true, false, 1, l.x, dy, 1, l.W.Grad)
	AddRowSums(l.B.Grad, dy)
	dx := mat.NewDense(b, in, nil)
	gemm(false, true, 1, dy, l.W.Value, 0, dx)
	return dx
}

// Params returns W and b.
func (l *Linear) Params() []*Param { return []*Param{l.W, l.B} }

// Replica returns a Linear that shares l's weights, with its own cache and gradients.
func (l *Linear) Replica() *Linear { return &Linear{W: l.W.Replica(), B: l.B.Replica()} }
