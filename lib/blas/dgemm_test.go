package blas

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	gblas "gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/gonum"
	"gonum.org/v1/gonum/blas/testblas"
)

// forced is a testblas.Dgemmer that skips the small-size and serial
// shortcuts of Implementation.Dgemm, so gonum's test suite reaches the
// blocked path with the chosen kernel and goroutine count.
type forced[T element] struct {
	kern    *microKernel[T]
	threads int
}

func (f forced[T]) Dgemm(tA, tB gblas.Transpose, m, n, k int, alpha float64, a []float64, lda int, b []float64, ldb int, beta float64, c []float64, ldc int) {
	if !validDgemm(tA, tB, m, n, k, a, lda, b, ldb, c, ldc) {
		gonum.Implementation{}.Dgemm(tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
		return
	}
	dgemm(f.kern, f.threads, tA != gblas.NoTrans, tB != gblas.NoTrans, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, nil)
}

// kernels lists the micro-kernels to test on this machine: every one the
// CPU can run, the portable Go fallback included, and the selected kernel
// when it pairs two of them (inPlaceKernel).
func kernels() []*microKernel[float64] {
	ks := availableKernels()
	if kernel.alt != nil {
		ks = append(ks, kernel)
	}
	return ks
}

// TestDgemmGonumSuite runs gonum's own Dgemm tests (blas/testblas) against
// the installed Implementation and against the blocked path with each
// kernel, serial and on 2 goroutines.
func TestDgemmGonumSuite(t *testing.T) {
	testblas.TestDgemm(t, Implementation{})
	for _, path := range dgemmPaths {
		smallM = path.smallM
		for _, kern := range kernels() {
			for _, threads := range []int{1, 2} {
				t.Run(fmt.Sprintf("%s/%s/threads=%d", path.name, kern.name, threads), func(t *testing.T) {
					testblas.TestDgemm(t, forced[float64]{kern, threads})
				})
			}
		}
	}
	smallM = defaultSmallM
}

// dgemmPaths sets smallM so that every product takes the packed path, or
// every product with an untransposed B the in-place path (gemmNoPackB).
var dgemmPaths = []struct {
	name   string
	smallM int
}{{"packed", 0}, {"inplaceB", 1 << 30}}

// dgemmShapes are m×n×k products: 1×1×1, sizes smaller than, equal to and
// just past the 6×8 and 4×4 tiles, primes that leave ragged edges in every
// loop, sizes that cross kc = 256 and mc = 144, and one LSTM-sized product.
var dgemmShapes = []struct{ m, n, k int }{
	{1, 1, 1},
	{1, 9, 3},
	{7, 1, 4},
	{6, 8, 1},
	{6, 8, 5},
	{7, 13, 5},
	{12, 16, 260},
	{33, 65, 17},
	{145, 17, 9},
	{50, 40, 513},
	{200, 300, 150},
}

// TestDgemm compares the blocked Dgemm with gonum's on the shape table, for
// all four transposes, tight and padded strides, special alpha and beta, each
// kernel and 1 or 2 goroutines. The tolerance is 1e-12 relative to
// |alpha|·|op(A)|·|op(B)| + |beta|·|C| element by element, which bounds the
// rounding error of any summation order (≤ k·2⁻⁵³ ≈ 6e-14 for k = 513).
func TestDgemm(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	scalars := []struct{ alpha, beta float64 }{
		{1, 0}, {1, 1}, {-0.5, 0.75}, {0, -0.5}, {0, 0}, {2.5, -0.5},
	}
	defer func() { smallM = defaultSmallM }()
	for _, sh := range dgemmShapes {
		for _, path := range dgemmPaths {
			smallM = path.smallM
			for _, tA := range []gblas.Transpose{gblas.NoTrans, gblas.Trans} {
				for _, tB := range []gblas.Transpose{gblas.NoTrans, gblas.Trans} {
					for _, pad := range []int{0, 3} {
						for _, s := range scalars {
							for _, kern := range kernels() {
								for _, threads := range []int{1, 2} {
									name := fmt.Sprintf("%dx%dx%d/%s/tA=%c/tB=%c/pad=%d/alpha=%g/beta=%g/%s/threads=%d",
										sh.m, sh.n, sh.k, path.name, tA, tB, pad, s.alpha, s.beta, kern.name, threads)
									checkDgemm(t, rng, name, forced[float64]{kern, threads}, tA, tB, sh.m, sh.n, sh.k, pad, s.alpha, s.beta, 1e-12)
								}
							}
						}
					}
				}
			}
		}
	}
	smallM = defaultSmallM
	// And through the public entry point, which delegates small products.
	for _, sh := range dgemmShapes {
		checkDgemm(t, rng, fmt.Sprintf("Implementation/%dx%dx%d", sh.m, sh.n, sh.k),
			Implementation{}, gblas.Trans, gblas.NoTrans, sh.m, sh.n, sh.k, 2, 1.5, -0.5, 1e-12)
	}
}

// TestDgemmFloat32 is TestDgemm for the single-precision kernels of
// SetPrecision(Float32), packed path only (a float32 kernel always packs
// B). The inputs are rounded to float32 (relative error 2⁻²⁴ each) and the
// k products summed in float32, so the tolerance is (k+2)·2⁻²⁴ relative to
// the same bound.
func TestDgemmFloat32(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	for _, sh := range dgemmShapes {
		tol := float64(sh.k+2) * 0x1p-24
		for _, tA := range []gblas.Transpose{gblas.NoTrans, gblas.Trans} {
			for _, tB := range []gblas.Transpose{gblas.NoTrans, gblas.Trans} {
				for _, s := range []struct{ alpha, beta float64 }{{1, 0}, {-0.5, 0.75}, {0, -0.5}} {
					for _, kern := range availableKernels32() {
						for _, threads := range []int{1, 2} {
							name := fmt.Sprintf("%dx%dx%d/tA=%c/tB=%c/alpha=%g/beta=%g/%s/threads=%d",
								sh.m, sh.n, sh.k, tA, tB, s.alpha, s.beta, kern.name, threads)
							checkDgemm(t, rng, name, forced[float32]{kern, threads}, tA, tB, sh.m, sh.n, sh.k, 3, s.alpha, s.beta, tol)
						}
					}
				}
			}
		}
	}
}

// TestSetPrecision checks that SetPrecision switches Implementation.Dgemm
// to single precision and back: a 64×96×128 product differs from gonum's
// by more than float64 rounding under Float32 and agrees to rounding again
// after Float64 is restored.
func TestSetPrecision(t *testing.T) {
	rng := rand.New(rand.NewPCG(2, 2))
	const m, n, k = 64, 96, 128
	a, b := make([]float64, m*k), make([]float64, k*n)
	for i := range a {
		a[i] = rng.NormFloat64()
	}
	for i := range b {
		b[i] = rng.NormFloat64()
	}
	maxDiff := func() float64 {
		want, got := make([]float64, m*n), make([]float64, m*n)
		gonum.Implementation{}.Dgemm(gblas.NoTrans, gblas.NoTrans, m, n, k, 1, a, k, b, n, 0, want, n)
		Implementation{}.Dgemm(gblas.NoTrans, gblas.NoTrans, m, n, k, 1, a, k, b, n, 0, got, n)
		var d float64
		for i := range got {
			d = max(d, math.Abs(got[i]-want[i]))
		}
		return d
	}
	if prev := SetPrecision(Float32); prev != Float64 {
		t.Fatalf("the default precision is %v, want float64", prev)
	}
	d32 := maxDiff()
	if p := SetPrecision(Float64); p != Float32 {
		t.Fatalf("SetPrecision returned %v, want float32", p)
	}
	d64 := maxDiff()
	// Elements of C are sums of 128 products of N(0,1) values: about 11 in
	// size, so float32 arithmetic leaves errors near 1e-6 and float64 near 1e-15.
	if d32 < 1e-8 || d32 > 1e-4 {
		t.Errorf("max |C − gonum's C| under Float32 = %g, want between 1e-8 and 1e-4", d32)
	}
	if d64 > 1e-12 {
		t.Errorf("max |C − gonum's C| under Float64 = %g, want ≤ 1e-12", d64)
	}
}

// TestPackFloat32 pins the assembly conversions into float32 micro-panels,
// from rows and from columns (cvtRows, packBT), to their Go definitions,
// bit for bit, for the widths of the kernels' panels, with source and
// panel strides larger than the rows; and packConv, 6 wide through two
// overlapping 4-wide conversions, likewise.
func TestPackFloat32(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 3))
	const k = 37 // packBT: an assembly part of 36 and a Go tail of 1
	random := func(n int) []float64 {
		b := make([]float64, n)
		for i := range b {
			b[i] = rng.NormFloat64() * math.Exp(10*rng.NormFloat64())
		}
		return b
	}
	type conv func(d []float32, ds int, b []float64, ldb, k, w int)
	for _, w := range []int{4, 6, 8, 16, 32} {
		ds := w + 2
		check := func(name string, pack, def conv, b []float64, ldb int) {
			got, want := make([]float32, ds*k), make([]float32, ds*k)
			pack(got, ds, b, ldb, k, w)
			def(want, ds, b, ldb, k, w)
			for i := range got {
				if math.Float32bits(got[i]) != math.Float32bits(want[i]) {
					t.Fatalf("%s, w = %d: element %d: %v, want %v", name, w, i, got[i], want[i])
				}
			}
		}
		ldb := w + 5
		rows := random((k-1)*ldb + w)
		ldbT := k + 3
		cols := random((w-1)*ldbT + k)
		if w%4 == 0 {
			check("cvtRows", cvtRows, cvtRowsGo, rows, ldb)
			check("packBT", packBT, packBTGo, cols, ldbT)
		}
		byRows := func(d []float32, ds int, b []float64, ldb, k, w int) { packConv(d, ds, true, b, ldb, k, w) }
		byCols := func(d []float32, ds int, b []float64, ldb, k, w int) { packConv(d, ds, false, b, ldb, k, w) }
		check("packConv rows", byRows, cvtRowsGo, rows, ldb)
		check("packConv columns", byCols, packBTGo, cols, ldbT)
	}
}

