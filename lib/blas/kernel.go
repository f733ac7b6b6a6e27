package blas

// microKernel describes one register-blocked micro-kernel and the cache
// blocking that suits it (see the package documentation for the loops).
//
// run computes, for a kc-long pair of packed micro-panels a (mr×kc, stored
// column by column: a[p*mr+i] = A[i,p]) and b (kc×nr, stored row by row:
// b[p*nr+j] = B[p,j]),
//
//	C[i,j] += alpha · sum_p a[p*mr+i] · b[p*nr+j]   for 0 ≤ i < mr, 0 ≤ j < nr
//
// where C[i,j] is c[i*ldc+j]. The tile is always full: the driver hands
// edge tiles a scratch buffer and copies the valid part back.
//
// T is the element type of the packed panels and of the arithmetic: float64
// for Dgemm's own precision, float32 for products computed in single
// precision (SetPrecision); C stays float64 either way.
type microKernel[T element] struct {
	name   string
	mr, nr int // register tile: mr rows × nr columns of C
	mc, kc int // A block mc×kc, packed, sized to sit in L2
	nc     int // B panel kc×nc, packed, sized to sit in L3
	run    func(k int, a, b []T, c []float64, ldc int, alpha float64)

	// runB is run with B read in place instead of packed: row p of the
	// kc×nr block is b[p*ldb : p*ldb+nr]. The small-m path (smallm.go)
	// uses it so that a thin product does not copy all of B first.
	// Only float64 kernels have it: a float32 kernel needs B converted,
	// that is, packed.
	runB func(k int, a, b []T, ldb int, c []float64, ldc int, alpha float64)

	// alt, when set, is a second kernel for the in-place path, used for an
	// m×n product when its tile pads less work: see inPlaceKernel.
	alt *microKernel[T]
}

// element is the type of the packed operands and of the arithmetic of a
// micro-kernel.
type element interface{ float32 | float64 }

// inPlaceKernel returns the kernel for an m×n product on the in-place path:
// kern, or kern.alt when alt's tiles cover m×n with strictly less padding
// (fewer computed elements roundUp(m, mr)·roundUp(n, nr)). With the AVX2
// 6×8 and the AVX-512 8×24 kernel, whose arithmetic ceilings are the same
// on Zen 4 (55 GFLOPS each in BenchmarkMicroKernel), padding decides: B = 32
// rows fill four 8-row tiles but not six 6-row ones. Measured
// (BenchmarkKernels, one goroutine, GFLOPS avx2 vs avx512): forward
// 32×1024×256 39 vs 50, backward 32×256×1024 44 vs 45 (a tie: 4H×H padding
// is equal), backward 96×128×512 51 vs 40 (the 24-wide tiles pad 128 to 144).
func inPlaceKernel(kern *microKernel[float64], m, n int) *microKernel[float64] {
	if a := kern.alt; a != nil && roundUp(m, a.mr)*roundUp(n, a.nr) < roundUp(m, kern.mr)*roundUp(n, kern.nr) {
		return a
	}
	return kern
}

// goKernel is the portable micro-kernel: a 4×4 tile held in 16 scalar
// local variables, which the Go compiler keeps in registers. It is the
// fallback on CPUs without AVX2+FMA and on other architectures, and is what
// the tests pin the assembly kernels against.
//
// Blocking: the 4×kc A micro-panel and the kc×4 B micro-panel take
// 2·4·256·8 B = 16 KiB, half of a 32 KiB L1d; the 128×256 A block takes
// 256 KiB of L2.
var goKernel = &microKernel[float64]{
	name: "go4x4",
	mr:   4, nr: 4,
	mc: 128, kc: 256, nc: 4096,
	run:  kernel4x4Go[float64],
	runB: kernel4x4StridedGo[float64],
}

// goKernel32 is goKernel in single precision, the float32 product's
// fallback on CPUs without AVX2+FMA (SetPrecision).
var goKernel32 = &microKernel[float32]{
	name: "go4x4-f32",
	mr:   4, nr: 4,
	mc: 128, kc: 256, nc: 4096,
	run: kernel4x4Go[float32],
}

// kernel4x4Go is the portable 4×4 micro-kernel (see microKernel.run): a
// packed k×4 B micro-panel is the unpacked case with row stride 4.
func kernel4x4Go[T element](k int, a, b []T, c []float64, ldc int, alpha float64) {
	kernel4x4StridedGo(k, a, b, 4, c, ldc, alpha)
}

// kernel4x4StridedGo is the 4×4 micro-kernel reading B unpacked: row p of
// the k×4 block is b[p*ldb : p*ldb+4] (see microKernel.runB).
// The accumulators have the panels' type T.
func kernel4x4StridedGo[T element](k int, a, b []T, ldb int, c []float64, ldc int, alpha float64) {
	var (
		c00, c01, c02, c03 T
		c10, c11, c12, c13 T
		c20, c21, c22, c23 T
		c30, c31, c32, c33 T
	)
	a = a[:4*k]
	for p := 0; p < k; p++ {
		ap := a[4*p : 4*p+4 : 4*p+4]
		bp := b[p*ldb : p*ldb+4 : p*ldb+4]
		a0, a1, a2, a3 := ap[0], ap[1], ap[2], ap[3]
		b0, b1, b2, b3 := bp[0], bp[1], bp[2], bp[3]
		c00 += a0 * b0
		c01 += a0 * b1
		c02 += a0 * b2
		c03 += a0 * b3
		c10 += a1 * b0
		c11 += a1 * b1
		c12 += a1 * b2
		c13 += a1 * b3
		c20 += a2 * b0
		c21 += a2 * b1
		c22 += a2 * b2
		c23 += a2 * b3
		c30 += a3 * b0
		c31 += a3 * b1
		c32 += a3 * b2
		c33 += a3 * b3
	}
	r := c[0:4:4]
	r[0] += alpha * float64(c00)
	r[1] += alpha * float64(c01)
	r[2] += alpha * float64(c02)
	r[3] += alpha * float64(c03)
	r = c[ldc : ldc+4 : ldc+4]
	r[0] += alpha * float64(c10)
	r[1] += alpha * float64(c11)
	r[2] += alpha * float64(c12)
	r[3] += alpha * float64(c13)
	r = c[2*ldc : 2*ldc+4 : 2*ldc+4]
	r[0] += alpha * float64(c20)
	r[1] += alpha * float64(c21)
	r[2] += alpha * float64(c22)
	r[3] += alpha * float64(c23)
	r = c[3*ldc : 3*ldc+4 : 3*ldc+4]
	r[0] += alpha * float64(c30)
	r[1] += alpha * float64(c31)
	r[2] += alpha * float64(c32)
	r[3] += alpha * float64(c33)
}
