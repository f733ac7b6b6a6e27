package word2vec

// The vector kernels of training: a dot product and two fused updates over
// float32 rows of length d. On amd64 with AVX2 and FMA they run in assembly
// (vec_amd64.s), eight lanes at a time; elsewhere, and as the reference the
// tests pin the assembly to, they are the loops below. They are the only
// code that touches the shared weight rows during training (see hogwild.go).

// dotGo returns Σ_i x[i]·y[i], summed in float32 as word2vec.c does.
func dotGo(x, y []float32) float32 {
	y = y[:len(x)] // one bounds check here instead of one per element
	var s0, s1, s2, s3 float32
	i := 0
	for ; i+4 <= len(x); i += 4 {
		s0 += x[i] * y[i]
		s1 += x[i+1] * y[i+1]
		s2 += x[i+2] * y[i+2]
		s3 += x[i+3] * y[i+3]
	}
	for ; i < len(x); i++ {
		s0 += x[i] * y[i]
	}
	return (s0 + s1) + (s2 + s3)
}

// axpyGo computes y += a·x.
func axpyGo(a float32, x, y []float32) {
	y = y[:len(x)]
	for i, v := range x {
		y[i] += a * v
	}
}

// fusedGo computes, in one pass over the three rows,
//
//	e += g·t   (the gradient for the input row, from t before its update)
//	t += g·in  (the output row's update)
//
// which is the pair of statements word2vec.c runs for every target of a
// negative-sampling or hierarchical-softmax step.
func fusedGo(g float32, in, t, e []float32) {
	t = t[:len(in)]
	e = e[:len(in)]
	for i, v := range in {
		tv := t[i]
		e[i] += g * tv
		t[i] = tv + g*v
	}
}
