package nn

import (
	seqblas "github.com/seq2go/seq2go/lib/blas"
	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/mat"
)

// Every product of every layer goes through gonum's blas64, whichever
// implementation the program installed: gonum's own, or seq2go's faster
// lib/blas (packed, cache-blocked, an AVX2/FMA micro-kernel) after
// blas.Use(). Importing nn installs nothing (see the package documentation).

// gemm computes c = alpha·op(a)·op(b) + beta·c through the installed blas64
// implementation, where op(m) is m or mᵀ. With beta = 1 it accumulates into
// c without a temporary, which is how Backward adds into Param.Grad.
func gemm(transA, transB bool, alpha float64, a, b mat.RawMatrixer, beta float64, c *mat.Dense) {
	ta, tb := blas.NoTrans, blas.NoTrans
	if transA {
		ta = blas.Trans
	}
	if transB {
		tb = blas.Trans
	}
	blas64.Gemm(ta, tb, alpha, a.RawMatrix(), b.RawMatrix(), beta, c.RawMatrix())
}

// AddWeightGrad adds xᵀ·dy into dst (in×out): the gradient of the weight
// W of y = x·W, for inputs x (n×in) and dy = ∂L/∂y (n×out). With x and dy
// the (T·B)-row stacks of T steps' inputs and output gradients, it is
//
//	∂L/∂W += Σ_t x_tᵀ·dy_t
//
// as one product of depth T·B, which runs far faster than T products of
// depth B.
func AddWeightGrad(dst, x, dy *mat.Dense) { gemm(true, false, 1, x, dy, 1, dst) }

// PackedWeight is a weight matrix W packed once for the per-step products
// of a sequence, x_t·W or x_t·Wᵀ at each step t (lib/blas's PackedB). The T
// steps of a recurrent layer multiply by the same Wh forward and Whᵀ
// backward; a plain product packs the matrix again at every step, which
// under float32 products (blas.SetPrecision) converts it too — a quarter of
// the char-LSTM's training time at H = 512. Reset marks the packed copy
// stale, at the start of each sequence, since the weights may have changed
// since the last one (an optimizer step); the next Mul packs it again.
// Within one sequence W must not change. The zero value is ready to use; a
// PackedWeight is not safe for concurrent use.
type PackedWeight struct {
	p     seqblas.PackedB
	fresh bool
}

// Reset marks p stale: the next Mul packs its weight again.
func (p *PackedWeight) Reset() { p.fresh = false }

// Mul computes dst = a·op(w) + beta·dst with op(w) = w, or wᵀ if trans,
// packing op(w) first when p is stale or was packed in another precision.
// dst must have the right shape (rows of a × columns of op(w)).
func (p *PackedWeight) Mul(dst, a, w *mat.Dense, trans bool, beta float64) {
	raw := w.RawMatrix()
	k, n := raw.Rows, raw.Cols
	if trans {
		k, n = n, k
	}
	if !p.fresh || p.p.Precision() != seqblas.CurrentPrecision() {
		p.p.Pack(trans, k, n, raw.Data, raw.Stride)
		p.fresh = true
	}
	ra, rc := a.RawMatrix(), dst.RawMatrix()
	if ra.Cols != k || rc.Rows != ra.Rows || rc.Cols != n {
		panic(ErrShape)
	}
	seqblas.GemmPacked(false, ra.Rows, 1, ra.Data, ra.Stride, &p.p, beta, rc.Data, rc.Stride)
}

// AddRowSums adds the column sums of m (B×n) into the 1×n row vector dst:
// the gradient of a bias that was broadcast over B rows.
func AddRowSums(dst, m *mat.Dense) {
	d := dst.RawRowView(0)
	r, _ := m.Dims()
	for i := 0; i < r; i++ {
		floats.Add(d, m.RawRowView(i))
	}
}

// fillRows sets every row of m (B×n) to the 1×n row vector b.
func fillRows(m, b *mat.Dense) {
	bias := b.RawRowView(0)
	r, _ := m.Dims()
	for i := 0; i < r; i++ {
		copy(m.RawRowView(i), bias)
	}
}

// addBias adds the 1×n row vector b to every row of m (B×n).
func addBias(m, b *mat.Dense) {
	bias := b.RawRowView(0)
	r, _ := m.Dims()
	for i := 0; i < r; i++ {
		row := m.RawRowView(i)
		for j, v := range bias {
			row[j] += v
		}
	}
}

// MustDims panics with ErrShape unless m is r×c; a negative r or c matches
// anything. Packages built on nn check their shapes with it too.
func MustDims(m mat.Matrix, r, c int) {
	mr, mc := m.Dims()
	if (r >= 0 && mr != r) || (c >= 0 && mc != c) {
		panic(ErrShape)
	}
}
