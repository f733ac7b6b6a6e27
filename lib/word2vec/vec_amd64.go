package word2vec

import "github.com/seq2go/seq2go/lib/blas"

// The AVX2+FMA kernels in vec_amd64.s; n is the row length and every
// pointer addresses n float32s.
//
//go:noescape
func dotAVX2(x, y *float32, n int) float32

//go:noescape
func axpyAVX2(a float32, x, y *float32, n int)

//go:noescape
func fusedAVX2(step float32, in, t, e *float32, n int)

// cpuHasAVX2 is whether this CPU can run the assembly kernels, and
// useAVX2 whether they run: tests flip it to compare both paths.
var (
	cpuHasAVX2 = blas.HasAVX2FMA()
	useAVX2    = cpuHasAVX2
)

// dot returns Σ x[i]·y[i] over len(x) elements; y must be at least as long.
func dot(x, y []float32) float32 {
	if useAVX2 && len(x) > 0 {
		_ = y[len(x)-1]
		return dotAVX2(&x[0], &y[0], len(x))
	}
	return dotGo(x, y)
}

// axpy computes y += a·x over len(x) elements.
func axpy(a float32, x, y []float32) {
	if useAVX2 && len(x) > 0 {
		_ = y[len(x)-1]
		axpyAVX2(a, &x[0], &y[0], len(x))
		return
	}
	axpyGo(a, x, y)
}

// fused computes e += g·t, then t += g·in, over len(in) elements.
func fused(g float32, in, t, e []float32) {
	if useAVX2 && len(in) > 0 {
		_, _ = t[len(in)-1], e[len(in)-1]
		fusedAVX2(g, &in[0], &t[0], &e[0], len(in))
		return
	}
	fusedGo(g, in, t, e)
}
