package blas

import (
	"runtime"
	"sync"

	gblas "gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/blas/gonum"
)

// Implementation is a [gblas.Float64] whose Dgemm is the blocked, SIMD
// product of this package and whose Ddot, Daxpy, Dscal, Dgemv and Dger
// have AVX2 kernels for unit strides (vec.go). Every other routine, and
// every other case of those, is gonum's, through the embedded
// [gonum.Implementation].
type Implementation struct {
	gonum.Implementation
}

var _ gblas.Float64 = Implementation{}

// kernel is the micro-kernel chosen for this CPU at start-up.
var kernel = selectKernel()

// KernelName reports which micro-kernel Dgemm uses on this machine:
// "avx2-6x8+avx512-8x24" (amd64 with AVX-512: the second kernel serves
// short products, see inPlaceKernel), "avx2-6x8" (amd64 with AVX2 and FMA)
// or "go4x4" (everything else).
func KernelName() string { return kernel.name }

// Use installs Implementation as the BLAS behind gonum's blas64 package,
// and therefore behind every *mat.Dense product of the process. The
// program calls it, once, at start-up: no package of the library does.
func Use() { blas64.Use(Implementation{}) }

// Thresholds, measured with BenchmarkDgemmThreshold on the 2-core AMD EPYC
// (Zen 4) development machine with go1.26 (noisy, shared; medians of a few
// runs, GFLOPS of gonum vs ours).
const (
	// smallWork: products with m·n·k below 8³ go to gonum. At 4³ gonum
	// does 1.1 GFLOPS and the blocked path 0.8 (packing and the scratch
	// tile dominate); at 8³ they are even (2.3 vs 2.5) and from 12³ on we
	// are ahead (3.6 vs 6.6 at 12³, 5.9 vs 21 at 64³).
	smallWork = 8 * 8 * 8

	// thinRows: products with m or n at most 2 skip the blocked path.
	// Such a product is a matrix–vector product in disguise, bound by
	// reading the big operand once; packing it first reads and writes it
	// again. For m×1024×256: m = 1 gonum 5.0 vs ours 3.0 GFLOPS, m = 2
	// 6.6 vs 5.9, m = 3 6.9 vs 7.9, m = 6 6.6 vs 17.7. With AVX2 and an
	// untransposed B, m ≤ 2 goes to gemmThin (thin.go), which computes
	// gonum's result exactly, faster (BenchmarkDgemmThin); the rest goes
	// to gonum. (n is treated the same way by symmetry; it was not
	// measured separately.)
	thinRows = 2

	// defaultParallelWork: each goroutine gets at least m·n·k = 96³
	// multiply–adds (1.8 Mflop), so two goroutines start at m·n·k ≥ 2·96³
	// ≈ 121³. Measured with BenchmarkDgemmThreshold (-cpu 2, AVX2 6×8
	// kernel, blocked path forced onto 1 or 2 goroutines), ten rounds of
	// 100 ms per size, each started when /proc/stat showed the machine
	// ≥ 85 % idle over the previous second; µs per n³ product, best and
	// median of the ten (1 vs 2 goroutines):
	//
	//	n =  64:  12 / 12   vs  16 / 18.5    serial wins in 10 of 10
	//	n =  96:  35 / 36   vs  40 / 44.5    serial wins in 10 of 10
	//	n = 128:  88 / 88.5 vs  65 / 75.5    parallel wins in 9 of 10
	//	n = 160: 165 / 168  vs 105 / 125     parallel wins in 7 of 10
	//	n = 256: 654        vs 378           (best) 1.73×
	//
	// The crossover lies between n = 96 and n = 128, i.e. between
	// 96³/2 and 128³/2 multiply–adds per goroutine; a threshold of 96³
	// per goroutine puts n = 128 on two goroutines and n = 96 on one.
	// (The earlier 128³ was measured with both cores ~95 % busy and left
	// n = 128 serial.)
	defaultParallelWork = 96 * 96 * 96
)

// parallelWork is defaultParallelWork; BenchmarkDgemmThreshold lowers it to
// time the parallel path on products that would otherwise run serially.
var parallelWork = defaultParallelWork

