//go:build !amd64

package blas

// selectKernel returns the portable Go kernel: there is no assembly kernel
// for this architecture.
func selectKernel() *microKernel { return goKernel }

// availableKernels lists every kernel this CPU can run: only the portable one.
func availableKernels() []*microKernel { return []*microKernel{goKernel} }

// HasAVX2FMA reports whether this CPU can run AVX2+FMA code: never off amd64.
func HasAVX2FMA() bool { return false }
