//go:build !amd64

package blas

// selectKernel returns the portable Go kernel: there is no assembly kernel
// for this architecture.
func selectKernel() *microKernel[float64] { return goKernel }

// availableKernels lists every kernel this CPU can run: only the portable one.
func availableKernels() []*microKernel[float64] { return []*microKernel[float64]{goKernel} }

// HasAVX2FMA reports whether this CPU can run AVX2+FMA code: never off amd64.
func HasAVX2FMA() bool { return false }

// selectKernel32 returns the portable single-precision kernel.
func selectKernel32() *microKernel[float32] { return goKernel32 }

// availableKernels32 lists every single-precision kernel this CPU can run:
// only the portable one.
func availableKernels32() []*microKernel[float32] { return []*microKernel[float32]{goKernel32} }

// cvtRows and packBT are their Go definitions: no kernel here has mr or
// nr of 6 or more, so packAConv and packBConv do not call them, but the
// package builds.
func cvtRows(d []float32, ds int, b []float64, ldb, k, w int) { cvtRowsGo(d, ds, b, ldb, k, w) }
func packBT(d []float32, ds int, b []float64, ldb, k, w int)  { packBTGo(d, ds, b, ldb, k, w) }
