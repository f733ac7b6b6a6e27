package blas

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	gblas "gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/gonum"
)

// TestDgemmThin pins the thin path (m ≤ 2, B untransposed) to gonum bit
// for bit: gemmThin promises gonum's arithmetic in gonum's order. The
// shapes cover every column chunk (32, 4, 1) and their remainders, strides
// past the minimum, transposed A, zero coefficients (one-hot rows, −0,
// alpha = 0) and the beta cases.
func TestDgemmThin(t *testing.T) {
	if thinRow == nil {
		t.Skip("no thin kernel on this CPU")
	}
	rng := rand.New(rand.NewPCG(1, 1))
	for _, m := range []int{1, 2} {
		for _, n := range []int{1, 3, 4, 5, 31, 32, 33, 36, 65, 100, 130} {
			for _, k := range []int{1, 7, 64, 100, 257} {
				for _, aT := range []bool{false, true} {
					for _, ab := range []struct{ alpha, beta float64 }{{1, 0}, {1, 1}, {-0.7, 2.5}, {0, 0.5}} {
						pad := rng.IntN(3)
						lda, ldb, ldc := k+pad, n+pad, n+pad
						if aT {
							lda = m + pad
						}
						fill := func(n int, zeros bool) []float64 {
							s := make([]float64, n)
							for i := range s {
								s[i] = rng.NormFloat64()
								if zeros && rng.IntN(3) == 0 {
									s[i] = [2]float64{0, math.Copysign(0, -1)}[rng.IntN(2)]
								}
							}
							return s
						}
						a, b := fill(max(m*lda, k*lda), true), fill(k*ldb, false)
						c := fill(m*ldc, false)
						want := append([]float64(nil), c...)
						tA := gblas.NoTrans
						if aT {
							tA = gblas.Trans
						}
						Implementation{}.Dgemm(tA, gblas.NoTrans, m, n, k, ab.alpha, a, lda, b, ldb, ab.beta, c, ldc)
						gonum.Implementation{}.Dgemm(tA, gblas.NoTrans, m, n, k, ab.alpha, a, lda, b, ldb, ab.beta, want, ldc)
						for i := range c {
							if math.Float64bits(c[i]) != math.Float64bits(want[i]) {
								t.Fatalf("m=%d n=%d k=%d aT=%v alpha=%g beta=%g: c[%d] = %v, gonum %v", m, n, k, aT, ab.alpha, ab.beta, i, c[i], want[i])
							}
						}
					}
				}
			}
		}
	}
}

// BenchmarkDgemmThin compares the thin path with gonum on min-char-rnn's
// per-step products (hidden 100, vocabulary 65) and on wider ones.
func BenchmarkDgemmThin(b *testing.B) {
	for _, sh := range []struct{ m, n, k int }{
		{1, 100, 100}, {1, 65, 100}, {2, 100, 100}, {1, 1024, 256}, {2, 1024, 256},
	} {
		b.Run(fmt.Sprintf("ours/%dx%dx%d", sh.m, sh.n, sh.k), func(b *testing.B) {
			benchDgemm(b, Implementation{}, gblas.NoTrans, gblas.NoTrans, sh.m, sh.n, sh.k)
		})
		b.Run(fmt.Sprintf("gonum/%dx%dx%d", sh.m, sh.n, sh.k), func(b *testing.B) {
			benchDgemm(b, gonum.Implementation{}, gblas.NoTrans, gblas.NoTrans, sh.m, sh.n, sh.k)
		})
	}
}
