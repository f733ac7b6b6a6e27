package blas

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// elemMaxRelErr bounds the relative error of SigmoidTo, TanhTo and ExpTo
// against the math package, |got − want| / |want|, over the sweep of
// TestSigmoidTanhAccuracy. Measured on AMD EPYC (Zen 4), go1.26: sigmoid
// 5.1e-16 (at x ≈ −2.42), tanh 4.0e-16 (just above the branch point
// 0.625) and exp 4.7e-16 (at x ≈ 0.35, near r = ln2/2), about 2 ulp;
// the bound leaves room for other FMA implementations and is far below
// the 1e-14 that lib/nn asks for.
const elemMaxRelErr = 1e-15

// elemSweep returns the points of the accuracy sweep: uniform in [−40, 40],
// log-uniform magnitudes of both signs from 1e-310 (subnormal) to 1e3,
// the neighbourhood of the tanh branch point 0.625, the range where σ
// underflows (−760 … −700), and the special values.
func elemSweep() []float64 {
	rng := rand.New(rand.NewPCG(1, 1))
	var xs []float64
	for range 1_000_000 {
		xs = append(xs, 80*rng.Float64()-40)
	}
	for range 1_000_000 {
		v := math.Pow(10, -310+313*rng.Float64())
		if rng.IntN(2) == 0 {
			v = -v
		}
		xs = append(xs, v)
	}
	for range 10_000 {
		xs = append(xs, 0.625+1e-3*(rng.Float64()-0.5), -700-60*rng.Float64())
	}
	xs = append(xs, 0, math.Copysign(0, -1), 0.625, -0.625, math.Nextafter(0.625, 0),
		5e-324, -5e-324, 2.2250738585072014e-308, 709.78, -709.78, -745.1, -745.2, -746, -1e300, 1e300,
		math.MaxFloat64, -math.MaxFloat64, math.Inf(1), math.Inf(-1), math.NaN())
	return xs
}

// relErr is |got − want| / |want|, 0 when they are equal (both infinite,
// or both zero), and +Inf when exactly one is NaN.
func relErr(got, want float64) float64 {
	if math.IsNaN(got) || math.IsNaN(want) {
		if math.IsNaN(got) && math.IsNaN(want) {
			return 0
		}
		return math.Inf(1)
	}
	if got == want {
		return 0
	}
	if want == 0 {
		return math.Inf(1)
	}
	return math.Abs(got-want) / math.Abs(want)
}

