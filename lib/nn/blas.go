package nn

import (
	seqblas "github.com/seq2go/seq2go/lib/blas"
	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/mat"
)

// Every product of every layer goes through gonum's blas64; seq2go's own
// Dgemm (lib/blas: packed, cache-blocked, an AVX2/FMA micro-kernel) is
// installed for it as soon as this package is loaded.
func init() { seqblas.Use() }

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

// addRowSums adds the column sums of m (B×n) into the 1×n row vector dst:
// the gradient of a bias that was broadcast over B rows.
func addRowSums(dst, m *mat.Dense) {
	d := dst.RawRowView(0)
	r, _ := m.Dims()
	for i := 0; i < r; i++ {
		for j, v := range m.RawRowView(i) {
			d[j] += v
		}
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
