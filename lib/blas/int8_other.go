//go:build !amd64

package blas

// hasVNNI is false: there is no int8 kernel for this architecture, and
// Int8Gemm runs its Go loop.
const hasVNNI = false

func int8Kernel6x64(k4 int, au *uint8, lda int, bp *int8, corr *int32, c *int32, ldc int) {
	panic("unreachable")
}

func int8Kernel1x64(k4 int, au *uint8, bp *int8, corr *int32, c *int32) {
	panic("unreachable")
}

func int8Kernel6x16AVX2(k2 int, a16 *int16, lda int, bp *int8, c *int32, ldc int) {
	panic("unreachable")
}

func int8Kernel1x16AVX2(k2 int, a16 *int16, bp *int8, c *int32) { panic("unreachable") }
