package blas

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	gblas "gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/gonum"
	"gonum.org/v1/gonum/blas/testblas"
)

// TestVecGonumSuite runs gonum's own tests of Ddot, Daxpy, Dscal, Dgemv and
// Dger (blas/testblas) against Implementation: strides, negative
// increments, special values and the panics of bad arguments.
func TestVecGonumSuite(t *testing.T) {
	impl := Implementation{}
	testblas.DdotTest(t, impl)
	testblas.DaxpyTest(t, impl)
	testblas.DscalTest(t, impl)
	testblas.DgemvTest(t, impl)
	testblas.DgerTest(t, impl)
}

// randVec returns n values in [−1, 1).
func randVec(rng *rand.Rand, n int) []float64 {
	v := make([]float64, n)
	for i := range v {
		v[i] = 2*rng.Float64() - 1
	}
	return v
}

// TestVecAgainstGonum compares each routine's unit-stride path with gonum
// over lengths around the kernels' 4- and 16-element steps: Daxpy, Dscal,
// Dger and the transposed Dgemv bit for bit, Ddot and the untransposed
// Dgemv to rounding (their sums run in another order).
func TestVecAgainstGonum(t *testing.T) {
	if !useVecAVX2 {
		t.Skip("no AVX2: every routine is gonum's")
	}
	rng := rand.New(rand.NewPCG(7, 7))
	ours, ref := Implementation{}, gonum.Implementation{}
	sizes := []int{1, 3, 4, 5, 7, 8, 15, 16, 17, 31, 33, 64, 100, 257}
	for _, n := range sizes {
		x, y := randVec(rng, n), randVec(rng, n)
		if got, want := ours.Ddot(n, x, 1, y, 1), ref.Ddot(n, x, 1, y, 1); math.Abs(got-want) > 1e-14*float64(n) {
			t.Errorf("Ddot n=%d: %v, gonum %v", n, got, want)
		}
		y1, y2 := slices.Clone(y), slices.Clone(y)
		ours.Daxpy(n, -0.7, x, 1, y1, 1)
		ref.Daxpy(n, -0.7, x, 1, y2, 1)
		if !slices.Equal(y1, y2) {
			t.Errorf("Daxpy n=%d: not gonum's result bit for bit", n)
		}
		ours.Dscal(n, 1.3, y1, 1)
		ref.Dscal(n, 1.3, y2, 1)
		if !slices.Equal(y1, y2) {
			t.Errorf("Dscal n=%d: not gonum's result bit for bit", n)
		}
	}
	for _, m := range sizes {
		for _, n := range []int{1, 4, 6, 13, 64, 130} {
			for _, pad := range []int{0, 3} {
				lda := n + pad
				a := randVec(rng, lda*(m-1)+n)
				for _, tA := range []gblas.Transpose{gblas.NoTrans, gblas.Trans} {
					lenX, lenY := n, m
					if tA == gblas.Trans {
						lenX, lenY = m, n
					}
					x := randVec(rng, lenX)
					for _, beta := range []float64{0, 1, -2.5} {
						name := fmt.Sprintf("Dgemv %c m=%d n=%d lda=%d beta=%v", tA, m, n, lda, beta)
						y1 := randVec(rng, lenY)
						if beta == 0 {
							y1[0] = math.NaN() // beta = 0 overwrites y
						}
						y2 := slices.Clone(y1)
						ours.Dgemv(tA, m, n, 0.8, a, lda, x, 1, beta, y1, 1)
						ref.Dgemv(tA, m, n, 0.8, a, lda, x, 1, beta, y2, 1)
						for i := range y1 {
							if d := math.Abs(y1[i] - y2[i]); d > 1e-14*float64(lenX) || math.IsNaN(y1[i]) || (tA == gblas.Trans && d != 0) {
								t.Errorf("%s: y[%d] = %v, gonum %v", name, i, y1[i], y2[i])
								break
							}
						}
					}
				}
				x, y := randVec(rng, m), randVec(rng, n)
				a1, a2 := slices.Clone(a), slices.Clone(a)
				ours.Dger(m, n, 0.6, x, 1, y, 1, a1, lda)
				ref.Dger(m, n, 0.6, x, 1, y, 1, a2, lda)
				if !slices.Equal(a1, a2) {
					t.Errorf("Dger m=%d n=%d lda=%d: not gonum's result bit for bit", m, n, lda)
				}
			}
		}
	}
}

// BenchmarkVec compares the level-1 and level-2 routines with gonum's on
// vectors and matrices that sit in cache: the sizes of a layer with 256 or
// 1,024 units (GFLOPS counts a multiply–add as two).
func BenchmarkVec(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 1))
	impls := []struct {
		name string
		impl gblas.Float64
	}{{"gonum", gonum.Implementation{}}, {"seq2go", Implementation{}}}
	for _, n := range []int{256, 1024} {
		x, y := randVec(rng, n), randVec(rng, n)
		a := randVec(rng, 256*n)
		for _, im := range impls {
			run := func(op string, flops int, f func()) {
				b.Run(fmt.Sprintf("%s/n=%d/%s", op, n, im.name), func(b *testing.B) {
					for b.Loop() {
						f()
					}
					b.ReportMetric(float64(flops)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOPS")
				})
			}
			impl := im.impl
			run("Ddot", 2*n, func() { impl.Ddot(n, x, 1, y, 1) })
			run("Daxpy", 2*n, func() { impl.Daxpy(n, 1e-9, x, 1, y, 1) })
			run("Dgemv", 2*256*n, func() { impl.Dgemv(gblas.NoTrans, 256, n, 1, a, n, x, 1, 0, y[:256], 1) })
			run("DgemvT", 2*256*n, func() { impl.Dgemv(gblas.Trans, 256, n, 1, a, n, y[:256], 1, 0, x, 1) })
			run("Dger", 2*256*n, func() { impl.Dger(256, n, 1e-9, y[:256], 1, x, 1, a, n) })
		}
	}
}
