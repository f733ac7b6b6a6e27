package blas

import "sync/atomic"

// Precision is the arithmetic in which Dgemm multiplies. Its operands and
// its result are float64 matrices either way.
type Precision int32

const (
	// Float64: products and sums in double precision, to rounding the
	// result of gonum's Dgemm. The default.
	Float64 Precision = iota

	// Float32: each operand is rounded to float32 as it is packed, the
	// products and the sums along k are float32 (8 lanes per AVX2 register
	// instead of 4: twice the arithmetic per instruction, half the bytes
	// per packed panel), and each result tile is widened back to float64
	// as it is added into C. The relative error of an element of C grows
	// to about √k·2⁻²⁴ (1e-6 at k = 256): what PyTorch trains with, and
	// too coarse for a finite-difference gradient check. Short products
	// (a row or two, or fewer than 8³ multiply–adds) stay in float64.
	Float32
)

// precision is the current Precision, read by every Dgemm call.
var precision atomic.Int32

// kernel32 is the single-precision micro-kernel chosen at start-up.
var kernel32 = selectKernel32()

// shortRows32: products with at most this many rows take kernel32's
// alternative, the AVX-512 8×32, where there is one. Measured with
// BenchmarkKernels (one goroutine, GFLOPS of the 6×16 vs the 8×32) on the
// LSTM's step products (B×H)·(H×4H) and (B×4H)·(4H×H): B = 8 29–39 vs
// 41–54, B = 32 57–71 vs 68–81 (32 rows fill four 8-row tiles, not six
// 6-row ones), B = 64 70–87 vs 71–90 (a tie), B = 96 75–94 vs 72–90; and
// square n = 256…1024 90–93 vs 67–81.
const shortRows32 = 32

// kernel32For returns the single-precision kernel for a product with m
// rows: kernel32, or its alternative when m ≤ shortRows32.
func kernel32For(m int) *microKernel[float32] {
	if kernel32.alt != nil && m <= shortRows32 {
		return kernel32.alt
	}
	return kernel32
}

// SetPrecision sets the arithmetic of every following Dgemm call (and so of
// every *mat.Dense product) in the program and returns the previous one.
// It is the counterpart of PyTorch's torch.set_float32_matmul_precision: a
// training loop may run in Float32 for speed while gradient checks and
// evaluation stay in Float64.
//
//	defer blas.SetPrecision(blas.SetPrecision(blas.Float32))
func SetPrecision(p Precision) Precision {
	if p != Float64 && p != Float32 {
		panic("blas: unknown precision")
	}
	return Precision(precision.Swap(int32(p)))
}

// CurrentPrecision reports the arithmetic Dgemm uses now.
func CurrentPrecision() Precision { return Precision(precision.Load()) }

// String returns "float64" or "float32".
func (p Precision) String() string {
	if p == Float32 {
		return "float32"
	}
	return "float64"
}

// cvtRowsGo is cvtRows in Go: d[p*ds+j] = float32(b[p*ldb+j]).
func cvtRowsGo(d []float32, ds int, b []float64, ldb, k, w int) {
	for p := 0; p < k; p++ {
		for j, v := range b[p*ldb : p*ldb+w] {
			d[p*ds+j] = float32(v)
		}
	}
}

// packBTGo is packBT in Go: d[p*ds+j] = float32(b[j*ldb+p]).
func packBTGo(d []float32, ds int, b []float64, ldb, k, w int) {
	for j := 0; j < w; j++ {
		for p, v := range b[j*ldb : j*ldb+k] {
			d[p*ds+j] = float32(v)
		}
	}
}
