package blas

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// naiveInt8Gemm is the reference for Int8Gemm: the triple loop in int32.
func naiveInt8Gemm(a, b []int8, m, k, n int) []int32 {
	c := make([]int32, m*n)
	for i := 0; i < m; i++ {
		for j := 0; j < n; j++ {
			var s int32
			for p := 0; p < k; p++ {
				s += int32(a[i*k+p]) * int32(b[p*n+j])
			}
			c[i*n+j] = s
		}
	}
	return c
}

// int8Kinds lists the Int8Gemm kernels this CPU can run, the portable loop
// first.
func int8Kinds() []int8Kind {
	ks := []int8Kind{int8Go}
	if useElemAVX2 {
		ks = append(ks, int8AVX2)
	}
	if hasVNNI {
		ks = append(ks, int8VNNI)
	}
	return ks
}

// TestInt8Gemm pins Int8Gemm with every kernel the CPU can run (VNNI,
// AVX2, forced by packing B for it) and the portable loop to the naive
// product, exactly, over shapes with odd k (not a multiple of the 2- and
// 4-byte groups), rows left over after the 6-row blocks, partial 16- and
// 64-column panels, and the full int8 range −128…127.
func TestInt8Gemm(t *testing.T) {
	defer func(k int8Kind) { int8Use = k }(int8Use)
	for _, kind := range int8Kinds() {
		int8Use = kind
		t.Run(kind.String(), testInt8Gemm)
	}
}

func testInt8Gemm(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	for _, sh := range []struct{ m, k, n int }{
		{1, 1, 1}, {1, 3, 64}, {2, 5, 65}, {6, 4, 64}, {7, 7, 17}, {13, 63, 130},
		{6, 64, 128}, {12, 65, 200}, {64, 512, 256}, {5, 1023, 70}, {0, 4, 4}, {3, 0, 5},
	} {
		a := make([]int8, sh.m*sh.k)
		b := make([]int8, sh.k*sh.n)
		for i := range a {
			a[i] = int8(rng.IntN(256) - 128)
		}
		for i := range b {
			b[i] = int8(rng.IntN(256) - 128)
		}
		want := naiveInt8Gemm(a, b, sh.m, sh.k, sh.n)
		bb := NewInt8B(b, sh.k, sh.n)
		for _, path := range []struct {
			name string
			gemm func(c []int32, a []int8, m int, b *Int8B)
		}{{"Int8Gemm", Int8Gemm}, {"go", int8GemmGo}} {
			c := make([]int32, sh.m*sh.n)
			for i := range c {
				c[i] = 12345 // must be overwritten
			}
			path.gemm(c, a, sh.m, bb)
			for i := range c {
				if c[i] != want[i] {
					t.Fatalf("%s %dx%dx%d: c[%d] = %d, want %d", path.name, sh.m, sh.k, sh.n, i, c[i], want[i])
				}
			}
		}
	}
}

// TestInt8GemmExtremes checks the overflow bound: k = MaxInt8K/16 rows of
// −128 against −128 and 127 (the largest |a·b| and the largest unsigned
// (a+128)·b), exactly.
func TestInt8GemmExtremes(t *testing.T) {
	defer func(k int8Kind) { int8Use = k }(int8Use)
	for _, kind := range int8Kinds() {
		int8Use = kind
		t.Run(kind.String(), testInt8GemmExtremes)
	}
}

func testInt8GemmExtremes(t *testing.T) {
	const m, k, n = 7, MaxInt8K / 16, 66
	a := make([]int8, m*k)
	b := make([]int8, k*n)
	for i := range a {
		a[i] = [2]int8{-128, 127}[i%2]
	}
	for i := range b {
		b[i] = [2]int8{-128, 127}[(i/n)%2]
	}
	want := naiveInt8Gemm(a, b, m, k, n)
	c := make([]int32, m*n)
	Int8Gemm(c, a, m, NewInt8B(b, k, n))
	for i := range c {
		if c[i] != want[i] {
			t.Fatalf("c[%d] = %d, want %d", i, c[i], want[i])
		}
	}
}

