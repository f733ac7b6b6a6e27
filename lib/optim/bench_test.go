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

// BenchmarkClipValue times ClipValue over min-char-rnn's parameters (65
// characters, H = 100: Wx 65×100, Wh 100×100, b 1×100, Wy 100×65, by 1×65)
// with gradients ~ N(0, 3²), so that about one element in ten is clipped at
// 5 — as in min-char-rnn's early steps, where the clip acts at all.
func BenchmarkClipValue(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 1))
	var ps []*nn.Param
	n := 0
	for _, s := range []struct{ r, c int }{{65, 100}, {100, 100}, {1, 100}, {100, 65}, {1, 65}} {
		p := nn.NewParam("p", s.r, s.c)
		p.Grad.Apply(func(int, int, float64) float64 { return 3 * rng.NormFloat64() }, p.Grad)
		ps = append(ps, p)
		n += s.r * s.c
	}
	b.ReportAllocs()
	for b.Loop() {
		optim.ClipValue(ps, 5)
	}
	b.ReportMetric(float64(b.N*n)/b.Elapsed().Seconds(), "params/s")
}
