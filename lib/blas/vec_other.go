//go:build !amd64

package blas

// useVecAVX2 is false: Ddot, Daxpy, Dscal, Dgemv and Dger are gonum's.
var useVecAVX2 = false

func dotAVX2(x, y []float64) float64 { panic("unreachable") }

func dot4AVX2(a []float64, lda int, x []float64, r *[4]float64) { panic("unreachable") }

func axpyAVX2(alpha float64, x, y []float64) { panic("unreachable") }

func scalAVX2(alpha float64, x []float64) { panic("unreachable") }
