package blas

import "math"

// AdamStep applies Adam's update to the parameters w, with gradients g and
// moments m and v, element by element:
//
//	m[j] = b1·m[j] + (1−b1)·g[j]
//	v[j] = b2·v[j] + (1−b2)·g[j]²
//	w[j] = decay·w[j] − stepSize·m[j] / (√v[j] / sqrtBC2 + eps)
//
// where stepSize = lr/(1−b1ᵗ) and sqrtBC2 = √(1−b2ᵗ) fold in the bias
// corrections of step t, and decay = 1 − lr·λ is AdamW's weight decay (1
// without). It is lib/optim's Adam inner loop, four elements at a time on
// amd64 with AVX2, as AdagradStep: every operation is the IEEE one, in the
// scalar order, so the results are the same bit for bit on every CPU. w, m
// and v are updated in place; g is read. It panics unless g, m and v are
// at least as long as w.
func AdamStep(w, g, m, v []float64, b1, b2, eps, stepSize, sqrtBC2, decay float64) {
	if len(g) < len(w) || len(m) < len(w) || len(v) < len(w) {
		panic("blas: AdamStep: short g, m or v")
	}
	n4 := 0
	if useElemAVX2 {
		n4 = len(w) &^ 3
		if n4 > 0 {
			adamAVX2(w[:n4], g[:n4], m[:n4], v[:n4], &[7]float64{b1, 1 - b1, b2, 1 - b2, eps, stepSize, sqrtBC2}, decay)
		}
	}
	adamGo(w[n4:], g[n4:len(w)], m[n4:len(w)], v[n4:len(w)], b1, b2, eps, stepSize, sqrtBC2, decay)
}

// adamGo is the portable AdamStep, and the tail of the vector one.
func adamGo(w, g, m, v []float64, b1, b2, eps, stepSize, sqrtBC2, decay float64) {
	g, m, v = g[:len(w)], m[:len(w)], v[:len(w)]
	for j := range w {
		gj := g[j]
		m[j] = b1*m[j] + (1-b1)*gj
		v[j] = b2*v[j] + (1-b2)*gj*gj
		w[j] = w[j]*decay - stepSize*m[j]/(math.Sqrt(v[j])/sqrtBC2+eps)
	}
}
