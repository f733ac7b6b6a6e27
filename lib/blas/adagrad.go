package blas

import "math"

// AdagradStep applies Adagrad's update to the parameters w, with gradients
// g and squared-gradient sums s, element by element:
//
//	s[j] += g[j]²
//	w[j] −= lr·g[j] / √(s[j] + eps)
//
// It is lib/optim's Adagrad inner loop, four elements at a time on amd64
// with AVX2: √ and ÷ dominate the scalar loop (a fifth of min-char-rnn's
// training time), and the vector instructions do four of each at about
// the cost of one or two. Every operation is the IEEE one, in the scalar
// order, so the results are the same bit for bit on every CPU. w and s are
// updated in place; g is read. It panics unless g and s are at least as
// long as w.
func AdagradStep(w, g, s []float64, lr, eps float64) {
	if len(g) < len(w) || len(s) < len(w) {
		panic("blas: AdagradStep: short g or s")
	}
	n4 := 0
	if useElemAVX2 {
		n4 = len(w) &^ 3
		if n4 > 0 {
			adagradAVX2(w[:n4], g[:n4], s[:n4], lr, eps)
		}
	}
	adagradGo(w[n4:], g[n4:len(w)], s[n4:len(w)], lr, eps)
}

// adagradGo is the portable AdagradStep, and the tail of the vector one.
func adagradGo(w, g, s []float64, lr, eps float64) {
	g, s = g[:len(w)], s[:len(w)]
	for j := range w {
		s[j] += g[j] * g[j]
		w[j] -= lr * g[j] / math.Sqrt(s[j]+eps)
	}
}
