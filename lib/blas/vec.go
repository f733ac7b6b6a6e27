package blas

import gblas "gonum.org/v1/gonum/blas"

// The level-1 and level-2 routines of the hot path — Ddot, Daxpy, Dscal,
// Dgemv and Dger, what mat.Dot, mat.VecDense.MulVec, AddScaledVec and
// mat.Dense.RankOne call — with AVX2 kernels (vec_amd64.s) for unit
// strides: 4 float64 lanes an instruction, where gonum's assembly uses
// SSE2's 2. Everything else (other strides, empty or short operands, and
// so every panic) is gonum's, so arguments are checked with gonum's code
// and messages. Daxpy, Dscal, Dger and the transposed Dgemv are gonum's
// result bit for bit (a multiply then an add, element by element, in
// gonum's order); Ddot and the untransposed Dgemv sum in another order
// (four 4-wide accumulators) and agree with gonum to rounding.

// Ddot computes Σ_i x[i]·y[i] over n elements with strides incX and incY.
func (impl Implementation) Ddot(n int, x []float64, incX int, y []float64, incY int) float64 {
	if !useVecAVX2 || incX != 1 || incY != 1 || n <= 0 || len(x) < n || len(y) < n {
		return impl.Implementation.Ddot(n, x, incX, y, incY)
	}
	return dot(x[:n], y[:n])
}

// Daxpy computes y += alpha·x over n elements with strides incX and incY.
func (impl Implementation) Daxpy(n int, alpha float64, x []float64, incX int, y []float64, incY int) {
	if !useVecAVX2 || incX != 1 || incY != 1 || n <= 0 || alpha == 0 || len(x) < n || len(y) < n {
		impl.Implementation.Daxpy(n, alpha, x, incX, y, incY)
		return
	}
	axpy(alpha, x[:n], y[:n])
}

// Dscal computes x *= alpha over n elements with stride incX.
func (impl Implementation) Dscal(n int, alpha float64, x []float64, incX int) {
	if !useVecAVX2 || incX != 1 || n <= 0 || alpha == 0 || len(x) < n {
		impl.Implementation.Dscal(n, alpha, x, incX)
		return
	}
	scal(alpha, x[:n])
}

// Dgemv computes y = alpha·op(A)·x + beta·y, where A is m×n with row
// stride lda and op(A) is A (tA = NoTrans: x has n elements, y m) or Aᵀ
// (x has m, y n).
//
// Untransposed, y[i] is a dot product of row i with x, four rows at a time
// so that every load of x serves four rows (dot4AVX2); transposed, y is a
// sum of the rows of A scaled by x[i], an axpy a row.
func (impl Implementation) Dgemv(tA gblas.Transpose, m, n int, alpha float64, a []float64, lda int, x []float64, incX int, beta float64, y []float64, incY int) {
	lenX, lenY := n, m
	if tA != gblas.NoTrans {
		lenX, lenY = m, n
	}
	if !useVecAVX2 || (tA != gblas.NoTrans && tA != gblas.Trans && tA != gblas.ConjTrans) ||
		m <= 0 || n <= 0 || lda < n || incX != 1 || incY != 1 || alpha == 0 ||
		len(a) < lda*(m-1)+n || len(x) < lenX || len(y) < lenY {
		impl.Implementation.Dgemv(tA, m, n, alpha, a, lda, x, incX, beta, y, incY)
		return
	}
	x, y = x[:lenX], y[:lenY]
	switch beta {
	case 0:
		clear(y)
	case 1:
	default:
		scal(beta, y)
	}
	if tA != gblas.NoTrans {
		for i, xi := range x {
			axpy(alpha*xi, a[i*lda:i*lda+n], y)
		}
		return
	}
	i := 0
	if m >= 4 {
		k := n &^ 3
		var r [4]float64
		for ; i+4 <= m; i += 4 {
			dot4AVX2(a[i*lda:], lda, x[:k], &r)
			for q, s := range r {
				row := a[(i+q)*lda : (i+q)*lda+n]
				for j := k; j < n; j++ {
					s += row[j] * x[j]
				}
				y[i+q] += alpha * s
			}
		}
	}
	for ; i < m; i++ {
		y[i] += alpha * dot(a[i*lda:i*lda+n], x)
	}
}

// Dger computes A += alpha·x·yᵀ, where A is m×n with row stride lda, x
// has m elements (stride incX) and y n (stride incY): an axpy a row.
func (impl Implementation) Dger(m, n int, alpha float64, x []float64, incX int, y []float64, incY int, a []float64, lda int) {
	if !useVecAVX2 || m <= 0 || n <= 0 || lda < n || incX != 1 || incY != 1 || alpha == 0 ||
		len(x) < m || len(y) < n || len(a) < lda*(m-1)+n {
		impl.Implementation.Dger(m, n, alpha, x, incX, y, incY, a, lda)
		return
	}
	y = y[:n]
	for i, xi := range x[:m] {
		axpy(alpha*xi, y, a[i*lda:i*lda+n])
	}
}

// dot returns Σ x[i]·y[i]; len(y) ≥ len(x).
func dot(x, y []float64) float64 {
	k := len(x) &^ 3
	s := dotAVX2(x[:k], y[:k])
	for i := k; i < len(x); i++ {
		s += x[i] * y[i]
	}
	return s
}

// axpy computes y += alpha·x; len(y) ≥ len(x).
func axpy(alpha float64, x, y []float64) {
	k := len(x) &^ 3
	axpyAVX2(alpha, x[:k], y[:k])
	for i := k; i < len(x); i++ {
		y[i] += alpha * x[i]
	}
}

// scal computes x *= alpha.
func scal(alpha float64, x []float64) {
	k := len(x) &^ 3
	scalAVX2(alpha, x[:k])
	for i := k; i < len(x); i++ {
		x[i] *= alpha
	}
}