// TestSigmoidTanhAccuracy measures the largest relative error of SigmoidTo,
// TanhTo and ExpTo against sigmoidGo, tanhGo and expGo (math.Exp,
// math.Tanh) over
// elemSweep and fails above elemMaxRelErr. It also checks the special
// values exactly and that the Go loops, used on other CPUs, are the
// reference itself.
func TestSigmoidTanhAccuracy(t *testing.T) {
	xs := elemSweep()
	for _, fn := range []struct {
		name      string
		fast, ref func(dst, x []float64)
	}{
		{"sigmoid", func(d, x []float64) { SigmoidTo(d, x) }, sigmoidGo},
		{"tanh", func(d, x []float64) { TanhTo(d, x) }, tanhGo},
		{"exp", func(d, x []float64) { ExpTo(d, x) }, expGo},
	} {
		got, want := make([]float64, len(xs)), make([]float64, len(xs))
		fn.fast(got, xs)
		fn.ref(want, xs)
		var worst float64
		var at float64
		for i := range xs {
			// A result below the smallest normal number has fewer
			// significant bits; compare it with an absolute error of
			// one subnormal ulp instead.
			if math.Abs(want[i]) < 0x1p-1022 && math.Abs(got[i]-want[i]) <= 5e-324 {
				continue
			}
			if e := relErr(got[i], want[i]); e > worst {
				worst, at = e, xs[i]
			}
		}
		t.Logf("%s: %s, max relative error %.3g at x = %g", fn.name, KernelName(), worst, at)
		if worst > elemMaxRelErr {
			t.Errorf("%s: max relative error %.3g at x = %g > %g", fn.name, worst, at, elemMaxRelErr)
		}
	}
	for _, c := range []struct {
		x, sig, tanh float64
	}{
		{math.Inf(1), 1, 1},
		{math.Inf(-1), 0, -1},
		{0, 0.5, 0},
		{1e300, 1, 1},
		{-1e300, 0, -1},
		{-800, 0, -1},
	} {
		s, th := SigmoidTo(make([]float64, 1), []float64{c.x}), TanhTo(make([]float64, 1), []float64{c.x})
		if s[0] != c.sig || th[0] != c.tanh {
			t.Errorf("x = %g: σ = %g, tanh = %g; want %g, %g", c.x, s[0], th[0], c.sig, c.tanh)
		}
	}
	if s, th := SigmoidTo(make([]float64, 1), []float64{math.NaN()}), TanhTo(make([]float64, 1), []float64{math.NaN()}); !math.IsNaN(s[0]) || !math.IsNaN(th[0]) {
		t.Errorf("NaN: σ = %g, tanh = %g", s[0], th[0])
	}
	if th := TanhTo(make([]float64, 1), []float64{math.Copysign(0, -1)}); !math.Signbit(th[0]) {
		t.Errorf("tanh(−0) = %g, want −0", th[0])
	}
	// exp at the ends of its range: the largest finite result (x just
	// below ln(MaxFloat64) ≈ 709.7827), overflow, the smallest subnormal
	// (e^−745.1 rounds to 2^−1074 = 5e-324) and underflow.
	for _, c := range []struct{ x, want float64 }{
		{math.Inf(1), math.Inf(1)},
		{math.Inf(-1), 0},
		{0, 1},
		{709.782, math.Exp(709.782)},
		{709.783, math.Inf(1)},
		{1e300, math.Inf(1)},
		{-745.1, 5e-324},
		{-746, 0},
		{-1e300, 0},
	} {
		if e := ExpTo(make([]float64, 1), []float64{c.x}); relErr(e[0], c.want) > elemMaxRelErr {
			t.Errorf("exp(%g) = %g, want %g", c.x, e[0], c.want)
		}
	}
	if e := ExpTo(make([]float64, 1), []float64{math.NaN()}); !math.IsNaN(e[0]) {
		t.Errorf("exp(NaN) = %g, want NaN", e[0])
	}
}

// TestSigmoidTanhLengths checks every length 0…13 (whole vectors and the
// tail), in place and into a separate dst, on the assembly path and on the
// portable one, against the reference within elemMaxRelErr, and that dst
// past len(x) is not written.
func TestSigmoidTanhLengths(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	haveAVX2 := useElemAVX2
	defer func() { useElemAVX2 = haveAVX2 }()
	for _, asm := range []bool{false, true} {
		if asm && !haveAVX2 {
			continue
		}
		useElemAVX2 = asm
		for n := 0; n <= 13; n++ {
			x := make([]float64, n)
			for i := range x {
				x[i] = 8 * rng.NormFloat64()
			}
			for _, fn := range []struct {
				name string
				f    func(dst, x []float64) []float64
				ref  func(dst, x []float64)
			}{{"SigmoidTo", SigmoidTo, sigmoidGo}, {"TanhTo", TanhTo, tanhGo}, {"ExpTo", ExpTo, expGo}} {
				want := make([]float64, n)
				fn.ref(want, x)
				dst := make([]float64, n+1)
				dst[n] = 42
				fn.f(dst[:n], x)
				in := append([]float64(nil), x...)
				fn.f(in, in)
				for i := range want {
					if relErr(dst[i], want[i]) > elemMaxRelErr || dst[i] != in[i] {
						t.Fatalf("%s asm=%v n=%d: [%d] = %g (in place %g), want %g", fn.name, asm, n, i, dst[i], in[i], want[i])
					}
				}
				if dst[n] != 42 {
					t.Fatalf("%s asm=%v n=%d: wrote past len(x)", fn.name, asm, n)
				}
			}
		}
	}
}

