package blas

import "math"

// Element-wise sigmoid and tanh over slices: the activations of the
// recurrent cells of lib/nn, which spend a quarter of an LSTM's training
// time in math.Exp and math.Tanh when they are called one element at a time.
//
// On amd64 with AVX2 and FMA, four lanes at a time (elem_amd64.s):
//
//	exp(y), y ≤ 0:  n = round(y·log2e), r = y − n·ln2 (ln2 in two parts,
//	                Cody & Waite), |r| ≤ ln2/2,
//	                exp(y) = 2ⁿ · Σ_{k=0}^{12} r^k/k!
//	σ(x)    = 1/(1 + e)   for x ≥ 0,   e/(1 + e)   for x < 0,   e = exp(−|x|)
//	tanh(x) = sign(x)·(1 − e)/(1 + e),  e = exp(−2|x|)   for |x| ≥ 0.625
//	tanh(x) = x + x·s·P(s)/Q(s),  s = x²                  for |x| < 0.625
//
// The Taylor polynomial's truncation error, |r|¹³/13! ≤ 1.7e-16 relative,
// is below the rounding error of its evaluation; the small-|x| tanh is
// the Cephes rational function that math.Tanh uses. Only exp of a
// non-positive argument is ever needed, so nothing overflows, and both
// functions are computed branch-free in every lane. Special values follow
// math: σ(±Inf) = 1, 0; tanh(±Inf) = ±1; NaN gives NaN; σ(x) for x below
// about −708 is subnormal (2ⁿ is applied as two factors so that it is
// rounded once).
//
// Accuracy, measured by TestSigmoidTanhAccuracy against math.Exp and
// math.Tanh on 2·10⁶ points (uniform in [−40, 40], log-uniform magnitudes
// from 1e-310 to 1e3, and the special values): see elemMaxRelErr in
// elem_test.go for the bounds the test enforces.
//
// Everywhere else SigmoidTo and TanhTo are loops over math.Exp and
// math.Tanh (sigmoidGo and tanhGo), which are also the tests' reference.
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

// The functions elemVec computes.
const (
	elemSigmoid = iota
	elemTanh
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
