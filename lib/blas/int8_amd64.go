package blas

// hasVNNI reports whether Int8Gemm can use the AVX-512 VNNI kernels: the
// CPU has AVX-512F and AVX512_VNNI (CPUID leaf 7, ECX bit 11) and the OS
// saves the ZMM state.
var hasVNNI = func() bool {
	if !hasAVX512() {
		return false
	}
	_, _, ecx7, _ := cpuid(7, 0)
	const avx512vnni = 1 << 11
	return ecx7&avx512vnni != 0
}()

// int8Kernel6x64 and int8Kernel1x64 are implemented in int8_amd64.s. For
// k4 groups of 4 along k, they set the 6×64 (1×64) int32 tile at c (row
// stride ldc elements) to
//
//	c[i, j] = Σ_p au[i*lda + p]·bp[j, p] − corr[j]
//
// with au the unsigned (+128) rows of A (stride lda bytes), bp one packed
// panel of Int8B and corr its 128·column sums.
//
//go:noescape
func int8Kernel6x64(k4 int, au *uint8, lda int, bp *int8, corr *int32, c *int32, ldc int)

//go:noescape
func int8Kernel1x64(k4 int, au *uint8, bp *int8, corr *int32, c *int32)

// int8Kernel6x16AVX2 and int8Kernel1x16AVX2 are implemented in
// int8_avx2_amd64.s. For k2 groups of 2 along k, they set the 6×16 (1×16)
// int32 tile at c (row stride ldc elements) to
//
//	c[i, j] = Σ_p a16[i, p]·bp[j, p]
//
// with a16 the int16 rows of A (stride lda bytes, k padded to even) and bp
// one packed 16-column panel of Int8B.
//
//go:noescape
func int8Kernel6x16AVX2(k2 int, a16 *int16, lda int, bp *int8, c *int32, ldc int)

//go:noescape
func int8Kernel1x16AVX2(k2 int, a16 *int16, bp *int8, c *int32)
