package word2vec

import (
	"math"
	"math/rand/v2"
	"testing"
)

// tolKernel bounds the difference between the assembly kernels and the Go
// loops, relative to Σ|x_i·y_i|: both sum in float32 but in a different
// order and the assembly fuses each multiply–add, so they differ by a few
// float32 roundings (2⁻²⁴ ≈ 6e-8 each) per element at worst.
const tolKernel = 1e-5

func randRow(rng *rand.Rand, n int) []float32 {
	x := make([]float32, n)
	for i := range x {
		x[i] = float32(rng.NormFloat64())
	}
	return x
}

// TestKernelsMatchGo pins the AVX2 kernels to the Go loops at every length
// from 0 to 40 (each tail path) and at the usual dimensions.
func TestKernelsMatchGo(t *testing.T) {
	if !useAVX2 {
		t.Skip("no AVX2+FMA on this machine: only the Go loops run")
	}
	rng := rand.New(rand.NewPCG(1, 1))
	lengths := []int{100, 200, 300}
	for n := 0; n <= 40; n++ {
		lengths = append(lengths, n)
	}
	for _, n := range lengths {
		x, y, e := randRow(rng, n), randRow(rng, n), randRow(rng, n)
		var scale float64
		for i := range x {
			scale += math.Abs(float64(x[i] * y[i]))
		}
		useAVX2 = false
		want := dot(x, y)
		useAVX2 = true
		got := dot(x, y)
		if math.Abs(float64(got-want)) > tolKernel*(scale+1) {
			t.Errorf("n=%d: dot = %g, Go loop %g", n, got, want)
		}

		const a = 0.37
		y1, y2 := append([]float32(nil), y...), append([]float32(nil), y...)
		axpyGo(a, x, y1)
		axpy(a, x, y2)
		for i := range y1 {
			if math.Abs(float64(y1[i]-y2[i])) > tolKernel*(1+math.Abs(float64(y1[i]))) {
				t.Fatalf("n=%d: axpy[%d] = %g, Go loop %g", n, i, y2[i], y1[i])
			}
		}

		t1, t2 := append([]float32(nil), y...), append([]float32(nil), y...)
		e1, e2 := append([]float32(nil), e...), append([]float32(nil), e...)
		fusedGo(a, x, t1, e1)
		fused(a, x, t2, e2)
		for i := range t1 {
			if math.Abs(float64(t1[i]-t2[i])) > tolKernel*(1+math.Abs(float64(t1[i]))) ||
				math.Abs(float64(e1[i]-e2[i])) > tolKernel*(1+math.Abs(float64(e1[i]))) {
				t.Fatalf("n=%d: fused[%d] = (%g, %g), Go loop (%g, %g)", n, i, t2[i], e2[i], t1[i], e1[i])
			}
		}
	}
}

// TestFusedOrder checks that fused reads t before updating it, as
// word2vec.c's two statements do.
func TestFusedOrder(t *testing.T) {
	for _, asm := range []bool{false, useAVX2} {
		useAVX2 = asm
		in, tv, e := []float32{1, 2, 3, 4, 5}, []float32{10, 20, 30, 40, 50}, make([]float32, 5)
		fused(0.5, in, tv, e)
		for i := range in {
			if wantE, wantT := 0.5*float32(10*(i+1)), float32(10*(i+1))+0.5*float32(i+1); e[i] != wantE || tv[i] != wantT {
				t.Errorf("asm=%v: element %d: e=%g t=%g, want %g %g", asm, i, e[i], tv[i], wantE, wantT)
			}
		}
	}
}

// TestKernelsDoNotAllocate: the training step allocates nothing.
func TestKernelsDoNotAllocate(t *testing.T) {
	x, y, e := make([]float32, 100), make([]float32, 100), make([]float32, 100)
	if n := testing.AllocsPerRun(100, func() {
		fused(0.1, x, y, e)
		axpy(dot(x, y), x, y)
	}); n != 0 {
		t.Errorf("%v allocations per step", n)
	}
}

func BenchmarkKernels(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 1))
	for _, asm := range []bool{false, true} {
		if asm && !cpuHasAVX2 {
			continue
		}
		name := "go"
		if asm {
			name = "avx2"
		}
		x, y, e := randRow(rng, 100), randRow(rng, 100), randRow(rng, 100)
		b.Run(name+"/d=100", func(b *testing.B) {
			defer func(v bool) { useAVX2 = v }(useAVX2)
			useAVX2 = asm
			var s float32
			for b.Loop() {
				s += dot(x, y)
				fused(1e-9, x, y, e)
			}
			b.ReportMetric(float64(b.N)*200/b.Elapsed().Seconds()/1e9, "GFLOP/s")
			_ = s
		})
	}
}