// checkDgemm runs one product with impl and with gonum and compares them.
// The padding columns of every matrix hold a sentinel that must survive,
// and with beta = 0 the m×n part of C starts as NaN, which must be
// overwritten.
// The tolerance is tol relative to the bound.
func checkDgemm(t *testing.T, rng *rand.Rand, name string, impl testblas.Dgemmer, tA, tB gblas.Transpose, m, n, k, pad int, alpha, beta, tol float64) {
	t.Helper()
	const sentinel = 12345.678
	// newMat returns an r×c row-major matrix with stride c+pad.
	newMat := func(r, c int) ([]float64, int) {
		ld := c + pad
		d := make([]float64, r*ld)
		for i := range d {
			if i%ld >= c {
				d[i] = sentinel
			} else {
				d[i] = rng.NormFloat64()
			}
		}
		return d, ld
	}
	ar, ac := m, k
	if tA == gblas.Trans {
		ar, ac = k, m
	}
	br, bc := k, n
	if tB == gblas.Trans {
		br, bc = n, k
	}
	a, lda := newMat(ar, ac)
	b, ldb := newMat(br, bc)
	c, ldc := newMat(m, n)
	if beta == 0 {
		for i := 0; i < m; i++ {
			for j := 0; j < n; j++ {
				c[i*ldc+j] = math.NaN()
			}
		}
	}
	want := append([]float64(nil), c...)
	gonum.Implementation{}.Dgemm(tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, want, ldc)
	c0 := append([]float64(nil), c...)
	impl.Dgemm(tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)

	// bounds[i,j] = Σ_p |op(A)[i,p]·op(B)[p,j]|, by gonum's Dgemm on |A| and
	// |B| (a triple loop here took most of the package's test time).
	abs := func(x []float64) []float64 {
		y := make([]float64, len(x))
		for i, v := range x {
			y[i] = math.Abs(v)
		}
		return y
	}
	bounds := make([]float64, m*n)
	gonum.Implementation{}.Dgemm(tA, tB, m, n, k, 1, abs(a), lda, abs(b), ldb, 0, bounds, max(n, 1))
	for i := 0; i < m; i++ {
		for j := 0; j < ldc; j++ {
			got, w := c[i*ldc+j], want[i*ldc+j]
			if j >= n {
				if got != sentinel {
					t.Fatalf("%s: padding C[%d,%d] changed to %v", name, i, j, got)
				}
				continue
			}
			if math.IsNaN(got) {
				t.Fatalf("%s: C[%d,%d] is NaN, want %v", name, i, j, w)
			}
			bound := bounds[i*n+j] * math.Abs(alpha)
			if beta != 0 {
				bound += math.Abs(beta * c0[i*ldc+j])
			}
			if math.Abs(got-w) > tol*bound {
				t.Fatalf("%s: C[%d,%d] = %v, want %v (|diff| %g > %g·%g)", name, i, j, got, w, math.Abs(got-w), tol, bound)
			}
		}
	}
}