// TestQuantizedProduct checks the round trip of QuantizeRows and
// QuantizeCols (each value within half a step, s/254, of the original) and
// the error of the whole quantized product against float64 on Gaussian
// inputs: |Δ| ≤ (s_i·Σ_p|W_pj| + t_j·Σ_p|x_ip|)/254 + s_i·t_j·k/254², the
// first-order bound from the two rounding errors.
func TestQuantizedProduct(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	const m, k, n = 9, 131, 70
	x := mat.NewDense(m, k, nil)
	w := mat.NewDense(k, n, nil)
	for i := 0; i < m; i++ {
		for p := 0; p < k; p++ {
			x.Set(i, p, rng.NormFloat64())
		}
	}
	x.SetRow(3, make([]float64, k)) // a zero row gets scale 0
	for p := 0; p < k; p++ {
		for j := 0; j < n; j++ {
			w.Set(p, j, rng.NormFloat64()*0.1)
		}
	}
	qx, sx := make([]int8, m*k), make([]float64, m)
	qw, sw := make([]int8, k*n), make([]float64, n)
	QuantizeRows(qx, sx, x)
	QuantizeCols(qw, sw, w)
	for i := 0; i < m; i++ {
		for p := 0; p < k; p++ {
			if d := math.Abs(float64(qx[i*k+p])*sx[i]/127 - x.At(i, p)); d > sx[i]/254*(1+1e-12) {
				t.Fatalf("QuantizeRows: x[%d,%d] off by %g > s/254 = %g", i, p, d, sx[i]/254)
			}
		}
	}
	for p := 0; p < k; p++ {
		for j := 0; j < n; j++ {
			if d := math.Abs(float64(qw[p*n+j])*sw[j]/127 - w.At(p, j)); d > sw[j]/254*(1+1e-12) {
				t.Fatalf("QuantizeCols: w[%d,%d] off by %g > t/254 = %g", p, j, d, sw[j]/254)
			}
		}
	}
	c := make([]int32, m*n)
	Int8Gemm(c, qx, m, NewInt8B(qw, k, n))
	got := mat.NewDense(m, n, nil)
	DequantizeTo(got, c, sx, sw)
	var want mat.Dense
	want.Mul(x, w)
	for i := 0; i < m; i++ {
		for j := 0; j < n; j++ {
			var ax, aw float64
			for p := 0; p < k; p++ {
				ax += math.Abs(x.At(i, p))
				aw += math.Abs(w.At(p, j))
			}
			bound := (sx[i]*aw+sw[j]*ax)/254 + sx[i]*sw[j]*k/(254*254) + 1e-12
			if d := math.Abs(got.At(i, j) - want.At(i, j)); d > bound {
				t.Fatalf("(x·W)[%d,%d] = %g, want %g: |Δ| %g > bound %g", i, j, got.At(i, j), want.At(i, j), d, bound)
			}
		}
	}
}

// BenchmarkInt8Gemm compares the int8 product with the float64 Dgemm on
// decoder-like shapes: m×512 activations by a 512×2048 weight matrix.
// "int8" is Int8Gemm alone with this CPU's kernel, "int8avx2" and "int8go"
// the other kernels it can run; "int8+q" adds QuantizeRows of the activations
// and DequantizeTo of the result, the whole cost of a quantized layer.
// Compare ns/op of f64 and int8 in the same run (-cpu 1 for one thread).
func BenchmarkInt8Gemm(b *testing.B) {
	const k, n = 512, 2048
	rng := rand.New(rand.NewPCG(1, 1))
	w := mat.NewDense(k, n, nil)
	for p := 0; p < k; p++ {
		for j := 0; j < n; j++ {
			w.Set(p, j, rng.NormFloat64())
		}
	}
	qw, sw := make([]int8, k*n), make([]float64, n)
	QuantizeCols(qw, sw, w)
	wb := NewInt8B(qw, k, n)
	for _, m := range []int{1, 8, 32, 64} {
		x := mat.NewDense(m, k, nil)
		for i := 0; i < m; i++ {
			for p := 0; p < k; p++ {
				x.Set(i, p, rng.NormFloat64())
			}
		}
		flops := 2 * float64(m*n*k)
		b.Run(fmt.Sprintf("f64/m=%d", m), func(b *testing.B) {
			y := mat.NewDense(m, n, nil)
			for b.Loop() {
				Implementation{}.Dgemm('N', 'N', m, n, k, 1, x.RawMatrix().Data, k, w.RawMatrix().Data, n, 0, y.RawMatrix().Data, n)
			}
			b.ReportMetric(flops*float64(b.N)/b.Elapsed().Seconds()/1e9, "GOPS")
		})
		qx, sx, c := make([]int8, m*k), make([]float64, m), make([]int32, m*n)
		QuantizeRows(qx, sx, x)
		b.Run(fmt.Sprintf("int8/m=%d", m), func(b *testing.B) {
			for b.Loop() {
				Int8Gemm(c, qx, m, wb)
			}
			b.ReportMetric(flops*float64(b.N)/b.Elapsed().Seconds()/1e9, "GOPS")
		})
		for _, kind := range int8Kinds() {
			if kind == int8Use {
				continue
			}
			// The kernels other CPUs use: AVX2 without VNNI, the Go loop.
			prev := int8Use
			int8Use = kind
			wk := NewInt8B(qw, k, n)
			int8Use = prev
			b.Run(fmt.Sprintf("int8%s/m=%d", kind, m), func(b *testing.B) {
				for b.Loop() {
					Int8Gemm(c, qx, m, wk)
				}
				b.ReportMetric(flops*float64(b.N)/b.Elapsed().Seconds()/1e9, "GOPS")
			})
		}
		b.Run(fmt.Sprintf("int8+q/m=%d", m), func(b *testing.B) {
			y := mat.NewDense(m, n, nil)
			for b.Loop() {
				QuantizeRows(qx, sx, x)
				Int8Gemm(c, qx, m, wb)
				DequantizeTo(y, c, sx, sw)
			}
			b.ReportMetric(flops*float64(b.N)/b.Elapsed().Seconds()/1e9, "GOPS")
		})
	}
}
