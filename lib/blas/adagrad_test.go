package blas

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestAdagradStep pins AdagradStep to the scalar loop bit for bit, for
// every length 0…13 and one long slice, over three steps (so s grows),
// with zero gradients and eps = 0 among them.
func TestAdagradStep(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	for _, n := range []int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 1001} {
		for _, eps := range []float64{1e-8, 0} {
			w, g, s := make([]float64, n), make([]float64, n), make([]float64, n)
			for i := range w {
				w[i], s[i] = rng.NormFloat64(), rng.Float64()
			}
			w2, s2 := append([]float64(nil), w...), append([]float64(nil), s...)
			for step := 0; step < 3; step++ {
				for i := range g {
					g[i] = rng.NormFloat64()
					if rng.IntN(4) == 0 {
						g[i] = 0
					}
				}
				AdagradStep(w, g, s, 0.1, eps)
				adagradGo(w2, g, s2, 0.1, eps)
			}
			for i := range w {
				if math.Float64bits(w[i]) != math.Float64bits(w2[i]) || math.Float64bits(s[i]) != math.Float64bits(s2[i]) {
					t.Fatalf("n=%d eps=%g: w[%d], s[%d] = %v, %v; scalar %v, %v", n, eps, i, i, w[i], s[i], w2[i], s2[i])
				}
			}
		}
	}
}

// BenchmarkAdagradStep times AdagradStep against the scalar loop on
// min-char-rnn's largest parameter (100×100).
func BenchmarkAdagradStep(b *testing.B) {
	const n = 100 * 100
	w, g, s := make([]float64, n), make([]float64, n), make([]float64, n)
	for i := range g {
		g[i] = 1e-3
	}
	b.Run("AdagradStep", func(b *testing.B) {
		for b.Loop() {
			AdagradStep(w, g, s, 0.1, 1e-8)
		}
	})
	b.Run("scalar", func(b *testing.B) {
		for b.Loop() {
			adagradGo(w, g, s, 0.1, 1e-8)
		}
	})
}
