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

// avx2Kernel is the AVX2+FMA kernel with the BLIS Haswell/Zen blocking:
// the kc×8 B micro-panel (16 KiB at kc = 256) stays in L1d while the 6×kc A
// micro-panels stream from the 144×256 A block (288 KiB) in L2, and the
// 256×4080 B panel (8 MiB) sits in L3.
var avx2Kernel = &microKernel{
	name: "avx2-6x8",
	mr:   6, nr: 8,
	mc: 144, kc: 256, nc: 4080,
	run: func(k int, a, b, c []float64, ldc int, alpha float64) {
		kernel6x8AVX2(k, &a[0], &b[0], &c[0], ldc, alpha)
	},
}

// selectKernel picks the fastest kernel this CPU supports.
func selectKernel() *microKernel {
	if hasAVX2FMA() {
		return avx2Kernel
	}
	return goKernel
}
