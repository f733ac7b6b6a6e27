package quant

import (
	"sync"

	"github.com/seq2go/seq2go/lib/blas"
	"github.com/seq2go/seq2go/lib/nn"
	"gonum.org/v1/gonum/mat"
)

// Matrix is a weight matrix W (in×out) quantized to int8 per output column:
//
//	t_j = max_p |W_pj|,   Q_pj = round(127·W_pj / t_j),   Ŵ_pj = t_j·Q_pj / 127
//
// so that |W_pj − Ŵ_pj| ≤ t_j/254. It is read-only once made and safe for
// concurrent use.
type Matrix struct {
	Rows, Cols int       // in×out
	Q          []int8    // Rows×Cols, row-major
	Scales     []float64 // t_j, one per column

	b   *blas.Int8B // Q packed for Int8Gemm
	deq []float64   // t_j / 127², the column factor of the rescaling
}

// NewMatrix quantizes w (in×out). It copies what it needs from w.
func NewMatrix(w *mat.Dense) *Matrix {
	r, c := w.Dims()
	m := &Matrix{Rows: r, Cols: c, Q: make([]int8, r*c), Scales: make([]float64, c), deq: make([]float64, c)}
	blas.QuantizeCols(m.Q, m.Scales, w)
	for j, t := range m.Scales {
		m.deq[j] = t / (127 * 127)
	}
	m.b = blas.NewInt8B(m.Q, r, c)
	return m
}

// Dequantize returns Ŵ (Rows×Cols), the float64 matrix that the int8 one
// stands for.
func (m *Matrix) Dequantize() *mat.Dense {
	w := mat.NewDense(m.Rows, m.Cols, nil)
	for p := 0; p < m.Rows; p++ {
		row := w.RawRowView(p)
		for j, q := range m.Q[p*m.Cols : (p+1)*m.Cols] {
			row[j] = m.Scales[j] * float64(q) / 127
		}
	}
	return w
}

// MulTo sets dst (B×out) to x̂·Ŵ + bias for x (B×in), where x̂ is x
// quantized per row, and returns dst; a nil bias adds nothing, and a nil
// dst is allocated. dst must not share memory with x.
//
//	q, s = quantize rows of x                        (B×in int8, B scales)
//	C    = q·Q                                        (B×out int32, exact)
//	dst_ij = C_ij · s_i · t_j/127² + bias_j
func (m *Matrix) MulTo(dst, x *mat.Dense, bias []float64) *mat.Dense {
	return m.mulTo(dst, x, bias, false)
}

// mulTo is MulTo, adding x̂·Ŵ + bias into dst instead when add is set: how
// a recurrent layer sums x·Wx and h·Wh, whose int32 products have
// different scales and so are added only once rescaled.
func (m *Matrix) mulTo(dst, x *mat.Dense, bias []float64, add bool) *mat.Dense {
	b, in := x.Dims()
	if in != m.Rows || (bias != nil && len(bias) != m.Cols) {
		panic(nn.ErrShape)
	}
	if dst == nil {
		dst = mat.NewDense(b, m.Cols, nil)
	} else if r, c := dst.Dims(); r != b || c != m.Cols {
		panic(nn.ErrShape)
	}
	s := getScratch(b*in, b, b*m.Cols)
	defer scratchPool.Put(s)
	blas.QuantizeRows(s.q, s.scales, x)
	blas.Int8Gemm(s.c, s.q, b, m.b)
	n := m.Cols
	deq := m.deq[:n]
	for i := 0; i < b; i++ {
		row, ci, si := dst.RawRowView(i)[:n], s.c[i*n:i*n+n], s.scales[i]
		switch {
		case add && bias == nil:
			for j := range row {
				row[j] += float64(ci[j]) * si * deq[j]
			}
			continue
		case add:
			bias := bias[:n]
			for j := range row {
				row[j] += float64(ci[j])*si*deq[j] + bias[j]
			}
			continue
		case bias == nil:
			for j := range row {
				row[j] = float64(ci[j]) * si * deq[j]
			}
			continue
		}
		bias := bias[:n]
		for j := range row {
			row[j] = float64(ci[j])*si*deq[j] + bias[j]
		}
	}
	return dst
}

// scratch is the int8 copy of the activations, their scales and the int32
// product of one MulTo. A pool of them keeps MulTo from allocating while
// leaving every Matrix safe for concurrent use.
type scratch struct {
	q      []int8
	scales []float64
	c      []int32
}

var scratchPool = sync.Pool{New: func() any { return new(scratch) }}

// floatPool holds the gate buffers of the recurrent layers' Step, so that
// decoding does not allocate (and clear) them at every step.
var floatPool = sync.Pool{New: func() any { return new([]float64) }}

// getDense returns an r×c matrix on a buffer from floatPool, and the
// buffer, to go back with floatPool.Put once the matrix is dead. Its
// contents are undefined.
func getDense(r, c int) (*mat.Dense, *[]float64) {
	buf := floatPool.Get().(*[]float64)
	if cap(*buf) < r*c {
		*buf = make([]float64, r*c)
	}
	return mat.NewDense(r, c, (*buf)[:r*c]), buf
}

// getScratch returns a scratch from the pool with room for nq int8 values,
// ns scales and nc int32 results.
func getScratch(nq, ns, nc int) *scratch {
	s := scratchPool.Get().(*scratch)
	if cap(s.q) < nq {
		s.q = make([]int8, nq)
	}
	if cap(s.scales) < ns {
		s.scales = make([]float64, ns)
	}
	if cap(s.c) < nc {
		s.c = make([]int32, nc)
	}
	s.q, s.scales, s.c = s.q[:nq], s.scales[:ns], s.c[:nc]
	return s
}
