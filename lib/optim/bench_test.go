package optim_test

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/seq2go/seq2go/lib/nn"
	"github.com/seq2go/seq2go/lib/optim"
)

// BenchmarkStep times one Step of each optimizer over a V×H embedding-sized
// parameter, reporting parameters updated per second.
func BenchmarkStep(b *testing.B) {
	for _, size := range []struct{ r, c int }{{64, 64}, {1000, 256}} {
		for _, m := range makers {
			b.Run(fmt.Sprintf("%s/%d×%d", m.name, size.r, size.c), func(b *testing.B) {
				rng := rand.New(rand.NewPCG(1, 1))
				p := nn.NewParam("W", size.r, size.c)
				p.Grad.Apply(func(int, int, float64) float64 { return rng.NormFloat64() }, p.Grad)
				opt := m.make([]*nn.Param{p})
				b.ReportAllocs()
				for b.Loop() {
					opt.Step()
				}
				b.ReportMetric(float64(b.N*size.r*size.c)/b.Elapsed().Seconds(), "params/s")
			})
		}
	}
}

// BenchmarkClipGlobalNorm times the norm and the rescale over the same sizes.
func BenchmarkClipGlobalNorm(b *testing.B) {
	for _, size := range []struct{ r, c int }{{64, 64}, {1000, 256}} {
		b.Run(fmt.Sprintf("%d×%d", size.r, size.c), func(b *testing.B) {
			g := mat.NewDense(size.r, size.c, nil)
			g.Apply(func(int, int, float64) float64 { return 1 }, g)
			ps := []*nn.Param{{Name: "W", Value: mat.NewDense(size.r, size.c, nil), Grad: g}}
			b.ReportAllocs()
			for b.Loop() {
				optim.ClipGlobalNorm(ps, 1e9) // norm only, no rescale
			}
		})
	}
}