// TestGoKernel pins the portable 4×4 micro-kernel to a naive triple loop on
// one full tile with a non-trivial ldc, k = 0 included.
func TestGoKernel(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	for _, k := range []int{0, 1, 2, 7, 64} {
		const mr, nr, ldc = 4, 4, 6
		a := make([]float64, mr*k)
		b := make([]float64, nr*k)
		c := make([]float64, mr*ldc)
		for i := range a {
			a[i] = rng.NormFloat64()
		}
		for i := range b {
			b[i] = rng.NormFloat64()
		}
		for i := range c {
			c[i] = rng.NormFloat64()
		}
		want := append([]float64(nil), c...)
		alpha := -1.5
		for i := 0; i < mr; i++ {
			for j := 0; j < nr; j++ {
				var s float64
				for p := 0; p < k; p++ {
					s += a[p*mr+i] * b[p*nr+j]
				}
				want[i*ldc+j] += alpha * s
			}
		}
		kernel4x4Go(k, a, b, c, ldc, alpha)
		for i := range c {
			if math.Abs(c[i]-want[i]) > 1e-12*(1+math.Abs(want[i])) {
				t.Errorf("k=%d: c[%d] = %v, want %v", k, i, c[i], want[i])
			}
		}
	}
}

// TestDgemmPanics checks that bad arguments panic with gonum's messages.
func TestDgemmPanics(t *testing.T) {
	a := make([]float64, 12)
	for _, tc := range []struct {
		name          string
		tA, tB        gblas.Transpose
		m, n, k       int
		lda, ldb, ldc int
		a, b, c       []float64
	}{
		{"bad tA", 'X', gblas.NoTrans, 2, 2, 2, 2, 2, 2, a, a, a},
		{"m<0", gblas.NoTrans, gblas.NoTrans, -1, 2, 2, 2, 2, 2, a, a, a},
		{"k<0", gblas.NoTrans, gblas.NoTrans, 2, 2, -1, 2, 2, 2, a, a, a},
		{"bad lda", gblas.NoTrans, gblas.NoTrans, 2, 2, 3, 2, 2, 2, a, a, a},
		{"bad ldb", gblas.NoTrans, gblas.Trans, 2, 2, 3, 3, 2, 2, a, a, a},
		{"bad ldc", gblas.NoTrans, gblas.NoTrans, 2, 3, 2, 2, 3, 2, a, a, a},
		{"short a", gblas.NoTrans, gblas.NoTrans, 40, 40, 40, 40, 40, 40, a, make([]float64, 1600), make([]float64, 1600)},
		{"short c", gblas.NoTrans, gblas.NoTrans, 40, 40, 40, 40, 40, 40, make([]float64, 1600), make([]float64, 1600), a},
	} {
		catch := func(f func()) (r any) {
			defer func() { r = recover() }()
			f()
			return nil
		}
		want := catch(func() {
			gonum.Implementation{}.Dgemm(tc.tA, tc.tB, tc.m, tc.n, tc.k, 1, tc.a, tc.lda, tc.b, tc.ldb, 0, tc.c, tc.ldc)
		})
		got := catch(func() {
			Implementation{}.Dgemm(tc.tA, tc.tB, tc.m, tc.n, tc.k, 1, tc.a, tc.lda, tc.b, tc.ldb, 0, tc.c, tc.ldc)
		})
		if want == nil || got != want {
			t.Errorf("%s: panic %v, want %v", tc.name, got, want)
		}
	}
}
