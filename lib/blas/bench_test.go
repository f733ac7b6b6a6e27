package blas

import (
	"fmt"
	"math/rand/v2"
	"testing"

	gblas "gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/gonum"
)

// benchDgemm times C = op(A)·op(B) for an m×n×k product with impl and
// reports GFLOPS = 2·m·n·k per call. Run with -cpu 1,2 for one and two
// goroutines; both implementations use runtime.GOMAXPROCS(0).
func benchDgemm(b *testing.B, impl interface {
	Dgemm(tA, tB gblas.Transpose, m, n, k int, alpha float64, a []float64, lda int, b []float64, ldb int, beta float64, c []float64, ldc int)
}, tA, tB gblas.Transpose, m, n, k int) {
	rng := rand.New(rand.NewPCG(1, 1))
	fill := func(n int) []float64 {
		s := make([]float64, n)
		for i := range s {
			s[i] = rng.NormFloat64()
		}
		return s
	}
	a, bb, c := fill(m*k), fill(k*n), fill(m*n)
	lda, ldb := k, n
	if tA == gblas.Trans {
		lda = m
	}
	if tB == gblas.Trans {
		ldb = k
	}
	for b.Loop() {
		impl.Dgemm(tA, tB, m, n, k, 1, a, lda, bb, ldb, 0, c, n)
	}
	b.ReportMetric(2*float64(m)*float64(n)*float64(k)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOPS")
}

// BenchmarkDgemm compares this package with gonum on square n×n×n products
// (gonum only up to n = 1024, which already takes it a quarter second).
func BenchmarkDgemm(b *testing.B) {
	for _, n := range []int{64, 128, 256, 512, 1024, 2048} {
		b.Run(fmt.Sprintf("ours/n=%d", n), func(b *testing.B) {
			benchDgemm(b, Implementation{}, gblas.NoTrans, gblas.NoTrans, n, n, n)
		})
		if n > 1024 {
			continue
		}
		b.Run(fmt.Sprintf("gonum/n=%d", n), func(b *testing.B) {
			benchDgemm(b, gonum.Implementation{}, gblas.NoTrans, gblas.NoTrans, n, n, n)
		})
	}
}

// BenchmarkDgemmLSTM times the products of an LSTM layer with batch B = 32,
// sequence T = 100, input 64, hidden H = 256 and 4H = 1024 gates:
//
//	step:   (B×H)·(H×4H)        = (32×256)·(256×1024)    one time step's recurrent term
//	input:  (BT×d)·(d×4H)       = (3200×64)·(64×1024)    all input projections at once
//	dW:     Xᵀ·dG, (H×BT)·(BT×4H) = (3200×256)ᵀ·(3200×1024) the weight gradient in Backward
func BenchmarkDgemmLSTM(b *testing.B) {
	for _, sh := range []struct {
		name    string
		tA      gblas.Transpose
		m, n, k int
	}{
		{"step_32x256x1024", gblas.NoTrans, 32, 1024, 256},
		{"input_3200x64x1024", gblas.NoTrans, 3200, 1024, 64},
		{"dW_T256x3200x1024", gblas.Trans, 256, 1024, 3200},
	} {
		b.Run("ours/"+sh.name, func(b *testing.B) {
			benchDgemm(b, Implementation{}, sh.tA, gblas.NoTrans, sh.m, sh.n, sh.k)
		})
		b.Run("gonum/"+sh.name, func(b *testing.B) {
			benchDgemm(b, gonum.Implementation{}, sh.tA, gblas.NoTrans, sh.m, sh.n, sh.k)
		})
	}
}

// BenchmarkDgemmThreshold measures the two thresholds in blas.go on small
// square products: gonum against our blocked path (serial), and our blocked
// path on 1 against 2 goroutines.
func BenchmarkDgemmThreshold(b *testing.B) {
	for _, n := range []int{4, 8, 12, 16, 24, 32, 48, 64, 96, 128, 160, 192, 256} {
		b.Run(fmt.Sprintf("gonum/n=%d", n), func(b *testing.B) {
			benchDgemm(b, gonum.Implementation{}, gblas.NoTrans, gblas.NoTrans, n, n, n)
		})
		for _, threads := range []int{1, 2} {
			b.Run(fmt.Sprintf("ours/threads=%d/n=%d", threads, n), func(b *testing.B) {
				parallelWork = 1
				defer func() { parallelWork = defaultParallelWork }()
				benchDgemm(b, forced[float64]{kernel, threads}, gblas.NoTrans, gblas.NoTrans, n, n, n)
			})
		}
	}
	// Thin products: one row of A (a single example, as when sampling).
	for _, n := range []int{1, 2, 3, 4, 6} {
		b.Run(fmt.Sprintf("gonum/m=%d/256x1024", n), func(b *testing.B) {
			benchDgemm(b, gonum.Implementation{}, gblas.NoTrans, gblas.NoTrans, n, 1024, 256)
		})
		b.Run(fmt.Sprintf("ours/m=%d/256x1024", n), func(b *testing.B) {
			benchDgemm(b, forced[float64]{kernel, 1}, gblas.NoTrans, gblas.NoTrans, n, 1024, 256)
		})
	}
}

// BenchmarkDgemmSmallM measures the smallM threshold: m×4H×H products (the
// recurrent step of an LSTM with batch m and hidden H) on one goroutine,
// with B packed and with B read in place.
func BenchmarkDgemmSmallM(b *testing.B) {
	for _, h := range []int{256, 512} {
		for _, m := range []int{8, 32, 64, 96, 144, 192, 288} {
			for _, path := range dgemmPaths {
				b.Run(fmt.Sprintf("%s/m=%d/%dx%d", path.name, m, h, 4*h), func(b *testing.B) {
					smallM = path.smallM
					defer func() { smallM = defaultSmallM }()
					benchDgemm(b, forced[float64]{kernel, 1}, gblas.NoTrans, gblas.NoTrans, m, 4*h, h)
				})
			}
		}
	}
}

// BenchmarkKernels compares the micro-kernels this CPU can run on square
// products, serial, through the packed path; the single-precision ones
// (SetPrecision) with them.
func BenchmarkKernels(b *testing.B) {
	for _, n := range []int{256, 512, 1024} {
		for _, kern := range availableKernels()[1:] {
			b.Run(fmt.Sprintf("%s/n=%d", kern.name, n), func(b *testing.B) {
				benchDgemm(b, forced[float64]{kern, 1}, gblas.NoTrans, gblas.NoTrans, n, n, n)
			})
		}
		for _, kern := range availableKernels32()[1:] {
			b.Run(fmt.Sprintf("%s/n=%d", kern.name, n), func(b *testing.B) {
				benchDgemm(b, forced[float32]{kern, 1}, gblas.NoTrans, gblas.NoTrans, n, n, n)
			})
		}
	}
	// The LSTM's per-step products, forward (B×H)·(H×4H) and backward
	// (B×4H)·(4H×H), which take the in-place-B path.
	for _, m := range []int{8, 32, 64, 96} {
		for _, h := range []int{128, 256, 512} {
			for _, kern := range availableKernels()[1:] {
				b.Run(fmt.Sprintf("%s/fwd/m=%d/H=%d", kern.name, m, h), func(b *testing.B) {
					benchDgemm(b, forced[float64]{kern, 1}, gblas.NoTrans, gblas.NoTrans, m, 4*h, h)
				})
				b.Run(fmt.Sprintf("%s/bwd/m=%d/H=%d", kern.name, m, h), func(b *testing.B) {
					benchDgemm(b, forced[float64]{kern, 1}, gblas.NoTrans, gblas.NoTrans, m, h, 4*h)
				})
			}
			for _, kern := range availableKernels32()[1:] {
				b.Run(fmt.Sprintf("%s/fwd/m=%d/H=%d", kern.name, m, h), func(b *testing.B) {
					benchDgemm(b, forced[float32]{kern, 1}, gblas.NoTrans, gblas.NoTrans, m, 4*h, h)
				})
				b.Run(fmt.Sprintf("%s/bwd/m=%d/H=%d", kern.name, m, h), func(b *testing.B) {
					benchDgemm(b, forced[float32]{kern, 1}, gblas.NoTrans, gblas.NoTrans, m, h, 4*h)
				})
			}
		}
	}
}

// BenchmarkGemmPacked compares the recurrent step of an LSTM, (B×H)·(H×4H)
// with B = 32, through Dgemm (which packs, or under Float32 converts, Wh
// on every call) and through GemmPacked with Wh packed once, in both
// precisions, one goroutine.
func BenchmarkGemmPacked(b *testing.B) {
	const m = 32
	for _, prec := range []Precision{Float64, Float32} {
		for _, h := range []int{128, 256, 512} {
			rng := rand.New(rand.NewPCG(1, 1))
			x, w, c := make([]float64, m*h), make([]float64, h*4*h), make([]float64, m*4*h)
			for i := range x {
				x[i] = rng.NormFloat64()
			}
			for i := range w {
				w[i] = rng.NormFloat64()
			}
			flops := 2 * float64(m*4*h*h)
			b.Run(fmt.Sprintf("%v/Dgemm/H=%d", prec, h), func(b *testing.B) {
				defer SetPrecision(SetPrecision(prec))
				for b.Loop() {
					Implementation{}.Dgemm(gblas.NoTrans, gblas.NoTrans, m, 4*h, h, 1, x, h, w, 4*h, 0, c, 4*h)
				}
				b.ReportMetric(flops*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOPS")
			})
			b.Run(fmt.Sprintf("%v/GemmPacked/H=%d", prec, h), func(b *testing.B) {
				defer SetPrecision(SetPrecision(prec))
				var p PackedB
				p.Pack(false, h, 4*h, w, 4*h)
				for b.Loop() {
					GemmPacked(false, m, 1, x, h, &p, 0, c, 4*h)
				}
				b.ReportMetric(flops*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOPS")
			})
		}
	}
}
