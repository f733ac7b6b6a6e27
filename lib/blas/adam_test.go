package blas

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestAdamStep pins AdamStep to the scalar loop bit for bit, for every
// length 0…13 and one long slice, over three steps, with and without
// weight decay and with zero gradients among the others.
func TestAdamStep(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	for _, n := range []int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 1001} {
		for _, decay := range []float64{1, 0.999} {
			w, g, m, v := make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n)
			for i := range w {
				w[i] = rng.NormFloat64()
			}
			w2, m2, v2 := append([]float64(nil), w...), make([]float64, n), make([]float64, n)
			for step := 1; step <= 3; step++ {
				for i := range g {
					g[i] = rng.NormFloat64()
					if rng.IntN(4) == 0 {
						g[i] = 0
					}
				}
				stepSize := 1e-3 / (1 - math.Pow(0.9, float64(step)))
				sqrtBC2 := math.Sqrt(1 - math.Pow(0.999, float64(step)))
				AdamStep(w, g, m, v, 0.9, 0.999, 1e-8, stepSize, sqrtBC2, decay)
				adamGo(w2, g, m2, v2, 0.9, 0.999, 1e-8, stepSize, sqrtBC2, decay)
			}
			for i := range w {
				if math.Float64bits(w[i]) != math.Float64bits(w2[i]) || math.Float64bits(m[i]) != math.Float64bits(m2[i]) ||
					math.Float64bits(v[i]) != math.Float64bits(v2[i]) {
					t.Fatalf("n=%d decay=%g: element %d: w, m, v = %v, %v, %v; scalar %v, %v, %v",
						n, decay, i, w[i], m[i], v[i], w2[i], m2[i], v2[i])
				}
			}
		}
	}
}

// BenchmarkAdamStep times AdamStep against the scalar loop on a 256×4000
// output layer.
func BenchmarkAdamStep(b *testing.B) {
	const n = 256 * 4000
	w, g, m, v := make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n)
	for i := range g {
		g[i] = 1e-3
	}
	b.Run("AdamStep", func(b *testing.B) {
		for b.Loop() {
			AdamStep(w, g, m, v, 0.9, 0.999, 1e-8, 1e-3, 0.5, 1)
		}
	})
	b.Run("scalar", func(b *testing.B) {
		for b.Loop() {
			adamGo(w, g, m, v, 0.9, 0.999, 1e-8, 1e-3, 0.5, 1)
		}
	})
}
