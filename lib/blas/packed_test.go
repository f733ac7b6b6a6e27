package blas

import (
	"fmt"
	"math/rand/v2"
	"testing"

	gblas "gonum.org/v1/gonum/blas"
)

// viaPacked is a testblas.Dgemmer that packs B into a PackedB in precision
// prec and multiplies with it on the given number of goroutines.
type viaPacked struct {
	prec    Precision
	threads int
}

func (v viaPacked) Dgemm(tA, tB gblas.Transpose, m, n, k int, alpha float64, a []float64, lda int, b []float64, ldb int, beta float64, c []float64, ldc int) {
	defer SetPrecision(SetPrecision(v.prec))
	var p PackedB
	p.Pack(tB != gblas.NoTrans, k, n, b, ldb)
	if v.threads == 0 {
		GemmPacked(tA != gblas.NoTrans, m, alpha, a, lda, &p, beta, c, ldc)
		return
	}
	p.gemm(v.threads, tA != gblas.NoTrans, m, alpha, a, lda, beta, c, ldc)
}

// TestGemmPacked compares products with a packed B with gonum's Dgemm on the
// shape table, in both precisions (the float32 tolerance as in
// TestDgemmFloat32), on one and two goroutines (parallelWork lowered so
// that even small products split) and through GemmPacked itself.
func TestGemmPacked(t *testing.T) {
	rng := rand.New(rand.NewPCG(4, 4))
	parallelWork = 1
	defer func() { parallelWork = defaultParallelWork }()
	for _, sh := range dgemmShapes {
		for _, prec := range []Precision{Float64, Float32} {
			tol := 1e-12
			if prec == Float32 {
				tol = float64(sh.k+2) * 0x1p-24
			}
			for _, tA := range []gblas.Transpose{gblas.NoTrans, gblas.Trans} {
				for _, tB := range []gblas.Transpose{gblas.NoTrans, gblas.Trans} {
					for _, threads := range []int{0, 1, 2} {
						name := fmt.Sprintf("%dx%dx%d/%v/tA=%c/tB=%c/threads=%d", sh.m, sh.n, sh.k, prec, tA, tB, threads)
						checkDgemm(t, rng, name, viaPacked{prec, threads}, tA, tB, sh.m, sh.n, sh.k, 3, -0.5, 0.75, tol)
						checkDgemm(t, rng, name+"/beta=0", viaPacked{prec, threads}, tA, tB, sh.m, sh.n, sh.k, 0, 1, 0, tol)
					}
				}
			}
		}
	}
}

// TestPackedBReuse packs two different matrices into one PackedB, the
// second smaller, and checks that the product uses the second.
func TestPackedBReuse(t *testing.T) {
	var p PackedB
	big := make([]float64, 300*200)
	for i := range big {
		big[i] = 1
	}
	p.Pack(false, 300, 200, big, 200)
	small := []float64{1, 2, 3, 4, 5, 6} // 2×3
	p.Pack(false, 2, 3, small, 3)
	if k, n := p.Dims(); k != 2 || n != 3 {
		t.Fatalf("Dims() = %d×%d, want 2×3", k, n)
	}
	a := []float64{1, 10} // 1×2
	c := make([]float64, 3)
	GemmPacked(false, 1, 1, a, 2, &p, 0, c, 3)
	for j, want := range []float64{41, 52, 63} {
		if c[j] != want {
			t.Errorf("C[0,%d] = %v, want %v", j, c[j], want)
		}
	}
}
