package blas

import "math"

// Element-wise sigmoid, tanh and exp over slices: the activations of the
// recurrent cells of lib/nn, which spend a quarter of an LSTM's training
// time in math.Exp and math.Tanh when they are called one element at a time,
// and the exponentials of the softmax (a tenth of min-char-rnn's).
//
// On amd64 with AVX2 and FMA, four lanes at a time (elem_amd64.s):
//
//	exp(y), y ≤ 710: n = round(y·log2e), r = y − n·ln2 (ln2 in two parts,
//	                Cody & Waite), |r| ≤ ln2/2,
//	                exp(y) = 2ⁿ · Σ_{k=0}^{12} r^k/k!
//	σ(x)    = 1/(1 + e)   for x ≥ 0,   e/(1 + e)   for x < 0,   e = exp(−|x|)
//	tanh(x) = sign(x)·(1 − e)/(1 + e),  e = exp(−2|x|)   for |x| ≥ 0.625
//	tanh(x) = x + x·s·P(s)/Q(s),  s = x²                  for |x| < 0.625
//
// The Taylor polynomial's truncation error, |r|¹³/13! ≤ 1.7e-16 relative,
// is below the rounding error of its evaluation; the small-|x| tanh is
// the Cephes rational function that math.Tanh uses. σ and tanh only need
// exp of a non-positive argument; ExpTo clamps its argument to [−746, 710],
// beyond which exp is 0 or +Inf anyway. Every function is computed
// branch-free in every lane. Special values follow math: σ(±Inf) = 1, 0;
// tanh(±Inf) = ±1; exp(±Inf) = +Inf, 0; NaN gives NaN; σ(x) and exp(x)
// for x below about −708 are subnormal (2ⁿ is applied as two factors, so
// that the result is rounded once and 2ⁿ never overflows before it is
// applied).
//
// Accuracy, measured by TestSigmoidTanhAccuracy against math.Exp and
// math.Tanh on 2·10⁶ points (uniform in [−40, 40], log-uniform magnitudes
// from 1e-310 to 1e3, and the special values): see elemMaxRelErr in
// elem_test.go for the bounds the test enforces.
//
// Everywhere else SigmoidTo, TanhTo and ExpTo are loops over math.Exp and
// math.Tanh (sigmoidGo, tanhGo and expGo), which are also the tests'
// reference.
//
// References: W. J. Cody and W. Waite (1980), "Software Manual for the
// Elementary Functions" (the range reduction); S. L. Moshier, Cephes Math
// Library, tanh.c (the rational function).

// SigmoidTo sets dst[i] = σ(x[i]) = 1/(1 + exp(−x[i])) for every i and
// returns dst. dst may be x itself (the update is in place) but must not
// otherwise overlap it. It panics if len(dst) != len(x).
func SigmoidTo(dst, x []float64) []float64 {
	if len(dst) != len(x) {
		panic("blas: SigmoidTo: length mismatch")
	}
	if !useElemAVX2 {
		sigmoidGo(dst, x)
		return dst
	}
	elemVec(elemSigmoid, dst, x)
	return dst
}

// TanhTo sets dst[i] = tanh(x[i]) for every i and returns dst. dst may be
// x itself but must not otherwise overlap it. It panics if
// len(dst) != len(x).
func TanhTo(dst, x []float64) []float64 {
	if len(dst) != len(x) {
		panic("blas: TanhTo: length mismatch")
	}
	if !useElemAVX2 {
		tanhGo(dst, x)
		return dst
	}
	elemVec(elemTanh, dst, x)
	return dst
}

// ExpTo sets dst[i] = exp(x[i]) for every i and returns dst. dst may be x
// itself but must not otherwise overlap it. It panics if len(dst) != len(x).
func ExpTo(dst, x []float64) []float64 {
	if len(dst) != len(x) {
		panic("blas: ExpTo: length mismatch")
	}
	if !useElemAVX2 {
		expGo(dst, x)
		return dst
	}
	elemVec(elemExp, dst, x)
	return dst
}

// ClampTo sets dst[i] = min(max(x[i], lo), hi) for every i and returns
// dst: x clipped to [lo, hi], which must satisfy lo ≤ hi. NaN stays NaN.
// dst may be x itself but must not otherwise overlap it. It panics if
// len(dst) != len(x).
//
// It is lib/optim's ClipValue, four elements at a time on amd64 with AVX2
// (VMAXPD and VMINPD, both with x as the operand returned for NaN): the
// scalar loop's two compares and branches per element were 6 % of
// min-char-rnn's training time.
func ClampTo(dst, x []float64, lo, hi float64) []float64 {
	if len(dst) != len(x) {
		panic("blas: ClampTo: length mismatch")
	}
	n4 := 0
	if useElemAVX2 {
		n4 = len(x) &^ 3
		if n4 > 0 {
			clampAVX2(dst[:n4], x[:n4], lo, hi)
		}
	}
	clampGo(dst[n4:], x[n4:], lo, hi)
	return dst
}

// The functions elemVec computes.
const (
	elemSigmoid = iota
	elemTanh
	elemExp
)

// elemVec runs the 4-lane kernel of fn over x into dst: the whole vectors
// in place, and the last len(x) mod 4 elements through a 4-element buffer,
// so that every element gets the same arithmetic wherever it sits. (The
// kernels are called directly, not through a func value, so that buf stays
// on the stack.)
func elemVec(fn int, dst, x []float64) {
	n4 := len(x) &^ 3
	var buf [4]float64
	tail := n4 < len(x)
	if tail {
		copy(buf[:], x[n4:])
	}
	switch fn {
	case elemSigmoid:
		if n4 > 0 {
			sigmoidAVX2(dst[:n4], x[:n4])
		}
		if tail {
			sigmoidAVX2(buf[:], buf[:])
		}
	case elemTanh:
		if n4 > 0 {
			tanhAVX2(dst[:n4], x[:n4])
		}
		if tail {
			tanhAVX2(buf[:], buf[:])
		}
	case elemExp:
		if n4 > 0 {
			expAVX2(dst[:n4], x[:n4])
		}
		if tail {
			expAVX2(buf[:], buf[:])
		}
	}
	if tail {
		copy(dst[n4:], buf[:])
	}
}

// sigmoidGo is the portable SigmoidTo, and its reference: 1/(1+e^−x) written
// so that it neither overflows for large |x| nor loses precision near 0.
func sigmoidGo(dst, x []float64) {
	dst = dst[:len(x)]
	for i, v := range x {
		if v >= 0 {
			dst[i] = 1 / (1 + math.Exp(-v))
			continue
		}
		e := math.Exp(v)
		dst[i] = e / (1 + e)
	}
}

// tanhGo is the portable TanhTo, and its reference.
func tanhGo(dst, x []float64) {
	dst = dst[:len(x)]
	for i, v := range x {
		dst[i] = math.Tanh(v)
	}
}

// expGo is the portable ExpTo, and its reference.
func expGo(dst, x []float64) {
	dst = dst[:len(x)]
	for i, v := range x {
		dst[i] = math.Exp(v)
	}
}

// clampGo is the portable ClampTo, the tail of the vector one, and the
// reference. The comparisons are false for NaN, which is kept.
func clampGo(dst, x []float64, lo, hi float64) {
	dst = dst[:len(x)]
	for i, v := range x {
		switch {
		case v > hi:
			v = hi
		case v < lo:
			v = lo
		}
		dst[i] = v
	}
}