// BenchmarkSigmoidTanh times SigmoidTo and TanhTo against the math loops on
// a gate block of 4·256 values, in place; ns/op divided by 1024 is the cost
// of one element.
func BenchmarkSigmoidTanh(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 1))
	x := make([]float64, 1024)
	for i := range x {
		x[i] = 3 * rng.NormFloat64()
	}
	dst := make([]float64, len(x))
	for _, fn := range []struct {
		name string
		f    func(dst, x []float64)
	}{
		{"SigmoidTo", func(d, x []float64) { SigmoidTo(d, x) }},
		{"sigmoidGo", sigmoidGo},
		{"TanhTo", func(d, x []float64) { TanhTo(d, x) }},
		{"tanhGo", tanhGo},
		{"ExpTo", func(d, x []float64) { ExpTo(d, x) }},
		{"expGo", expGo},
	} {
		b.Run(fmt.Sprintf("%s/n=%d", fn.name, len(x)), func(b *testing.B) {
			for b.Loop() {
				fn.f(dst, x)
			}
			b.ReportMetric(float64(b.N*len(x))/b.Elapsed().Seconds()/1e9, "Gelem/s")
		})
	}
}

// TestSigmoidTanhAllocs checks that SigmoidTo and TanhTo allocate nothing,
// the tail buffer included: lib/nn's layers promise zero allocations in
// steady state.
func TestSigmoidTanhAllocs(t *testing.T) {
	x := make([]float64, 7)
	if n := testing.AllocsPerRun(10, func() { SigmoidTo(x, x); TanhTo(x, x); ExpTo(x, x) }); n != 0 {
		t.Errorf("%v allocations, want 0", n)
	}
}

// TestClampTo checks ClampTo against clampGo, which is written from its
// definition, for every length 0…13 on the assembly and the portable path,
// in place and into a separate dst, with the values that matter: inside,
// at and beyond both limits, ±Inf and NaN (kept).
func TestClampTo(t *testing.T) {
	special := []float64{-5, 5, math.Nextafter(5, 6), math.Nextafter(-5, -6), 0, math.Inf(1), math.Inf(-1), math.NaN(), 1e300}
	rng := rand.New(rand.NewPCG(1, 1))
	haveAVX2 := useElemAVX2
	defer func() { useElemAVX2 = haveAVX2 }()
	same := func(a, b float64) bool { return a == b || (math.IsNaN(a) && math.IsNaN(b)) }
	for _, asm := range []bool{false, true} {
		if asm && !haveAVX2 {
			continue
		}
		useElemAVX2 = asm
		for n := 0; n <= 13; n++ {
			x := make([]float64, n)
			for i := range x {
				x[i] = 8 * rng.NormFloat64()
				if rng.IntN(3) == 0 {
					x[i] = special[rng.IntN(len(special))]
				}
			}
			want := make([]float64, n)
			for i, v := range x {
				switch {
				case math.IsNaN(v):
					want[i] = v
				case v > 5:
					want[i] = 5
				case v < -5:
					want[i] = -5
				default:
					want[i] = v
				}
			}
			dst := make([]float64, n+1)
			dst[n] = 42
			ClampTo(dst[:n], x, -5, 5)
			in := append([]float64(nil), x...)
			ClampTo(in, in, -5, 5)
			for i := range want {
				if !same(dst[i], want[i]) || !same(in[i], want[i]) {
					t.Fatalf("asm=%v n=%d: clamp(%g) = %g (in place %g), want %g", asm, n, x[i], dst[i], in[i], want[i])
				}
			}
			if dst[n] != 42 {
				t.Fatalf("asm=%v n=%d: wrote past len(x)", asm, n)
			}
		}
	}
}
