package blas

// useElemAVX2 selects the assembly SigmoidTo, TanhTo and ExpTo; the tests
// turn it off to run the portable loops.
var useElemAVX2 = hasAVX2FMA()

// sigmoidAVX2, tanhAVX2 and expAVX2 are implemented in elem_amd64.s.
// len(x) must be a multiple of 4 and len(dst) ≥ len(x).
//
//go:noescape
func sigmoidAVX2(dst, x []float64)

//go:noescape
func tanhAVX2(dst, x []float64)

//go:noescape
func expAVX2(dst, x []float64)

// clampAVX2 is implemented in elem_amd64.s: ClampTo on len(x), a multiple
// of 4.
//
//go:noescape
func clampAVX2(dst, x []float64, lo, hi float64)

// adagradAVX2 is implemented in adagrad_amd64.s: AdagradStep on the first
// len(w) &^ 3 elements.
//
//go:noescape
func adagradAVX2(w, g, s []float64, lr, eps float64)

// adamAVX2 is implemented in adam_amd64.s: AdamStep on the first
// len(w) &^ 3 elements, with its constants in c.
//
//go:noescape
func adamAVX2(w, g, m, v []float64, c *[7]float64, decay float64)
