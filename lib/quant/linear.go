package quant

import (
	"github.com/seq2go/seq2go/lib/nn"
	"gonum.org/v1/gonum/mat"
)

// Linear is an nn.Linear with int8 weights:
//
//	y = x̂·Ŵ + b        x: B×in, Ŵ: in×out (int8 per column), b: 1×out, y: B×out
//
// where x̂ is x quantized per row at each call (see Matrix.MulTo). The bias
// stays float64.
type Linear struct {
	W *Matrix
	B []float64 // b, a copy of the float layer's
}

// NewLinear quantizes l's weights (a snapshot: later training of l does
// not reach the result).
func NewLinear(l *nn.Linear) *Linear {
	return &Linear{W: NewMatrix(l.W.Value), B: append([]float64(nil), l.B.Value.RawRowView(0)...)}
}

// Forward returns x̂·Ŵ + b (B×out) for x (B×in), a new matrix.
func (l *Linear) Forward(x *mat.Dense) *mat.Dense {
	return l.W.MulTo(nil, x, l.B)
}
