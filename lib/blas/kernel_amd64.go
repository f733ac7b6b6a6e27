package blas

// cpuid and xgetbv are implemented in cpu_amd64.s. They replace
// golang.org/x/sys/cpu, whose two feature bits are all we need, so that the
// module gains no dependency.
func cpuid(eaxArg, ecxArg uint32) (eax, ebx, ecx, edx uint32)
func xgetbv() (eax, edx uint32)

// hasAVX2FMA reports whether the CPU has AVX2 and FMA3 and the OS saves the
// YMM registers on a context switch (XCR0 bits 1 and 2).
func hasAVX2FMA() bool {
	maxID, _, _, _ := cpuid(0, 0)
	if maxID < 7 {
		return false
	}
	_, _, ecx1, _ := cpuid(1, 0)
	const (
		fma     = 1 << 12
		osxsave = 1 << 27
		avx     = 1 << 28
	)
	if ecx1&(fma|osxsave|avx) != fma|osxsave|avx {
		return false
	}
	if xcr0, _ := xgetbv(); xcr0&6 != 6 {
		return false
	}
	_, ebx7, _, _ := cpuid(7, 0)
	const avx2 = 1 << 5
	return ebx7&avx2 != 0
}

// kernel6x8AVX2 is implemented in kernel_amd64.s; see microKernel.run.
// The 6×8 tile lives in 12 YMM accumulators (Y0–Y11: two 4-wide vectors
// per row of C), Y12–Y13 hold a row of the B micro-panel and Y14–Y15 hold
// broadcast elements of A, so each step along k is 2 loads, 6 broadcasts and
// 12 VFMADD231PD: 96 flops with no register spills.
//
//go:noescape
func kernel6x8AVX2(k int, a, b, c *float64, ldc int, alpha float64)

// kernel6x8StridedAVX2 is kernel6x8AVX2 reading B in place with stride ldb
// (see microKernel.runB).
//
//go:noescape
func kernel6x8StridedAVX2(k int, a, b *float64, ldb int, c *float64, ldc int, alpha float64)

// avx2Kernel is the AVX2+FMA kernel with the BLIS Haswell/Zen blocking:
// the kc×8 B micro-panel (16 KiB at kc = 256) stays in L1d while the 6×kc A
// micro-panels stream from the 144×256 A block (288 KiB) in L2, and the
// 256×4080 B panel (8 MiB) sits in L3.
var avx2Kernel = &microKernel[float64]{
	name: "avx2-6x8",
	mr:   6, nr: 8,
	mc: 144, kc: 256, nc: 4080,
	run: func(k int, a, b, c []float64, ldc int, alpha float64) {
		kernel6x8AVX2(k, &a[0], &b[0], &c[0], ldc, alpha)
	},
	runB: func(k int, a, b []float64, ldb int, c []float64, ldc int, alpha float64) {
		_ = b[(k-1)*ldb+7] // the kernel reads rows 0…k−1, 8 wide
		kernel6x8StridedAVX2(k, &a[0], &b[0], ldb, &c[0], ldc, alpha)
	},
}

// hasAVX512 reports whether the CPU has AVX-512F and the OS saves the
// opmask and ZMM registers on a context switch (XCR0 bits 5–7, besides the
// SSE and AVX bits 1–2).
func hasAVX512() bool {
	if !hasAVX2FMA() {
		return false
	}
	if xcr0, _ := xgetbv(); xcr0&0xe6 != 0xe6 {
		return false
	}
	_, ebx7, _, _ := cpuid(7, 0)
	const avx512f = 1 << 16
	return ebx7&avx512f != 0
}

// kernel8x24AVX512 and kernel8x24StridedAVX512 are implemented in
// kernel512_amd64.s: the 8×24 tile lives in 24 ZMM accumulators.
//
//go:noescape
func kernel8x24AVX512(k int, a, b, c *float64, ldc int, alpha float64)

//go:noescape
func kernel8x24StridedAVX512(k int, a, b *float64, ldb int, c *float64, ldc int, alpha float64)

// avx512Kernel is the AVX-512 kernel. The kc×24 B micro-panel must stay in
// the 32 KiB L1d across the mc/8 A micro-panels: kc = 128 makes it 24 KiB;
// the 192×128 A block (192 KiB) sits in the 1 MiB L2 of Zen 4.
var avx512Kernel = &microKernel[float64]{
	name: "avx512-8x24",
	mr:   8, nr: 24,
	mc: 192, kc: 128, nc: 4080,
	run: func(k int, a, b, c []float64, ldc int, alpha float64) {
		kernel8x24AVX512(k, &a[0], &b[0], &c[0], ldc, alpha)
	},
	runB: func(k int, a, b []float64, ldb int, c []float64, ldc int, alpha float64) {
		_ = b[(k-1)*ldb+23] // the kernel reads rows 0…k−1, 24 wide
		kernel8x24StridedAVX512(k, &a[0], &b[0], ldb, &c[0], ldc, alpha)
	},
}

// selectKernel picks the fastest kernel this CPU supports: the AVX2 6×8,
// with the AVX-512 8×24 as its alternative on the in-place path when the
// CPU has AVX-512 (see inPlaceKernel). On the packed path of square
// products the 8×24 was not faster (BenchmarkKernels, n = 256…1024: 30–40
// GFLOPS against 34–48 for the 6×8, same run): Zen 4 executes a 512-bit FMA
// as two 256-bit halves, so both kernels share one arithmetic ceiling, and
// the 6×8 has the cheaper packing.
func selectKernel() *microKernel[float64] {
	if hasAVX512() {
		k := *avx2Kernel
		k.name = "avx2-6x8+avx512-8x24"
		k.alt = avx512Kernel
		return &k
	}
	if hasAVX2FMA() {
		return avx2Kernel
	}
	return goKernel
}

