package blas

import (
	"fmt"
	"testing"
)

// BenchmarkMicroKernel times each micro-kernel alone on L1-resident packed
// panels (k = 128): the ceiling the blocked product can reach.
func BenchmarkMicroKernel(b *testing.B) {
	for _, kern := range availableKernels() {
		benchMicroKernel(b, kern)
	}
	for _, kern := range availableKernels32() {
		benchMicroKernel(b, kern)
	}
}

func benchMicroKernel[T element](b *testing.B, kern *microKernel[T]) {
	const k = 128
	a := make([]T, kern.mr*k)
	bb := make([]T, kern.nr*k)
	c := make([]float64, kern.mr*kern.nr)
	for i := range a {
		a[i] = 1e-3
	}
	b.Run(fmt.Sprintf("%s/k=%d", kern.name, k), func(b *testing.B) {
		for b.Loop() {
			kern.run(k, a, bb, c, kern.nr, 1)
		}
		b.ReportMetric(2*float64(kern.mr*kern.nr*k)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOPS")
	})
}