// Dgemm performs one of the matrix-matrix operations
//
//	C = alpha * A * B + beta * C
//	C = alpha * Aᵀ * B + beta * C
//	C = alpha * A * Bᵀ + beta * C
//	C = alpha * Aᵀ * Bᵀ + beta * C
//
// where A is an m×k or k×m dense matrix, B is an n×k or k×n dense matrix, C
// is an m×n matrix, all row-major with strides lda, ldb and ldc, and alpha
// and beta are scalars. tA and tB specify whether A or B are transposed
// (ConjTrans means Trans for real matrices).
//
// It follows the reference BLAS exactly on the special values: beta = 0
// overwrites C without reading it (so NaNs in C disappear), alpha = 0 or
// k = 0 only scales C by beta. Bad arguments panic with gonum's messages.
func (impl Implementation) Dgemm(tA, tB gblas.Transpose, m, n, k int, alpha float64, a []float64, lda int, b []float64, ldb int, beta float64, c []float64, ldc int) {
	valid := validDgemm(tA, tB, m, n, k, a, lda, b, ldb, c, ldc)
	if valid && m <= thinRows && m*n*k >= smallWork && tB == gblas.NoTrans && thinRow != nil {
		// A row or two times an untransposed B: gemmThin, gonum's
		// arithmetic with C held in registers (thin.go).
		if (alpha == 0 || k == 0) && beta == 1 {
			return
		}
		scale(beta, m, n, c, ldc)
		if alpha != 0 && k != 0 {
			gemmThin(tA != gblas.NoTrans, m, n, k, alpha, a, lda, b, ldb, c, ldc)
		}
		return
	}
	if !valid || m*n*k < smallWork || min(m, n) <= thinRows {
		// gonum panics with its own message on bad arguments, and is
		// the faster choice for tiny products.
		impl.Implementation.Dgemm(tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
		return
	}
	aT, bT := tA != gblas.NoTrans, tB != gblas.NoTrans
	if CurrentPrecision() == Float32 {
		dgemm(kernel32For(m), runtime.GOMAXPROCS(0), aT, bT, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, nil)
		return
	}
	dgemm(kernel, runtime.GOMAXPROCS(0), aT, bT, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, nil)
}

// validDgemm reports whether the arguments pass gonum's Dgemm checks, in
// the same order; when they do not, the caller lets gonum panic.
func validDgemm(tA, tB gblas.Transpose, m, n, k int, a []float64, lda int, b []float64, ldb int, c []float64, ldc int) bool {
	okT := func(t gblas.Transpose) bool {
		return t == gblas.NoTrans || t == gblas.Trans || t == gblas.ConjTrans
	}
	if !okT(tA) || !okT(tB) || m < 0 || n < 0 || k < 0 {
		return false
	}
	aT, bT := tA != gblas.NoTrans, tB != gblas.NoTrans
	if (aT && lda < max(1, m)) || (!aT && lda < max(1, k)) {
		return false
	}
	if (bT && ldb < max(1, k)) || (!bT && ldb < max(1, n)) {
		return false
	}
	if ldc < max(1, n) {
		return false
	}
	if m == 0 || n == 0 {
		return true
	}
	if (aT && len(a) < (k-1)*lda+m) || (!aT && len(a) < (m-1)*lda+k) {
		return false
	}
	if (bT && len(b) < (n-1)*ldb+k) || (!bT && len(b) < (k-1)*ldb+n) {
		return false
	}
	return len(c) >= (m-1)*ldc+n
}

// dgemm is Dgemm after argument checking, with the kernel and the number of
// goroutines as parameters so tests can force the portable kernel and the
// parallel path. pre, when set, is op(B) packed whole in advance for kern
// (PackedB), and b is not read.
func dgemm[T element](kern *microKernel[T], threads int, aT, bT bool, m, n, k int, alpha float64, a []float64, lda int, b []float64, ldb int, beta float64, c []float64, ldc int, pre *packedOperand[T]) {
	if m == 0 || n == 0 || ((alpha == 0 || k == 0) && beta == 1) {
		return
	}
	if alpha == 0 || k == 0 {
		scale(beta, m, n, c, ldc)
		return
	}
	tilesM := (m + kern.mr - 1) / kern.mr
	tilesN := (n + kern.nr - 1) / kern.nr
	threads = min(threads, max(1, m*n*k/parallelWork), max(tilesM, tilesN))
	if threads <= 1 {
		scale(beta, m, n, c, ldc)
		gemmSerial(kern, aT, bT, m, n, k, alpha, a, lda, b, ldb, c, ldc, pre, 0)
		return
	}

	// Split C into independent stripes along its longer side (in tiles),
	// one per goroutine. Each goroutine packs its own part of the shared
	// operand and all of the other: for a split along n the A block is
	// packed once per goroutine, which costs m·k copies against m·k·n/threads
	// flops, negligible once n/threads is more than a few tiles.
	var wg sync.WaitGroup
	splitN := tilesN >= tilesM
	tiles, q := tilesM, kern.mr
	if splitN {
		tiles, q = tilesN, kern.nr
	}
	for t := 0; t < threads; t++ {
		lo := tiles * t / threads * q
		hi := min(tiles*(t+1)/threads*q, m)
		if splitN {
			hi = min(tiles*(t+1)/threads*q, n)
		}
		if lo >= hi {
			continue
		}
		wg.Add(1)
		go func(lo, hi int) {
			defer wg.Done()
			if splitN {
				// Columns lo:hi of op(B) and C.
				boff := lo
				if bT {
					boff = lo * ldb
				}
				if pre != nil {
					boff = 0
				}
				scale(beta, m, hi-lo, c[lo:], ldc)
				gemmSerial(kern, aT, bT, m, hi-lo, k, alpha, a, lda, b[boff:], ldb, c[lo:], ldc, pre, lo)
				return
			}
			// Rows lo:hi of op(A) and C.
			aoff := lo * lda
			if aT {
				aoff = lo
			}
			scale(beta, hi-lo, n, c[lo*ldc:], ldc)
			gemmSerial(kern, aT, bT, hi-lo, n, k, alpha, a[aoff:], lda, b, ldb, c[lo*ldc:], ldc, pre, 0)
		}(lo, hi)
	}
	wg.Wait()
}

// scale sets the m×n matrix C to beta·C. beta = 0 writes zeros without
// reading C, as the reference BLAS does, so NaN and Inf in C are cleared.
func scale(beta float64, m, n int, c []float64, ldc int) {
	switch beta {
	case 1:
		return
	case 0:
		for i := 0; i < m; i++ {
			clear(c[i*ldc : i*ldc+n])
		}
	default:
		for i := 0; i < m; i++ {
			row := c[i*ldc : i*ldc+n]
			for j := range row {
				row[j] *= beta
			}
		}
	}
}
