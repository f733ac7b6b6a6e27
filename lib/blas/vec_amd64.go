package blas

// useVecAVX2 selects the assembly kernels of Ddot, Daxpy, Dscal, Dgemv and
// Dger (vec_amd64.s); without AVX2 and FMA those routines are gonum's.
var useVecAVX2 = hasAVX2FMA()

//go:noescape
func dotAVX2(x, y []float64) float64

//go:noescape
func dot4AVX2(a []float64, lda int, x []float64, r *[4]float64)

//go:noescape
func axpyAVX2(alpha float64, x, y []float64)

//go:noescape
func scalAVX2(alpha float64, x []float64)