// availableKernels lists every kernel this CPU can run, the portable one
// first; the tests and benchmarks run each of them.
func availableKernels() []*microKernel[float64] {
	ks := []*microKernel[float64]{goKernel}
	if hasAVX2FMA() {
		ks = append(ks, avx2Kernel)
	}
	if hasAVX512() {
		ks = append(ks, avx512Kernel)
	}
	return ks
}

// HasAVX2FMA reports whether this CPU can run AVX2+FMA code: the CPU has
// both and the OS saves the YMM registers. Other packages with assembly
// kernels of their own (lib/word2vec) ask here rather than probe again.
func HasAVX2FMA() bool { return hasAVX2FMA() }

// kernel6x16F32AVX2 is implemented in kernel32_amd64.s: the single-precision
// kernel of SetPrecision(Float32), kernel6x8AVX2's twelve YMM accumulators
// holding 8 float32 columns each. Products and sums along k are float32;
// the tile is widened to float64 as it is added into C.
//
//go:noescape
func kernel6x16F32AVX2(k int, a, b *float32, c *float64, ldc int, alpha float64)

// cvtRowsAVX and packBTAVX are implemented in kernel32_amd64.s; see
// cvtRows and packBT.
//
//go:noescape
func cvtRowsAVX(d *float32, ds int, b *float64, ldb, k, w int)

//go:noescape
func packBTAVX(d *float32, ds int, b *float64, ldb, k, w int)

// avx2Kernel32 is the AVX2+FMA single-precision kernel. Twice the columns
// of avx2Kernel at the same byte sizes: the kc×16 B micro-panel is 16 KiB
// at kc = 256, as the 6×8 float64 one.
var avx2Kernel32 = &microKernel[float32]{
	name: "avx2-6x16-f32",
	mr:   6, nr: 16,
	mc: 144, kc: 256, nc: 4080,
	run: func(k int, a, b []float32, c []float64, ldc int, alpha float64) {
		kernel6x16F32AVX2(k, &a[0], &b[0], &c[0], ldc, alpha)
	},
}

// kernel8x32F32AVX512 is implemented in kernel32_amd64.s: 16 ZMM
// accumulators of 16 float32 each.
//
//go:noescape
func kernel8x32F32AVX512(k int, a, b *float32, c *float64, ldc int, alpha float64)

// avx512Kernel32 is the AVX-512 single-precision kernel. Its kc×32 B
// micro-panel is 24 KiB at kc = 192, in the 32 KiB L1d; the 192×192 A block
// is 144 KiB of the 1 MiB L2.
var avx512Kernel32 = &microKernel[float32]{
	name: "avx512-8x32-f32",
	mr:   8, nr: 32,
	mc: 192, kc: 192, nc: 4096,
	run: func(k int, a, b []float32, c []float64, ldc int, alpha float64) {
		kernel8x32F32AVX512(k, &a[0], &b[0], &c[0], ldc, alpha)
	},
}

// selectKernel32 picks the single-precision kernel for SetPrecision(Float32):
// the AVX2 6×16, with the AVX-512 8×32 as its alternative for short
// products when the CPU has AVX-512 (see kernel32For).
func selectKernel32() *microKernel[float32] {
	if hasAVX512() {
		k := *avx2Kernel32
		k.name = "avx2-6x16-f32+avx512-8x32-f32"
		k.alt = avx512Kernel32
		return &k
	}
	if hasAVX2FMA() {
		return avx2Kernel32
	}
	return goKernel32
}

// availableKernels32 lists every single-precision kernel this CPU can run,
// the portable one first.
func availableKernels32() []*microKernel[float32] {
	ks := []*microKernel[float32]{goKernel32}
	if hasAVX2FMA() {
		ks = append(ks, avx2Kernel32)
	}
	if hasAVX512() {
		ks = append(ks, avx512Kernel32)
	}
	return ks
}

// cvtRows sets d[p*ds+j] = float32(b[p*ldb+j]) for p < k, j < w, with w a
// multiple of 4: it converts k rows of w float64 into rows of a float32
// micro-panel. It is reached only with the AVX kernels (mr and nr of 6 or
// more, see packAConv and packBConv).
func cvtRows(d []float32, ds int, b []float64, ldb, k, w int) {
	if k == 0 {
		return
	}
	_, _ = d[(k-1)*ds+w-1], b[(k-1)*ldb+w-1]
	cvtRowsAVX(&d[0], ds, &b[0], ldb, k, w)
}

// packBT sets d[p*ds+j] = float32(b[j*ldb+p]) for p < k, j < w, with w a
// multiple of 4: it packs w stored rows of b, transposed, into rows of a
// float32 micro-panel, in assembly for the multiple of 4 in k and in Go
// for the rest. Like cvtRows it is reached only with the AVX kernels.
func packBT(d []float32, ds int, b []float64, ldb, k, w int) {
	if k == 0 {
		return
	}
	_, _ = d[(k-1)*ds+w-1], b[(w-1)*ldb+k-1]
	k4 := k &^ 3
	if k4 > 0 {
		packBTAVX(&d[0], ds, &b[0], ldb, k4, w)
	}
	if k4 < k {
		packBTGo(d[ds*k4:], ds, b[k4:], ldb, k-k4, w)
	}
}
